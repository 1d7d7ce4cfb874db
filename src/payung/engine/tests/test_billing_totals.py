"""The shortcuts of the billing rule used by the year's figures (issue 14's performance):
``bill_totals``, ``bill_month_totals`` and ``covered_since`` must say exactly what summing and
walking ``bill_compute``'s lines says (Pasal 9 ayat (1)-(2)), for any coverage: periods that
overlap, touch, end mid-month or start on a month's last day, rate changes mid-year."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.domain.policy import Contribution, policy_get, policy_parse
from payung.engine import (
    Coverage,
    bill_compute,
    bill_month_totals,
    bill_totals,
    covered_since,
    month_add,
    month_range,
)

JAN, DEC = date(2026, 1, 1), date(2026, 12, 1)
DAY0 = date(2025, 10, 1)


def _dated() -> Contribution:
    """Pandeglang's policy with JKK raised from July 2026 (a rate change mid-year)."""
    text = (resources.files("payung") / "policies" / "pandeglang-2025.yaml").read_text("utf-8")
    jkk = "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000}\n"
    assert text.count(jkk) == 1
    return policy_parse(
        text.replace(
            jkk,
            "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000,"
            " valid_to: 2026-06-30}\n"
            "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 12000,"
            " valid_from: 2026-07-01}\n",
        )
    ).contribution


CONTRIBUTIONS = {"flat": policy_get("pandeglang-2025").contribution, "dated": _dated()}


@st.composite
def coverages(draw: st.DrawFn) -> list[Coverage]:
    """Up to 10 keys, each with up to 4 periods around 2026 that may overlap or touch."""
    found = []
    for key in draw(st.lists(st.sampled_from("abcdefghij"), max_size=10, unique=True)):
        for _ in range(draw(st.integers(1, 4))):
            start = DAY0 + timedelta(days=draw(st.integers(0, 520)))
            end = (
                None
                if draw(st.integers(0, 4)) == 0
                else start + timedelta(days=draw(st.integers(0, 200)))
            )
            found.append(Coverage(key, start, end))
    return draw(st.permutations(found))


def _months(draw_from: list[date]) -> st.SearchStrategy[set[date] | None]:
    return st.none() | st.sets(st.sampled_from(draw_from))


@settings(max_examples=200, deadline=None)
@given(
    covs=coverages(),
    kind=st.sampled_from(sorted(CONTRIBUTIONS)),
    bounds=st.tuples(st.integers(0, 11), st.integers(0, 11)).map(sorted),
    data=st.data(),
)
def test_bill_totals_are_the_sums_of_bill_compute(
    covs: list[Coverage], kind: str, bounds: list[int], data: st.DataObject
) -> None:
    contribution = CONTRIBUTIONS[kind]
    first, last = month_add(JAN, bounds[0]), month_add(JAN, bounds[1])
    months = data.draw(_months(month_range(JAN, DEC)))
    expected: dict[str, int] = defaultdict(int)
    for line in bill_compute(coverages=covs, first=first, last=last, contribution=contribution):
        if months is None or line.month in months:
            expected[line.key] += line.total
    assert (
        bill_totals(
            coverages=covs, first=first, last=last, contribution=contribution, months=months
        )
        == expected
    )


@settings(max_examples=200, deadline=None)
@given(covs=coverages(), last_index=st.integers(0, 11))
def test_covered_since_is_where_the_unbroken_run_of_billed_months_begins(
    covs: list[Coverage], last_index: int
) -> None:
    last = month_add(JAN, last_index)
    billed: dict[str, set[date]] = defaultdict(set)
    for line in bill_compute(
        coverages=covs, first=JAN, last=last, contribution=CONTRIBUTIONS["flat"]
    ):
        billed[line.key].add(line.month)
    expected = {}
    for key, months in billed.items():
        if last in months:
            month = last
            while month_add(month, -1) in months:
                month = month_add(month, -1)
            expected[key] = month
    assert covered_since(coverages=covs, first=JAN, last=last) == expected


def test_a_replacement_back_after_a_gap_restarts_the_run() -> None:
    covs = [
        Coverage("a", date(2026, 1, 10), date(2026, 3, 31)),
        Coverage("a", date(2026, 5, 1), None),
        # ends on 1 June and restarts on 30 June: June is covered, the run is unbroken
        Coverage("b", date(2026, 2, 1), date(2026, 6, 1)),
        Coverage("b", date(2026, 6, 30), None),
        Coverage("c", date(2026, 1, 1), date(2026, 5, 31)),
    ]
    assert covered_since(coverages=covs, first=JAN, last=date(2026, 7, 15)) == {
        "a": date(2026, 5, 1),
        "b": date(2026, 2, 1),
    }


def test_month_totals_follow_the_rate_in_force_on_the_first() -> None:
    totals = bill_month_totals(first=JAN, last=DEC, contribution=CONTRIBUTIONS["dated"])
    assert totals[date(2026, 6, 1)] == 10_000 + 6_800
    assert totals[date(2026, 7, 1)] == 12_000 + 6_800
    assert list(totals) == month_range(JAN, DEC)


def test_the_shortcuts_refuse_what_bill_compute_refuses() -> None:
    bad = [Coverage("a", date(2026, 3, 1), date(2026, 2, 1))]
    contribution = CONTRIBUTIONS["flat"]
    with pytest.raises(ValueError, match="akhir kepesertaan sebelum awalnya"):
        bill_totals(coverages=bad, first=JAN, last=DEC, contribution=contribution)
    with pytest.raises(ValueError, match="akhir kepesertaan sebelum awalnya"):
        covered_since(coverages=bad, first=JAN, last=DEC)
    with pytest.raises(ValueError, match="tidak ada tarif"):
        bill_month_totals(first=JAN, last=DEC, contribution=contribution, segment="bpu")
