"""The monitoring figures as charts (``core.charts``): each with its table and downloads.

Four sections, as the team reads them (Pasal 10 ayat (2) huruf e-g): Cakupan (coverage),
Keuangan (money), Manfaat (benefits), Kualitas data (data quality). Every chart is built
from one of ``monitoring.selectors``' frozen figures, so the page, the downloads and the
semester report's PDF (which embeds ``Chart.svg``) print the same numbers. Aggregates only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from django.utils.translation import gettext as _

from payung.core import charts
from payung.core.charts import Chart, ChartTable
from payung.monitoring import selectors
from payung.programmes.models import ProgrammeYear

#: The sections in page order, by the slug their tab uses.
SECTIONS: Final[tuple[str, ...]] = ("cakupan", "keuangan", "manfaat", "kualitas")


def section_title(section: str) -> str:
    return {
        "cakupan": _("Cakupan"),
        "keuangan": _("Keuangan"),
        "manfaat": _("Manfaat"),
        "kualitas": _("Kualitas data"),
    }[section]


def _count_chart(
    *,
    name: str,
    title: str,
    description: str,
    header: str,
    rows: list[selectors.CountRow],
    total: bool = True,
    unit: str | None = None,
) -> Chart:
    unit = unit or _("Orang")
    return Chart(
        name=name,
        title=title,
        description=description,
        table=ChartTable(
            headers=(header, _("Jumlah (%(unit)s)") % {"unit": unit.lower()}),
            rows=tuple((r.label, r.count) for r in rows),
            total=(_("Jumlah"), sum(r.count for r in rows)) if total else None,
        ),
        spec=charts.bar_spec(
            labels=[r.label for r in rows],
            values=[r.count for r in rows],
            value_title=unit,
            title=title,
        ),
    )


def _money_chart(
    *,
    name: str,
    title: str,
    description: str,
    header: str,
    rows: list[tuple[str, int]],
    total: bool = False,
) -> Chart:
    return Chart(
        name=name,
        title=title,
        description=description,
        table=ChartTable(
            headers=(header, _("Rupiah")),
            rows=tuple(rows),
            money=True,
            total=(_("Jumlah"), sum(v for _l, v in rows)) if total else None,
        ),
        spec=charts.bar_spec(
            labels=[label for label, _v in rows],
            values=[v for _l, v in rows],
            value_title=_("Rupiah"),
            title=title,
            money=True,
        ),
    )


# --- Cakupan ----------------------------------------------------------------------------------


def coverage_charts(figures: selectors.CoverageFigures) -> list[Chart]:
    """Coverage against the decree, the pagu and the eligible, then the breakdowns."""
    overview = [
        selectors.CountRow(_("Memenuhi syarat"), figures.eligible),
        selectors.CountRow(_("Daya tampung pagu"), figures.pagu_capacity),
        selectors.CountRow(_("Ditetapkan"), figures.decreed),
        selectors.CountRow(_("Peserta aktif"), figures.active),
    ]
    desa_rows = [
        selectors.CountRow(f"{r.desa}, {_('Kec.')} {r.kecamatan}", r.count) for r in figures.by_desa
    ]
    trend = [selectors.CountRow(r.label, r.active) for r in figures.trend]
    return [
        _count_chart(
            name="cakupan",
            title=_("Peserta aktif, ditetapkan, daya tampung pagu dan yang memenuhi syarat"),
            description=_(
                "Peserta aktif pada tanggal acuan, peserta yang ditetapkan dengan keputusan "
                "Bupati (Pasal 7 ayat (4)), jumlah orang yang dapat dibiayai pagu setahun penuh "
                "(Pasal 6 ayat (2)) dan orang yang memenuhi syarat Pasal 5 menurut penyaringan."
            ),
            header=_("Uraian"),
            rows=overview,
            total=False,
        ),
        _count_chart(
            name="cakupan-bulan",
            title=_("Peserta aktif per bulan"),
            description=_(
                "Peserta aktif pada hari terakhir setiap bulan (Pasal 10 ayat (2) huruf e)."
            ),
            header=_("Bulan"),
            rows=trend,
            total=False,
        ),
        _count_chart(
            name="cakupan-kecamatan",
            title=_("Peserta aktif per kecamatan"),
            description=_("Menurut kode desa tempat tinggal peserta pada data DTSEN."),
            header=_("Kecamatan"),
            rows=figures.by_kecamatan,
        ),
        _count_chart(
            name="cakupan-desa",
            title=_("Peserta aktif per desa"),
            description=_("Menurut kode desa tempat tinggal peserta pada data DTSEN."),
            header=_("Desa"),
            rows=desa_rows,
        ),
        _count_chart(
            name="cakupan-pekerjaan",
            title=_("Peserta aktif per kelompok pekerjaan"),
            description=_("Kelompok Pekerja Rentan Pasal 5 ayat (1) menurut penyaringan."),
            header=_("Kelompok pekerjaan"),
            rows=figures.by_occupation,
        ),
        _count_chart(
            name="cakupan-kelamin",
            title=_("Peserta aktif menurut jenis kelamin"),
            description=_("Menurut data DTSEN peserta."),
            header=_("Jenis kelamin"),
            rows=figures.by_sex,
        ),
        _count_chart(
            name="cakupan-usia",
            title=_("Peserta aktif menurut kelompok usia"),
            description=_(
                "Usia pada tanggal acuan penyaringan (Pasal 5 ayat (2) huruf b: 18 sampai "
                "64 tahun)."
            ),
            header=_("Kelompok usia"),
            rows=figures.by_age_band,
        ),
        _count_chart(
            name="cakupan-desil",
            title=_("Peserta aktif menurut desil"),
            description=_("Desil kesejahteraan DTSEN (Pasal 5 ayat (2) huruf d)."),
            header=_("Desil"),
            rows=figures.by_decile,
        ),
        _count_chart(
            name="cakupan-prioritas",
            title=_("Peserta aktif menurut prioritas"),
            description=_(
                "Prioritas Pasal 7 ayat (2); satu orang dapat memenuhi lebih dari satu prioritas."
            ),
            header=_("Prioritas"),
            rows=figures.by_priority,
            total=False,
        ),
    ]


# --- Keuangan ---------------------------------------------------------------------------------


def money_charts(figures: selectors.MoneyFigures) -> list[Chart]:
    t = figures.total
    title = _("Pagu, tagihan, pembayaran dan perkiraan sampai Desember")
    headers = (
        _("Sumber dana"),
        _("Pagu"),
        _("Ditagih"),
        _("Dibayar (SP2D)"),
        _("Sisa pagu"),
        _("Perkiraan s.d. Desember"),
    )
    source_rows = tuple(
        (s.label, s.pagu, s.billed, s.paid, s.remaining, s.forecast_year_end)
        for s in figures.sources
    )
    sources = Chart(
        name="keuangan-sumber",
        title=title,
        description=_(
            "Pagu menurut sumber dana (Pasal 13), iuran yang ditagih dan dibayar (Pasal 9), "
            "sisa pagu dan perkiraan tagihan sampai Desember dari peserta yang tercakup sekarang."
        ),
        table=ChartTable(
            headers=headers,
            rows=source_rows,
            money=True,
            total=(t.label, t.pagu, t.billed, t.paid, t.remaining, t.forecast_year_end),
        ),
        spec=charts.bar_spec(
            labels=list(headers[1:]),
            values=[t.pagu, t.billed, t.paid, t.remaining, t.forecast_year_end],
            value_title=_("Rupiah"),
            title=title,
            money=True,
        ),
    )
    return [
        sources,
        _money_chart(
            name="keuangan-bulan",
            title=_("Iuran ditagih per bulan"),
            description=_(
                "Iuran JKK dan JKM yang ditagih untuk setiap bulan kepesertaan, termasuk koreksi "
                "(Pasal 9 ayat (1))."
            ),
            header=_("Bulan"),
            rows=[(r.label, r.billed) for r in figures.by_month],
            total=True,
        ),
        _money_chart(
            name="keuangan-terlambat",
            title=_("Tagihan terlambat dibayar"),
            description=_(
                "Tagihan yang belum lunas setelah jatuh tempo (tanggal 15 bulan pertama, atau "
                "tanggal yang dijanjikan untuk sisa pembayaran): kekurangannya."
            ),
            header=_("Periode"),
            rows=[
                (_("Tagihan %(n)s (%(p)s)") % {"n": r.bill_number, "p": r.period}, r.outstanding)
                for r in figures.late
            ],
            total=True,
        ),
        _money_chart(
            name="keuangan-rekonsiliasi",
            title=_("Bulan yang belum direkonsiliasi"),
            description=_(
                "Bulan yang sudah ditagih tetapi belum tercakup rekonsiliasi yang ditutup dengan "
                "tagihan BPJS Ketenagakerjaan."
            ),
            header=_("Bulan"),
            rows=[(r.label, r.billed) for r in figures.unreconciled],
            total=True,
        ),
    ]


# --- Manfaat ----------------------------------------------------------------------------------


def benefit_charts(figures: selectors.BenefitFigures) -> list[Chart]:
    def counts(rows: list[selectors.ClaimRow]) -> list[selectors.CountRow]:
        return [selectors.CountRow(r.label, r.count) for r in rows]

    return [
        _count_chart(
            name="manfaat-jenis",
            title=_("Klaim menurut jenis"),
            description=_(
                "Klaim JKK dan JKM dari berkas klaim BPJS Ketenagakerjaan dengan tanggal "
                "kejadian dalam periode (Pasal 10 ayat (2) huruf g)."
            ),
            header=_("Jenis klaim"),
            rows=counts(figures.by_type),
            unit=_("Klaim"),
        ),
        _money_chart(
            name="manfaat-iuran",
            title=_("Iuran dibayar dan manfaat diterima"),
            description=_(
                "Iuran yang dibayar Pemerintah Daerah (SP2D dalam periode) dibandingkan dengan "
                "nilai klaim yang dibayar BPJS Ketenagakerjaan."
            ),
            header=_("Uraian"),
            rows=[
                (_("Iuran dibayar (SP2D)"), figures.contributions_paid),
                *((_("Manfaat %(t)s") % {"t": r.label}, r.amount) for r in figures.by_type),
            ],
        ),
        _count_chart(
            name="manfaat-status",
            title=_("Klaim menurut status"),
            description=_("Status klaim menurut berkas klaim BPJS Ketenagakerjaan."),
            header=_("Status"),
            rows=counts(figures.by_status),
            unit=_("Klaim"),
        ),
        _count_chart(
            name="manfaat-kecamatan",
            title=_("Klaim per kecamatan"),
            description=_("Menurut kode desa tempat tinggal peserta pada data DTSEN."),
            header=_("Kecamatan"),
            rows=counts(figures.by_kecamatan),
            unit=_("Klaim"),
        ),
        _count_chart(
            name="manfaat-pekerjaan",
            title=_("Klaim per kelompok pekerjaan"),
            description=_("Kelompok Pekerja Rentan Pasal 5 ayat (1) menurut penyaringan."),
            header=_("Kelompok pekerjaan"),
            rows=counts(figures.by_occupation),
            unit=_("Klaim"),
        ),
    ]


# --- Kualitas data ----------------------------------------------------------------------------


def data_quality_charts(figures: selectors.DataQualityFigures) -> list[Chart]:
    problems = [
        selectors.CountRow(_("NIK berbeda"), figures.nik_mismatches),
        selectors.CountRow(_("Tanggal lahir berbeda"), figures.birth_date_mismatches),
        selectors.CountRow(_("Jawaban Disdukcapil tak cocok"), figures.unmatched_verification_rows),
        selectors.CountRow(_("Jawaban BPJS tak cocok"), figures.unmatched_registration_rows),
        selectors.CountRow(_("Berkas akhir/klaim tak cocok"), figures.unmatched_end_rows),
        selectors.CountRow(_("Hanya di tagihan BPJS"), figures.bpjs_only_invoice_lines),
        selectors.CountRow(
            _("Lewat batas usia %(d)s") % {"d": _date_label(figures.next_as_of)},
            figures.age_fail_next_year,
        ),
    ]
    return [
        _count_chart(
            name="kualitas-impor",
            title=_("Baris tidak valid per impor DTSEN"),
            description=_(
                "Baris data DTSEN yang tidak dapat dinilai (data tidak lengkap atau rusak), per "
                "berkas yang diimpor untuk tahun ini."
            ),
            header=_("Berkas"),
            rows=[
                selectors.CountRow(
                    _("Impor %(n)s, %(d)s") % {"n": n, "d": _date_label(i.uploaded_on)}, i.invalid
                )
                for n, i in enumerate(figures.imports, start=1)
            ],
            unit=_("Baris"),
        ),
        _count_chart(
            name="kualitas-masalah",
            title=_("Masalah data yang ditemukan"),
            description=_(
                "Ketidaksesuaian dari verifikasi Disdukcapil (Pasal 7 ayat (3)), baris berkas "
                "BPJS dan Disdukcapil tanpa pasangan, dan peserta yang tidak lagi memenuhi "
                "batas usia Pasal 5 ayat (2) huruf b pada tanggal acuan tahun berikutnya."
            ),
            header=_("Masalah"),
            rows=problems,
            total=False,
            unit=_("Temuan"),
        ),
        _count_chart(
            name="kualitas-verifikasi",
            title=_("Hasil verifikasi Disdukcapil"),
            description=_("Jawaban Disdukcapil atas calon peserta (Pasal 7 ayat (3))."),
            header=_("Hasil"),
            rows=figures.verification_answers,
        ),
        _count_chart(
            name="kualitas-sanggahan",
            title=_("Sanggahan dan hasilnya"),
            description=_("Sanggahan yang diterima dalam periode, menurut hasil jawabannya."),
            header=_("Hasil"),
            rows=figures.appeals,
            unit=_("Sanggahan"),
        ),
    ]


def _date_label(day: date) -> str:
    from payung.core.formatting import tanggal

    return tanggal(day)


# --- by section -------------------------------------------------------------------------------


def section_figures(
    *,
    programme_year: ProgrammeYear,
    section: str,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> object:
    """The section's frozen figures (``monitoring.selectors``)."""
    if section == "cakupan":
        return selectors.coverage_figures(
            programme_year=programme_year, start=start, end=end, today=today
        )
    if section == "keuangan":
        return selectors.money_figures(
            programme_year=programme_year, start=start, end=end, today=today
        )
    if section == "manfaat":
        return selectors.benefit_figures(programme_year=programme_year, start=start, end=end)
    return selectors.data_quality_figures(
        programme_year=programme_year, start=start, end=end, today=today
    )


