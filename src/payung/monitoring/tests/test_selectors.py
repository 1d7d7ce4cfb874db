"""Every monitoring figure against a direct count of the same rows (issue 14).

The selectors count in the database (GROUP BY, conditional counts); the tests count the same
rows one by one in Python, so a wrong filter, join or period boundary shows as a difference.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from payung.appeals.models import Appeal
from payung.contributions.models import BillLine, Payment
from payung.core.places import kecamatan_name
from payung.domain import wilayah
from payung.ends.models import Claim
from payung.monitoring import selectors
from payung.monitoring.tests.factories import MonitoringYear, monitoring_year
from payung.participants.forecast import place_cost
from payung.participants.models import DECREED_OR_LATER, Candidate, CoveragePeriod
from payung.verification.models import Answer, VerificationItem

pytestmark = pytest.mark.django_db

H1 = selectors.half_year(year=2026, half=1)
TODAY = date(2026, 6, 30)


@pytest.fixture
def data() -> MonitoringYear:
    return monitoring_year()


def _active_on(day: date) -> list[Candidate]:
    """Direct count: every candidate with a period covering ``day``, read row by row."""
    ids = {
        p.candidate_id
        for p in CoveragePeriod.objects.all()
        if p.start <= day and (p.end is None or p.end >= day)
    }
    return list(Candidate.objects.filter(pk__in=ids).select_related("person", "decision"))


def _rows(rows: list[Any]) -> dict[str, int]:
    return {r.label: r.count for r in rows if r.count}


def test_half_year_bounds() -> None:
    assert selectors.half_year(year=2026, half=1) == (date(2026, 1, 1), date(2026, 6, 30))
    assert selectors.half_year(year=2026, half=2) == (date(2026, 7, 1), date(2026, 12, 31))


def test_coverage_totals_match_direct_counts(data: MonitoringYear) -> None:
    year = data.year
    figures = selectors.coverage_figures(programme_year=year, start=H1[0], end=H1[1], today=TODAY)
    active = _active_on(TODAY)
    assert figures.on == TODAY
    assert figures.active == len(active) > 0
    decreed = [c for c in Candidate.objects.all() if c.state in DECREED_OR_LATER]
    assert figures.decreed == len(decreed)
    pagu = sum(line.amount for line in year.budget_lines.all())
    assert figures.pagu == pagu
    # One person-year at the pinned policy's dated rates: twelve months of JKK + JKM.
    assert figures.cost_per_person_year == place_cost(programme_year=year, from_month=H1[0])
    assert figures.cost_per_person_year == 12 * (10_000 + 6_800)
    assert figures.pagu_capacity == pagu // figures.cost_per_person_year
    by_status = year.screening_runs.get().counts["by_status"]
    eligible = sum(by_status.get(s, 0) for s in ("eligible", "selected", "waitlisted"))
    assert figures.eligible == eligible
    assert figures.gap == eligible - len(active)
    assert figures.gap_cost_per_year == figures.gap * figures.cost_per_person_year


def test_active_counted_on_the_period_end_or_today(data: MonitoringYear) -> None:
    """Before the ended participants' end they count; in the second half they do not."""
    early = selectors.coverage_figures(programme_year=data.year, today=date(2026, 1, 20))
    assert early.on == date(2026, 1, 20)
    assert early.active == len(_active_on(date(2026, 1, 20)))
    late = selectors.coverage_figures(
        programme_year=data.year, start=date(2026, 7, 1), end=date(2026, 12, 31), today=TODAY
    )
    assert late.on == date(2026, 7, 1)  # a period not begun yet is counted on its first day
    assert late.active == len(_active_on(date(2026, 7, 1)))
    assert early.active != late.active


