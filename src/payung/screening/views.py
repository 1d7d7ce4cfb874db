"""Pages of the screening stage: start a run, its totals, the decision list, one person.

Views parse input, call one service or selector and render. NIKs appear masked; the full
number is one audited request away for roles that need it (design §6).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core import paging
from payung.core.export_kinds import export_in_background, export_start
from payung.core.lifecycle import final_state_for
from payung.core.models import JobStatus
from payung.core.searches import SEARCH_TOKEN, search_answer, search_store, search_term
from payung.core.viewtools import (
    job_progress_context,
    job_retry_cancel_views,
    requires,
)
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport
from payung.screening import selectors, services
from payung.screening.forms import DecisionFilterForm, RunStartForm, villages_in
from payung.screening.models import Decision, ScreeningRun

VIEW_RUN = "screening.view_screeningrun"
RUN = "screening.run_screening"
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


def _progress_context(
    request: HttpRequest, run: ScreeningRun, *, finished_reload: bool
) -> dict[str, Any]:
    # A worker killed mid-screening would otherwise leave the page saying "Berjalan" for ever.
    return job_progress_context(
        request, job=run, namespace="screening:run", perm=RUN, finished_reload=finished_reload
    )


@require_GET
@requires(VIEW_RUN)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        ScreeningRun.objects.select_related("programme_year", "dtsen_import", "started_by"), pk=pk
    )
    progress = _progress_context(request, run, finished_reload=False)
    run = progress["job"]
    summary = selectors.run_summary(run=run) if run.status == JobStatus.DONE else None
    context = {"run": run, "summary": summary, **progress}
    return render(request, "screening/run_detail.html", context)


@require_GET
@requires(VIEW_RUN)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ScreeningRun, pk=pk)
    context = _progress_context(request, run, finished_reload=True)
    return render(request, "partials/job_progress.html", context)


run_retry, run_cancel = job_retry_cancel_views(
    lookup=lambda pk: get_object_or_404(ScreeningRun, pk=pk),
    perms=(VIEW_RUN, RUN),
    detail="screening:run_detail",
    retried=gettext_lazy("Penyaringan diulang dan menunggu giliran diproses."),
    cancelled=gettext_lazy("Penyaringan dibatalkan."),
)


def _search_scope(run: ScreeningRun) -> str:
    """A run's decision list keeps its own searches: a token works for that run only."""
    return f"screening.run:{run.pk}"


def _filters(
    request: HttpRequest, run: ScreeningRun, params: QueryDict
) -> tuple[DecisionFilterForm, Any]:
    """The filter form from the list's query ``params``, the search term from the session."""
    choices = selectors.decision_filter_choices(run=run)
    data = params.copy()
    for name in ("search", SEARCH_TOKEN, "page", "nik", paging.AFTER, paging.BEFORE):
        data.pop(name, None)
    term = search_term(
        session=request.session, scope=_search_scope(run), token=params.get(SEARCH_TOKEN, "")
    )
    if term:
        data["search"] = term
    form = DecisionFilterForm(
        data or None,
        choices=choices,
        desa_url=reverse("screening:decision_desa_options", args=[run.pk]),
    )
    return form, form.filters()


def _search_params(request: HttpRequest, run: ScreeningRun) -> QueryDict:
    """POSTed filters as the list's query: every filter but the search, which becomes a token."""
    query = QueryDict(mutable=True)
    fields = DecisionFilterForm.base_fields
    for name in fields:
        value = request.POST.get(name, "").strip()
        if name == "search":
            if value:
                query[SEARCH_TOKEN] = search_store(
                    session=request.session, scope=_search_scope(run), term=value
                )
        elif value:
            query[name] = value
    return query


def _list_url(run: ScreeningRun, query: QueryDict) -> str:
    url = reverse("screening:decision_list", args=[run.pk])
    return f"{url}?{query.urlencode()}" if query else url


