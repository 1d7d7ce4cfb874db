"""Reads of the contributions stage: the next period, realisation and forecast, deadlines,
the lapse warning and the January warning. ``today`` is always an argument here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from payung.contributions import selectors
from payung.contributions.models import Bill, Payment
from payung.contributions.services import bill_issue
from payung.contributions.tests.factories import MONTHLY, contribution_year, participants_add
from payung.participants.models import CoveragePeriod
from payung.programmes.models import BudgetLine, CooperationAgreement

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR, MAY = (date(2026, m, 1) for m in (1, 2, 3, 4, 5))


def issue(year: Any, first: date, last: date, actor: Any) -> Bill:
    return bill_issue(programme_year=year, first_month=first, last_month=last, actor=actor)


def pay(bill: Bill, amount: int, actor: Any, *, n: int = 1, **kwargs: Any) -> Payment:
    return Payment.objects.create(
        bill=bill,
        sp2d_number=f"35.19/04.0/{bill.pk:04d}{n:02d}/LS/2026",
        paid_on=bill.due_on,
        amount=amount,
        status=Payment.Status.CONFIRMED,
        recorded_by=actor,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("period", "billed", "expected"),
    [
        (CooperationAgreement.BillingPeriod.MONTHLY, [], (JAN, JAN)),
        (CooperationAgreement.BillingPeriod.QUARTERLY, [], (JAN, MAR)),
        (CooperationAgreement.BillingPeriod.QUARTERLY, [(JAN, FEB)], (MAR, MAR)),
        (
            CooperationAgreement.BillingPeriod.SEMIANNUAL,
            [(JAN, date(2026, 6, 1))],
            (date(2026, 7, 1), date(2026, 12, 1)),
        ),
        (CooperationAgreement.BillingPeriod.ANNUAL, [], (JAN, date(2026, 12, 1))),
    ],
)
def test_the_form_proposes_the_next_unbilled_period_of_the_pks(
    bendahara_disnaker: Any, period: str, billed: list[tuple[date, date]], expected: Any
) -> None:
    year, proposal = contribution_year(billing_period=period)
    participants_add(proposal=proposal, periods=[(JAN, None)])
    for first, last in billed:
        issue(year, first, last, bendahara_disnaker)
    assert selectors.bill_period_next(programme_year=year) == expected


def test_without_a_pks_bills_are_monthly_from_january() -> None:
    year, _proposal = contribution_year(billing_period=None)
    assert selectors.bill_period_next(programme_year=year) == (JAN, JAN)


def test_realisation_counts_committed_paid_and_the_months_left_per_participant(
    bendahara_disnaker: Any,
) -> None:
    pagu = 100 * 12 * MONTHLY
    year, proposal = contribution_year(pagu=pagu)
    participants_add(
        proposal=proposal,
        periods=[
            (JAN, None),  # covered to December
            (JAN, date(2026, 6, 10)),  # ended in June: forecast April..June only
            (date(2026, 5, 20), None),  # starts in May
        ],
    )
    bill = issue(year, JAN, MAR, bendahara_disnaker)
    assert bill.total == 6 * MONTHLY
    pay(bill, 4 * MONTHLY, bendahara_disnaker)
    result = selectors.realisation(programme_year=year)
    (row,) = result.rows
    assert row.pagu == pagu
    assert row.committed == 6 * MONTHLY
    assert row.paid == 4 * MONTHLY
    assert row.remaining == pagu - 6 * MONTHLY
    # April..December 9 + April..June 3 + May..December 8: not a flat 12 each.
    assert row.forecast == (9 + 3 + 8) * MONTHLY
    assert row.projected_remaining == pagu - 26 * MONTHLY
    assert result.forecast_from == APR
    assert result.total.forecast == row.forecast


def test_the_forecast_includes_corrections_already_due(bendahara_disnaker: Any) -> None:
    year, proposal = contribution_year()
    (first,) = participants_add(proposal=proposal, periods=[(JAN, None)])
    issue(year, JAN, MAR, bendahara_disnaker)
    CoveragePeriod.objects.filter(candidate=first).update(end=date(2026, 1, 31))
    (row,) = selectors.realisation(programme_year=year).rows
    # February and March will be taken back; nothing is left to bill after March.
    assert row.forecast == -2 * MONTHLY
    assert row.projected == MONTHLY


def test_payments_without_a_source_are_spread_over_the_bills_sources(
    bendahara_disnaker: Any,
) -> None:
    year_cost = 12 * MONTHLY
    year, proposal = contribution_year(
        pagu=[(BudgetLine.Source.APBD, year_cost), (BudgetLine.Source.OTHER, 3 * year_cost)]
    )
    participants_add(proposal=proposal, periods=[(JAN, None)] * 3)
    bill = issue(year, JAN, JAN, bendahara_disnaker)
    pay(bill, 2 * MONTHLY, bendahara_disnaker)
    apbd, other = selectors.realisation(programme_year=year).rows
    assert (apbd.label, apbd.committed, apbd.paid) == ("APBD Kabupaten", MONTHLY, MONTHLY)
    assert (other.committed, other.paid) == (2 * MONTHLY, MONTHLY)


def test_deadlines_list_unpaid_and_partly_paid_bills_with_days_left(
    bendahara_disnaker: Any,
) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)] * 2)
    january = issue(year, JAN, JAN, bendahara_disnaker)
    february = issue(year, FEB, FEB, bendahara_disnaker)
    march = issue(year, MAR, MAR, bendahara_disnaker)
    pay(january, 2 * MONTHLY, bendahara_disnaker)
    pay(february, MONTHLY, bendahara_disnaker, remainder_due_on=date(2026, 2, 28))
    found = selectors.deadlines(programme_year=year, today=date(2026, 3, 1))
    assert [(d.bill.pk, d.outstanding, d.due_on, d.days_left) for d in found] == [
        (february.pk, MONTHLY, date(2026, 2, 28), -1),
        (march.pk, 2 * MONTHLY, date(2026, 3, 15), 14),
    ]
    assert found[0].overdue and not found[1].overdue


def test_the_lapse_warning_comes_at_the_third_consecutive_unpaid_month(
    bendahara_disnaker: Any,
) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)] * 2)
    late_start = MAR
    participants_add(proposal=proposal, periods=[(late_start, None)])
    january = issue(year, JAN, JAN, bendahara_disnaker)
    pay(january, january.total, bendahara_disnaker)
    issue(year, FEB, FEB, bendahara_disnaker)
    # On 20 March: February and March unpaid, two months in a row: no warning yet.
    assert selectors.lapse_warnings(programme_year=year, today=date(2026, 3, 20)) == []
    # In April the two January starters reach three unpaid months; the March starter two.
    (warning,) = selectors.lapse_warnings(programme_year=year, today=date(2026, 4, 2))
    assert (warning.streak, warning.participants, warning.first_unpaid) == (3, 2, FEB)
    assert not warning.lapsed
    # In May: four months, more than BPJS allows; the March starter now at three.
    lapsed, close = selectors.lapse_warnings(programme_year=year, today=date(2026, 5, 2))
    assert (lapsed.streak, lapsed.participants, lapsed.lapsed) == (4, 2, True)
    assert (close.streak, close.participants, close.first_unpaid) == (3, 1, late_start)


def test_a_paid_month_breaks_the_streak(bendahara_disnaker: Any) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)])
    issue(year, JAN, JAN, bendahara_disnaker)
    issue(year, FEB, FEB, bendahara_disnaker)
    march = issue(year, MAR, MAR, bendahara_disnaker)
    pay(march, march.total, bendahara_disnaker)
    issue(year, APR, APR, bendahara_disnaker)
    assert selectors.lapse_warnings(programme_year=year, today=date(2026, 5, 5)) == []


@pytest.mark.parametrize(
    ("today", "warned"),
    [(date(2026, 10, 31), False), (date(2026, 11, 1), True), (date(2027, 11, 1), False)],
)
def test_in_november_the_treasurer_is_told_to_prepare_january(today: date, warned: bool) -> None:
    year, _proposal = contribution_year()
    tasks = selectors.year_tasks(
        programme_year=year, today=today, next_period=None, due=[], lapses=[]
    )
    texts = " ".join(t.text for t in tasks)
    assert ("Januari 2027" in texts) is warned


def test_tasks_word_deadlines_and_lapses(bendahara_disnaker: Any) -> None:
    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)] * 2)
    issue(year, JAN, JAN, bendahara_disnaker)
    overview = selectors.year_overview(programme_year=year, today=date(2026, 3, 20))
    texts = [t.text for t in overview.tasks]
    assert any(
        "Tagihan 1 (Januari 2026): Rp33.600 belum dibayar" in t and "15 Januari 2026" in t
        for t in texts
    )
    assert any("3 bulan berturut-turut sejak Januari 2026" in t for t in texts)
    assert any("Terbitkan tagihan iuran Februari 2026" in t for t in texts)


def test_the_kept_year_figures_follow_payments_and_new_participants(
    bendahara_disnaker: Any,
) -> None:
    """The year page keeps its whole-year figures (issue 9: 200 ms with 50 000 persons);
    a payment or a participant added shows at once, as a fresh count would."""
    from django.core.cache import caches

    from payung.core.worklist import SHARED_CACHE

    year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)] * 2)
    bills = [issue(year, month, month, bendahara_disnaker) for month in (JAN, FEB, MAR)]
    today = date(2026, 3, 20)

    def kept_and_fresh() -> tuple[Any, Any]:
        kept = selectors.year_overview(programme_year=year, today=today)
        caches[SHARED_CACHE].clear()
        fresh = selectors.year_overview(programme_year=year, today=today)
        return (kept.lapses, kept.realisation), (fresh.lapses, fresh.realisation)

    (lapses, realisation), fresh = kept_and_fresh()
    assert (lapses, realisation) == fresh
    assert [w.participants for w in lapses] == [2]
    for bill in bills:
        pay(bill, bill.total, bendahara_disnaker, n=bill.number)
    (lapses, realisation), fresh = kept_and_fresh()
    assert (lapses, realisation) == fresh
    assert lapses == [] and realisation.total.paid == 3 * 2 * MONTHLY
    before = realisation.total.forecast
    participants_add(proposal=proposal, periods=[(APR, None)])
    (lapses, realisation), fresh = kept_and_fresh()
    assert (lapses, realisation) == fresh
    assert realisation.total.forecast == before + 9 * MONTHLY