def test_coverage_breakdowns_match_direct_counts(data: MonitoringYear) -> None:
    figures = selectors.coverage_figures(programme_year=data.year, today=TODAY)
    active = _active_on(TODAY)
    kecamatan = Counter(kecamatan_name(wilayah.kecamatan_code(c.person.kode_desa)) for c in active)
    assert _rows(figures.by_kecamatan) == dict(kecamatan)
    assert {"Sumur", "Cimanggu"} <= set(kecamatan)  # names, never codes
    assert sum(r.count for r in figures.by_desa) == len(active)
    assert {r.desa for r in figures.by_desa} == {"Desa Sumberjaya", "Desa Rancapinang"}
    sexes = Counter("Laki-laki" if c.person.jenis_kelamin == "L" else "Perempuan" for c in active)
    assert _rows(figures.by_sex) == dict(sexes)
    deciles = Counter(c.decision.desil if c.decision else None for c in active)
    decile_rows = _rows(figures.by_decile)
    assert decile_rows.get("Desil I", 0) == deciles[1]
    assert decile_rows.get("Desil III", 0) == deciles[3]
    assert decile_rows.get("Tidak diketahui", 0) == deciles[None]
    occupations = Counter(c.decision.occupation_category if c.decision else "" for c in active)
    occupation_rows = _rows(figures.by_occupation)
    assert occupation_rows["a. petani"] == occupations["petani"]
    assert occupation_rows["b. nelayan"] == occupations["nelayan"]
    assert occupation_rows["Tidak diketahui"] == occupations[""]
    bands = Counter()
    for c in active:
        age = c.decision.age if c.decision else None
        band = next(
            (f"{lo}–{hi} tahun" for lo, hi in selectors.AGE_BANDS if age and lo <= age <= hi),
            "Tidak diketahui",
        )
        bands[band] += 1
    assert _rows(figures.by_age_band) == dict(bands)
    with_a = sum(1 for c in active if c.decision and "7(2)a" in c.decision.priorities)
    none = sum(1 for c in active if not (c.decision and c.decision.priorities))
    priority_rows = _rows(figures.by_priority)
    assert priority_rows["Pasal 7 ayat (2) huruf a"] == with_a
    assert priority_rows["Tanpa prioritas"] == none


def test_trend_counts_each_month_end(data: MonitoringYear) -> None:
    figures = selectors.coverage_figures(
        programme_year=data.year, start=H1[0], end=H1[1], today=date(2026, 4, 10)
    )
    assert [r.label for r in figures.trend] == [
        "Januari 2026",
        "Februari 2026",
        "Maret 2026",
        "April 2026",
    ]
    ends = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 10)]
    assert [r.active for r in figures.trend] == [len(_active_on(d)) for d in ends]


def test_money_matches_bills_and_payments(data: MonitoringYear) -> None:
    year = data.year
    figures = selectors.money_figures(programme_year=year, start=H1[0], end=H1[1], today=TODAY)
    lines = list(BillLine.objects.filter(bill__programme_year=year))
    billed = sum(line.jkk + line.jkm for line in lines)
    confirmed = [p for p in Payment.objects.all() if p.status == Payment.Status.CONFIRMED]
    assert figures.total.billed == billed == figures.billed_in_period
    assert figures.total.paid == sum(p.amount for p in confirmed) == figures.paid_in_period
    assert figures.total.pagu == sum(b.amount for b in year.budget_lines.all())
    assert figures.total.remaining == figures.total.pagu - billed
    assert figures.total.forecast_year_end >= billed
    assert [s.label for s in figures.sources] == [
        "APBD Kabupaten",
        "Sumber lain yang sah dan tidak mengikat",
    ]
    assert sum(s.pagu for s in figures.sources) == figures.total.pagu
    per_month = Counter()
    for line in lines:
        per_month[line.month] += line.jkk + line.jkm
    assert {r.month: r.billed for r in figures.by_month} == dict(per_month)
    # February partly paid and March unpaid are late by 30 June; January is settled.
    assert [p.bill_number for p in figures.late] == [2, 3]
    assert figures.late[0].outstanding == 10_000 + 6_800
    # January is reconciled (closed); February and March are not.
    assert [r.month.month for r in figures.unreconciled] == [2, 3]


def test_money_period_restricts_billed_and_paid(data: MonitoringYear) -> None:
    figures = selectors.money_figures(
        programme_year=data.year, start=date(2026, 2, 1), end=date(2026, 2, 28), today=TODAY
    )
    feb = [
        line
        for line in BillLine.objects.filter(bill__programme_year=data.year)
        if line.month == date(2026, 2, 1)
    ]
    assert figures.billed_in_period == sum(line.jkk + line.jkm for line in feb)
    paid_feb = [p for p in Payment.objects.all() if p.paid_on.month == 2]
    assert figures.paid_in_period == sum(p.amount for p in paid_feb)


def test_near_lapse_counts_three_unpaid_months(data: MonitoringYear) -> None:
    """February's bill is only partly paid and March's not at all; April is not billed. On
    30 April everyone covered since February has three unpaid months in a row (near lapse),
    on 31 May four (more than BPJS allows: lapsed)."""
    since_feb = {c.pk for c in _active_on(date(2026, 2, 1))}
    april = selectors.money_figures(programme_year=data.year, today=date(2026, 4, 30))
    expected = [c for c in _active_on(date(2026, 4, 30)) if c.pk in since_feb]
    assert april.near_lapse == len(expected) > 0
    assert april.lapsed == 0
    may = selectors.money_figures(programme_year=data.year, today=date(2026, 5, 31))
    assert may.lapsed == len([c for c in _active_on(date(2026, 5, 31)) if c.pk in since_feb])


