"""The team's monitoring figures (Pasal 10 ayat (2) huruf e-h) over a programme year or a part.

The team monitors and evaluates the number and data of the participants (huruf e), the
payment of their contributions (huruf f) and whether the benefits reach the right people
(huruf g), and reports to the Regent (huruf h; every six months, Pasal 12 ayat (3)). Each
function here answers one of those four questions for a programme year and an optional period
(``start``..``end``, both days included; a half-year for the semester report) with a frozen
dataclass of integers, integer rupiah and rows of labels and integers.

Aggregates only: every figure is one GROUP BY (or conditional COUNT) in the database, or a
figure another stage already computes the same way (the realisation and lapse warning of
``contributions``, the pagu cost of ``participants.forecast``); no person leaves this module
except through ``benefit_flagged_claims``, which the pages show only to roles that may see
persons, NIK and KPJ masked. Time is an argument (``today``), read only when not given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.appeals.models import Appeal
from payung.contributions.models import BillLine, Payment, Reconciliation, ReconciliationLine
from payung.contributions.selectors import (
    bill_list,
    deadlines,
    lapse_warnings_kept,
    month_label,
    realisation,
)
from payung.core.places import kecamatan_label, village_name
from payung.domain import nik as nik_domain
from payung.domain import wilayah
from payung.ends.models import Claim, EndImport, EndImportRow
from payung.engine import month_add
from payung.enrollment.models import RegistrationAnswer
from payung.participants.chart_selectors import chart_run
from payung.participants.forecast import place_cost
from payung.participants.models import DECREED_OR_LATER, Candidate, CoveragePeriod
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.registry.models import DtsenImport
from payung.screening.chart_selectors import ELIGIBLE_STATUSES, run_status_counts
from payung.verification.models import Answer, VerificationBatch, VerificationItem

__all__ = [
    "AGE_BANDS",
    "BenefitFigures",
    "ClaimRow",
    "CountRow",
    "CoverageFigures",
    "DataQualityFigures",
    "DesaRow",
    "FlaggedClaim",
    "ImportRow",
    "LatePeriod",
    "MoneyFigures",
    "MonthMoneyRow",
    "MonthRow",
    "SourceMoney",
    "UnreconciledPeriod",
    "benefit_figures",
    "benefit_flagged_claims",
    "coverage_figures",
    "data_quality_figures",
    "half_year",
    "money_figures",
    "period_bounds",
]

#: Age bands of the breakdown (years, both ends included), inside Pasal 5 ayat (2) huruf b.
AGE_BANDS: Final[tuple[tuple[int, int], ...]] = (
    (18, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
)
#: Label of a value the data does not give (a participant moved in from the old roster has no
#: screening decision, so no decile, occupation category or age).
UNKNOWN: Final = "Tidak diketahui"


# --- periods -----------------------------------------------------------------------------------


def period_bounds(
    *, programme_year: ProgrammeYear, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """The period asked for, or the programme year (1 January to 31 December)."""
    first, last = date(programme_year.year, 1, 1), date(programme_year.year, 12, 31)
    return (start or first, end or last)


def half_year(*, year: int, half: int) -> tuple[date, date]:
    """The first (January-June) or second (July-December) half of a year: the semester of
    the report to the Regent (Pasal 12 ayat (3))."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


def _reference_day(start: date, end: date, today: date | None) -> date:
    """The day "active" is counted on: the period's last day, or today while it runs."""
    today = today or timezone.localdate()
    return max(start, min(end, today))


def _months(start: date, end: date) -> list[date]:
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = month_add(month, 1)
    return out


def _month_end(month: date) -> date:
    return month_add(month, 1) - timedelta(days=1)


# --- rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    """One label of a breakdown and its count (persons, claims, rows)."""

    label: str
    count: int


@dataclass(frozen=True)
class DesaRow:
    kecamatan: str
    desa: str
    count: int


@dataclass(frozen=True)
class MonthRow:
    """Participants active on the month's last day (or on the reference day in its month)."""

    month: date
    label: str
    active: int


