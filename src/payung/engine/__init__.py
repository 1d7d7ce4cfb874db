"""Batch work on dataframes through Ibis: reading extracts, screening, ranking, synthesis.

The engine imports the domain but never Django; the apps call it through the names below
and nothing else (``from payung.engine import screen``), so its modules can be split or
rewritten without touching an app. ``tests/test_api.py`` fails if ``__all__`` drifts.

Names are imported on first use (PEP 562), the way Splink imports Spark lazily: asking for
``CANONICAL`` does not load Ibis, and a missing Spark breaks only Spark.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from payung.engine.backends import Backend, BackendUnavailable, connect
    from payung.engine.billing import (
        BillLine,
        Coverage,
        bill_compute,
        bill_corrections,
        bill_month_totals,
        bill_totals,
        billed_months,
        covered_since,
        month_add,
        month_range,
    )
    from payung.engine.columns import CANONICAL, NIK_NUMERIC_CELL, ROW
    from payung.engine.contribution_files import (
        ContributionFileError,
        InvoiceRow,
        RosterRow,
        invoice_read,
        roster_read,
    )
    from payung.engine.contribution_outputs import (
        PolicyRef,
        bill_files_write,
        reconciliation_files_write,
    )
    from payung.engine.decisions import decisions_write, summary_build
    from payung.engine.exchange_files import TextTable, csv_bytes, read_text_table
    from payung.engine.linkage import (
        DEFAULT_REVIEW_THRESHOLD,
        DEFAULT_THRESHOLD,
        LinkResult,
        dedupe_list,
        link_lists,
        link_write,
        list_read,
    )
    from payung.engine.policy_changes import (
        PolicyDiff,
        policy_diff,
        policy_diff_changes_csv,
        policy_diff_text,
        policy_diff_write,
    )
    from payung.engine.quality import FLAG_CODES, INVALID_CODES
    from payung.engine.read_errors import ReadError, read_error
    from payung.engine.readers import (
        COMMAND_LINE_LIMITS,
        ColumnMapping,
        file_sha256,
        file_stamp,
        read_extract,
    )
    from payung.engine.reconcile import CATEGORIES, ReconRow, reconcile_compute
    from payung.engine.screening import ExtractHandover, ScreeningResult, screen
    from payung.engine.simulation import (
        EligibleRows,
        SimulationError,
        growth_parse,
        simulation_compare,
        simulation_compute,
        simulation_write,
    )
    from payung.engine.synth import synth_write
    from payung.engine.synth_bpjs import bpjs_response_write
    from payung.engine.synth_dukcapil import dukcapil_response_write
    from payung.engine.synth_invoice import bpjs_invoice_write
    from payung.engine.upload_guard import EXCHANGE_LIMITS

#: Public name -> the module that defines it.
_HOME: Final[dict[str, str]] = {
    "Backend": "backends",
    "BackendUnavailable": "backends",
    "connect": "backends",
    "BillLine": "billing",
    "Coverage": "billing",
    "bill_compute": "billing",
    "bill_corrections": "billing",
    "bill_month_totals": "billing",
    "bill_totals": "billing",
    "billed_months": "billing",
    "covered_since": "billing",
    "month_add": "billing",
    "month_range": "billing",
    "CANONICAL": "columns",
    "NIK_NUMERIC_CELL": "columns",
    "ROW": "columns",
    "ContributionFileError": "contribution_files",
    "InvoiceRow": "contribution_files",
    "PolicyRef": "contribution_outputs",
    "bill_files_write": "contribution_outputs",
    "reconciliation_files_write": "contribution_outputs",
    "RosterRow": "contribution_files",
    "invoice_read": "contribution_files",
    "roster_read": "contribution_files",
    "decisions_write": "decisions",
    "summary_build": "decisions",
    "TextTable": "exchange_files",
    "csv_bytes": "exchange_files",
    "read_text_table": "exchange_files",
    "PolicyDiff": "policy_changes",
    "policy_diff": "policy_changes",
    "policy_diff_changes_csv": "policy_changes",
    "policy_diff_text": "policy_changes",
    "policy_diff_write": "policy_changes",
    "FLAG_CODES": "quality",
    "INVALID_CODES": "quality",
    "ReadError": "read_errors",
    "read_error": "read_errors",
    "COMMAND_LINE_LIMITS": "readers",
    "ColumnMapping": "readers",
    "file_sha256": "readers",
    "file_stamp": "readers",
    "read_extract": "readers",
    "CATEGORIES": "reconcile",
    "ReconRow": "reconcile",
    "reconcile_compute": "reconcile",
    "DEFAULT_REVIEW_THRESHOLD": "linkage",
    "DEFAULT_THRESHOLD": "linkage",
    "LinkResult": "linkage",
    "dedupe_list": "linkage",
    "link_lists": "linkage",
    "link_write": "linkage",
    "list_read": "linkage",
    "ExtractHandover": "screening",
    "ScreeningResult": "screening",
    "screen": "screening",
    "EligibleRows": "simulation",
    "SimulationError": "simulation",
    "growth_parse": "simulation",
    "simulation_compare": "simulation",
    "simulation_compute": "simulation",
    "simulation_write": "simulation",
    "synth_write": "synth",
    "bpjs_response_write": "synth_bpjs",
    "dukcapil_response_write": "synth_dukcapil",
    "bpjs_invoice_write": "synth_invoice",
    "EXCHANGE_LIMITS": "upload_guard",
}

__all__ = [
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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
