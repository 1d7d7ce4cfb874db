"""``bill_issue``: the lines of a billing period, corrections of earlier months, refusals,
the funding source of each line (Pasal 9, 13)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.audit.models import AuditEntry
from payung.contributions.models import Bill, BillLine
from payung.contributions.services import bill_issue
from payung.contributions.tests.factories import (
    JKK,
    JKM,
    MONTHLY,
    contribution_year,
    participants_add,
)
from payung.participants.models import CoveragePeriod
from payung.programmes.models import BudgetLine

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))


def issue(year: Any, first: date, last: date, actor: Any) -> Bill:
    return bill_issue(programme_year=year, first_month=first, last_month=last, actor=actor)


def net_by_month(year: Any) -> dict[tuple[int, date], int]:
    out: dict[tuple[int, date], int] = defaultdict(int)
    for candidate_id, month, jkk, jkm in BillLine.objects.filter(
        bill__programme_year=year
    ).values_list("candidate_id", "month", "jkk", "jkm"):
        out[(candidate_id, month)] += jkk + jkm
    return dict(out)


def test_a_bill_has_one_line_per_participant_and_covered_month(bendahara_disnaker: Any) -> None:
    year, proposal = contribution_year()
    a, b, c = participants_add(
        proposal=proposal,
        # From the first day, from the last day of February, ended on 1 February.
        periods=[(JAN, None), (date(2026, 2, 28), None), (JAN, date(2026, 2, 1))],
    )
    bill = issue(year, JAN, MAR, bendahara_disnaker)
    months = defaultdict(list)
    for line in bill.lines.all():
        assert (line.jkk, line.jkm, line.correction) == (JKK, JKM, False)
        months[line.candidate_id].append(line.month)
    assert months == {a.pk: [JAN, FEB, MAR], b.pk: [FEB, MAR], c.pk: [JAN, FEB]}
    assert bill.total == 7 * MONTHLY
    assert bill.participant_count == 3
    assert bill.due_on == date(2026, 1, 15)
    assert bill.number == 1
    entry = AuditEntry.objects.filter(action="bill_issue").get()
    assert entry.detail["total"] == 7 * MONTHLY
    assert entry.detail["lines"] == 7


def test_a_late_replacement_is_billed_as_a_correction_naming_its_month(
    bendahara_disnaker: Any,
) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None), (JAN, None)])
    issue(year, JAN, JAN, bendahara_disnaker)
    # Registered after the January bill, covered from 20 January.
    (late,) = participants_add(proposal=proposal, periods=[(date(2026, 1, 20), None)])
    second = issue(year, FEB, FEB, bendahara_disnaker)
    corrections = list(second.lines.filter(correction=True).values_list("candidate_id", "month"))
    assert corrections == [(late.pk, JAN)]
    assert second.lines.filter(candidate=late, correction=False).get().month == FEB
    assert second.total == 3 * MONTHLY + MONTHLY
    assert second.participant_count == 3


def test_an_end_recorded_after_issue_takes_back_the_months_after_it(
    bendahara_disnaker: Any,
) -> None:
    year, proposal = contribution_year()
    first, _second = participants_add(proposal=proposal, periods=[(JAN, None), (JAN, None)])
    issue(year, JAN, MAR, bendahara_disnaker)
    # Died on 15 February, recorded in April: February is still covered, March is not.
    CoveragePeriod.objects.filter(candidate=first).update(end=date(2026, 2, 15))
    april = issue(year, APR, APR, bendahara_disnaker)
    taken_back = list(
        april.lines.filter(correction=True).values_list("candidate_id", "month", "jkk", "jkm")
    )
    assert taken_back == [(first.pk, MAR, -JKK, -JKM)]
    assert april.total == MONTHLY - MONTHLY  # one participant in April, one month back
    assert not april.lines.filter(candidate=first, correction=False).exists()


def test_no_month_is_billed_twice_across_bills_and_corrections(bendahara_disnaker: Any) -> None:
    year, proposal = contribution_year()
    a, b = participants_add(proposal=proposal, periods=[(JAN, None), (date(2026, 2, 10), None)])
    issue(year, JAN, FEB, bendahara_disnaker)
    CoveragePeriod.objects.filter(candidate=b).update(end=date(2026, 2, 12))
    (c,) = participants_add(proposal=proposal, periods=[(date(2026, 1, 31), None)])
    issue(year, MAR, MAR, bendahara_disnaker)
    issue(year, APR, APR, bendahara_disnaker)  # nothing changed since: no new correction
    net = net_by_month(year)
    assert net == {
        (a.pk, JAN): MONTHLY,
        (a.pk, FEB): MONTHLY,
        (a.pk, MAR): MONTHLY,
        (a.pk, APR): MONTHLY,
        (b.pk, FEB): MONTHLY,
        (c.pk, JAN): MONTHLY,
        (c.pk, FEB): MONTHLY,
        (c.pk, MAR): MONTHLY,
        (c.pk, APR): MONTHLY,
    }
    assert not Bill.objects.get(programme_year=year, number=3).lines.filter(correction=True)


def test_a_period_already_billed_is_refused(bendahara_disnaker: Any) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)])
    issue(year, JAN, MAR, bendahara_disnaker)
    with pytest.raises(ValidationError) as refused:
        issue(year, MAR, APR, bendahara_disnaker)
    assert "Tagihan 1 (Januari–Maret 2026)" in " ".join(refused.value.messages)
    assert Bill.objects.filter(programme_year=year).count() == 1


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (MAR, FEB, "order"),
        (date(2025, 12, 1), JAN, "outside_year"),
        (date(2026, 12, 1), date(2027, 1, 1), "outside_year"),
    ],
)
def test_a_period_outside_the_year_or_backwards_is_refused(
    bendahara_disnaker: Any, first: date, last: date, code: str
) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)])
    with pytest.raises(ValidationError) as refused:
        issue(year, first, last, bendahara_disnaker)
    assert refused.value.code == code


def test_a_period_with_nobody_covered_is_refused(bendahara_disnaker: Any) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(APR, None)])
    with pytest.raises(ValidationError) as refused:
        issue(year, JAN, JAN, bendahara_disnaker)
    assert refused.value.code == "empty"


def test_only_the_bendahara_issues_bills(operator_disnaker: Any, auditor_inspektorat: Any) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)])
    for someone in (operator_disnaker, auditor_inspektorat):
        with pytest.raises(PermissionDenied):
            issue(year, JAN, JAN, someone)
    assert not Bill.objects.exists()


def test_participants_fill_the_funding_sources_in_rank_order(bendahara_disnaker: Any) -> None:
    """APBD first, each source up to its pagu for the year's cover; a participant keeps the
    source of their first bill for the rest of the year."""
    year_cost = 12 * MONTHLY
    year, proposal = contribution_year(
        pagu=[
            (BudgetLine.Source.OTHER, 5 * year_cost),
            (BudgetLine.Source.APBD, 2 * year_cost + year_cost // 2),
        ]
    )
    people = participants_add(proposal=proposal, periods=[(JAN, None)] * 4)
    bill = issue(year, JAN, JAN, bendahara_disnaker)
    source = dict(bill.lines.values_list("candidate__rank", "budget_line__source"))
    ranks = [p.rank for p in people]
    assert [source[r] for r in ranks] == ["apbd", "apbd", "lainnya", "lainnya"]
    # The first ends: its APBD room is not given to someone already charged elsewhere.
    CoveragePeriod.objects.filter(candidate=people[0]).update(end=date(2026, 1, 31))
    february = issue(year, FEB, FEB, bendahara_disnaker)
    later = dict(february.lines.values_list("candidate__rank", "budget_line__source"))
    assert later == {ranks[1]: "apbd", ranks[2]: "lainnya", ranks[3]: "lainnya"}


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    starts=st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28)), min_size=1, max_size=4),
    sizes=st.lists(st.integers(1, 3), min_size=1, max_size=5),
    ends=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 12), st.integers(1, 28))),
)
def test_after_every_bill_each_billed_month_is_paid_exactly_once(
    bendahara_disnaker: Any,
    starts: list[tuple[int, int]],
    sizes: list[int],
    ends: list[tuple[int, int, int]],
) -> None:
    """Whatever is recorded between bills, the lines of all bills together (corrections
    included) bill each participant's covered month once and nothing else."""
    with transaction.atomic():
        year, proposal = contribution_year()
        people = participants_add(
            proposal=proposal, periods=[(date(2026, m, d), None) for m, d in starts]
        )
        month = 1
        for step, size in enumerate(sizes):
            if month > 12:
                break
            for who, end_month, end_day in ends:
                if who < len(people) and (step + who) % 2:  # some ends, between some bills
                    period = CoveragePeriod.objects.get(candidate=people[who])
                    end = date(2026, end_month, end_day)
                    if end >= period.start and period.end is None:
                        period.end = end
                        period.save()
            last = min(month + size - 1, 12)
            try:
                issue(year, date(2026, month, 1), date(2026, last, 1), bendahara_disnaker)
            except ValidationError as refused:
                assert refused.code == "empty"
            month = last + 1
        billed_through = date(2026, month - 1, 1) if month > 1 else None
        net = net_by_month(year)
        assert all(0 <= amount <= MONTHLY for amount in net.values())
        for person in people:
            period = CoveragePeriod.objects.get(candidate=person)
            for m in range(1, 13):
                day = date(2026, m, 1)
                due = (
                    billed_through is not None
                    and day <= billed_through
                    and period.start.replace(day=1) <= day
                    and (period.end is None or day <= period.end)
                    and Bill.objects.filter(
                        programme_year=year, first_month__lte=day, last_month__gte=day
                    ).exists()
                )
                # Every change came before the last bill, which settled the months before it.
                assert net.get((person.pk, day), 0) == (MONTHLY if due else 0)
        transaction.set_rollback(True)
