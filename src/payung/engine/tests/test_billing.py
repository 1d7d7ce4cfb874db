"""The billing rule of Pasal 9 (issue 11): every calendar month of the billing period with at
least one covered day is billed once, at the JKK and JKM rates of the participant's segment in
force on the month's first day; corrections make what was billed equal what is due."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.domain.policy import Contribution, PolicyError, policy_get, policy_parse
from payung.engine import (
    BillLine,
    Coverage,
    bill_compute,
    bill_corrections,
    billed_months,
    month_range,
)
from payung.engine.billing import bill_table

JAN, FEB, MAR, DEC = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 12, 1)
APBD_RATE = (10_000, 6_800)


@pytest.fixture(scope="module")
def contribution() -> Contribution:
    return policy_get("pandeglang-2025").contribution


def months_of(start: date, end: date | None, first: date = JAN, last: date = DEC) -> list[int]:
    return [m.month for m in billed_months(start=start, end=end, first=first, last=last)]


# --- month edges ------------------------------------------------------------------------


def test_month_range_lists_first_days_inclusive() -> None:
    assert month_range(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert month_range(MAR, MAR) == [MAR]
    with pytest.raises(ValueError):
        month_range(MAR, FEB)


def test_start_on_the_first_bills_that_month() -> None:
    assert months_of(date(2026, 3, 1), None) == list(range(3, 13))


def test_start_on_the_last_day_of_a_month_bills_that_month() -> None:
    assert months_of(date(2026, 3, 31), date(2026, 5, 10)) == [3, 4, 5]


def test_end_on_the_first_bills_that_month() -> None:
    assert months_of(date(2026, 1, 15), date(2026, 4, 1)) == [1, 2, 3, 4]


def test_end_on_the_last_day_of_the_month_before_does_not_bill_the_next() -> None:
    assert months_of(date(2026, 1, 15), date(2026, 3, 31)) == [1, 2, 3]


def test_start_and_end_the_same_day_bills_one_month() -> None:
    assert months_of(date(2026, 7, 17), date(2026, 7, 17)) == [7]


def test_leap_february_2028() -> None:
    first, last = date(2028, 1, 1), date(2028, 12, 1)
    assert months_of(date(2028, 2, 29), date(2028, 2, 29), first, last) == [2]
    assert months_of(date(2028, 1, 31), date(2028, 2, 29), first, last) == [1, 2]
    assert months_of(date(2028, 2, 29), date(2028, 3, 1), first, last) == [2, 3]


def test_periods_crossing_the_range_are_clipped_to_it() -> None:
    got = billed_months(start=date(2025, 10, 5), end=date(2026, 2, 10), first=JAN, last=MAR)
    assert got == [JAN, FEB]
    got = billed_months(start=date(2026, 2, 28), end=None, first=JAN, last=MAR)
    assert got == [FEB, MAR]
    assert billed_months(start=date(2025, 1, 1), end=date(2025, 12, 31), first=JAN, last=MAR) == []
    assert billed_months(start=date(2026, 4, 1), end=None, first=JAN, last=MAR) == []


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        billed_months(start=date(2026, 3, 2), end=date(2026, 3, 1), first=JAN, last=MAR)


# --- bill_compute -----------------------------------------------------------------------


def test_bill_lines_carry_the_policy_rates(contribution: Contribution) -> None:
    lines = bill_compute(
        coverages=[Coverage("b", date(2026, 2, 14), None), Coverage("a", JAN, date(2026, 1, 1))],
        first=JAN,
        last=MAR,
        contribution=contribution,
    )
    assert lines == [
        BillLine("a", JAN, 10_000, 6_800),
        BillLine("b", FEB, 10_000, 6_800),
        BillLine("b", MAR, 10_000, 6_800),
    ]
    assert [line.total for line in lines] == [16_800] * 3
    assert all(type(line.jkk) is int and type(line.jkm) is int for line in lines)


def test_two_periods_of_one_key_bill_each_month_once(contribution: Contribution) -> None:
    # Ended on 10 February, back in on 20 February: February is one month of cover.
    lines = bill_compute(
        coverages=[
            Coverage("x", date(2026, 2, 20), None),
            Coverage("x", JAN, date(2026, 2, 10)),
        ],
        first=JAN,
        last=MAR,
        contribution=contribution,
    )
    assert [(line.key, line.month) for line in lines] == [("x", JAN), ("x", FEB), ("x", MAR)]


def test_a_key_covered_outside_the_range_gets_no_line(contribution: Contribution) -> None:
    lines = bill_compute(
        coverages=[Coverage("old", date(2025, 3, 1), date(2025, 12, 31))],
        first=JAN,
        last=MAR,
        contribution=contribution,
    )
    assert lines == []


def _dated_policy_text() -> str:
    text = (resources.files("payung") / "policies" / "pandeglang-2025.yaml").read_text("utf-8")
    jkk = "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000}\n"
    assert text.count(jkk) == 1
    return text.replace(
        jkk,
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000, valid_to: 2026-06-30}\n"
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 12000,"
        " valid_from: 2026-07-01}\n"
        # PP 50/2025: BPU contributions halved for a period; APBD participants keep full rates.
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 5000, segment: bpu,"
        " valid_from: 2026-01-01, valid_to: 2026-03-31}\n"
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000, segment: bpu,"
        " valid_from: 2026-04-01}\n"
        "    - {code: JKM, name: Jaminan Kematian, monthly: 3400, segment: bpu,"
        " valid_from: 2026-01-01, valid_to: 2026-03-31}\n"
        "    - {code: JKM, name: Jaminan Kematian, monthly: 6800, segment: bpu,"
        " valid_from: 2026-04-01}\n",
    )


def test_a_rate_change_mid_year_applies_from_the_month_it_is_in_force_on_the_first() -> None:
    contribution = policy_parse(_dated_policy_text()).contribution
    lines = bill_compute(
        coverages=[Coverage("k", date(2026, 6, 30), date(2026, 8, 1))],
        first=JAN,
        last=DEC,
        contribution=contribution,
    )
    assert [(line.month.month, line.jkk, line.jkm) for line in lines] == [
        (6, 10_000, 6_800),
        (7, 12_000, 6_800),
        (8, 12_000, 6_800),
    ]


def test_segments_have_their_own_rates() -> None:
    contribution = policy_parse(_dated_policy_text()).contribution
    cover = [Coverage("k", date(2026, 3, 15), date(2026, 4, 2))]
    apbd = bill_compute(coverages=cover, first=JAN, last=DEC, contribution=contribution)
    bpu = bill_compute(
        coverages=cover, first=JAN, last=DEC, contribution=contribution, segment="bpu"
    )
    assert [line.total for line in apbd] == [16_800, 16_800]
    assert [(line.jkk, line.jkm) for line in bpu] == [(5_000, 3_400), (10_000, 6_800)]
    assert contribution.rates_on(date(2026, 3, 1), "bpu") == {"JKK": 5_000, "JKM": 3_400}
    assert contribution.rates_on(date(2026, 3, 1)) == {"JKK": 10_000, "JKM": 6_800}
    assert contribution.segments == ["apbd", "bpu"]


def test_a_segment_without_rates_is_refused_rather_than_billed_zero(
    contribution: Contribution,
) -> None:
    with pytest.raises(ValueError, match="segmen apbn"):
        bill_compute(
            coverages=[Coverage("k", JAN, None)],
            first=JAN,
            last=MAR,
            contribution=contribution,
            segment="apbn",
        )


def test_the_apbd_rate_stays_single_when_another_segment_is_dated() -> None:
    text = (
        _dated_policy_text()
        .replace("monthly: 12000, valid_from: 2026-07-01}", "monthly: 12000, segment: x}")
        .replace("monthly: 10000, valid_to: 2026-06-30}", "monthly: 10000}")
    )
    contribution = policy_parse(text).contribution
    # BPU is dated, APBD is not: callers that mean APBD still get one monthly total.
    assert contribution.monthly_total == 16_800
    assert contribution.monthly_on(date(2026, 2, 1), "bpu") == 8_400


def test_overlap_is_checked_per_code_and_segment() -> None:
    overlapping = _dated_policy_text().replace(
        "segment: bpu, valid_from: 2026-04-01}\n    - {code: JKM",
        "segment: bpu, valid_from: 2026-03-01}\n    - {code: JKM",
    )
    with pytest.raises(PolicyError, match="JKK segmen bpu: periode tarif tumpang tindih"):
        policy_parse(overlapping, source="tarif.yaml")


def test_the_shipped_policy_is_all_apbd(contribution: Contribution) -> None:
    assert contribution.segments == ["apbd"]
    assert contribution.rates_on(date(2026, 1, 1)) == {"JKK": 10_000, "JKM": 6_800}


# --- invariants -------------------------------------------------------------------------

DAY0 = date(2025, 10, 1)


@st.composite
def coverages(draw: st.DrawFn) -> list[Coverage]:
    """Up to 8 keys, each with up to 3 non-overlapping periods around 2026."""
    found = []
    for key in draw(st.lists(st.sampled_from("abcdefgh"), max_size=8, unique=True)):
        cursor = DAY0 + timedelta(days=draw(st.integers(0, 200)))
        for _ in range(draw(st.integers(1, 3))):
            start = cursor
            if draw(st.booleans()):
                found.append(Coverage(key, start, None))
                break
            end = start + timedelta(days=draw(st.integers(0, 150)))
            found.append(Coverage(key, start, end))
            cursor = end + timedelta(days=draw(st.integers(1, 60)))
    return draw(st.permutations(found))


def _covered_days(covs: list[Coverage], key: str, last_day: date) -> set[date]:
    days = set()
    for cov in covs:
        if cov.key == key:
            day, end = cov.start, cov.end or last_day
            while day <= end:
                days.add(day)
                day += timedelta(days=1)
    return days


RANGE_FIRST, RANGE_LAST = date(2026, 1, 1), date(2026, 12, 1)


@settings(max_examples=150, deadline=None)
@given(covs=coverages())
def test_invariants_of_a_bill(covs: list[Coverage]) -> None:
    contribution = policy_get("pandeglang-2025").contribution
    lines = bill_compute(
        coverages=covs, first=RANGE_FIRST, last=RANGE_LAST, contribution=contribution
    )
    keys = [(line.key, line.month) for line in lines]
    # Sorted, and no (key, month) twice.
    assert keys == sorted(set(keys))
    # Nothing billed outside a coverage period; every month with a covered day billed.
    end_of_range = date(2026, 12, 31)
    for key in {c.key for c in covs}:
        days = _covered_days(covs, key, end_of_range)
        expected = sorted({d.replace(day=1) for d in days if RANGE_FIRST <= d <= end_of_range})
        assert [m for k, m in keys if k == key] == expected
    # Sum of lines = sum over participants of billed months x rate.
    per_key_months = {key: len({m for k, m in keys if k == key}) for key in {c.key for c in covs}}
    assert sum(line.total for line in lines) == 16_800 * sum(per_key_months.values())


@settings(max_examples=150, deadline=None)
@given(before=coverages(), after=coverages())
def test_bill_plus_corrections_is_what_is_due(
    before: list[Coverage], after: list[Coverage]
) -> None:
    contribution = policy_get("pandeglang-2025").contribution
    billed = bill_compute(
        coverages=before, first=RANGE_FIRST, last=RANGE_LAST, contribution=contribution
    )
    due = bill_compute(
        coverages=after, first=RANGE_FIRST, last=RANGE_LAST, contribution=contribution
    )
    corrections = bill_corrections(billed=billed, due=due)
    net: dict[tuple[str, date], tuple[int, int]] = {}
    for sign, line in [(1, x) for x in billed] + [(1, x) for x in corrections]:
        jkk, jkm = net.get((line.key, line.month), (0, 0))
        net[(line.key, line.month)] = (jkk + sign * line.jkk, jkm + sign * line.jkm)
    assert {k: v for k, v in net.items() if v != (0, 0)} == {
        (line.key, line.month): (line.jkk, line.jkm) for line in due
    }
    # No line that changes nothing; no (key, month) twice; sorted; billing again after
    # correcting changes nothing, so no month is billed twice across bills and corrections.
    assert all(line.jkk or line.jkm for line in corrections)
    assert len({(c.key, c.month) for c in corrections}) == len(corrections)
    assert [(c.key, c.month) for c in corrections] == sorted((c.key, c.month) for c in corrections)
    assert bill_corrections(billed=[*billed, *corrections], due=due) == []


def test_corrections_name_the_month_they_correct(contribution: Contribution) -> None:
    # Issued for January-March while active; the death in February is recorded afterwards,
    # and a replacement registered late was covered from 20 February.
    billed = bill_compute(
        coverages=[Coverage("died", JAN, None)], first=JAN, last=MAR, contribution=contribution
    )
    due = bill_compute(
        coverages=[
            Coverage("died", JAN, date(2026, 2, 3)),
            Coverage("new", date(2026, 2, 20), None),
        ],
        first=JAN,
        last=MAR,
        contribution=contribution,
    )
    assert bill_corrections(billed=billed, due=due) == [
        BillLine("died", MAR, -10_000, -6_800),
        BillLine("new", FEB, 10_000, 6_800),
        BillLine("new", MAR, 10_000, 6_800),
    ]


# --- the columnar twin --------------------------------------------------------------------


def _as_table(covs: list[Coverage]):
    import pyarrow as pa

    return pa.table(
        {
            "key": pa.array([c.key for c in covs], pa.string()),
            "start": pa.array([c.start for c in covs], pa.date32()),
            "end": pa.array([c.end for c in covs], pa.date32()),
        }
    )


@settings(max_examples=150, deadline=None)
@given(covs=coverages())
def test_bill_table_bills_exactly_what_bill_compute_bills(covs: list[Coverage]) -> None:
    contribution = policy_parse(_dated_policy_text()).contribution
    for segment in ("apbd", "bpu"):
        lines = bill_compute(
            coverages=covs,
            first=RANGE_FIRST,
            last=RANGE_LAST,
            contribution=contribution,
            segment=segment,
        )
        table = bill_table(
            _as_table(covs),
            first=RANGE_FIRST,
            last=RANGE_LAST,
            contribution=contribution,
            segment=segment,
        )
        assert [BillLine(**row) for row in table.to_pylist()] == lines


def test_bill_table_refuses_a_period_ending_before_it_starts(contribution: Contribution) -> None:
    with pytest.raises(ValueError):
        bill_table(
            _as_table([Coverage("k", FEB, JAN)]),
            first=JAN,
            last=MAR,
            contribution=contribution,
        )


def test_bill_table_of_nothing_is_empty(contribution: Contribution) -> None:
    table = bill_table(_as_table([]), first=JAN, last=MAR, contribution=contribution)
    assert table.num_rows == 0
    assert table.column_names == ["key", "month", "jkk", "jkm"]


def test_month_add_crosses_years_both_ways() -> None:
    from payung.engine.billing import month_add

    assert month_add(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert month_add(date(2026, 1, 15), -1) == date(2025, 12, 1)
    assert month_add(date(2028, 2, 29), 0) == date(2028, 2, 1)
    assert month_add(date(2026, 3, 1), 12) == date(2027, 3, 1)