# --- coverage (Pasal 10 ayat (2) huruf e; Pasal 6 ayat (2)) -------------------------------------


@dataclass(frozen=True)
class CoverageFigures:
    """How many are covered against the decree, the pagu and the eligible, and where they are.

    ``active``: participants whose cover includes ``on`` (the period's end, or today).
    ``decreed``: candidates named by a signed decree of the year (decreed, registered,
    active or since ended). ``pagu_capacity``: whole person-years the year's pagu pays for at
    ``cost_per_person_year`` (the pinned policy's dated JKK + JKM rates, January-December).
    ``eligible``: the eligible of the year's screening run (Pasal 5). ``gap``: eligible not
    covered, ``gap_cost_per_year`` what covering them costs a year."""

    start: date
    end: date
    on: date
    active: int
    decreed: int
    pagu: int
    cost_per_person_year: int
    pagu_capacity: int
    eligible: int
    gap: int
    gap_cost_per_year: int
    by_kecamatan: list[CountRow] = field(default_factory=list)
    by_desa: list[DesaRow] = field(default_factory=list)
    by_occupation: list[CountRow] = field(default_factory=list)
    by_sex: list[CountRow] = field(default_factory=list)
    by_age_band: list[CountRow] = field(default_factory=list)
    by_decile: list[CountRow] = field(default_factory=list)
    by_priority: list[CountRow] = field(default_factory=list)
    trend: list[MonthRow] = field(default_factory=list)


def _active_candidates(programme_year: ProgrammeYear, day: date) -> Any:
    covering = CoveragePeriod.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day),
        candidate__proposal__programme_year=programme_year,
        start__lte=day,
    )
    return Candidate.objects.filter(pk__in=covering.values("candidate_id"))


def _grouped(queryset: Any, column: str) -> list[tuple[Any, int]]:
    """One GROUP BY: (value, count) pairs."""
    return list(queryset.values_list(column).annotate(n=Count("id")).order_by())


def _sex_label(value: str) -> str:
    text = (value or "").strip().upper()
    if text in {"L", "LK", "1"} or text.startswith("LAKI"):
        return _("Laki-laki")
    if text in {"P", "PR", "2"} or text.startswith(("PEREMPUAN", "WANITA")):
        return _("Perempuan")
    return _(UNKNOWN)


def _age_band_label(age: int | None) -> str:
    if age is None:
        return _(UNKNOWN)
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return _("%(low)s–%(high)s tahun") % {"low": low, "high": high}
    return _("Di luar 18–64 tahun")


def _desil_label(desil: int | None) -> str:
    roman = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII"}
    roman |= {9: "IX", 10: "X"}
    if desil is None or desil not in roman:
        return _(UNKNOWN)
    return _("Desil %(n)s") % {"n": roman[desil]}


