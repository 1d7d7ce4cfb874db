"""The team's documents: the semester report to the Regent, the minutes, the monthly recap.

Pasal 12 ayat (3): the team reports every six months on optimising the programme, as input
for next year's policy: coverage, money, benefits, the problems found and the team's
recommendations. Pasal 10 ayat (2) huruf e-f: the team monitors and evaluates (minutes of its
meetings); Disnakertrans receives a monthly recap of participants and payments.

Every figure comes from ``monitoring.selectors`` (the monitoring pages' own functions), so the
report says what the pages say; nothing is counted here. The contexts are frozen dataclasses
of formatted values (``50.000``, ``Rp1.008.000.000``, ``1 Juli 2026``) read by the Word
templates (``scripts/build_doc_templates.py``: ``laporan-semester``, ``notulen-monev``) and
their PDF twins (``documents/<name>.html``); charts are drawn with ``core.charts`` (same
Vega-Lite as the pages) and embedded as SVG. No person is named: counts and rupiah only.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.utils import timezone

from payung.core.charts import bar_spec, chart_svg
from payung.core.formatting import angka, bulan, tanggal
from payung.documents.contexts import ChartFigure, Signatory, TeamRow
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.domain.money import rupiah
from payung.monitoring import selectors as figures
from payung.monitoring.models import MonitoringMinutes, MonthlyRecap, SemesterReport
from payung.participants.documents import date_long
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy, team_member_list

REPORT_TEMPLATE: Final = "laporan-semester"
MINUTES_TEMPLATE: Final = "notulen-monev"
RECAP_TEMPLATE: Final = "rekap-bulanan"
ARTICLE: Final = "Pasal 12 ayat (3)"


@dataclass(frozen=True)
class Line:
    """A labelled figure of a table, already formatted: ``value`` is ``50.000`` or ``Rp…``."""

    no: int
    label: str
    value: str


@dataclass(frozen=True)
class MoneyLine:
    no: int
    label: str
    pagu: str
    billed: str
    paid: str
    remaining: str
    forecast: str


@dataclass(frozen=True)
class ClaimLine:
    no: int
    label: str
    count: str
    amount: str


@dataclass(frozen=True)
class SemesterReportContext:
    """Laporan Semester Tim kepada Bupati (Pasal 12 ayat (3)); fields in docs/monitoring.md."""

    region_name: str
    place: str
    year: int
    half: int
    half_roman: str  # "I"
    period_label: str  # "1 Januari 2026 sampai dengan 30 Juni 2026"
    on_long: str  # the day the figures are counted on
    date_long: str  # the day the version was made
    version: int
    article: str
    policy_title: str
    # coverage
    active: str
    decreed: str
    pagu_rupiah: str
    cost_per_person_year_rupiah: str
    pagu_capacity: str
    eligible: str
    gap: str
    gap_cost_rupiah: str
    coverage_lines: list[Line]
    by_kecamatan: list[Line]
    trend: list[Line]
    # money
    sources: list[MoneyLine]
    money_total: MoneyLine
    billed_in_period_rupiah: str
    paid_in_period_rupiah: str
    # benefits
    claims: str
    claims_amount_rupiah: str
    contributions_paid_rupiah: str
    claims_by_type: list[ClaimLine]
    # problems found and the team's recommendations
    problems: list[str]
    recommendations: list[str]
    team: list[TeamRow]
    signer: Signatory
    charts: list[ChartFigure] = field(default_factory=list)


def _region(year: ProgrammeYear) -> str:
    return year.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")


def paragraphs(text: str) -> list[str]:
    """The secretary's text as paragraphs: split on blank lines, inner line breaks kept as
    spaces (Word and the PDF reflow them)."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    return [" ".join(line.strip() for line in b.splitlines() if line.strip()) for b in blocks if b]


def _lines(rows: list[Any], *, money: bool = False) -> list[Line]:
    fmt = rupiah if money else angka
    return [Line(no=i, label=r.label, value=fmt(r.count)) for i, r in enumerate(rows, start=1)]


def chart_figure(
    *,
    name: str,
    title: str,
    labels: list[str],
    values: list[int],
    value_title: str,
    money: bool = False,
) -> ChartFigure | None:
    """A bar chart for the PDF from figures already counted, drawn by ``core.charts``."""
    if not labels or not any(values):
        return None
    spec = bar_spec(labels=labels, values=values, value_title=value_title, title=title, money=money)
    svg = chart_svg(spec)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    fmt = rupiah if money else angka
    return ChartFigure(
        title=title,
        svg=f"data:image/svg+xml;base64,{encoded}",
        headers=("Uraian", value_title),
        rows=[[label, fmt(v)] for label, v in zip(labels, values, strict=True)],
    )


