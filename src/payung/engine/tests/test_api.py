"""The engine's public API: what apps may call, and that they call nothing else.

Like httpx's ``tests/test_exported_members.py``: a name added to or dropped from
``payung.engine.__all__`` must be a decision made here, and an app reaching into an engine
module (``payung.engine.readers``) is caught, so the engine can be reorganised freely.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import payung
import payung.engine

#: The public API, as the apps use it. Change it here on purpose, with the engine.
PUBLIC = [
    "CANONICAL",
    "CATEGORIES",
    "COMMAND_LINE_LIMITS",
    "DEFAULT_REVIEW_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "EXCHANGE_LIMITS",
    "FLAG_CODES",
    "INVALID_CODES",
    "NIK_NUMERIC_CELL",
    "ROW",
    "Backend",
    "BackendUnavailable",
    "BillLine",
    "ColumnMapping",
    "ContributionFileError",
    "Coverage",
    "EligibleRows",
    "ExtractHandover",
    "InvoiceRow",
    "LinkResult",
    "PolicyDiff",
    "PolicyRef",
    "ReadError",
    "ReconRow",
    "RosterRow",
    "ScreeningResult",
    "SimulationError",
    "TextTable",
    "bill_compute",
    "bill_corrections",
    "bill_files_write",
    "bill_month_totals",
    "bill_totals",
    "billed_months",
    "bpjs_invoice_write",
    "bpjs_response_write",
    "connect",
    "covered_since",
    "csv_bytes",
    "decisions_write",
    "dedupe_list",
    "dukcapil_response_write",
    "file_sha256",
    "file_stamp",
    "growth_parse",
    "invoice_read",
    "link_lists",
    "link_write",
    "list_read",
    "month_add",
    "month_range",
    "policy_diff",
    "policy_diff_changes_csv",
    "policy_diff_text",
    "policy_diff_write",
    "read_error",
    "read_extract",
    "read_text_table",
    "reconcile_compute",
    "reconciliation_files_write",
    "roster_read",
    "screen",
    "simulation_compare",
    "simulation_compute",
    "simulation_write",
    "summary_build",
    "synth_write",
]

SRC = Path(payung.__file__).parent


def test_all_is_the_public_api() -> None:
    assert payung.engine.__all__ == PUBLIC


def test_every_public_name_resolves_to_its_home_module() -> None:
    for name in PUBLIC:
        value = getattr(payung.engine, name)
        home = getattr(value, "__module__", None)
        if home is not None and not isinstance(value, tuple | str | int | frozenset):
            assert home.startswith("payung.engine."), (name, home)


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        payung.engine.nothing_here  # noqa: B018
    except AttributeError as exc:
        assert "nothing_here" in str(exc)
    else:
        raise AssertionError("payung.engine.nothing_here resolved")


def test_importing_the_api_does_not_load_a_dataframe_library() -> None:
    """Asking for a constant must not start Ibis (the web process imports it at start-up)."""
    code = "import sys; from payung.engine import CANONICAL; print('ibis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _private_engine_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("payung.engine."):
            found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.module}")
        elif isinstance(node, ast.ImportFrom) and node.module == "payung.engine":
            found.extend(
                f"{path.relative_to(SRC)}:{node.lineno} payung.engine.{a.name}"
                for a in node.names
                if a.name not in PUBLIC
            )
        elif isinstance(node, ast.Import):
            found.extend(
                f"{path.relative_to(SRC)}:{node.lineno} {a.name}"
                for a in node.names
                if a.name.startswith("payung.engine.")
            )
    return found


def test_apps_call_the_engine_through_its_public_api() -> None:
    """Application code (not tests: they may poke at internals) imports ``payung.engine``."""
    offenders = [
        hit
        for path in sorted(SRC.rglob("*.py"))
        if "engine" not in path.relative_to(SRC).parts[:1]
        and "tests" not in path.relative_to(SRC).parts
        and "migrations" not in path.relative_to(SRC).parts
        for hit in _private_engine_imports(path)
    ]
    assert offenders == []
