"""Reads of the budget simulator (issue 14, Pasal 6 ayat (2)): the eligible of a year's
screening as the engine's simulator reads them, the simulations kept, and their charts.

Every figure shown comes from ``Simulation.result``, the same JSON ``payung simulate``
writes: the page never recomputes what it shows, so a simulation looked at a year later shows
what was quoted then. Aggregates only: counts per kecamatan and priority group, and rupiah.
"""

from __future__ import annotations

from typing import Any, Final

import pyarrow as pa
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from payung.core import charts
from payung.core.charts import Chart, ChartTable
from payung.engine import EligibleRows
from payung.participants.chart_selectors import chart_run
from payung.planning.models import Simulation
from payung.programmes.models import ProgrammeYear
from payung.screening.models import Decision, ScreeningRun
from payung.wording import SIMULATION_REASONS

#: Statuses of the eligible in a run's decisions (Pasal 5 met; with a pagu cut in two).
ELIGIBLE_STATUSES: Final = ("eligible", "selected", "waitlisted")
#: The charts of a simulation, by the slug of their downloads.
CHART_NAMES: Final = ("kecamatan", "pertumbuhan", "prioritas")


def simulation_source_run(*, programme_year: ProgrammeYear) -> ScreeningRun | None:
    """The screening a year's simulation counts: the run its proposal was made from, else its
    latest finished run (the same run as the year's charts), with its import. One query."""
    return chart_run(programme_year=programme_year)


def run_eligible_rows(*, run: ScreeningRun) -> EligibleRows:
    """The run's eligible with their Pasal 7 ayat (2) rank, kecamatan and priorities: one
    query of four narrow columns, no name or NIK read."""
    rows = list(
        Decision.objects.filter(run=run, status__in=ELIGIBLE_STATUSES)
        .order_by("priority_rank")
        .values_list("status", "priority_rank", "priorities", "kode_kecamatan")
    )
    table = pa.table(
        {
            "status": pa.array([r[0] for r in rows], pa.string()),
            "priority_rank": pa.array([r[1] for r in rows], pa.int64()),
            "priorities": pa.array([r[2] for r in rows], pa.string()),
            "kode_kecamatan": pa.array([r[3] for r in rows], pa.string()),
        }
    )
    return EligibleRows.from_decisions(table)


def simulation_list(*, limit: int = 20) -> QuerySet[Simulation]:
    """The latest simulations, newest first, with their year and author (one query)."""
    return Simulation.objects.select_related("programme_year", "created_by").order_by(
        "-created_at", "-pk"
    )[:limit]


def simulation_get(*, pk: int) -> Simulation | None:
    return (
        Simulation.objects.select_related("programme_year", "created_by", "screening_run")
        .filter(pk=pk)
        .first()
    )


def years_text(result: dict[str, Any], key: str = "years_to_full_coverage") -> str:
    """``4 tahun`` or, when there is no number, why (``pagu kurang dari ...``)."""
    years = result.get(key)
    if years is None:
        return SIMULATION_REASONS.get(result.get(f"{key}_reason") or "", "—")
    return _("%(n)s tahun") % {"n": years}


def _kecamatan_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [
        {**row, "label": row["name"] or _("Kecamatan tidak diketahui")}
        for row in result.get("by_kecamatan", [])
    ]
    return sorted(rows, key=lambda r: (r["label"].casefold(), r["code"] or ""))


def kecamatan_table(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per kecamatan, by name: eligible, covered, the pagu for all of them, the years."""
    return [{**row, "years_text": years_text(row)} for row in _kecamatan_rows(result)]


def priority_table(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per priority of Pasal 7 ayat (2) in the policy's order, then those meeting none."""
    rows = []
    for row in result.get("by_priority", []):
        label = row["article"] or _("Tanpa prioritas")
        sentence = row["sentence"] or _("Tidak memenuhi satu pun prioritas Pasal 7 ayat (2).")
        rows.append({**row, "label": label, "sentence": sentence, "years_text": years_text(row)})
    return rows


def growth_table(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "label": f"{row['growth_pct'].replace('.', ',')} %",
            "years_text": years_text(row, "years_to_full_coverage")
            if row["years_to_full_coverage"] is not None
            else SIMULATION_REASONS.get(row["reason"] or "", "—"),
        }
        for row in result.get("years_by_growth", [])
    ]