_BUILDERS: Final[dict[str, Callable[..., list[Chart]]]] = {
    "cakupan": coverage_charts,
    "keuangan": money_charts,
    "manfaat": benefit_charts,
    "kualitas": data_quality_charts,
}


def charts_of(*, section: str, figures: object) -> list[Chart]:
    return _BUILDERS[section](figures)


def monitoring_charts(
    *,
    programme_year: ProgrammeYear,
    section: str,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> list[Chart]:
    """The charts of one section, in reading order (``section`` in ``SECTIONS``)."""
    figures = section_figures(
        programme_year=programme_year, section=section, start=start, end=end, today=today
    )
    return charts_of(section=section, figures=figures)


def section_of(name: str) -> str | None:
    """The section a chart belongs to, by its slug's prefix (``keuangan-bulan`` -> keuangan)."""
    prefix = name.split("-", 1)[0]
    return prefix if prefix in SECTIONS else None


def monitoring_chart(
    *,
    programme_year: ProgrammeYear,
    name: str,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Chart | None:
    """One chart by its slug, or None for an unknown slug."""
    section = section_of(name)
    if section is None:
        return None
    found = monitoring_charts(
        programme_year=programme_year, section=section, start=start, end=end, today=today
    )
    return next((c for c in found if c.name == name), None)
