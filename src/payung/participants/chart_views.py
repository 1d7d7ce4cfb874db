"""The year's "Ringkasan" page (issue 9): five charts, each with its table and downloads.

Aggregates only (counts and rupiah; no name, NIK or village of anyone), so every agency of the
team that may read the screening totals reads them: the same permission as the run page.
Downloads of these tables are not audited: they hold no personal data (docs/charts.md).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from payung.core.charts import chart_download_response
from payung.core.viewtools import requires
from payung.participants import chart_selectors
from payung.programmes.selectors import year_or_404

VIEW_SCREENING = "screening.view_screeningrun"
VIEW_PROPOSAL = "participants.view_proposal"


@require_GET
@requires(VIEW_SCREENING, VIEW_PROPOSAL)
def year_charts(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    charts = chart_selectors.year_charts(programme_year=year, today=timezone.localdate())
    return render(
        request,
        "participants/year_charts.html",
        {"year": year, "charts": charts},
    )


def _download(request: HttpRequest, year_pk: int, name: str, fmt: str) -> HttpResponse:
    year = year_or_404(year_pk)
    chart = chart_selectors.year_chart(programme_year=year, name=name, today=timezone.localdate())
    if chart is None:
        raise Http404(_("Grafik tidak ditemukan."))
    return chart_download_response(chart, fmt=fmt, filename=f"grafik-{name}-{year.year}")


@require_GET
@requires(VIEW_SCREENING, VIEW_PROPOSAL)
def year_chart_csv(request: HttpRequest, year_pk: int, name: str) -> HttpResponse:
    return _download(request, year_pk, name, "csv")


@require_GET
@requires(VIEW_SCREENING, VIEW_PROPOSAL)
def year_chart_xlsx(request: HttpRequest, year_pk: int, name: str) -> HttpResponse:
    return _download(request, year_pk, name, "xlsx")