def kecamatan_chart(*, simulation: Simulation) -> Chart:
    rows = _kecamatan_rows(simulation.result)
    title = _("Memenuhi syarat dan tercakup pagu per kecamatan")
    series = (_("Memenuhi syarat"), _("Tercakup pagu"))
    return Chart(
        name="kecamatan",
        title=title,
        description=_(
            "Orang yang memenuhi Pasal 5 dan yang dibiayai pagu tahun pertama menurut urutan "
            "prioritas Pasal 7 ayat (2) (tidak pernah menurut wilayah), per kecamatan."
        ),
        table=ChartTable(
            headers=(_("Kecamatan"), *series),
            rows=tuple((r["label"], r["eligible"], r["covered"]) for r in rows),
            total=(_("Jumlah"), simulation.result["eligible"], simulation.result["covered"]),
        ),
        spec=charts.grouped_bar_spec(
            labels=[r["label"] for r in rows],
            series=series,
            values=[(r["eligible"], r["covered"]) for r in rows],
            value_title=_("Orang"),
            title=title,
        ),
    )


def growth_chart(*, simulation: Simulation) -> Chart:
    """Years to full coverage for a pagu growing 0, 5, 10, 15, 20 % a year (and the chosen
    rate); a rate with no answer (beyond 100 years) is drawn as 0 and named in the table."""
    rows = growth_table(simulation.result)
    title = _("Tahun sampai cakupan penuh menurut pertumbuhan pagu")
    return Chart(
        name="pertumbuhan",
        title=title,
        description=_(
            "Berapa tahun pagu ini, tetap atau tumbuh sekian persen per tahun, sampai setiap "
            "orang yang memenuhi syarat pernah dibiayai setahun (Pasal 6 ayat (2))."
        ),
        table=ChartTable(
            headers=(_("Pertumbuhan per tahun"), _("Tahun")),
            rows=tuple(
                (r["label"], r["years_to_full_coverage"])
                if r["years_to_full_coverage"] is not None
                else (r["label"], r["years_text"])
                for r in rows
            ),
        ),
        spec=charts.bar_spec(
            labels=[r["label"] for r in rows],
            values=[r["years_to_full_coverage"] or 0 for r in rows],
            value_title=_("Tahun"),
            title=title,
        ),
    )


def priority_chart(*, simulation: Simulation) -> Chart:
    rows = priority_table(simulation.result)
    title = _("Memenuhi syarat dan tercakup pagu per prioritas")
    series = (_("Memenuhi syarat"), _("Tercakup pagu"))
    return Chart(
        name="prioritas",
        title=title,
        description=_(
            "Menurut prioritas Pasal 7 ayat (2); satu orang dapat memenuhi beberapa prioritas, "
            "jadi baris-barisnya tidak dijumlahkan."
        ),
        table=ChartTable(
            headers=(_("Prioritas"), *series),
            rows=tuple((r["label"], r["eligible"], r["covered"]) for r in rows),
        ),
        spec=charts.grouped_bar_spec(
            labels=[r["label"] for r in rows],
            series=series,
            values=[(r["eligible"], r["covered"]) for r in rows],
            value_title=_("Orang"),
            title=title,
        ),
    )


def simulation_charts(*, simulation: Simulation) -> list[Chart]:
    return [
        kecamatan_chart(simulation=simulation),
        growth_chart(simulation=simulation),
        priority_chart(simulation=simulation),
    ]


def simulation_chart(*, simulation: Simulation, name: str) -> Chart | None:
    builders = {
        "kecamatan": kecamatan_chart,
        "pertumbuhan": growth_chart,
        "prioritas": priority_chart,
    }
    builder = builders.get(name)
    return builder(simulation=simulation) if builder else None