def _folded(pairs: Iterable[tuple[str, int]], order: list[str] | None = None) -> list[CountRow]:
    """Sum counts of equal labels; in ``order`` when given (unknown last), else by count."""
    total: dict[str, int] = defaultdict(int)
    for label, n in pairs:
        total[label] += n
    if order is not None:
        known = [CountRow(label, total.pop(label)) for label in order if label in total]
        return known + [CountRow(label, n) for label, n in sorted(total.items())]
    return [
        CountRow(label, n) for label, n in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _kecamatan_of_desa(code: str, region: str) -> str:
    kec = wilayah.kecamatan_code(code or "")
    return kecamatan_label(kec, region=region) if kec else _(UNKNOWN)


def _place_rows(pairs: list[tuple[Any, int]], region: str) -> tuple[list[CountRow], list[DesaRow]]:
    by_kec: dict[str, int] = defaultdict(int)
    by_desa: dict[tuple[str, str], int] = defaultdict(int)
    for code, n in pairs:
        kec = _kecamatan_of_desa(code or "", region)
        by_kec[kec] += n
        by_desa[(kec, village_name(code or "") or _(UNKNOWN))] += n
    kec_rows = [CountRow(k, n) for k, n in sorted(by_kec.items(), key=lambda kv: kv[0].casefold())]
    desa_rows = [
        DesaRow(kecamatan=k, desa=d, count=n)
        for (k, d), n in sorted(by_desa.items(), key=lambda kv: (kv[0][0].casefold(), kv[0][1]))
    ]
    return kec_rows, desa_rows


def _priority_rows(pairs: list[tuple[Any, int]], programme_year: ProgrammeYear) -> list[CountRow]:
    per_code: dict[str, int] = defaultdict(int)
    none = 0
    for value, n in pairs:
        found = [c for c in (value or "").split(";") if c]
        if not found:
            none += n
        for code in found:
            per_code[code] += n
    policy = programme_year_policy(programme_year=programme_year)
    rows = [CountRow(p.article, per_code.get(p.id, 0)) for p in policy.priorities]
    rows.append(CountRow(_("Tanpa prioritas"), none))
    return rows


def _occupation_rows(pairs: list[tuple[Any, int]], programme_year: ProgrammeYear) -> list[CountRow]:
    categories = programme_year_policy(programme_year=programme_year).occupations.categories
    labels = {key: f"{cat.letter}. {cat.label}" for key, cat in categories.items()}
    order = list(labels.values())
    return _folded(((labels.get(v or "", _(UNKNOWN)), n) for v, n in pairs), order=order)


def _trend(programme_year: ProgrammeYear, start: date, on: date) -> list[MonthRow]:
    """Active participants at each month's end from ``start`` to ``on``: one query of
    conditional counts (one per month), no rows loaded."""
    months = _months(start, on)
    if not months:
        return []
    days = [min(_month_end(m), on) for m in months]
    aggregates = {
        f"m{i}": Count(
            "candidate_id",
            distinct=True,
            filter=Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day)),
        )
        for i, day in enumerate(days)
    }
    counts = CoveragePeriod.objects.filter(
        candidate__proposal__programme_year=programme_year
    ).aggregate(**aggregates)
    return [
        MonthRow(month=m, label=month_label(m), active=int(counts[f"m{i}"] or 0))
        for i, m in enumerate(months)
    ]


def _eligible(programme_year: ProgrammeYear) -> int:
    run = chart_run(programme_year=programme_year)
    if run is None:
        return 0
    by_status = run_status_counts(run=run)
    return sum(by_status.get(s, 0) for s in ELIGIBLE_STATUSES)


