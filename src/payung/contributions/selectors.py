"""Reads of the contributions stage (Pasal 9, 13): what to bill next, the bills, which funding
source pays for whom, the budget realisation and forecast, deadlines and the lapse warning.

Pages, documents and the bill service call these, so the arithmetic a treasurer sees is the
arithmetic the bill was made with. Every figure is integer rupiah and comes from the billing
rule of ``payung.engine`` (``bill_compute``) over the coverage periods; time is an argument
(``today``), never read here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.db.models import Count, Max, Min, Q, Sum
from django.utils.translation import gettext as _

from payung.contributions.models import Bill, BillLine, Payment
from payung.core.formatting import angka, tanggal
from payung.core.worklist import Task as WorkItem
from payung.core.worklist import worklist_memo
from payung.domain.calendar import MONTHS
from payung.domain.money import rupiah
from payung.domain.policy import Policy
from payung.engine import BillLine as LineValue
from payung.engine import (
    Coverage,
    bill_compute,
    bill_corrections,
    bill_month_totals,
    bill_totals,
    covered_since,
    month_add,
)
from payung.participants.models import Candidate, CoveragePeriod
from payung.participants.selectors import lifecycle_version
from payung.programmes.models import BudgetLine, CooperationAgreement, ProgrammeYear
from payung.programmes.selectors import cooperation_agreement_get, programme_year_policy

#: Months per billing period agreed in the PKS (Pasal 9 ayat (3)); monthly without a PKS.
PERIOD_MONTHS: Final[dict[str, int]] = {
    CooperationAgreement.BillingPeriod.MONTHLY: 1,
    CooperationAgreement.BillingPeriod.QUARTERLY: 3,
    CooperationAgreement.BillingPeriod.SEMIANNUAL: 6,
    CooperationAgreement.BillingPeriod.ANNUAL: 12,
}
#: The document kind of a bill's payment request letter.
LETTER_KIND: Final = "permohonan_iuran"
#: BPU contributions are due by this day of the covered month itself (paid in advance).
DUE_DAY: Final = 15
#: BPJS ends membership after more than this many consecutive unpaid months.
LAPSE_AFTER_MONTHS: Final = 3
#: From this month on, the treasurer is reminded to prepare January's payment of the next
#: fiscal year (a new budget, SP2D often late).
JANUARY_WARNING_MONTH: Final = 11


# --- months --------------------------------------------------------------------------------


def month_first(day: date) -> date:
    return day.replace(day=1)


def month_label(month: date) -> str:
    """``Januari 2026``."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def period_label(first: date, last: date) -> str:
    """``Januari 2026`` or ``Januari–Maret 2026`` (``Desember 2026–Januari 2027``)."""
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{MONTHS[first.month - 1]}–{month_label(last)}"
    return f"{month_label(first)}–{month_label(last)}"


def months_between(first: date, last: date) -> list[date]:
    out, month = [], month_first(first)
    while month <= last:
        out.append(month)
        month = month_add(month, 1)
    return out


def bill_due_on(first_month: date) -> date:
    """The 15th of the bill's first month: BPU contributions are due by the 15th of the
    covered month itself (issue 11), so a bill for several months is due when its first
    month's contribution is."""
    return first_month.replace(day=DUE_DAY)


# --- what to bill ----------------------------------------------------------------------------


def billing_period_months(
    *, programme_year: ProgrammeYear, agreement: CooperationAgreement | None = None
) -> int:
    """Months per bill: the PKS's billing period (Pasal 9 ayat (3)), monthly without one."""
    if agreement is None:
        agreement = cooperation_agreement_get(programme_year=programme_year)
    if agreement is None:
        return 1
    return PERIOD_MONTHS.get(agreement.billing_period, 1)


def billed_month_set(*, programme_year: ProgrammeYear) -> set[date]:
    """Every month some bill of the year covers (its period, whether or not it has lines)."""
    months: set[date] = set()
    for first, last in Bill.objects.filter(programme_year=programme_year).values_list(
        "first_month", "last_month"
    ):
        months.update(months_between(first, last))
    return months