def simulation_xlsx(*, simulation: Simulation) -> bytes:
    """The whole simulation as a workbook: RINGKASAN (the headline figures and the inputs
    with their SHA-256), KECAMATAN, PRIORITAS, JADWAL (year by year) and PETUNJUK. Figures
    are numbers, labels text neutralised (``core.exports``); no person is in it."""
    import io

    import xlsxwriter

    from payung.core.exports import neutralise

    result = simulation.result
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0"})

    def sheet(name: str, headers: list[str], rows: list[list[Any]]) -> None:
        ws = book.add_worksheet(name)
        for col, header in enumerate(headers):
            ws.write_string(0, col, neutralise(header), bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, int) and not isinstance(value, bool):
                    ws.write_number(r, col, value, number)
                elif value is None:
                    ws.write_blank(r, col, None)
                else:
                    ws.write_string(r, col, neutralise(str(value)))
        ws.set_column(0, 0, 44)
        ws.set_column(1, max(1, len(headers) - 1), 20)

    sheet(
        _("RINGKASAN"),
        [_("Angka"), _("Nilai")],
        [
            [_("Tahun program"), simulation.programme_year.year],
            [_("Kebijakan"), f"{simulation.policy_id} {simulation.policy_version}"],
            [_("SHA-256 kebijakan"), simulation.policy_sha256],
            [_("SHA-256 berkas DTSEN"), simulation.input_sha256],
            [_("Tanggal acuan usia"), simulation.as_of.isoformat()],
            [_("Bulan kepesertaan"), result["months"]],
            [_("Pertumbuhan pagu per tahun (%)"), result["growth_pct"]],
            [_("Pagu (Rp)"), result["pagu"]],
            [_("Memenuhi syarat"), result["eligible"]],
            [_("Biaya per orang setahun (Rp)"), result["cost_per_person_year"]],
            [_("Tercakup pagu"), result["covered"]],
            [_("Belum tercakup"), result["not_covered"]],
            [_("Pagu untuk cakupan penuh (Rp)"), result["pagu_for_full_coverage"]],
            [_("Kekurangan pagu (Rp)"), result["pagu_shortfall"]],
            [_("Tahun sampai cakupan penuh"), years_text(result)],
            [
                _("Tahun sampai pagu setahun mencakup semua"),
                years_text(result, "years_until_pagu_covers_all"),
            ],
        ],
    )
    sheet(
        _("KECAMATAN"),
        [
            _("Kecamatan"),
            _("Kode"),
            _("Memenuhi syarat"),
            _("Tercakup pagu"),
            _("Pagu untuk cakupan penuh (Rp)"),
            _("Tahun sampai cakupan penuh"),
        ],
        [
            [
                r["label"],
                r["code"],
                r["eligible"],
                r["covered"],
                r["pagu_for_full_coverage"],
                r["years_text"],
            ]
            for r in kecamatan_table(result)
        ],
    )
    sheet(
        _("PRIORITAS"),
        [
            _("Prioritas"),
            _("Kriteria"),
            _("Memenuhi syarat"),
            _("Tercakup pagu"),
            _("Pagu untuk cakupan penuh (Rp)"),
            _("Tahun sampai cakupan penuh"),
        ],
        [
            [
                r["label"],
                r["sentence"],
                r["eligible"],
                r["covered"],
                r["pagu_for_full_coverage"],
                r["years_text"],
            ]
            for r in priority_table(result)
        ],
    )
    sheet(
        _("JADWAL"),
        [_("Tahun ke"), _("Pagu (Rp)"), _("Dibiayai tahun itu"), _("Kumulatif")],
        [[r["year"], r["pagu"], r["covered"], r["cumulative"]] for r in result["schedule"]],
    )
    guide = book.add_worksheet(_("PETUNJUK"))
    lines = [
        _("PETUNJUK: SIMULASI ANGGARAN MENUJU CAKUPAN PENUH (PASAL 6 AYAT (2))"),
        _(
            "Biaya per orang setahun: iuran JKK + JKM per bulan (Pasal 9 ayat (2)) untuk bulan "
            "kepesertaan tahun itu, menurut tarif yang berlaku pada tanggal 1 setiap bulan."
        ),
        _(
            "Tercakup pagu = pagu dibagi biaya per orang setahun, dibulatkan ke bawah, paling "
            "banyak sejumlah yang memenuhi syarat."
        ),
        _(
            "Tahun sampai cakupan penuh: tahun pertama ketika jumlah orang yang dibiayai pagu "
            "tahun demi tahun (menurut urutan Pasal 7 ayat (2)) mencapai semua yang memenuhi "
            "syarat; dengan pagu tetap = jumlah memenuhi syarat dibagi tercakup, dibulatkan ke "
            "atas."
        ),
        _("Pagu tahun ke-n = pagu x (1 + pertumbuhan/100) pangkat (n-1), dibulatkan ke bawah."),
        _("Lembar-lembar ini memuat angka agregat; tidak ada data pribadi di dalamnya."),
    ]
    for i, line in enumerate(lines):
        guide.write_string(i, 0, neutralise(line))
    guide.set_column(0, 0, 110)
    book.close()
    return out.getvalue()
