"""The year's charts (issue 9): the selection funnel, failures by article, eligible and
selected per kecamatan, pagu use and the priority mix, each a table and a Vega-Lite spec.

The funnel runs from the screening run's stored counts (imported, valid, eligible, within the
pagu: Pasal 5, Pasal 6 ayat (2)) into the lifecycle (verified by Disdukcapil, Pasal 7 ayat
(3); decreed, Pasal 7 ayat (4)), so it lives here, the first stage that sees both. Every
figure is an aggregate: stored counts, or one GROUP BY query each; no person reaches a chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from payung.core import charts
from payung.core.charts import Chart, ChartTable
from payung.core.models import JobStatus
from payung.participants.forecast import places_cost_committed, places_from_month
from payung.participants.models import DECREED_OR_LATER, CandidateState, Proposal
from payung.participants.selectors import candidate_state_counts
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.screening.chart_selectors import (
    ELIGIBLE_STATUSES,
    run_failures_by_article,
    run_kecamatan_rows,
    run_priority_rows,
    run_status_counts,
)
from payung.screening.models import ScreeningRun

#: The charts of a year, by the slug of their downloads (``.../grafik/<name>.csv``).
CHART_NAMES: Final = ("corong", "pasal", "kecamatan", "pagu", "prioritas")

#: Verified by Disdukcapil (Pasal 7 ayat (3)) and everything that can only follow it.
VERIFIED_OR_LATER: Final = frozenset({CandidateState.VERIFIED, *DECREED_OR_LATER})


#: Colours of the funding sources in the pagu chart (two sources today, Pasal 13).
SOURCE_COLOURS: Final = ("#1d5fa8", "#7fb0e0", "#0b3d73")


@dataclass(frozen=True)
class FunnelRow:
    label: str
    count: int


def chart_run(*, programme_year: ProgrammeYear) -> ScreeningRun | None:
    """The run the year's charts describe: the one its proposal was made from, else the
    latest finished run (a year screened but not yet proposed). One query."""
    return (
        ScreeningRun.objects.filter(programme_year=programme_year, status=JobStatus.DONE)
        .annotate(proposed=Exists(Proposal.objects.filter(screening_run=OuterRef("pk"))))
        .select_related("programme_year")
        .order_by("-proposed", "-created_at", "-pk")
        .first()
    )


def funnel_rows(
    *,
    programme_year: ProgrammeYear,
    run: ScreeningRun,
    through_decree: bool = True,
    states: dict[str, int] | None = None,
) -> list[FunnelRow]:
    """Imported → valid → eligible → within the pagu → verified → decreed.

    The first four from the run's stored counts; "within the pagu" is the selected when the
    run cut by a pagu (Pasal 6 ayat (2)), else the eligible. Verified and decreed count the
    year's candidates that reached those states (one GROUP BY over states), replacements
    from the waiting list included; ``through_decree=False`` stops before them (the berita
    acara is signed before Disdukcapil verifies). ``states`` are the year's candidates per
    state when the caller has already counted them (the workspace)."""
    by_status = run_status_counts(run=run)
    imported = int((run.counts or {}).get("rows", sum(by_status.values())))
    eligible = sum(by_status.get(s, 0) for s in ELIGIBLE_STATUSES)
    within = by_status.get("selected", 0) if run.budget is not None else eligible
    rows = [
        FunnelRow(_("Diimpor"), imported),
        FunnelRow(_("Data sah"), imported - by_status.get("invalid", 0)),
        FunnelRow(_("Memenuhi syarat"), eligible),
        FunnelRow(_("Dalam pagu"), within),
    ]
    if through_decree:
        if states is None:
            states = candidate_state_counts(programme_year=programme_year)
        rows += [
            FunnelRow(_("Terverifikasi"), sum(states.get(s, 0) for s in VERIFIED_OR_LATER)),
            FunnelRow(_("Ditetapkan"), sum(states.get(s, 0) for s in DECREED_OR_LATER)),
        ]
    return rows


@dataclass(frozen=True)
class PaguUse:
    """The pagu per funding source (Pasal 13) and what the year's participants and candidates
    hold of the whole (Pasal 6 ayat (2)). Candidates are not tied to a source (the sources
    pay one pooled pagu), so the use is of the total."""

    sources: list[tuple[str, int]]
    total: int
    committed: int
    remaining: int


def pagu_use(*, programme_year: ProgrammeYear, today: date) -> PaguUse:
    """Pagu per source, committed (``places_cost_committed``: the covered for their periods,
    the place-holders from this month to December) and what is left, never below zero."""
    sources = [
        (line.get_source_display(), line.amount)
        for line in BudgetLine.objects.filter(programme_year=programme_year).order_by("source")
    ]
    total = sum(amount for _label, amount in sources)
    committed = places_cost_committed(
        programme_year=programme_year,
        from_month=places_from_month(programme_year=programme_year, today=today),
    )
    return PaguUse(
        sources=sources, total=total, committed=committed, remaining=max(0, total - committed)
    )


# --- charts -----------------------------------------------------------------------------------


def funnel_chart(
    *,
    programme_year: ProgrammeYear,
    run: ScreeningRun,
    through_decree: bool = True,
    states: dict[str, int] | None = None,
) -> Chart:
    rows = funnel_rows(
        programme_year=programme_year, run=run, through_decree=through_decree, states=states
    )
    title = _("Corong seleksi")
    return Chart(
        name="corong",
        title=title,
        description=_(
            "Dari data DTSEN yang diimpor sampai peserta yang ditetapkan: jumlah orang pada "
            "setiap tahap (Pasal 5, Pasal 6 ayat (2), Pasal 7 ayat (3) dan (4))."
        ),
        table=ChartTable(
            headers=(_("Tahap"), _("Jumlah (orang)")),
            rows=tuple((r.label, r.count) for r in rows),
        ),
        spec=charts.funnel_spec(
            labels=[r.label for r in rows], values=[r.count for r in rows], title=title
        ),
    )


def articles_chart(*, run: ScreeningRun, judged_only: bool = False) -> Chart:
    rows = run_failures_by_article(run=run, judged_only=judged_only)
    title = _("Tidak memenuhi syarat menurut pasal")
    return Chart(
        name="pasal",
        title=title,
        description=_(
            "Jumlah orang yang tidak memenuhi setiap kriteria Pasal 5; satu orang dapat tidak "
            "memenuhi lebih dari satu kriteria."
        ),
        table=ChartTable(
            headers=(_("Pasal"), _("Kriteria"), _("Jumlah (orang)")),
            rows=tuple((r.article, r.sentence, r.count) for r in rows),
        ),
        spec=charts.bar_spec(
            labels=[r.article for r in rows],
            values=[r.count for r in rows],
            value_title=_("Orang"),
            title=title,
        ),
    )


def kecamatan_chart(*, run: ScreeningRun) -> Chart:
    rows = run_kecamatan_rows(run=run)
    title = _("Memenuhi syarat dan terpilih per kecamatan")
    series = (_("Memenuhi syarat"), _("Terpilih (dalam pagu)"))
    return Chart(
        name="kecamatan",
        title=title,
        description=_(
            "Orang yang memenuhi kriteria Pasal 5 dan yang terpilih dalam pagu (Pasal 6 ayat "
            "(2)) menurut kecamatan tempat tinggalnya."
        ),
        table=ChartTable(
            headers=(_("Kecamatan"), *series),
            rows=tuple((r.name, r.eligible, r.selected) for r in rows),
            total=(
                _("Jumlah"),
                sum(r.eligible for r in rows),
                sum(r.selected for r in rows),
            ),
        ),
        spec=charts.grouped_bar_spec(
            labels=[r.name for r in rows],
            series=series,
            values=[(r.eligible, r.selected) for r in rows],
            value_title=_("Orang"),
            title=title,
        ),
    )


def pagu_chart(*, programme_year: ProgrammeYear, today: date) -> Chart:
    use = pagu_use(programme_year=programme_year, today=today)
    title = _("Penggunaan pagu")
    used_label, left_label = _("Terikat untuk peserta dan calon"), _("Sisa pagu")
    series = [label for label, _amount in use.sources] + [used_label, left_label]
    pagu_bar = [amount for _label, amount in use.sources] + [0, 0]
    use_bar = [0] * len(use.sources) + [use.committed, use.remaining]
    return Chart(
        name="pagu",
        title=title,
        description=_(
            "Pagu menurut sumber dana (Pasal 13) dan bagian yang sudah terikat untuk iuran "
            "peserta dan calon peserta sampai Desember (Pasal 6 ayat (2), Pasal 9)."
        ),
        table=ChartTable(
            headers=(_("Uraian"), _("Rupiah")),
            rows=(
                *((_("Pagu %(source)s") % {"source": s}, a) for s, a in use.sources),
                (_("Jumlah pagu"), use.total),
                (used_label, use.committed),
                (left_label, use.remaining),
            ),
            money=True,
        ),
        spec=charts.stacked_bar_spec(
            labels=[_("Pagu"), _("Penggunaan")],
            series=series,
            values=[pagu_bar, use_bar],
            value_title=_("Rupiah"),
            title=title,
            money=True,
            # The sources in blues; committed dark grey, remaining light grey.
            colours=[*SOURCE_COLOURS[: len(use.sources)], "#5b6770", "#c9c9c9"],
        ),
    )


def priority_chart(*, run: ScreeningRun) -> Chart:
    rows = run_priority_rows(run=run)
    title = _("Prioritas peserta terpilih")
    return Chart(
        name="prioritas",
        title=title,
        description=_(
            "Jumlah orang terpilih yang memenuhi setiap prioritas Pasal 7 ayat (2); satu orang "
            "dapat memenuhi lebih dari satu prioritas."
        ),
        table=ChartTable(
            headers=(_("Prioritas"), _("Keterangan"), _("Jumlah (orang)")),
            rows=tuple((r.label, r.sentence, r.count) for r in rows),
        ),
        spec=charts.bar_spec(
            labels=[r.label for r in rows],
            values=[r.count for r in rows],
            value_title=_("Orang"),
            title=title,
        ),
    )


def year_chart(*, programme_year: ProgrammeYear, name: str, today: date) -> Chart | None:
    """One chart of the year by its slug, or None (unknown name, or nothing screened yet)."""
    run = chart_run(programme_year=programme_year)
    if run is None or name not in CHART_NAMES:
        return None
    if name == "corong":
        return funnel_chart(programme_year=programme_year, run=run)
    if name == "pasal":
        return articles_chart(run=run)
    if name == "kecamatan":
        return kecamatan_chart(run=run)
    if name == "pagu":
        return pagu_chart(programme_year=programme_year, today=today)
    return priority_chart(run=run)


def year_charts(*, programme_year: ProgrammeYear, today: date) -> list[Chart]:
    """The year's five charts in reading order; none before a finished screening run."""
    run = chart_run(programme_year=programme_year)
    if run is None:
        return []
    return [
        funnel_chart(programme_year=programme_year, run=run),
        articles_chart(run=run),
        kecamatan_chart(run=run),
        pagu_chart(programme_year=programme_year, today=today),
        priority_chart(run=run),
    ]
