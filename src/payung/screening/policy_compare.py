"""Reads for the policy comparison page (issue 15): the year's pinned policy against a shipped
one or an edited variant, on the extract the run screened.

The team asks "what if we take Desil I to V" before the legal division drafts an amendment;
the answer must be the same as ``payung policy diff`` gives on the command line, so both call
``payung.engine.policy_diff``. The year's own decisions are not touched: both policies are
applied afresh to the run's import, without the pagu cut (the question is who qualifies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payung.domain import nik as nik_domain
from payung.domain.policy import Policy, policy_get, shipped_ids
from payung.engine import PolicyDiff, connect, policy_diff
from payung.programmes.selectors import programme_year_policy
from payung.registry.selectors import persons_as_arrow
from payung.screening.models import ScreeningRun

#: Changed rows shown on the page; the rest are counted (the CLI writes them all).
ROWS_SHOWN = 200


@dataclass(frozen=True)
class ChangedRow:
    row: int
    nik_masked: str
    status_a: str
    status_b: str
    reasons_a: str
    reasons_b: str


@dataclass(frozen=True)
class PolicyComparison:
    a: Policy
    b: Policy
    diff: PolicyDiff
    changed: list[ChangedRow]
    changed_total: int


def policy_compare_choices() -> list[tuple[str, str]]:
    """The shipped policies, as (id, "short title (versi v)") for the form."""
    out = []
    for ref in shipped_ids():
        policy = policy_get(ref)
        out.append((ref, f"{policy.short_title} (versi {policy.version})"))
    return out


def policy_compare(*, run: ScreeningRun, other: Policy, backend: str = "duckdb") -> Any:
    """Rule differences between the run's year's pinned policy (A) and ``other`` (B), and who
    changes status on the run's import, by rule; NIKs masked for the page."""
    a = programme_year_policy(programme_year=run.programme_year)
    table = persons_as_arrow(dtsen_import=run.dtsen_import)
    with connect(backend) as engine:
        diff = policy_diff(a, other, table=table, as_of=run.as_of, backend=engine)
    changed = [
        ChangedRow(
            row=row,
            nik_masked=nik_domain.mask(nik) if nik else "—",
            status_a=status_a,
            status_b=status_b,
            reasons_a=reasons_a,
            reasons_b=reasons_b,
        )
        for row, nik, status_a, status_b, reasons_a, reasons_b in diff.changed_rows[:ROWS_SHOWN]
    ]
    return PolicyComparison(
        a=a, b=other, diff=diff, changed=changed, changed_total=len(diff.changed_rows)
    )