def _problems(money: Any, benefits: Any, quality: Any) -> list[str]:
    """The problems found, as sentences: only those that happened (a zero is no problem)."""
    out: list[str] = []

    def add(count: int, sentence: str) -> None:
        if count:
            out.append(sentence.format(n=angka(count)))

    add(len(money.late), "{n} periode tagihan iuran terlambat dibayar atau belum lunas.")
    add(
        len(money.unreconciled),
        "{n} bulan tagihan belum direkonsiliasi dengan tagihan BPJS Ketenagakerjaan.",
    )
    add(money.near_lapse, "{n} peserta mendekati batas tiga bulan iuran belum dibayar.")
    add(money.lapsed, "{n} peserta melewati batas tiga bulan iuran belum dibayar.")
    add(
        benefits.flagged_not_covered,
        "{n} klaim atas orang yang tidak terdaftar sebagai peserta pada tanggal kejadian.",
    )
    add(benefits.flagged_ended, "{n} klaim atas peserta yang kepesertaannya telah berakhir.")
    add(benefits.unmatched_claim_rows, "{n} baris berkas klaim BPJS tidak cocok dengan peserta.")
    add(quality.invalid_rows, "{n} baris data tidak sah pada berkas yang diimpor.")
    add(quality.nik_mismatches, "{n} NIK tidak sesuai menurut jawaban Disdukcapil.")
    add(
        quality.birth_date_mismatches, "{n} tanggal lahir tidak sesuai menurut jawaban Disdukcapil."
    )
    add(
        quality.unmatched_verification_rows,
        "{n} baris jawaban Disdukcapil tidak cocok dengan calon peserta.",
    )
    add(
        quality.unmatched_registration_rows,
        "{n} baris jawaban pendaftaran BPJS tidak cocok dengan peserta.",
    )
    add(
        quality.unmatched_end_rows,
        "{n} baris data kematian atau pindah tidak cocok dengan peserta.",
    )
    add(quality.bpjs_only_invoice_lines, "{n} baris tagihan BPJS tidak ada dalam tagihan Payung.")
    unanswered = sum(r.count for r in quality.appeals if r.label == "Belum dijawab")
    add(unanswered, "{n} sanggahan belum dijawab.")
    add(
        quality.age_fail_next_year,
        "{n} peserta akan melewati batas usia pada tanggal acuan tahun berikutnya.",
    )
    if not out:
        out.append("Tidak ditemukan masalah pada periode ini.")
    return out


def _team(year: ProgrammeYear) -> tuple[list[TeamRow], Signatory]:
    members = team_member_list(programme_year=year)
    rows = [
        TeamRow(
            no=i, position=m.get_position_display(), name=m.name, agency=m.agency, jabatan=m.jabatan
        )
        for i, m in enumerate(members, start=1)
    ]
    chair = next((m for m in members if m.position == "ketua"), None)
    signer = Signatory(
        title="KETUA TIM PENDATAAN DAN PENETAPAN PEKERJA RENTAN",
        name=chair.name if chair else "",
        nip=chair.nip if chair else "",
    )
    return rows, signer


def semester_report_figures(report: SemesterReport) -> dict[str, Any]:
    """Every figure the report prints, as plain JSON values, from ``monitoring.selectors``:
    counted on the day the version was made (or the half-year's last day, if that came
    first). Kept on the version (``SemesterReport.figures``) the first time, so its PDF and
    DOCX print the same numbers and the second file costs no recount."""
    if report.figures:
        return report.figures
    year = report.programme_year
    start, end = figures.half_year(year=year.year, half=report.half)
    made = timezone.localdate(report.created_at) if report.created_at else timezone.localdate()
    cov = figures.coverage_figures(programme_year=year, start=start, end=end, today=made)
    money = figures.money_figures(programme_year=year, start=start, end=end, today=made)
    ben = figures.benefit_figures(programme_year=year, start=start, end=end)
    quality = figures.data_quality_figures(programme_year=year, start=start, end=end, today=made)

    def source(s: Any) -> list[Any]:
        return [s.label, s.pagu, s.billed, s.paid, s.remaining, s.forecast_year_end]

    data: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "on": cov.on.isoformat(),
        "made": made.isoformat(),
        "coverage": {
            key: getattr(cov, key)
            for key in (
                "active",
                "decreed",
                "pagu",
                "cost_per_person_year",
                "pagu_capacity",
                "eligible",
                "gap",
                "gap_cost_per_year",
            )
        },
        "by_kecamatan": [[r.label, r.count] for r in cov.by_kecamatan],
        "trend": [[r.label, r.active] for r in cov.trend],
        "sources": [source(s) for s in money.sources],
        "money_total": source(money.total),
        "billed_in_period": money.billed_in_period,
        "paid_in_period": money.paid_in_period,
        "claims": ben.claims,
        "claims_amount": ben.claims_amount,
        "contributions_paid": ben.contributions_paid,
        "claims_by_type": [[r.label, r.count, r.amount] for r in ben.by_type],
        "problems": _problems(money, ben, quality),
    }
    SemesterReport.objects.filter(pk=report.pk).update(figures=data)
    report.figures = data
    return data


