"""The team's monitoring pages (Pasal 10 ayat (2) huruf e-h): a year, a period, four tabs.

Aggregates only (counts and rupiah, kecamatan and desa names), for the roles holding
``monitoring.view_monitoring`` (the team and the auditor). The one list of persons, the
claims flagged in the Manfaat tab, is shown only to a role that may also read decisions per
person (``screening.view_person_decision``), NIK and KPJ masked. Chart downloads hold no
personal data and are not audited (docs/charts.md).
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from payung.core.charts import chart_download_response
from payung.core.viewtools import requires
from payung.monitoring import chart_selectors, selectors
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import year_or_404

VIEW_MONITORING = "monitoring.view_monitoring"
VIEW_PERSONS = "screening.view_person_decision"

#: The periods a page or a download is for: the whole year or one half (Pasal 12 ayat (3)).
PERIODS = ("tahun", "semester-1", "semester-2")


def period_label(period: str) -> str:
    return {
        "tahun": _("Setahun"),
        "semester-1": _("Semester I (Januari–Juni)"),
        "semester-2": _("Semester II (Juli–Desember)"),
    }[period]


def _bounds(year: ProgrammeYear, period: str) -> tuple[date | None, date | None]:
    if period == "semester-1":
        return selectors.half_year(year=year.year, half=1)
    if period == "semester-2":
        return selectors.half_year(year=year.year, half=2)
    return None, None


@require_GET
@requires(VIEW_MONITORING)
def index(request: HttpRequest) -> HttpResponse:
    """The newest programme year's page; a short explanation when there is no year yet."""
    year = ProgrammeYear.objects.order_by("-year", "-pk").first()
    if year is not None:
        return redirect("monitoring:year", year_pk=year.pk)
    return render(request, "monitoring/index.html", {})


@require_GET
@requires(VIEW_MONITORING)
def year_page(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    section = request.GET.get("bagian", "cakupan")
    if section not in chart_selectors.SECTIONS:
        section = "cakupan"
    period = request.GET.get("periode", "tahun")
    if period not in PERIODS:
        period = "tahun"
    start, end = _bounds(year, period)
    figures = chart_selectors.section_figures(
        programme_year=year, section=section, start=start, end=end, today=timezone.localdate()
    )
    charts = chart_selectors.charts_of(section=section, figures=figures)
    flagged = []
    if section == "manfaat" and request.user.has_perm(VIEW_PERSONS):
        flagged = selectors.benefit_flagged_claims(programme_year=year, start=start, end=end)
    years = list(ProgrammeYear.objects.order_by("-year").values_list("pk", "year"))
    return render(
        request,
        "monitoring/year.html",
        {
            "year": year,
            "years": years,
            "section": section,
            "section_title": chart_selectors.section_title(section),
            "sections": [(s, chart_selectors.section_title(s)) for s in chart_selectors.SECTIONS],
            "period": period,
            "period_title": period_label(period),
            "periods": [(p, period_label(p)) for p in PERIODS],
            "figures": figures,
            "charts": charts,
            "flagged": flagged,
            "may_see_persons": request.user.has_perm(VIEW_PERSONS),
        },
    )


def _download(request: HttpRequest, year_pk: int, period: str, name: str, fmt: str) -> HttpResponse:
    year = year_or_404(year_pk)
    if period not in PERIODS:
        raise Http404(_("Periode tidak dikenal."))
    start, end = _bounds(year, period)
    chart = chart_selectors.monitoring_chart(
        programme_year=year, name=name, start=start, end=end, today=timezone.localdate()
    )
    if chart is None:
        raise Http404(_("Grafik tidak ditemukan."))
    return chart_download_response(
        chart, fmt=fmt, filename=f"monitoring-{name}-{year.year}-{period}"
    )


@require_GET
@requires(VIEW_MONITORING)
def chart_csv(request: HttpRequest, year_pk: int, period: str, name: str) -> HttpResponse:
    return _download(request, year_pk, period, name, "csv")


@require_GET
@requires(VIEW_MONITORING)
def chart_xlsx(request: HttpRequest, year_pk: int, period: str, name: str) -> HttpResponse:
    return _download(request, year_pk, period, name, "xlsx")