@require_http_methods(["GET", "POST"])
@requires(VIEW_RUN, VIEW_DECISION)
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ScreeningRun.objects.select_related("programme_year"), pk=pk)
    if request.method == "POST":
        params = _search_params(request, run)
        return search_answer(
            request=request,
            url=_list_url(run, params),
            page=lambda: _decision_list_page(request, run, params),
        )
    if "search" in request.GET:
        # A term typed into a URL (an old bookmark, a hand-made link) is not honoured, and
        # the address is cleaned so it does not stay in the history or travel on.
        query = request.GET.copy()
        query.pop("search")
        return redirect(_list_url(run, query))
    return _decision_list_page(request, run, request.GET)


def _decision_list_page(request: HttpRequest, run: ScreeningRun, params: QueryDict) -> HttpResponse:
    """The decision list at the query ``params`` (a GET's, or what a search POSTed)."""
    form, filters = _filters(request, run, params)
    # Keyset pages (issue 16): the links carry the cursor of the last (or first) row shown.
    page = selectors.decision_page(
        run=run,
        filters=filters,
        after=params.get(paging.AFTER, ""),
        before=params.get(paging.BEFORE, ""),
    )
    count, capped = selectors.decision_count(run=run, filters=filters)
    query = params.copy()
    for name in ("page", paging.AFTER, paging.BEFORE):
        query.pop(name, None)
    if not filters.search:
        query.pop(SEARCH_TOKEN, None)  # an expired or foreign token is dropped from links
    return render(
        request,
        "screening/decision_list.html",
        {
            "run": run,
            "form": form,
            "page": page,
            "count": count,
            "count_capped": capped,
            "query": query.urlencode(),
            "policy": selectors.run_policy(run),
            "export_later": export_in_background(rows=count) or capped,
        },
    )


@require_GET
@requires(VIEW_RUN, VIEW_DECISION)
def decision_desa_options(request: HttpRequest, pk: int) -> HttpResponse:
    """The village ``<option>``s of the chosen kecamatan, for the filter form's htmx call."""
    run = get_object_or_404(ScreeningRun, pk=pk)
    choices = selectors.decision_filter_choices(run=run)
    kecamatan = request.GET.get("kecamatan", "")
    return render(
        request,
        "partials/desa_options.html",
        {"villages": villages_in(choices.desa, kecamatan=kecamatan), "blank": _("(semua)")},
    )


@require_GET
@requires(VIEW_RUN, VIEW_DECISION)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.select_related("run", "run__programme_year", "person"), pk=pk
    )
    explanation = selectors.decision_explain(decision=decision)
    # Where the person stands now (a later stage answers): the screening result alone would
    # say "Terpilih" of someone Disdukcapil has since rejected (issue 8).
    final = final_state_for(person_id=decision.person_id)
    return render(
        request,
        "screening/person_detail.html",
        {"decision": decision, "run": decision.run, "x": explanation, "final": final},
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
    _form, filters = _filters(request, run, request.GET)
    full_nik = request.GET.get("nik") == "lengkap"
    if full_nik and not request.user.has_perm("screening.export_personal_data"):
        raise PermissionDenied
    rows, capped = selectors.decision_count(run=run, filters=filters)
    if capped:  # an export reads every row anyway: its progress bar needs the exact number
        rows = selectors.decision_list(run=run, filters=filters).count()
    if export_in_background(rows=rows):
        # A regency's list: built by a worker with a progress bar (issue 9). The filters,
        # a searched name among them, stay on the job's row; the task gets its id.
        job = export_start(
            kind="decisions_full_nik" if full_nik else "decisions",
            params={"run": run.pk, "filters": asdict(filters), "full_nik": full_nik},
            rows_expected=rows,
            actor=request.user,
        )
        return redirect("documents:export_detail", pk=job)
    export = services.decision_export(
        run=run, filters=filters, actor=request.user, full_nik=full_nik
    )
    return FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=XLSX
    )