def _money_line(no: int, row: list[Any]) -> MoneyLine:
    label, pagu, billed, paid, remaining, forecast = row
    return MoneyLine(
        no=no,
        label=label,
        pagu=rupiah(pagu),
        billed=rupiah(billed),
        paid=rupiah(paid),
        remaining=rupiah(remaining),
        forecast=rupiah(forecast),
    )


def semester_report_context(
    report: SemesterReport, *, charts: bool = True
) -> SemesterReportContext:
    """The report of ``report``'s half-year from its kept figures (Pasal 12 ayat (3))."""
    year = report.programme_year
    data = semester_report_figures(report)
    cov = data["coverage"]
    start, end, on, made = (date.fromisoformat(data[k]) for k in ("start", "end", "on", "made"))
    policy = programme_year_policy(programme_year=year)
    team, signer = _team(year)
    total = data["money_total"]
    coverage_lines = [
        Line(1, "Peserta yang ditetapkan Keputusan Bupati", angka(cov["decreed"])),
        Line(2, f"Peserta aktif pada {tanggal(on)}", angka(cov["active"])),
        Line(3, "Peserta yang dapat dibiayai pagu", angka(cov["pagu_capacity"])),
        Line(4, "Pekerja rentan yang memenuhi syarat hasil pendataan", angka(cov["eligible"])),
        Line(5, "Belum tercakup (memenuhi syarat, di luar pagu)", angka(cov["gap"])),
        Line(6, "Biaya setahun untuk mencakup seluruhnya", rupiah(cov["gap_cost_per_year"])),
    ]
    chart_list: list[ChartFigure] = []
    if charts:
        for figure in (
            chart_figure(
                name="kecamatan",
                title=f"Peserta aktif per kecamatan, {tanggal(on)}",
                labels=[r[0] for r in data["by_kecamatan"]],
                values=[r[1] for r in data["by_kecamatan"]],
                value_title="Peserta",
            ),
            chart_figure(
                name="tren",
                title="Peserta aktif menurut bulan",
                labels=[r[0] for r in data["trend"]],
                values=[r[1] for r in data["trend"]],
                value_title="Peserta",
            ),
            chart_figure(
                name="keuangan",
                title="Iuran ditagih dan dibayar sampai dengan periode ini",
                labels=["Pagu", "Ditagih", "Dibayar", "Sisa pagu"],
                values=[total[1], total[2], total[3], total[4]],
                value_title="Rupiah",
                money=True,
            ),
        ):
            if figure is not None:
                chart_list.append(figure)
    return SemesterReportContext(
        region_name=year.region_name,
        place=_region(year),
        year=year.year,
        half=report.half,
        half_roman="I" if report.half == 1 else "II",
        period_label=f"{tanggal(start)} sampai dengan {tanggal(end)}",
        on_long=tanggal(on),
        date_long=tanggal(made),
        version=report.version,
        article=ARTICLE,
        policy_title=policy.title,
        active=angka(cov["active"]),
        decreed=angka(cov["decreed"]),
        pagu_rupiah=rupiah(cov["pagu"]),
        cost_per_person_year_rupiah=rupiah(cov["cost_per_person_year"]),
        pagu_capacity=angka(cov["pagu_capacity"]),
        eligible=angka(cov["eligible"]),
        gap=angka(cov["gap"]),
        gap_cost_rupiah=rupiah(cov["gap_cost_per_year"]),
        coverage_lines=coverage_lines,
        by_kecamatan=[
            Line(i, label, angka(n)) for i, (label, n) in enumerate(data["by_kecamatan"], 1)
        ],
        trend=[Line(i, label, angka(n)) for i, (label, n) in enumerate(data["trend"], 1)],
        sources=[_money_line(i, s) for i, s in enumerate(data["sources"], start=1)],
        money_total=_money_line(0, total),
        billed_in_period_rupiah=rupiah(data["billed_in_period"]),
        paid_in_period_rupiah=rupiah(data["paid_in_period"]),
        claims=angka(data["claims"]),
        claims_amount_rupiah=rupiah(data["claims_amount"]),
        contributions_paid_rupiah=rupiah(data["contributions_paid"]),
        claims_by_type=[
            ClaimLine(no=i, label=label, count=angka(n), amount=rupiah(amount))
            for i, (label, n, amount) in enumerate(data["claims_by_type"], start=1)
        ],
        problems=list(data["problems"]),
        recommendations=paragraphs(report.recommendations),
        team=team,
        signer=signer,
        charts=chart_list,
    )