def bill_period_next(
    *, programme_year: ProgrammeYear, agreement: CooperationAgreement | None = None
) -> tuple[date, date] | None:
    """The period the bill form proposes: from the first unbilled month of the year (not
    before the PKS's agreed cover start) to the end of the billing period that month falls
    in (a quarter ends in March, June, September or December; a semester in June or
    December), stopping before the next billed month. None when the whole year is billed."""
    year = programme_year.year
    start = date(year, 1, 1)
    if agreement is None:
        agreement = cooperation_agreement_get(programme_year=programme_year)
    if agreement is not None and agreement.coverage_start.year == year:
        start = month_first(agreement.coverage_start)
    billed = billed_month_set(programme_year=programme_year)
    later = [m for m in months_between(start, date(year, 12, 1)) if m not in billed]
    if billed:
        after = month_add(max(billed), 1)
        later = [m for m in later if m >= after] or later
    if not later:
        return None
    first = later[0]
    size = billing_period_months(programme_year=programme_year, agreement=agreement)
    # The period the first month falls in, counted from January (calendar quarters).
    end_month = ((first.month - 1) // size + 1) * size
    last = date(year, min(end_month, 12), 1)
    for month in months_between(first, last):
        if month in billed:
            last = month_add(month, -1)
            break
    return first, last


def bill_overlapping(*, programme_year: ProgrammeYear, first: date, last: date) -> Bill | None:
    """The first bill of the year whose months overlap ``first``..``last``, or None."""
    return (
        Bill.objects.filter(
            programme_year=programme_year, first_month__lte=last, last_month__gte=first
        )
        .order_by("number")
        .first()
    )


# --- coverage and funding sources ------------------------------------------------------------


def coverages_of_year(*, programme_year: ProgrammeYear) -> list[Coverage]:
    """Every coverage period of the year's participants, keyed by candidate id."""
    rows = (
        CoveragePeriod.objects.filter(candidate__proposal__programme_year=programme_year)
        .order_by("candidate_id", "start")
        .values_list("candidate_id", "start", "end")
    )
    return [Coverage(key=str(pk), start=start, end=end) for pk, start, end in rows]


#: Programme year id -> (lifecycle version, its coverages): the last read, in this process.
_COVERAGES_KEPT: dict[int, tuple[tuple[object, ...], list[Coverage]]] = {}


def _coverages_kept(*, programme_year: ProgrammeYear) -> list[Coverage]:
    """``coverages_of_year`` read once per lifecycle change (``lifecycle_version``: every
    transition writes an event) and shared by the kept figures that read the whole year's
    coverage, the forecast and the lapse warning: with 100 000 participants the read alone
    costs about a second (issue 14: the semester report in under 10 s). The same version the
    kept figures already trust; only the newest read per year is held."""
    version = lifecycle_version(programme_year=programme_year)
    kept = _COVERAGES_KEPT.get(programme_year.pk)
    if kept is None or kept[0] != version:
        kept = (version, coverages_of_year(programme_year=programme_year))
        _COVERAGES_KEPT[programme_year.pk] = kept
    return kept[1]


def budget_lines_ordered(*, programme_year: ProgrammeYear) -> list[BudgetLine]:
    """The year's funding sources in charging order: APBD first (Pasal 13 huruf a), then the
    other lawful sources (huruf b)."""
    lines = list(BudgetLine.objects.filter(programme_year=programme_year))
    return sorted(lines, key=lambda b: (b.source != BudgetLine.Source.APBD, b.source, b.pk))


def budget_line_assignment(
    *,
    programme_year: ProgrammeYear,
    policy: Policy,
    coverages: Sequence[Coverage],
    keys: Iterable[str] = (),
    lines: Sequence[BudgetLine] | None = None,
) -> dict[int, int]:
    """Candidate id -> budget line id charged for them, for every candidate already billed
    and for ``keys`` (candidate ids as text) not billed yet.

    The rule (issue 11: one participant, one budget line): a participant keeps the source of
    their first bill line for the whole year, corrections included. A participant billed for
    the first time goes, in rank order, to the first source (APBD first) whose pagu still
    holds their cost for the year's cover (``bill_compute`` from January to December over
    their coverage periods), the participants already charged to it counted for theirs; when
    no source holds them, to the source with most room left (the pagu guard keeps that from
    happening when people are added).
    """
    if lines is None:
        lines = budget_lines_ordered(programme_year=programme_year)
    if not lines:
        return {}
    # Every line of a candidate carries the same source (this rule); one row per candidate.
    stored = dict(
        BillLine.objects.filter(bill__programme_year=programme_year)
        .values("candidate_id")
        .annotate(line=Min("budget_line_id"))
        .order_by("candidate_id")
        .values_list("candidate_id", "line")
    )
    new = {int(k) for k in keys} - set(stored)
    if not new:
        return stored
    year = programme_year.year
    cost = {
        int(key): amount
        for key, amount in bill_totals(
            coverages=coverages,
            first=date(year, 1, 1),
            last=date(year, 12, 1),
            contribution=policy.contribution,
        ).items()
    }
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


# --- bills ----------------------------------------------------------------------------------


def bill_corrections_due(
    *, programme_year: ProgrammeYear, policy: Policy, coverages: Sequence[Coverage], before: date
) -> list[LineValue]:
    """What the next bill must add or take back for the months billed before ``before``:
    due now (the coverage periods as they stand) minus everything billed for them."""
    months = sorted(m for m in billed_month_set(programme_year=programme_year) if m < before)
    if not months:
        return []
    wanted = set(months)
    billed = [
        LineValue(str(candidate_id), month, jkk, jkm)
        for candidate_id, month, jkk, jkm in BillLine.objects.filter(
            bill__programme_year=programme_year, month__in=months
        ).values_list("candidate_id", "month", "jkk", "jkm")
    ]
    due = [
        line
        for line in bill_compute(
            coverages=coverages, first=months[0], last=months[-1], contribution=policy.contribution
        )
        if line.month in wanted
    ]
    return bill_corrections(billed=billed, due=due)


def bill_get(*, pk: int) -> Bill | None:
    return (
        Bill.objects.select_related("programme_year", "issued_by")
        .filter(pk=pk)
        .annotate(paid=Sum("payments__amount", filter=Q(payments__status=Payment.Status.CONFIRMED)))
        .first()
    )


@dataclass(frozen=True)
class BillRow:
    """A bill in the year's list: what is paid (confirmed SP2D) and what remains."""

    bill: Bill
    paid: int
    outstanding: int

    @property
    def period(self) -> str:
        return period_label(self.bill.first_month, self.bill.last_month)

    @property
    def settled(self) -> bool:
        return self.outstanding <= 0


def bill_list(*, programme_year: ProgrammeYear) -> list[BillRow]:
    """The year's bills in number order, each with its confirmed payments (one query)."""
    bills = (
        Bill.objects.filter(programme_year=programme_year)
        .annotate(paid=Sum("payments__amount", filter=Q(payments__status=Payment.Status.CONFIRMED)))
        .order_by("number")
    )
    return [
        BillRow(bill=b, paid=b.paid or 0, outstanding=max(b.total - (b.paid or 0), 0))
        for b in bills
    ]


@dataclass(frozen=True)
class SourceTotal:
    """One funding source's share of a bill (Pasal 13)."""

    source: str
    label: str
    participants: int
    jkk: int
    jkm: int

    @property
    def total(self) -> int:
        return self.jkk + self.jkm


@dataclass(frozen=True)
class MonthTotal:
    month: date
    label: str
    participants: int
    total: int


@dataclass(frozen=True)
class CorrectionMonth:
    """The corrections of a bill for one earlier month: participants added (a late
    replacement) and taken back (an end recorded after the month was billed)."""

    month: date
    label: str
    added: int
    removed: int
    amount: int


@dataclass(frozen=True)
class BillSummary:
    bill: Bill
    sources: list[SourceTotal]
    months: list[MonthTotal]
    corrections: list[CorrectionMonth]
    regular_total: int
    correction_total: int
    paid: int
    documents: list[Any] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_label(self.bill.first_month, self.bill.last_month)

    @property
    def outstanding(self) -> int:
        return max(self.bill.total - self.paid, 0)


def bill_summary(*, bill: Bill) -> BillSummary:
    """A bill's totals per funding source, per month and per corrected month: aggregates
    only (the page shows no person)."""
    # issue 15: the policy's names for its sources (Pekalongan's provincial grant ...)
    labels = {
        line.source: line.get_source_display()
        for line in BudgetLine.objects.filter(programme_year_id=bill.programme_year_id)
    }
    lines = BillLine.objects.filter(bill=bill)
    by_source = (
        lines.values("budget_line__source")
        .annotate(n=Count("candidate_id", distinct=True), jkk=Sum("jkk"), jkm=Sum("jkm"))
        .order_by("budget_line__source")
    )
    sources = [
        SourceTotal(
            source=row["budget_line__source"],
            label=str(labels.get(row["budget_line__source"], row["budget_line__source"])),
            participants=row["n"],
            jkk=row["jkk"] or 0,
            jkm=row["jkm"] or 0,
        )
        for row in by_source
    ]
    sources.sort(key=lambda s: s.source != BudgetLine.Source.APBD)
    months = [
        MonthTotal(
            month=row["month"],
            label=month_label(row["month"]),
            participants=row["n"],
            total=(row["jkk"] or 0) + (row["jkm"] or 0),
        )
        for row in lines.filter(correction=False)
        .values("month")
        .annotate(n=Count("candidate_id", distinct=True), jkk=Sum("jkk"), jkm=Sum("jkm"))
        .order_by("month")
    ]
    corrections = [
        CorrectionMonth(
            month=row["month"],
            label=month_label(row["month"]),
            added=row["added"],
            removed=row["removed"],
            amount=(row["jkk"] or 0) + (row["jkm"] or 0),
        )
        for row in lines.filter(correction=True)
        .values("month")
        .annotate(
            added=Count("pk", filter=Q(jkk__gt=0) | Q(jkm__gt=0)),
            removed=Count("pk", filter=Q(jkk__lt=0) | Q(jkm__lt=0)),
            jkk=Sum("jkk"),
            jkm=Sum("jkm"),
        )
        .order_by("month")
    ]
    regular = sum(m.total for m in months)
    paid = getattr(bill, "paid", None)
    if paid is None:
        paid = (
            bill.payments.filter(status=Payment.Status.CONFIRMED).aggregate(s=Sum("amount"))["s"]
            or 0
        )
    return BillSummary(
        bill=bill,
        sources=sources,
        months=months,
        corrections=corrections,
        regular_total=regular,
        correction_total=sum(c.amount for c in corrections),
        paid=paid,
        documents=bill_letters(bill=bill),
    )


def bill_letters(*, bill: Bill) -> list[Any]:
    """The bill's payment request letters (DOCX and PDF), newest first."""
    from payung.documents.models import Document
    from payung.documents.services import subject_label

    return list(
        Document.objects.filter(subject=subject_label(bill), kind=LETTER_KIND).order_by(
            "-created_at", "format"
        )
    )


def bill_letter_get(*, bill: Bill, pk: int) -> Any:
    """One letter of the bill, or None (a document of another subject is not served here)."""
    from payung.documents.models import Document
    from payung.documents.services import subject_label

    return Document.objects.filter(pk=pk, subject=subject_label(bill), kind=LETTER_KIND).first()


# --- realisation and forecast ------------------------------------------------------------------


@dataclass(frozen=True)
class RealisationRow:
    """One funding source (or the total) of the year: Pasal 13 and the money of Pasal 9."""

    label: str
    pagu: int
    committed: int  # bills issued (regular lines and corrections)
    paid: int  # confirmed SP2D
    forecast: int  # still to bill to December from the participants covered now

    @property
    def remaining(self) -> int:
        return self.pagu - self.committed

    @property
    def projected(self) -> int:
        return self.committed + self.forecast

    @property
    def projected_remaining(self) -> int:
        return self.pagu - self.projected


@dataclass(frozen=True)
class Realisation:
    rows: list[RealisationRow]
    total: RealisationRow
    #: The month the forecast starts (after the last billed month); None when the year is
    #: billed to December.
    forecast_from: date | None

    @property
    def forecast_from_label(self) -> str:
        return month_label(self.forecast_from) if self.forecast_from else ""


def _paid_by_line(programme_year: ProgrammeYear) -> dict[int, int]:
    """Confirmed payments per budget line. A payment that names its budget line counts there;
    one that does not is spread over its bill's sources in charging order, each up to its
    share of the bill, the rest to the last."""
    order = {b.pk: i for i, b in enumerate(budget_lines_ordered(programme_year=programme_year))}
    shares: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for bill_id, line_id, amount in (
        BillLine.objects.filter(bill__programme_year=programme_year)
        .values("bill_id", "budget_line_id")
        .annotate(s=Sum("jkk") + Sum("jkm"))
        .values_list("bill_id", "budget_line_id", "s")
    ):
        shares[bill_id].append((line_id, amount or 0))
    paid: dict[int, int] = defaultdict(int)
    for bill_id, line_id, amount in Payment.objects.filter(
        bill__programme_year=programme_year, status=Payment.Status.CONFIRMED
    ).values_list("bill_id", "budget_line_id", "amount"):
        if line_id is not None:
            paid[line_id] += amount
            continue
        parts = sorted(shares.get(bill_id, []), key=lambda p: order.get(p[0], 99))
        left = amount
        for i, (part_line, share) in enumerate(parts):
            take = left if i == len(parts) - 1 else min(left, max(share, 0))
            paid[part_line] += take
            left -= take
    return paid


def realisation(
    *, programme_year: ProgrammeYear, version: tuple[object, ...] | None = None
) -> Realisation:
    """Pagu, committed, paid, remaining and the forecast to December, per funding source.

    The forecast counts, per participant, the months from the one after the last billed month
    to December in which they are covered (an end ends it; not a flat 12), at the pinned
    policy's dated rates, plus the corrections already due for billed months (a late
    replacement, an end recorded after a bill), charged to each participant's source.
    """
    lines = budget_lines_ordered(programme_year=programme_year)
    committed = dict(
        BillLine.objects.filter(bill__programme_year=programme_year)
        .values("budget_line_id")
        .annotate(s=Sum("jkk") + Sum("jkm"))
        .values_list("budget_line_id", "s")
    )
    paid = _paid_by_line(programme_year)
    forecast: dict[int, int] = defaultdict(int)
    last_billed = Bill.objects.filter(programme_year=programme_year).aggregate(m=Max("last_month"))[
        "m"
    ]
    year_end = date(programme_year.year, 12, 1)
    start = month_add(last_billed, 1) if last_billed else date(programme_year.year, 1, 1)
    forecast_from = start if start <= year_end else None
    if lines:
        counted = {m for m in billed_month_set(programme_year=programme_year) if m < start}
        if forecast_from:
            counted.update(months_between(start, year_end))
        # The expected sums read the whole year's coverage (seconds with 50 000 persons): kept
        # under everything they are computed from, so any change recounts them at once.
        expected = worklist_memo(
            key=f"expected:{programme_year.pk}",
            version=(
                *(version or year_version(programme_year=programme_year)),
                tuple((b.pk, b.source, b.amount) for b in lines),
                tuple(sorted(committed.items())),
                tuple(sorted(counted)),
            ),
            compute=lambda: _expected_by_line(
                programme_year=programme_year, lines=lines, counted=counted
            ),
            shared=True,
        )
        for line_id, amount in expected.items():
            forecast[line_id] += amount
        for line_id, amount in committed.items():
            forecast[line_id] -= amount or 0
    rows = [
        RealisationRow(
            label=b.get_source_display(),
            pagu=b.amount,
            committed=committed.get(b.pk) or 0,
            paid=paid.get(b.pk, 0),
            forecast=forecast.get(b.pk, 0),
        )
        for b in lines
    ]
    total = RealisationRow(
        label=_("Jumlah"),
        pagu=sum(r.pagu for r in rows),
        committed=sum(r.committed for r in rows),
        paid=sum(r.paid for r in rows),
        forecast=sum(r.forecast for r in rows),
    )
    return Realisation(rows=rows, total=total, forecast_from=forecast_from)


def _expected_by_line(
    *, programme_year: ProgrammeYear, lines: Sequence[BudgetLine], counted: set[date]
) -> dict[int, int]:
    """Budget line id -> what the ``counted`` months cost, as coverage stands now.

    Expected by December = due for every billed month and for every month ahead; the
    forecast is what of it is not billed yet: the months ahead plus the corrections already
    due. One pass of the billing rule, no bill line loaded: billed amounts are summed in the
    database (each candidate has one source, Pasal 13)."""
    policy = programme_year_policy(programme_year=programme_year)
    coverages = _coverages_kept(programme_year=programme_year)
    expected = {
        int(key): amount
        for key, amount in bill_totals(
            coverages=coverages,
            first=date(programme_year.year, 1, 1),
            last=date(programme_year.year, 12, 1),
            contribution=policy.contribution,
            months=counted,
        ).items()
    }
    if len(lines) == 1:
        # One source (the usual APBD line): every participant is charged to it, no need to
        # read who was billed to which (a scan of every bill line of the year).
        return {lines[0].pk: sum(expected.values())} if expected else {}
    charged = budget_line_assignment(
        programme_year=programme_year,
        policy=policy,
        coverages=coverages,
        keys={str(k) for k in expected},
        lines=lines,
    )
    by_line: dict[int, int] = defaultdict(int)
    for candidate_id, amount in expected.items():
        by_line[charged.get(candidate_id, lines[0].pk)] += amount
    return dict(by_line)


# --- deadlines and warnings ------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """An unpaid or partly paid bill: by when, and how many days are left (negative: late)."""

    bill: Bill
    period: str
    outstanding: int
    paid: int
    due_on: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def deadlines(
    *, programme_year: ProgrammeYear, today: date, bills: Sequence[BillRow] | None = None
) -> list[Deadline]:
    """Every bill not fully paid, earliest due first. The due date is the 15th of the bill's
    first month; after a partial payment, the date the rest was promised by, if later."""
    promised = dict(
        Payment.objects.filter(bill__programme_year=programme_year, remainder_due_on__isnull=False)
        .values("bill_id")
        .annotate(m=Max("remainder_due_on"))
        .values_list("bill_id", "m")
    )
    out = []
    if bills is None:
        bills = bill_list(programme_year=programme_year)
    for row in bills:
        if row.settled:
            continue
        due = max(row.bill.due_on, promised.get(row.bill.pk) or row.bill.due_on)
        out.append(
            Deadline(
                bill=row.bill,
                period=row.period,
                outstanding=row.outstanding,
                paid=row.paid,
                due_on=due,
                days_left=(due - today).days,
            )
        )
    return sorted(out, key=lambda d: (d.due_on, d.bill.number))


@dataclass(frozen=True)
class LapseWarning:
    """Participants whose cover has gone ``streak`` consecutive months unpaid up to this
    month; ``lapsed`` when more than BPJS allows (their membership may already be ended)."""

    streak: int
    participants: int
    first_unpaid: date
    lapsed: bool

    @property
    def first_unpaid_label(self) -> str:
        return month_label(self.first_unpaid)


def _unpaid(*, covered: set[int], settled: Sequence[int], month: date, due: int) -> set[int]:
    """Those of ``covered`` whose ``month`` is not paid: the lines of the fully paid bills
    ``settled`` for it sum to less than ``due`` (no such line: 0 paid). Aggregated in the
    database, one query for the month."""
    if not covered:
        return set()
    if not settled:
        return set(covered) if due > 0 else set()
    sums = (
        BillLine.objects.filter(bill_id__in=settled, month=month)
        .values("candidate_id")
        .annotate(s=Sum("jkk") + Sum("jkm"))
    )
    if due > 0:
        return covered - set(sums.filter(s__gte=due).values_list("candidate_id", flat=True))
    # A month that costs nothing is paid unless corrections took back more than was billed.
    return covered & set(sums.filter(s__lt=due).values_list("candidate_id", flat=True))


def lapse_warnings(
    *, programme_year: ProgrammeYear, today: date, bills: Sequence[BillRow] | None = None
) -> list[LapseWarning]:
    """Participants covered this month whose contributions are unpaid for three or more
    consecutive months up to and including this one (issue 11: BPJS ends membership after
    more than 3 consecutive unpaid months, and the participant must register again from
    zero, losing continuity). A month counts as paid when bills that are fully paid (confirmed
    SP2D) hold its whole contribution; an unbilled covered month is unpaid.

    Grouped by the length of the unpaid streak; no person named (the page is a worklist).
    """
    return _lapse_warnings(
        programme_year=programme_year,
        today=today,
        bills=bills,
        coverages=lambda: coverages_of_year(programme_year=programme_year),
    )


def _lapse_warnings(
    *,
    programme_year: ProgrammeYear,
    today: date,
    bills: Sequence[BillRow] | None,
    coverages: Callable[[], list[Coverage]],
) -> list[LapseWarning]:
    """``lapse_warnings`` over the coverages ``coverages()`` reads (fresh, or the kept read
    the forecast shares)."""
    year = programme_year.year
    this_month = month_first(today)
    if this_month < date(year, 1, 1):
        return []
    january, last = date(year, 1, 1), min(this_month, date(year, 12, 1))
    policy = programme_year_policy(programme_year=programme_year)
    # What a covered month is billed; raises, as billing does, for a month without rates.
    due = bill_month_totals(first=january, last=last, contribution=policy.contribution)
    # Only participants covered this month can have a streak up to it, and it runs back no
    # further than the start of their unbroken cover (an uncovered month is not unpaid).
    since = {
        int(key): start
        for key, start in covered_since(coverages=coverages(), first=january, last=last).items()
    }
    if bills is None:
        bills = bill_list(programme_year=programme_year)
    settled = [row.bill.pk for row in bills if row.settled]
    # Walk back month by month with the participants whose streak still runs (unpaid from
    # this month back to ``month``): one aggregate query per month, no line per person and
    # month. Those who drop out after ``streak`` months first went unpaid the month after.
    counts: dict[int, tuple[int, date]] = {}
    running, month, streak = set(since), last, 0
    while running:
        covered = {pk for pk in running if since[pk] <= month}
        unpaid = _unpaid(covered=covered, settled=settled, month=month, due=due.get(month, 0))
        if streak >= LAPSE_AFTER_MONTHS and len(running) > len(unpaid):
            counts[streak] = (len(running) - len(unpaid), month_add(month, 1))
        running, month, streak = unpaid, month_add(month, -1), streak + 1
    return [
        LapseWarning(
            streak=streak,
            participants=participants,
            first_unpaid=first_unpaid,
            lapsed=streak > LAPSE_AFTER_MONTHS,
        )
        for streak, (participants, first_unpaid) in sorted(counts.items(), reverse=True)
    ]


def year_version(*, programme_year: ProgrammeYear) -> tuple[object, ...]:
    """What the year's kept contribution figures change with: coverage and lifecycle
    (``lifecycle_version``), bills and payments (``_bills_version``). Two cheap queries."""
    return (
        *lifecycle_version(programme_year=programme_year),
        *_bills_version(programme_year),
    )


def lapse_warnings_kept(
    *,
    programme_year: ProgrammeYear,
    today: date,
    bills: Sequence[BillRow],
    version: tuple[object, ...] | None = None,
) -> list[LapseWarning]:
    """``lapse_warnings`` counted once per day, lifecycle change and bill or payment (it
    reads the whole year's coverage); the year page and the workspace share the kept list.
    The settled bills are part of the version: a payment confirmed recounts at once."""
    return worklist_memo(
        key=f"lapses:{programme_year.pk}",
        version=(
            today,
            *(version or year_version(programme_year=programme_year)),
            tuple(row.bill.pk for row in bills if row.settled),
        ),
        compute=lambda: _lapse_warnings(
            programme_year=programme_year,
            today=today,
            bills=bills,
            coverages=lambda: _coverages_kept(programme_year=programme_year),
        ),
        shared=True,
    )


def january_warning(*, programme_year: ProgrammeYear, today: date) -> bool:
    """From November of the year on: prepare January's payment of the next fiscal year,
    whose budget (and SP2D) is often late (issue 11)."""
    return today.year == programme_year.year and today.month >= JANUARY_WARNING_MONTH


@dataclass(frozen=True)
class Task:
    """One line of "Tugas Anda": what to do, how urgent (``error``, ``warning``, ``info``)."""

    level: str
    text: str


def year_tasks(
    *,
    programme_year: ProgrammeYear,
    today: date,
    next_period: tuple[date, date] | None,
    due: Sequence[Deadline],
    lapses: Sequence[LapseWarning],
) -> list[Task]:
    """The treasurer's worklist for the year, most urgent first, in words."""
    tasks: list[Task] = []
    for warning in lapses:
        if warning.lapsed:
            text = _(
                "%(n)s peserta belum dibayar iurannya %(k)s bulan berturut-turut sejak "
                "%(month)s: lebih dari 3 bulan, kepesertaan mereka dapat sudah diakhiri BPJS "
                "Ketenagakerjaan. Segera bayar dan periksa status kepesertaan."
            )
        else:
            text = _(
                "%(n)s peserta belum dibayar iurannya %(k)s bulan berturut-turut sejak "
                "%(month)s: bila bulan berikutnya juga tidak dibayar, kepesertaan berakhir "
                "dan harus didaftarkan ulang dari awal."
            )
        tasks.append(
            Task(
                level="error" if warning.lapsed else "warning",
                text=text
                % {
                    "n": angka(warning.participants),
                    "k": warning.streak,
                    "month": warning.first_unpaid_label,
                },
            )
        )
    for item in due:
        values = {
            "number": item.bill.number,
            "period": item.period,
            "amount": rupiah(item.outstanding),
            "date": tanggal(item.due_on),
            "days": angka(abs(item.days_left)),
        }
        if item.overdue:
            text = _(
                "Tagihan %(number)s (%(period)s): %(amount)s belum dibayar, lewat jatuh tempo "
                "%(date)s (%(days)s hari)."
            )
        else:
            text = _(
                "Tagihan %(number)s (%(period)s): bayar %(amount)s paling lambat %(date)s "
                "(%(days)s hari lagi)."
            )
        tasks.append(Task(level="error" if item.overdue else "warning", text=text % values))
    if january_warning(programme_year=programme_year, today=today):
        tasks.append(
            Task(
                level="warning",
                text=_(
                    "Siapkan pembayaran iuran Januari %(next)s: tahun anggaran baru, SP2D "
                    "sering terlambat, dan iuran Januari jatuh tempo 15 Januari %(next)s."
                )
                % {"next": programme_year.year + 1},
            )
        )
    if next_period is not None and next_period[0] <= month_add(month_first(today), 1):
        tasks.append(
            Task(
                level="info",
                text=_("Terbitkan tagihan iuran %(period)s.")
                % {"period": period_label(*next_period)},
            )
        )
    return tasks


@dataclass(frozen=True)
class YearOverview:
    """Everything the year's contributions page shows."""

    programme_year: ProgrammeYear
    bills: list[BillRow]
    realisation: Realisation
    deadlines: list[Deadline]
    lapses: list[LapseWarning]
    tasks: list[Task]
    next_period: tuple[date, date] | None
    agreement: CooperationAgreement | None

    @property
    def next_period_label(self) -> str:
        return period_label(*self.next_period) if self.next_period else ""


def year_overview(*, programme_year: ProgrammeYear, today: date) -> YearOverview:
    agreement = cooperation_agreement_get(programme_year=programme_year)
    next_period = bill_period_next(programme_year=programme_year, agreement=agreement)
    bills = bill_list(programme_year=programme_year)
    due = deadlines(programme_year=programme_year, today=today, bills=bills)
    version = year_version(programme_year=programme_year)
    lapses = lapse_warnings_kept(
        programme_year=programme_year, today=today, bills=bills, version=version
    )
    return YearOverview(
        programme_year=programme_year,
        bills=bills,
        realisation=realisation(programme_year=programme_year, version=version),
        deadlines=due,
        lapses=lapses,
        tasks=year_tasks(
            programme_year=programme_year,
            today=today,
            next_period=next_period,
            due=due,
            lapses=lapses,
        ),
        next_period=next_period,
        agreement=agreement,
    )


def contributions_tasks(
    *, user: Any, programme_year: ProgrammeYear, today: date | None = None
) -> list[WorkItem]:
    """The treasurer's "Tugas Anda" for the workspace (Pasal 9): the same worklist the
    year's contributions page shows (``year_tasks``), each linking to that page, plus the
    SP2D payments another bendahara recorded and this one may confirm (four eyes)."""
    from django.urls import reverse
    from django.utils import timezone

    if not user.has_perm("contributions.issue_bill"):
        return []
    today = today or timezone.localdate()
    agreement = cooperation_agreement_get(programme_year=programme_year)
    bills = bill_list(programme_year=programme_year)
    due = deadlines(programme_year=programme_year, today=today, bills=bills)
    worklist = year_tasks(
        programme_year=programme_year,
        today=today,
        next_period=bill_period_next(programme_year=programme_year, agreement=agreement),
        due=due,
        lapses=lapse_warnings_kept(programme_year=programme_year, today=today, bills=bills),
    )
    url = reverse("contributions:year_detail", args=[programme_year.pk])
    items = [
        WorkItem(text=task.text, url=url, level=task.level, article=_("Pasal 9"))
        for task in worklist
    ]
    if user.has_perm("contributions.confirm_payment"):
        pending = (
            Payment.objects.filter(
                bill__programme_year=programme_year, status=Payment.Status.RECORDED
            )
            .exclude(recorded_by_id=user.pk)
            .count()
        )
        if pending:
            items.append(
                WorkItem(
                    text=_("Konfirmasi pembayaran SP2D yang dicatat bendahara lain"),
                    url=reverse("contributions:payment_list", args=[programme_year.pk]),
                    count=pending,
                    level="warning",
                    article=_("Pasal 9 ayat (1)"),
                )
            )
    return items


def _bills_version(programme_year: ProgrammeYear) -> tuple[object, ...]:
    """What unpaid months change with besides coverage: bills and payments (one query)."""
    row = Bill.objects.filter(programme_year=programme_year).aggregate(
        bill=Max("pk"),
        payment=Max("payments__pk"),
        confirmed=Count("payments", filter=Q(payments__status=Payment.Status.CONFIRMED)),
    )
    return (row["bill"], row["payment"], row["confirmed"])
