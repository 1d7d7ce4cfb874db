"""Every action the code writes has Indonesian words on the audit page (issue 9).

The source is read, not a list kept by hand: a new ``audit_entry_create(action="...")`` or a
new background job (``job_audit_name``, whose retry/cancel/reap entries ``core.jobs`` writes)
fails here until ``payung.audit.labels`` words it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import payung
from payung.audit import labels
from payung.audit.labels import AUDIT_ACTIONS, JOB_SUFFIXES, action_label

SOURCE = Path(payung.__file__).parent
#: Functions that write an audit entry with the ``action`` they are given: their callers'
#: actions are read; their own pass-through of the parameter is not a call site.
# AuditItem: one entry of a batch written by audit_entries_create.
RECORDERS = {"audit_entry_create", "_audit", "upload_job_refuse", "AuditItem"}


def _modules() -> list[Path]:
    return [
        p
        for p in sorted(SOURCE.rglob("*.py"))
        if "tests" not in p.parts and "migrations" not in p.parts
    ]


def _constants() -> dict[str, str]:
    """Module-level ``NAME: Final = "text"`` constants, for ``action=ANCHOR_ACTION``."""
    found: dict[str, str] = {}
    for path in _modules():
        for node in ast.parse(path.read_text()).body:
            target = node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            value = getattr(node, "value", None)
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                found[target.id] = value.value
    return found


def _written_actions() -> tuple[dict[str, str], list[str]]:
    """Literal actions passed to the recorder -> where; and the calls it could not read."""
    constants = _constants()
    actions: dict[str, str] = {}
    unreadable: list[str] = []
    for path in _modules():
        tree = ast.parse(path.read_text())
        passing_on = {
            id(inner)
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef) and fn.name in RECORDERS
            for inner in ast.walk(fn)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or id(node) in passing_on:
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name not in RECORDERS:
                continue
            where = f"{path.relative_to(SOURCE)}:{node.lineno}"
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                value = keyword.value
                options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                for option in options:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        actions[option.value] = where
                    elif isinstance(option, ast.Name) and option.id in constants:
                        actions[constants[option.id]] = where
                    elif _is_job_action(option):
                        continue  # checked by test_every_job_action_has_a_label
                    else:
                        unreadable.append(f"{where}: {ast.unparse(option)}")
    return actions, unreadable


def _is_job_action(node: ast.expr) -> bool:
    """``f"{model.job_audit_name}_retry"`` as core.jobs writes it."""
    if not isinstance(node, ast.JoinedStr) or len(node.values) != 2:
        return False
    head, tail = node.values
    return (
        isinstance(head, ast.FormattedValue)
        and isinstance(head.value, ast.Attribute)
        and head.value.attr == "job_audit_name"
        and isinstance(tail, ast.Constant)
        and tail.value.lstrip("_") in JOB_SUFFIXES
    )


def _job_audit_names() -> set[str]:
    names: set[str] = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Assign)
                and any(getattr(t, "id", None) == "job_audit_name" for t in node.targets)
                and isinstance(node.value, ast.Constant)
                and node.value.value
            ):
                names.add(node.value.value)
    return names


def test_the_source_scan_finds_the_actions_we_know_are_written() -> None:
    """A scan that found nothing would let every later check pass."""
    actions, _ = _written_actions()

    assert {"user_login", "document_download", "list_match_decide", "audit_anchor"} <= set(actions)
    assert len(actions) > 60
    assert {"dtsen_import", "screening_run", "document"} <= _job_audit_names()


def test_every_action_written_has_a_label() -> None:
    actions, _ = _written_actions()

    missing = {code: where for code, where in actions.items() if code not in AUDIT_ACTIONS}
    assert missing == {}, "add these to payung.audit.labels.AUDIT_ACTIONS"


def test_every_action_is_written_as_a_literal_the_scan_can_read() -> None:
    """An action built at run time could not be checked: name it as a literal instead."""
    _, unreadable = _written_actions()

    assert unreadable == []


def test_every_job_action_has_a_label() -> None:
    missing = {
        f"{name}_{suffix}"
        for name in _job_audit_names()
        for suffix in JOB_SUFFIXES
        if f"{name}_{suffix}" not in AUDIT_ACTIONS
    }

    assert missing == set(), "add the job to payung.audit.labels.JOB_NAMES"


def test_labels_are_indonesian_words_not_codes() -> None:
    for code, label in AUDIT_ACTIONS.items():
        text = str(label)
        assert "_" not in text and text != code and text[0].isupper(), code


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("user_login", "Masuk ke aplikasi"),
        ("document_download", "Dokumen diunduh"),
        ("list_match_decide", "Kecocokan dengan daftar lain diputuskan"),
        ("dtsen_import_retry", "Impor DTSEN diulang"),
        ("audit_export", "Jejak audit diunduh"),
    ],
)
def test_action_label(code: str, words: str) -> None:
    assert action_label(code=code) == words


def test_an_unknown_action_is_shown_as_its_code_rather_than_nothing() -> None:
    assert action_label(code="from_a_newer_version") == "from_a_newer_version"


def test_readable_targets_exclude_models_that_name_a_person() -> None:
    """Their ``str()`` is a person's or a team member's name: shown as #id only."""
    assert not {"registry.person", "participants.candidate", "programmes.teammember"} & set(
        labels.READABLE_TARGETS
    )