# --- minutes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesContext:
    """Notulen Rapat Monitoring dan Evaluasi (Pasal 10 ayat (2) huruf e-f)."""

    region_name: str
    place: str
    year: int
    date_long: str  # "Rabu, 1 Juli 2026"
    meeting_place: str
    team: list[TeamRow]
    figures: list[Line]
    findings: list[str]
    decisions: list[str]
    signer: Signatory


def minutes_context(minutes: MonitoringMinutes) -> MinutesContext:
    """The minutes, with the year's figures counted on the meeting's date."""
    year = minutes.programme_year
    start = date(year.year, 1, 1)
    day = minutes.held_on
    cov = figures.coverage_figures(programme_year=year, start=start, end=day, today=day)
    money = figures.money_figures(programme_year=year, start=start, end=day, today=day)
    ben = figures.benefit_figures(programme_year=year, start=start, end=day)
    team, signer = _team(year)
    return MinutesContext(
        region_name=year.region_name,
        place=_region(year),
        year=year.year,
        date_long=date_long(day, weekday=True),
        meeting_place=minutes.place,
        team=team,
        figures=[
            Line(1, "Peserta yang ditetapkan", angka(cov.decreed)),
            Line(2, f"Peserta aktif pada {tanggal(cov.on)}", angka(cov.active)),
            Line(3, "Pekerja rentan memenuhi syarat yang belum tercakup", angka(cov.gap)),
            Line(4, "Iuran ditagih sejak 1 Januari", rupiah(money.billed_in_period)),
            Line(5, "Iuran dibayar sejak 1 Januari", rupiah(money.paid_in_period)),
            Line(6, "Klaim JKK dan JKM", f"{angka(ben.claims)} ({rupiah(ben.claims_amount)})"),
        ],
        findings=paragraphs(minutes.findings),
        decisions=paragraphs(minutes.decisions),
        signer=signer,
    )


# --- monthly recap -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecapContext:
    """Rekap bulanan peserta dan pembayaran untuk Disnakertrans."""

    region_name: str
    place: str
    year: int
    month_label: str  # "Maret 2026"
    on_long: str
    date_long: str
    active: str
    decreed: str
    pagu_capacity: str
    by_kecamatan: list[Line]
    billed_in_month: str
    paid_in_month: str
    sources: list[MoneyLine]
    money_total: MoneyLine
    # raw integers for the XLSX (a spreadsheet sums them)
    kecamatan_counts: list[tuple[str, int]] = field(default_factory=list)
    source_amounts: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    active_count: int = 0
    billed_count: int = 0
    paid_count: int = 0


def recap_context(recap: MonthlyRecap) -> RecapContext:
    year = recap.programme_year
    start = date(year.year, recap.month, 1)
    end = _month_last(start)
    made = timezone.localdate(recap.created_at) if recap.created_at else timezone.localdate()
    cov = figures.coverage_figures(programme_year=year, start=start, end=end, today=made)
    money = figures.money_figures(programme_year=year, start=start, end=end, today=made)

    def money_line(no: int, s: Any) -> MoneyLine:
        return MoneyLine(
            no=no,
            label=s.label,
            pagu=rupiah(s.pagu),
            billed=rupiah(s.billed),
            paid=rupiah(s.paid),
            remaining=rupiah(s.remaining),
            forecast=rupiah(s.forecast_year_end),
        )

    return RecapContext(
        region_name=year.region_name,
        place=_region(year),
        year=year.year,
        month_label=bulan(start),
        on_long=tanggal(cov.on),
        date_long=tanggal(made),
        active=angka(cov.active),
        decreed=angka(cov.decreed),
        pagu_capacity=angka(cov.pagu_capacity),
        by_kecamatan=_lines(cov.by_kecamatan),
        billed_in_month=rupiah(money.billed_in_period),
        paid_in_month=rupiah(money.paid_in_period),
        sources=[money_line(i, s) for i, s in enumerate(money.sources, start=1)],
        money_total=money_line(0, money.total),
        kecamatan_counts=[(r.label, r.count) for r in cov.by_kecamatan],
        source_amounts=[(s.label, s.pagu, s.billed, s.paid, s.remaining) for s in money.sources],
        active_count=cov.active,
        billed_count=money.billed_in_period,
        paid_count=money.paid_in_period,
    )