def test_benefits_match_claims(data: MonitoringYear) -> None:
    year = data.year
    figures = selectors.benefit_figures(programme_year=year, start=H1[0], end=H1[1])
    claims = [c for c in Claim.objects.select_related("candidate__person") if c.event_date <= H1[1]]
    assert figures.claims == len(claims)
    assert figures.claims_amount == sum(c.amount_paid for c in claims if c.status == "DIBAYAR")
    by_type = Counter(c.claim_type for c in claims)
    assert {r.label: r.count for r in figures.by_type} == {
        "Jaminan Kecelakaan Kerja": by_type["JKK"],
        "Jaminan Kematian": by_type["JKM"],
    }
    jkm = next(r for r in figures.by_type if r.label == "Jaminan Kematian")
    assert jkm.amount == sum(
        c.amount_paid for c in claims if c.claim_type == "JKM" and c.status == "DIBAYAR"
    )
    kec = Counter(
        kecamatan_name(wilayah.kecamatan_code(c.candidate.person.kode_desa)) for c in claims
    )
    assert {r.label: r.count for r in figures.by_kecamatan} == dict(kec)
    assert sum(r.amount for r in figures.by_occupation) == figures.claims_amount
    assert sum(r.count for r in figures.by_status) == figures.claims

    def covered(claim: Claim) -> bool:
        return any(
            p.start <= claim.event_date and (p.end is None or p.end >= claim.event_date)
            for p in CoveragePeriod.objects.filter(candidate=claim.candidate)
        )

    def ended_before(claim: Claim) -> bool:
        return any(
            p.end is not None and p.end < claim.event_date
            for p in CoveragePeriod.objects.filter(candidate=claim.candidate)
        )

    flagged = [c for c in claims if not covered(c)]
    assert figures.flagged_ended == sum(1 for c in flagged if ended_before(c)) == 1
    assert figures.flagged_not_covered == sum(1 for c in flagged if not ended_before(c)) == 1
    assert figures.unmatched_claim_rows == 1
    paid = sum(p.amount for p in Payment.objects.all() if H1[0] <= p.paid_on <= H1[1])
    assert figures.contributions_paid == paid


def test_flagged_claims_list_masks_nik_and_kpj(data: MonitoringYear) -> None:
    rows = selectors.benefit_flagged_claims(programme_year=data.year, start=H1[0], end=H1[1])
    assert len(rows) == 2
    for row in rows:
        assert "*" in row.nik_masked and "*" in row.kpj_masked
    nik = data.groups["never"][0].nik
    assert all(nik not in (r.nik_masked, r.kpj_masked) for r in rows)


def test_data_quality_matches_direct_counts(data: MonitoringYear) -> None:
    year = data.year
    figures = selectors.data_quality_figures(
        programme_year=year, start=H1[0], end=H1[1], today=TODAY
    )
    imports = list(year.imports.all())
    assert figures.invalid_rows == sum(i.invalid_count or 0 for i in imports) > 0
    items = [i for i in VerificationItem.objects.all() if i.answer]
    answers = Counter(str(Answer(i.answer).label) for i in items)
    assert _rows(figures.verification_answers) == dict(answers)
    differing = [i for i in items if i.answer == Answer.DATA_BERBEDA]
    assert figures.nik_mismatches == sum(1 for i in differing if "nik" in i.corrected)
    assert figures.birth_date_mismatches == sum(
        1 for i in differing if "tanggal_lahir" in i.corrected
    )
    assert figures.unmatched_verification_rows == 2
    assert figures.unmatched_end_rows == 1
    assert figures.bpjs_only_invoice_lines == 1
    appeals = [a for a in Appeal.objects.all() if H1[0] <= a.received_on <= H1[1]]
    outcomes = Counter(
        str(Appeal.Outcome(a.outcome).label) if a.outcome else "Belum dijawab" for a in appeals
    )
    assert _rows(figures.appeals) == dict(outcomes)
    assert figures.next_as_of == date(2027, 1, 1)
    assert figures.max_age == 64
    active = _active_on(TODAY)
    too_old = [c for c in active if c.decision and c.decision.age + 1 > 64]
    assert figures.age_fail_next_year == len(too_old) == 1
    assert figures.age_unknown == sum(1 for c in active if c.decision is None)


def test_figures_are_aggregates(data: MonitoringYear, django_assert_max_num_queries: Any) -> None:
    """The query count does not grow with the participants: GROUP BYs, no loop per person."""
    kwargs = {"programme_year": data.year, "start": H1[0], "end": H1[1], "today": TODAY}
    with django_assert_max_num_queries(20):
        selectors.coverage_figures(**kwargs)
    with django_assert_max_num_queries(12):
        selectors.benefit_figures(programme_year=data.year, start=H1[0], end=H1[1])
    with django_assert_max_num_queries(16):
        selectors.data_quality_figures(**kwargs)