def _pagu(programme_year: ProgrammeYear) -> int:
    return int(
        BudgetLine.objects.filter(programme_year=programme_year).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def coverage_figures(
    *,
    programme_year: ProgrammeYear,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> CoverageFigures:
    """Active participants against the decree, the pagu and the eligible (Pasal 10 ayat (2)
    huruf e; Pasal 6 ayat (2): cover as far as the regency's finances allow), how far from
    covering every eligible person and at what yearly cost, where the active live and who
    they are (occupation category of Pasal 5 ayat (1), sex, age band, decile of Pasal 5 ayat
    (2) huruf d, priority of Pasal 7 ayat (2)), and the monthly trend.

    Breakdowns read the screening decision the participant was chosen by (kecamatan from
    the person's village code, the rest from the decision); a participant moved in from the
    regency's earlier roster has no decision and counts under "Tidak diketahui"."""
    start, end = period_bounds(programme_year=programme_year, start=start, end=end)
    on = _reference_day(start, end, today)
    active_qs = _active_candidates(programme_year, on)
    active = active_qs.count()
    decreed = Candidate.objects.filter(
        proposal__programme_year=programme_year, state__in=DECREED_OR_LATER
    ).count()
    pagu = _pagu(programme_year)
    cost = place_cost(programme_year=programme_year, from_month=date(programme_year.year, 1, 1))
    capacity = pagu // cost if cost > 0 else 0
    eligible = _eligible(programme_year)
    gap = max(0, eligible - active)
    region = programme_year.region_code
    by_kecamatan, by_desa = _place_rows(_grouped(active_qs, "person__kode_desa"), region)
    sexes = _folded(
        ((_sex_label(v), n) for v, n in _grouped(active_qs, "person__jenis_kelamin")),
        order=[_("Laki-laki"), _("Perempuan")],
    )
    band_order = [_age_band_label(low) for low, _high in AGE_BANDS]
    ages = _folded(
        ((_age_band_label(v), n) for v, n in _grouped(active_qs, "decision__age")),
        order=band_order,
    )
    deciles = _folded(
        ((_desil_label(v), n) for v, n in _grouped(active_qs, "decision__desil")),
        order=[_desil_label(d) for d in range(1, 11)],
    )
    return CoverageFigures(
        start=start,
        end=end,
        on=on,
        active=active,
        decreed=decreed,
        pagu=pagu,
        cost_per_person_year=cost,
        pagu_capacity=capacity,
        eligible=eligible,
        gap=gap,
        gap_cost_per_year=gap * cost,
        by_kecamatan=by_kecamatan,
        by_desa=by_desa,
        by_occupation=_occupation_rows(
            _grouped(active_qs, "decision__occupation_category"), programme_year
        ),
        by_sex=sexes,
        by_age_band=ages,
        by_decile=deciles,
        by_priority=_priority_rows(_grouped(active_qs, "decision__priorities"), programme_year),
        trend=_trend(programme_year, start, on),
    )


# --- money (Pasal 10 ayat (2) huruf f; Pasal 9, Pasal 13) ---------------------------------------


@dataclass(frozen=True)
class SourceMoney:
    """One funding source (Pasal 13) or the total: pagu, billed (bills issued, corrections
    included), paid (confirmed SP2D), remaining (pagu - billed) and the forecast to December
    (billed + what the participants covered now will still be billed)."""

    label: str
    pagu: int
    billed: int
    paid: int
    remaining: int
    forecast_year_end: int


@dataclass(frozen=True)
class MonthMoneyRow:
    month: date
    label: str
    billed: int


@dataclass(frozen=True)
class LatePeriod:
    """A bill not fully paid after its due date (the 15th of its first month, or the date a
    partial payment promised the rest by)."""

    period: str
    bill_number: int
    outstanding: int
    due_on: date
    days_overdue: int


@dataclass(frozen=True)
class UnreconciledPeriod:
    """A billed month no closed reconciliation with BPJS's invoice covers (Pasal 9)."""

    month: date
    label: str
    billed: int


@dataclass(frozen=True)
class MoneyFigures:
    start: date
    end: date
    on: date
    sources: list[SourceMoney]
    total: SourceMoney
    #: Bill lines for months in the period (regular and corrections), rupiah.
    billed_in_period: int
    #: Confirmed SP2D dated in the period, rupiah.
    paid_in_period: int
    by_month: list[MonthMoneyRow]
    late: list[LatePeriod]
    unreconciled: list[UnreconciledPeriod]
    #: Participants covered now with three or more consecutive unpaid months (BPJS ends
    #: membership after more than three): ``near_lapse`` all of them, ``lapsed`` the > 3.
    near_lapse: int
    lapsed: int


def money_figures(
    *,
    programme_year: ProgrammeYear,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> MoneyFigures:
    """Pagu per funding source, billed, paid, remaining and the forecast to year end (the
    ``contributions`` realisation, so the treasurer's page and the team's agree), what was
    billed and paid in the period, late and unreconciled periods, participants near lapse.
    Pasal 10 ayat (2) huruf f (the team monitors the payment of contributions), Pasal 9
    (paid monthly or per the PKS's period), Pasal 13 (funding sources)."""
    start, end = period_bounds(programme_year=programme_year, start=start, end=end)
    on = _reference_day(start, end, today)
    real = realisation(programme_year=programme_year)

    def money_row(r: Any, label: str | None = None) -> SourceMoney:
        return SourceMoney(
            label=label or r.label,
            pagu=r.pagu,
            billed=r.committed,
            paid=r.paid,
            remaining=r.remaining,
            forecast_year_end=r.projected,
        )

    month_first, month_last = start.replace(day=1), end.replace(day=1)
    by_month_q = (
        BillLine.objects.filter(
            bill__programme_year=programme_year, month__gte=month_first, month__lte=month_last
        )
        .values_list("month")
        .annotate(s=Sum("jkk") + Sum("jkm"))
        .order_by("month")
    )
    by_month = [MonthMoneyRow(m, month_label(m), int(s or 0)) for m, s in by_month_q]
    paid_in_period = int(
        Payment.objects.filter(
            bill__programme_year=programme_year,
            status=Payment.Status.CONFIRMED,
            paid_on__gte=start,
            paid_on__lte=end,
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    bills = bill_list(programme_year=programme_year)
    late = [
        LatePeriod(
            period=d.period,
            bill_number=d.bill.number,
            outstanding=d.outstanding,
            due_on=d.due_on,
            days_overdue=d.days_overdue,
        )
        for d in deadlines(programme_year=programme_year, today=on, bills=bills)
        if d.overdue and d.bill.first_month <= end and d.bill.last_month >= month_first
    ]
    closed = list(
        Reconciliation.objects.filter(
            programme_year=programme_year, status=Reconciliation.Status.CLOSED
        ).values_list("first_month", "last_month")
    )
    unreconciled = [
        row for row in by_month if not any(first <= row.month <= last for first, last in closed)
    ]
    # Kept per day and per change of coverage, bills or payments (the contributions page and
    # the workspace share it): it reads the whole year's coverage.
    warnings = lapse_warnings_kept(programme_year=programme_year, today=on, bills=bills)
    return MoneyFigures(
        start=start,
        end=end,
        on=on,
        sources=[money_row(r) for r in real.rows],
        total=money_row(real.total, _("Jumlah")),
        billed_in_period=sum(r.billed for r in by_month),
        paid_in_period=paid_in_period,
        by_month=by_month,
        late=late,
        unreconciled=[UnreconciledPeriod(r.month, r.label, r.billed) for r in unreconciled],
        near_lapse=sum(w.participants for w in warnings),
        lapsed=sum(w.participants for w in warnings if w.lapsed),
    )


# --- benefits (Pasal 10 ayat (2) huruf g) ---------------------------------------------------------


@dataclass(frozen=True)
class ClaimRow:
    """Claims of one kind (type, status, kecamatan, occupation): how many, and the rupiah
    BPJS paid on those with status DIBAYAR (a claim in process or refused received nothing)."""

    label: str
    count: int
    amount: int


@dataclass(frozen=True)
class BenefitFigures:
    """BPJS's JKK and JKM claims with an event date in the period, from its claims file.

    ``contributions_paid``: confirmed SP2D dated in the period, the regency's side of
    "contributions paid against benefits received" (``claims_amount``). A claim is flagged
    when its event date lies outside every cover period of the person: ``flagged_ended``
    when an earlier period had already ended (no longer a participant), ``flagged_not_covered``
    otherwise (not, or not yet, a participant); ``unmatched_claim_rows`` are rows of the
    claims files that matched nobody of the year (kept, never dropped)."""

    start: date
    end: date
    claims: int
    claims_amount: int
    contributions_paid: int
    contributions_billed: int
    by_type: list[ClaimRow]
    by_status: list[ClaimRow]
    by_kecamatan: list[ClaimRow]
    by_occupation: list[ClaimRow]
    flagged_not_covered: int
    flagged_ended: int
    unmatched_claim_rows: int


def _claims(programme_year: ProgrammeYear, start: date, end: date) -> Any:
    covering = CoveragePeriod.objects.filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("event_date")),
        candidate_id=OuterRef("candidate_id"),
        start__lte=OuterRef("event_date"),
    )
    ended_before = CoveragePeriod.objects.filter(
        candidate_id=OuterRef("candidate_id"), end__lt=OuterRef("event_date")
    )
    return Claim.objects.filter(
        candidate__proposal__programme_year=programme_year,
        event_date__gte=start,
        event_date__lte=end,
    ).annotate(covered=Exists(covering), ended_before=Exists(ended_before))


def _claim_rows(
    queryset: Any, column: str, label: Any, order: list[str] | None = None
) -> list[ClaimRow]:
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, int] = defaultdict(int)
    for value, n, s in (
        queryset.values_list(column)
        .annotate(n=Count("id"), s=Sum("amount_paid", filter=Q(status=Claim.Status.DIBAYAR)))
        .order_by()
    ):
        key = label(value)
        count[key] += n
        amount[key] += int(s or 0)
    keys = [k for k in (order or []) if k in count] + sorted(
        (k for k in count if k not in (order or [])), key=str.casefold
    )
    return [ClaimRow(k, count[k], amount[k]) for k in keys]


def benefit_figures(
    *, programme_year: ProgrammeYear, start: date | None = None, end: date | None = None
) -> BenefitFigures:
    """Count and rupiah of the claims by type, status, kecamatan and occupation category,
    the contributions paid against the benefits received, and the claims of people who are
    not or no longer participants (Pasal 10 ayat (2) huruf g: whether the benefits reach the
    right people). Claims are BPJS's claims file as applied in the ends stage."""
    start, end = period_bounds(programme_year=programme_year, start=start, end=end)
    claims = _claims(programme_year, start, end)
    totals = claims.aggregate(
        n=Count("id"),
        s=Sum("amount_paid", filter=Q(status=Claim.Status.DIBAYAR)),
        not_covered=Count("id", filter=Q(covered=False, ended_before=False)),
        ended=Count("id", filter=Q(covered=False, ended_before=True)),
    )
    type_labels = dict(Claim.Type.choices)
    status_labels = dict(Claim.Status.choices)
    categories = programme_year_policy(programme_year=programme_year).occupations.categories
    occupation_labels = {k: f"{c.letter}. {c.label}" for k, c in categories.items()}
    region = programme_year.region_code
    paid = int(
        Payment.objects.filter(
            bill__programme_year=programme_year,
            status=Payment.Status.CONFIRMED,
            paid_on__gte=start,
            paid_on__lte=end,
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    billed = int(
        BillLine.objects.filter(
            bill__programme_year=programme_year,
            month__gte=start.replace(day=1),
            month__lte=end,
        ).aggregate(s=Sum("jkk") + Sum("jkm"))["s"]
        or 0
    )
    unmatched = EndImportRow.objects.filter(
        end_import__programme_year=programme_year,
        end_import__kind=EndImport.Kind.CLAIMS,
        outcome=EndImportRow.Outcome.TIDAK_COCOK,
        event_date__gte=start,
        event_date__lte=end,
    ).count()
    return BenefitFigures(
        start=start,
        end=end,
        claims=int(totals["n"] or 0),
        claims_amount=int(totals["s"] or 0),
        contributions_paid=paid,
        contributions_billed=billed,
        by_type=_claim_rows(
            claims,
            "claim_type",
            lambda v: str(type_labels.get(v, v)),
            order=[str(label) for label in type_labels.values()],
        ),
        by_status=_claim_rows(
            claims,
            "status",
            lambda v: str(status_labels.get(v, v)),
            order=[str(label) for label in status_labels.values()],
        ),
        by_kecamatan=_claim_rows(
            claims, "candidate__person__kode_desa", lambda v: _kecamatan_of_desa(v, region)
        ),
        by_occupation=_claim_rows(
            claims,
            "candidate__decision__occupation_category",
            lambda v: occupation_labels.get(v or "", _(UNKNOWN)),
            order=list(occupation_labels.values()),
        ),
        flagged_not_covered=int(totals["not_covered"] or 0),
        flagged_ended=int(totals["ended"] or 0),
        unmatched_claim_rows=unmatched,
    )


@dataclass(frozen=True)
class FlaggedClaim:
    """A claim of someone not covered on the event date: for roles that may see persons
    (``screening.view_person_decision``) only; NIK and KPJ masked."""

    nik_masked: str
    kpj_masked: str
    name: str
    claim_type: str
    event_date: date
    amount_paid: int
    why: str


def benefit_flagged_claims(
    *,
    programme_year: ProgrammeYear,
    start: date | None = None,
    end: date | None = None,
    limit: int = 200,
) -> list[FlaggedClaim]:
    """The flagged claims one by one (the follow-up list of Pasal 10 ayat (2) huruf g):
    the caller checks the role first. At most ``limit`` rows, oldest event first."""
    start, end = period_bounds(programme_year=programme_year, start=start, end=end)
    rows = (
        _claims(programme_year, start, end)
        .filter(covered=False)
        .select_related("candidate__person")
        .order_by("event_date", "pk")[:limit]
    )
    return [
        FlaggedClaim(
            nik_masked=nik_domain.mask(c.candidate.nik),
            kpj_masked=nik_domain.mask(c.kpj),
            name=c.candidate.person.nama,
            claim_type=c.claim_type,
            event_date=c.event_date,
            amount_paid=c.amount_paid,
            why=(
                _("Kepesertaan sudah berakhir sebelum tanggal kejadian")
                if c.ended_before
                else _("Bukan peserta pada tanggal kejadian")
            ),
        )
        for c in rows
    ]


# --- data quality (Pasal 10 ayat (2) huruf e: the data of the participants) ---------------------


@dataclass(frozen=True)
class ImportRow:
    """One uploaded file of the year: its kind, rows and the rows found invalid or unmatched."""

    kind: str
    file_name: str
    uploaded_on: date
    rows: int
    invalid: int


@dataclass(frozen=True)
class DataQualityFigures:
    start: date
    end: date
    #: DTSEN extracts of the year with their invalid rows (whole year: they precede it).
    imports: list[ImportRow]
    invalid_rows: int
    #: Disdukcapil's answers (Pasal 7 ayat (3)) by answer.
    verification_answers: list[CountRow]
    #: DATA BERBEDA answers correcting the NIK, the birth date.
    nik_mismatches: int
    birth_date_mismatches: int
    #: Rows of answer files that matched no candidate of the batch (reported, never dropped).
    unmatched_verification_rows: int
    #: Rows of BPJS's registration answers matching no pending participant of the batch.
    unmatched_registration_rows: int
    #: Rows of Disdukcapil's death/move files and BPJS's claims files matching nobody.
    unmatched_end_rows: int
    #: Invoice lines BPJS billed that Payung did not (reconciliation ``hanya_bpjs``).
    bpjs_only_invoice_lines: int
    #: Appeals received in the period, by outcome ("Belum dijawab" for the open ones).
    appeals: list[CountRow]
    #: Participants active on ``on`` who will be older than the policy's maximum age on the
    #: next year's as-of date (Pasal 5 ayat (2) huruf b), and those with no known age.
    next_as_of: date
    max_age: int | None
    age_fail_next_year: int
    age_unknown: int


def _unmatched_in(responses: Iterable[Any]) -> int:
    total = 0
    for item in responses or []:
        unmatched = item.get("unmatched") if isinstance(item, dict) else None
        total += len(unmatched) if isinstance(unmatched, list) else int(unmatched or 0)
    return total


def data_quality_figures(
    *,
    programme_year: ProgrammeYear,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> DataQualityFigures:
    """Invalid rows per import, NIK and birth-date mismatches found by Disdukcapil, rows of
    Disdukcapil's and BPJS's files that matched nobody, appeals and their outcomes, and the
    participants who will fail the age rule (Pasal 5 ayat (2) huruf b) at next year's as-of
    date: the team's evaluation of the participants' data (Pasal 10 ayat (2) huruf e)."""
    start, end = period_bounds(programme_year=programme_year, start=start, end=end)
    on = _reference_day(start, end, today)
    imports = [
        ImportRow(
            kind=_("Data DTSEN"),
            file_name=i.file_name,
            uploaded_on=timezone.localdate(i.created_at),
            rows=i.row_count or 0,
            invalid=i.invalid_count or 0,
        )
        for i in DtsenImport.objects.filter(programme_year=programme_year, status="done")
        .only("file_name", "created_at", "row_count", "invalid_count")
        .order_by("created_at", "pk")
    ]
    items = VerificationItem.objects.filter(batch__proposal__programme_year=programme_year).exclude(
        answer=""
    )
    answer_labels = dict(Answer.choices)
    answers = [
        CountRow(str(answer_labels.get(a, a)), n)
        for a, n in sorted(
            _grouped(items, "answer"),
            key=lambda p: list(answer_labels).index(p[0]) if p[0] in answer_labels else 99,
        )
    ]
    mismatch = items.filter(answer=Answer.DATA_BERBEDA).aggregate(
        nik=Count("id", filter=Q(corrected__has_key="nik")),
        dob=Count("id", filter=Q(corrected__has_key="tanggal_lahir")),
    )
    unmatched_verification = _unmatched_in(
        r
        for responses in VerificationBatch.objects.filter(
            proposal__programme_year=programme_year
        ).values_list("responses", flat=True)
        for r in (responses or [])
    )
    unmatched_registration = _unmatched_in(
        RegistrationAnswer.objects.filter(
            batch__programme_year=programme_year, stage=RegistrationAnswer.Stage.APPLIED
        ).values_list("report", flat=True)
    )
    unmatched_end = EndImportRow.objects.filter(
        end_import__programme_year=programme_year,
        outcome=EndImportRow.Outcome.TIDAK_COCOK,
    ).count()
    bpjs_only = ReconciliationLine.objects.filter(
        reconciliation__programme_year=programme_year,
        category=ReconciliationLine.Category.HANYA_BPJS,
    ).count()
    appeal_rows = Appeal.objects.filter(
        programme_year=programme_year, received_on__gte=start, received_on__lte=end
    )
    outcome_labels = dict(Appeal.Outcome.choices)
    appeals = _folded(
        (
            (str(outcome_labels.get(o, o)) if o else _("Belum dijawab"), n)
            for o, n in _grouped(appeal_rows, "outcome")
        ),
        order=[_("Belum dijawab"), *(str(v) for v in outcome_labels.values())],
    )
    max_age = _max_age(programme_year)
    as_of = programme_year.as_of
    try:
        next_as_of = as_of.replace(year=as_of.year + 1)
    except ValueError:  # 29 February
        next_as_of = as_of.replace(year=as_of.year + 1, day=28)
    run = chart_run(programme_year=programme_year)
    run_as_of = run.as_of if run is not None else as_of
    fail = unknown = 0
    for age, n in _grouped(_active_candidates(programme_year, on), "decision__age"):
        if age is None:
            unknown += n
        elif max_age is not None and _age_on(age, run_as_of, next_as_of) > max_age:
            fail += n
    return DataQualityFigures(
        start=start,
        end=end,
        imports=imports,
        invalid_rows=sum(i.invalid for i in imports),
        verification_answers=answers,
        nik_mismatches=int(mismatch["nik"] or 0),
        birth_date_mismatches=int(mismatch["dob"] or 0),
        unmatched_verification_rows=unmatched_verification,
        unmatched_registration_rows=unmatched_registration,
        unmatched_end_rows=unmatched_end,
        bpjs_only_invoice_lines=bpjs_only,
        appeals=appeals,
        next_as_of=next_as_of,
        max_age=max_age,
        age_fail_next_year=fail,
        age_unknown=unknown,
    )


def _max_age(programme_year: ProgrammeYear) -> int | None:
    """The upper age of the pinned policy's age rule (Pasal 5 ayat (2) huruf b), if any."""
    for rule in programme_year_policy(programme_year=programme_year).rules:
        limit = getattr(getattr(rule, "params", None), "max_age", None)
        if rule.kind == "age" and limit is not None:
            return int(limit)
    return None


def _age_on(age: int, then: date, later: date) -> int:
    """The age in full years on ``later`` of someone ``age`` on ``then``, at the least (the
    birthday's place in the year is not kept with the decision): ``age`` plus the whole years
    between the two dates. With the as-of dates a year apart this is exact."""
    years = later.year - then.year - ((later.month, later.day) < (then.month, then.day))
    return age + max(0, years)