def _month_last(first: date) -> date:
    import calendar

    return date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def recap_xlsx_bytes(context: RecapContext) -> bytes:
    """The recap as a workbook: REKAP (figures as numbers), KECAMATAN, SUMBER DANA and
    PETUNJUK; text cells neutralised (core.exports) though none comes from a person."""
    import xlsxwriter

    from payung.core.exports import neutralise

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0"})

    def sheet(name: str, headers: list[str], rows: list[list[Any]]) -> None:
        ws = book.add_worksheet(name)
        for col, header in enumerate(headers):
            ws.write_string(0, col, header, bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, int) and not isinstance(value, bool):
                    ws.write_number(r, col, value, number)
                else:
                    ws.write_string(r, col, neutralise(str(value)))
        ws.set_column(0, 0, 44)
        ws.set_column(1, max(1, len(headers) - 1), 18)

    sheet(
        "REKAP",
        [f"Rekap bulanan {context.month_label}, {context.region_name}", "Jumlah"],
        [
            ["Peserta aktif pada akhir bulan", context.active_count],
            ["Iuran ditagih dalam bulan (Rp)", context.billed_count],
            ["Iuran dibayar dalam bulan (Rp)", context.paid_count],
        ],
    )
    sheet(
        "KECAMATAN",
        ["Kecamatan", "Peserta aktif"],
        [[label, count] for label, count in context.kecamatan_counts]
        + [["Jumlah", context.active_count]],
    )
    sheet(
        "SUMBER DANA",
        ["Sumber dana", "Pagu (Rp)", "Ditagih (Rp)", "Dibayar (Rp)", "Sisa (Rp)"],
        [list(row) for row in context.source_amounts],
    )
    guide = book.add_worksheet("PETUNJUK")
    for i, line in enumerate(
        (
            "Rekap bulanan peserta dan pembayaran iuran Jaminan Sosial Ketenagakerjaan bagi "
            "pekerja rentan, untuk Dinas Tenaga Kerja dan Transmigrasi.",
            "REKAP: angka bulan ini. KECAMATAN: peserta aktif pada hari terakhir bulan.",
            "SUMBER DANA: pagu, ditagih, dibayar dan sisa sejak 1 Januari (Pasal 13).",
            "Angka uang dalam rupiah bulat. Berkas ini tidak memuat data pribadi.",
        )
    ):
        guide.write_string(i, 0, line)
    guide.set_column(0, 0, 100)
    book.close()
    return out.getvalue()


# --- builders (documents.services.document_generate calls these with the Document) ------------


def _report(document: Any) -> SemesterReport:
    return SemesterReport.objects.select_related("programme_year").get(pk=subject_pk(document))


def semester_report_pdf(document: Any) -> bytes:
    return pdf_render(REPORT_TEMPLATE, semester_report_context(_report(document)))


def semester_report_docx(document: Any) -> bytes:
    return docx_render(REPORT_TEMPLATE, semester_report_context(_report(document), charts=False))


def _minutes(document: Any) -> MonitoringMinutes:
    return MonitoringMinutes.objects.select_related("programme_year").get(pk=subject_pk(document))


def minutes_pdf(document: Any) -> bytes:
    return pdf_render(MINUTES_TEMPLATE, minutes_context(_minutes(document)))


def minutes_docx(document: Any) -> bytes:
    return docx_render(MINUTES_TEMPLATE, minutes_context(_minutes(document)))


def _recap(document: Any) -> MonthlyRecap:
    return MonthlyRecap.objects.select_related("programme_year").get(pk=subject_pk(document))


def monthly_recap_pdf(document: Any) -> bytes:
    return pdf_render(RECAP_TEMPLATE, recap_context(_recap(document)))


def monthly_recap_xlsx(document: Any) -> bytes:
    return recap_xlsx_bytes(recap_context(_recap(document)))
