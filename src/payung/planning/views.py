"""The budget simulator's pages (issue 14, Pasal 6 ayat (2)) for the team (BPKD, Bapperida)
and the auditor: run a simulation on a programme year's screening, look at it with charts
and tables, download it. Aggregates only, so downloads are not audited (docs/charts.md);
running one is (``services.simulation_create``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from payung.core.charts import chart_download_response
from payung.core.formatting import angka
from payung.core.viewtools import error_messages, requires
from payung.planning import selectors, services
from payung.planning.forms import SimulationForm
from payung.planning.models import Simulation
from payung.programmes.models import ProgrammeYear

RUN = "planning.run_simulation"


def _initial() -> dict[str, object]:
    """The newest year, its total pagu (Pasal 13 sources together) and its months."""
    year = (
        ProgrammeYear.objects.annotate(pagu_total=Sum("budget_lines__amount"))
        .order_by("-year", "-pk")
        .first()
    )
    if year is None:
        return {"growth": "0"}
    return {
        "programme_year": year.pk,
        "pagu": angka(year.pagu_total) if year.pagu_total else "",
        "growth": "0",
        "months": year.coverage_months,
    }


@require_http_methods(["GET", "POST"])
@requires(RUN)
def simulation_home(request: HttpRequest) -> HttpResponse:
    form = SimulationForm(request.POST or None, initial=None if request.POST else _initial())
    if request.method == "POST" and form.is_valid():
        try:
            simulation = services.simulation_create(
                programme_year=form.cleaned_data["programme_year"],
                pagu=form.cleaned_data["pagu"],
                growth=form.cleaned_data["growth"],
                months=form.cleaned_data["months"],
                created_by=request.user,
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("Simulasi selesai dan disimpan."))
            return redirect("planning:simulation_detail", pk=simulation.pk)
    return render(
        request,
        "planning/home.html",
        {"form": form, "simulations": selectors.simulation_list()},
    )


def _simulation_or_404(pk: int) -> Simulation:
    simulation = selectors.simulation_get(pk=pk)
    if simulation is None:
        raise Http404(_("Simulasi tidak ditemukan."))
    return simulation


@require_GET
@requires(RUN)
def simulation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    simulation = _simulation_or_404(pk)
    result = simulation.result
    return render(
        request,
        "planning/detail.html",
        {
            "simulation": simulation,
            "result": result,
            "years_text": selectors.years_text(result),
            "single_year_text": selectors.years_text(result, "years_until_pagu_covers_all"),
            "kecamatan_rows": selectors.kecamatan_table(result),
            "priority_rows": selectors.priority_table(result),
            "charts": selectors.simulation_charts(simulation=simulation),
        },
    )


@require_GET
@requires(RUN)
def simulation_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    simulation = _simulation_or_404(pk)
    response = HttpResponse(
        selectors.simulation_xlsx(simulation=simulation),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"simulasi-{simulation.programme_year.year}-{simulation.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _chart(request: HttpRequest, pk: int, name: str, fmt: str) -> HttpResponse:
    simulation = _simulation_or_404(pk)
    chart = selectors.simulation_chart(simulation=simulation, name=name)
    if chart is None:
        raise Http404(_("Grafik tidak ditemukan."))
    filename = f"simulasi-{simulation.programme_year.year}-{simulation.pk}-{name}"
    return chart_download_response(chart, fmt=fmt, filename=filename)


@require_GET
@requires(RUN)
def simulation_chart_csv(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _chart(request, pk, name, "csv")


@require_GET
@requires(RUN)
def simulation_chart_xlsx(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _chart(request, pk, name, "xlsx")
