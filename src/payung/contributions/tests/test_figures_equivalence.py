"""The year's figures computed the fast way (issue 14: the semester report for 100 000
participants in under 10 s) say exactly what the first, line-by-line algorithm said.

``_lapse_warnings_by_line``, ``_expected_by_line_by_line`` and ``_assignment_by_line`` below
are the algorithms as first written (every participant-month of the year through
``bill_compute``), kept here as the reference. Each seed builds a small random year:
periods starting and ending mid-month, participants ended and replaced, some back in after
a gap, bills with short lines and corrections, one or two funding sources, fully and partly paid
bills; then every month's lapse warning, the forecast's expected sums and the source
assignment are compared with the reference.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest

from payung.contributions import selectors
from payung.contributions.models import BillLine, Payment
from payung.contributions.selectors import LAPSE_AFTER_MONTHS, BillRow, LapseWarning
from payung.contributions.tests.factories import (
    COST_PER_PERSON,
    JKK,
    JKM,
    CoveragePeriodFactory,
    bill_made,
    contribution_year,
    participants_add,
)
from payung.engine import bill_compute, month_add
from payung.participants.models import CoveragePeriod, EndReason
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.selectors import programme_year_policy

pytestmark = pytest.mark.django_db

YEAR = 2026
MONTHS = [date(YEAR, m, 1) for m in range(1, 13)]


# --- the reference: the first algorithms, line by line ---------------------------------------


def _lapse_warnings_by_line(
    *, programme_year: ProgrammeYear, today: date, bills: Sequence[BillRow]
) -> list[LapseWarning]:
    year = programme_year.year
    this_month = today.replace(day=1)
    if this_month < date(year, 1, 1):
        return []
    last = min(this_month, date(year, 12, 1))
    policy = programme_year_policy(programme_year=programme_year)
    due = bill_compute(
        coverages=selectors.coverages_of_year(programme_year=programme_year),
        first=date(year, 1, 1),
        last=last,
        contribution=policy.contribution,
    )
    settled = [row.bill.pk for row in bills if row.settled]
    paid: dict[tuple[int, date], int] = defaultdict(int)
    for candidate_id, month, jkk, jkm in BillLine.objects.filter(bill_id__in=settled).values_list(
        "candidate_id", "month", "jkk", "jkm"
    ):
        paid[(candidate_id, month)] += jkk + jkm
    unpaid: dict[int, set[date]] = defaultdict(set)
    covered_now: set[int] = set()
    for line in due:
        key = int(line.key)
        if line.month == last:
            covered_now.add(key)
        if paid.get((key, line.month), 0) < line.total:
            unpaid[key].add(line.month)
    streaks: dict[int, list[date]] = defaultdict(list)
    for key in covered_now:
        streak, month = 0, last
        while month in unpaid[key]:
            streak += 1
            month = month_add(month, -1)
        if streak >= LAPSE_AFTER_MONTHS:
            streaks[streak].append(month_add(month, 1))
    return [
        LapseWarning(
            streak=streak,
            participants=len(starts),
            first_unpaid=min(starts),
            lapsed=streak > LAPSE_AFTER_MONTHS,
        )
        for streak, starts in sorted(streaks.items(), reverse=True)
    ]


def _cost_by_line(programme_year: ProgrammeYear, counted: set[date] | None) -> dict[int, int]:
    policy = programme_year_policy(programme_year=programme_year)
    cost: dict[int, int] = defaultdict(int)
    for line in bill_compute(
        coverages=selectors.coverages_of_year(programme_year=programme_year),
        first=date(YEAR, 1, 1),
        last=date(YEAR, 12, 1),
        contribution=policy.contribution,
    ):
        if counted is None or line.month in counted:
            cost[int(line.key)] += line.total
    return dict(cost)


def _assignment_by_line(
    programme_year: ProgrammeYear, keys: set[str], lines: Sequence[BudgetLine]
) -> dict[int, int]:
    from payung.participants.models import Candidate

    stored = {
        c: min(ls)
        for c, ls in _group(
            BillLine.objects.filter(bill__programme_year=programme_year).values_list(
                "candidate_id", "budget_line_id"
            )
        ).items()
    }
    new = {int(k) for k in keys} - set(stored)
    if not new:
        return stored
    cost = _cost_by_line(programme_year, None)
    load = {b.pk: 0 for b in lines}
    for candidate_id, line_id in stored.items():
        load[line_id] = load.get(line_id, 0) + cost.get(candidate_id, 0)
    ranks = dict(Candidate.objects.filter(pk__in=new).values_list("pk", "rank"))
    assigned = dict(stored)
    for candidate_id in sorted(new, key=lambda pk: (ranks.get(pk, 0), pk)):
        need = cost.get(candidate_id, 0)
        fitting = [b for b in lines if load[b.pk] + need <= b.amount]
        chosen = fitting[0] if fitting else max(lines, key=lambda b: (b.amount - load[b.pk], -b.pk))
        load[chosen.pk] += need
        assigned[candidate_id] = chosen.pk
    return assigned


def _group(pairs: Any) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for key, value in pairs:
        out[key].append(value)
    return out


def _expected_by_line_by_line(
    programme_year: ProgrammeYear, lines: Sequence[BudgetLine], counted: set[date]
) -> dict[int, int]:
    expected = _cost_by_line(programme_year, counted)
    charged = _assignment_by_line(programme_year, {str(k) for k in expected}, lines)
    by_line: dict[int, int] = defaultdict(int)
    for candidate_id, amount in expected.items():
        by_line[charged.get(candidate_id, lines[0].pk)] += amount
    return dict(by_line)


# --- a random small year ---------------------------------------------------------------------


def _day_in(rng: random.Random, month: date) -> date:
    return month + timedelta(days=rng.randrange(28))


def _random_year(seed: int, actor: Any) -> ProgrammeYear:
    rng = random.Random(seed)
    n = 24
    # Two funding sources for even seeds (who is charged where matters), APBD alone for odd.
    sources = [
        (BudgetLine.Source.APBD, rng.randint(n // 3, n) * COST_PER_PERSON // 2),
        (BudgetLine.Source.OTHER, rng.randint(1, n) * COST_PER_PERSON // 2),
    ]
    year, proposal = contribution_year(pagu=sources if seed % 2 == 0 else sources[:1])
    periods: list[tuple[date | None, date | None]] = []
    for _ in range(n):
        start = _day_in(rng, rng.choice(MONTHS[:8]))
        end = None
        if rng.random() < 0.35:  # ended mid-month, or on a month's first or last day
            end = start + timedelta(days=rng.choice([0, 1, 30, rng.randrange(20, 200)]))
        periods.append((start, end))
    candidates = participants_add(proposal=proposal, periods=periods)
    # Some ended participants come back in after a gap (a second coverage period), and some
    # are replaced by a newcomer from the month after their end.
    replacements: list[tuple[date | None, date | None]] = []
    for candidate, (_start, end) in zip(candidates, periods, strict=True):
        if end is None or end.year != YEAR:
            continue
        if rng.random() < 0.4:
            back = end + timedelta(days=rng.choice([1, 2, 35, 70]))
            if back.year == YEAR:
                CoveragePeriodFactory(
                    candidate=candidate,
                    start=back,
                    end=None if rng.random() < 0.6 else back + timedelta(days=40),
                    end_reason="",
                )
        elif rng.random() < 0.6 and end.month < 12:
            replacements.append((month_add(end, 1) + timedelta(days=3), None))
    candidates += participants_add(proposal=proposal, periods=replacements)
    # Bills: each month to some month, mostly whole, some lines short, some corrections.
    billed_to = rng.randrange(0, 11)
    for month in MONTHS[: billed_to + 1]:
        lines = []
        for candidate in candidates:
            if rng.random() < 0.85:
                jkk = JKK if rng.random() < 0.9 else JKK // 2
                lines.append((candidate, month, jkk, JKM))
        corrections = []
        for candidate in rng.sample(candidates, k=3):
            earlier = rng.choice(MONTHS[: month.month])
            corrections.append((candidate, earlier, rng.choice([-JKK, JKK, 1_000]), 0))
        bill = bill_made(programme_year=year, issued_by=actor, lines=lines, corrections=corrections)
        roll = rng.random()
        if roll < 0.6:  # fully paid (settled)
            amounts = [bill.total]
        elif roll < 0.8:  # partly paid: not settled
            amounts = [bill.total // 2]
        else:
            amounts = []
        for i, amount in enumerate(amounts, start=1):
            Payment.objects.create(
                bill=bill,
                sp2d_number=f"SP2D/{bill.pk}/{i}",
                paid_on=bill.due_on,
                amount=amount,
                status=Payment.Status.CONFIRMED,
                recorded_by=actor,
            )
    # A late end recorded on a participant already billed (corrections are due for it).
    late_end = date(YEAR, rng.randrange(2, 12), 10)
    open_periods = CoveragePeriod.objects.filter(
        candidate__in=candidates, end__isnull=True, start__lte=late_end
    ).order_by("pk")
    open_periods.filter(pk__in=list(open_periods.values_list("pk", flat=True)[:2])).update(
        end=late_end, end_reason=EndReason.MENINGGAL
    )
    return year


@pytest.mark.parametrize("seed", range(8))
def test_lapse_warnings_match_the_line_by_line_algorithm(
    seed: int, bendahara_disnaker: Any
) -> None:
    year = _random_year(seed, bendahara_disnaker)
    bills = selectors.bill_list(programme_year=year)
    days = [date(YEAR - 1, 12, 20), *(_day_in(random.Random(seed), m) for m in MONTHS)]
    found_any = False
    for today in [*days, date(YEAR + 1, 2, 1)]:
        expected = _lapse_warnings_by_line(programme_year=year, today=today, bills=bills)
        assert selectors.lapse_warnings(programme_year=year, today=today, bills=bills) == expected
        assert selectors.lapse_warnings(programme_year=year, today=today) == expected
        found_any = found_any or bool(expected)
    # The comparison means something only when some streaks were found.
    assert found_any


@pytest.mark.parametrize("seed", range(8))
def test_the_forecast_matches_the_line_by_line_algorithm(
    seed: int, bendahara_disnaker: Any
) -> None:
    year = _random_year(seed, bendahara_disnaker)
    lines = selectors.budget_lines_ordered(programme_year=year)
    rng = random.Random(seed)
    for counted in [set(MONTHS), set(MONTHS[6:]), set(rng.sample(MONTHS, k=4)), set()]:
        expected = _expected_by_line_by_line(year, lines, counted)
        assert (
            selectors._expected_by_line(programme_year=year, lines=lines, counted=counted)
            == expected
        )
    # Participants not billed yet are assigned a source by their year's cost.
    policy = programme_year_policy(programme_year=year)
    coverages = selectors.coverages_of_year(programme_year=year)
    keys = {c.key for c in coverages}
    assert selectors.budget_line_assignment(
        programme_year=year, policy=policy, coverages=coverages, keys=keys, lines=lines
    ) == _assignment_by_line(year, keys, lines)
