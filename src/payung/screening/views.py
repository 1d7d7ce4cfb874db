"""Pages of the screening stage: start a run, its totals, the decision list, one person.

Views parse input, call one service or selector and render. NIKs appear masked; the full
number is one audited request away for roles that need it (design §6).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from payung.registry.models import DtsenImport, JobStatus, ProgrammeYear
from payung.screening import selectors, services
from payung.screening.forms import DecisionFilterForm, RunStartForm
from payung.screening.models import Decision, ScreeningRun
from payung.web.viewtools import requires

VIEW_RUN = "screening.view_screeningrun"
VIEW_DECISION = "screening.view_person_decision"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year_url(year_pk: int) -> str:
    try:
        return reverse("registry:year_detail", args=[year_pk])
    except NoReverseMatch:  # the registry pages are not mounted (yet)
        return reverse("web:home")


@require_POST
@requires("screening.run_screening")
def run_start(request: HttpRequest) -> HttpResponse:
    form = RunStartForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Permintaan tidak lengkap."))
    year = get_object_or_404(ProgrammeYear, pk=form.cleaned_data["programme_year"])
    dtsen_import = get_object_or_404(DtsenImport, pk=form.cleaned_data["dtsen_import"])
    try:
        run = services.screening_run_start(
            programme_year=year, dtsen_import=dtsen_import, started_by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_year_url(year.pk))
    messages.success(request, _("Penyaringan dimulai."))
    return redirect("screening:run_detail", pk=run.pk)


def _progress_context(run: ScreeningRun, *, finished_reload: bool) -> dict[str, Any]:
    running = run.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return {
        "job": run,
        "poll_url": reverse("screening:run_progress", args=[run.pk]) if running else "",
        "reload_on_finish": finished_reload and not running,
        "reload_url": reverse("screening:run_detail", args=[run.pk]),
    }


@require_GET
@requires(VIEW_RUN)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        ScreeningRun.objects.select_related("programme_year", "dtsen_import", "started_by"), pk=pk
    )
    summary = selectors.run_summary(run=run) if run.status == JobStatus.DONE else None
    context = {"run": run, "summary": summary, **_progress_context(run, finished_reload=False)}
    return render(request, "screening/run_detail.html", context)


@require_GET
@requires(VIEW_RUN)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ScreeningRun, pk=pk)
    context = _progress_context(run, finished_reload=True)
    return render(request, "partials/job_progress.html", context)


def _filters(request: HttpRequest, run: ScreeningRun) -> tuple[DecisionFilterForm, Any]:
    choices = selectors.decision_filter_choices(run=run)
    form = DecisionFilterForm(request.GET or None, choices=choices)
    return form, form.filters()


@require_GET
@requires(VIEW_RUN, VIEW_DECISION)
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ScreeningRun.objects.select_related("programme_year"), pk=pk)
    form, filters = _filters(request, run)
    page = selectors.decision_page(run=run, filters=filters, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "screening/decision_list.html",
        {
            "run": run,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "policy": selectors.run_policy(run.policy_id),
        },
    )


@require_GET
@requires(VIEW_RUN, VIEW_DECISION)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.select_related("run", "run__programme_year", "person"), pk=pk
    )
    explanation = selectors.decision_explain(decision=decision)
    return render(
        request,
        "screening/person_detail.html",
        {"decision": decision, "run": decision.run, "x": explanation},
    )


@never_cache
@require_POST
@requires(VIEW_DECISION, "screening.view_unmasked_nik")
def reveal_nik(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("run"), pk=pk)
    full = services.decision_nik_reveal(decision=decision, actor=request.user)
    context = {"decision": decision, "nik": full}
    if getattr(request, "htmx", False):
        return render(request, "screening/partials/nik_revealed.html", context)
    return render(request, "screening/nik_revealed.html", context)


@never_cache
@require_GET
@requires(VIEW_RUN, VIEW_DECISION)
def decision_export(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ScreeningRun, pk=pk)
    _form, filters = _filters(request, run)
    full_nik = request.GET.get("nik") == "lengkap"
    export = services.decision_export(
        run=run, filters=filters, actor=request.user, full_nik=full_nik
    )
    return FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=XLSX
    )
