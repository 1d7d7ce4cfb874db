"""Pages of the pendataan stage: programme years with their pagu, status and cooperation
agreement, and DTSEN imports.

Views parse input, call one service or selector and render. No page shows a name or a NIK:
an import's problems are row numbers and sentences.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core import jobs
from payung.core.models import JobStatus
from payung.core.viewtools import action_then_redirect, requires
from payung.programmes import selectors as programme_selectors
from payung.programmes import services as programme_services
from payung.programmes.forms import CooperationAgreementForm
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import year_or_404
from payung.registry import selectors, services
from payung.registry.forms import ImportForm, ProgrammeYearForm
from payung.registry.models import DtsenImport

VIEW_YEAR = "programmes.view_programmeyear"
MANAGE_YEAR = "programmes.manage_programmeyear"
VIEW_IMPORT = "registry.view_dtsenimport"
IMPORT = "registry.import_extract"
RECORD_PKS = "programmes.record_cooperation_agreement"


def _add_errors(form: Form, exc: ValidationError) -> None:
    """A service's errors on the form: on the field of the same name, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


def _import_or_404(pk: int) -> DtsenImport:
    dtsen_import = selectors.dtsen_import_get(pk=pk)
    if dtsen_import is None:
        raise Http404(_("Impor tidak ditemukan."))
    return dtsen_import


# --- programme years ---------------------------------------------------------------------


@require_GET
@requires(VIEW_YEAR)
def year_list(request: HttpRequest) -> HttpResponse:
    years = programme_selectors.programme_year_list(user=request.user)
    return render(request, "registry/year_list.html", {"years": years})


@require_http_methods(["GET", "POST"])
@requires(MANAGE_YEAR)
def year_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            year = programme_services.programme_year_create(
                created_by=request.user,
                year=data["year"],
                policy_id=data["policy_id"],
                as_of=data["as_of"],
                coverage_months=data["coverage_months"],
                budgets=form.budgets(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Tahun program %(year)s dibuat.") % {"year": year})
            return redirect("registry:year_detail", pk=year.pk)
    return render(request, "registry/year_form.html", {"form": form})


@require_GET
@requires(VIEW_YEAR)
def year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    year = year_or_404(pk)
    return render(request, "registry/year_detail.html", _year_context(request, year))


def _year_context(
    request: HttpRequest, year: ProgrammeYear, *, pks_form: CooperationAgreementForm | None = None
) -> dict[str, Any]:
    user = request.user
    agreement = programme_selectors.cooperation_agreement_get(programme_year=year)
    if pks_form is None and user.has_perm(RECORD_PKS):
        pks_form = CooperationAgreementForm.for_agreement(agreement)
    return {
        "year": year,
        "steps": programme_selectors.programme_year_steps(programme_year=year),
        "cost": programme_selectors.programme_year_cost(programme_year=year),
        "agreement": agreement,
        "pks_form": pks_form,
        "imports": selectors.dtsen_import_list(year) if user.has_perm(VIEW_IMPORT) else None,
        "runs": selectors.screening_run_list(programme_year=year)
        if user.has_perm("screening.view_screeningrun")
        else None,
        "import_form": ImportForm() if user.has_perm(IMPORT) else None,
    }


@require_POST
@requires(VIEW_YEAR, RECORD_PKS)
def cooperation_agreement_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or amend) the year's PKS; errors are shown on the year page's form."""
    year = year_or_404(pk)
    form = CooperationAgreementForm(request.POST)
    if form.is_valid():
        try:
            programme_services.cooperation_agreement_record(
                programme_year=year, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Perjanjian kerja sama dicatat."))
            return redirect(reverse("registry:year_detail", args=[year.pk]) + "#pks")
    context = _year_context(request, year, pks_form=form)
    return render(request, "registry/year_detail.html", context, status=400)


# --- imports -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(VIEW_YEAR, IMPORT)
def import_create(request: HttpRequest, pk: int) -> HttpResponse:
    year = year_or_404(pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dtsen_import = services.dtsen_import_create(
                programme_year=year,
                uploaded_file=data["file"],
                uploaded_by=request.user,
                mapping=data.get("mapping"),
                mapping_name=data.get("mapping_name") or "",
                mapping_text=data.get("mapping_text") or "",
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Berkas diterima dan sedang diimpor."))
            return redirect("registry:import_detail", pk=dtsen_import.pk)
    return render(request, "registry/import_create.html", {"year": year, "form": form})


def _progress_context(
    request: HttpRequest, dtsen_import: DtsenImport, *, finished_reload: bool
) -> dict[str, Any]:
    # A worker killed mid-import would otherwise leave the page saying "Berjalan" for ever.
    dtsen_import = jobs.job_reap_if_dead(job=dtsen_import)
    running = dtsen_import.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    may_act = request.user.has_perm(IMPORT)
    return {
        "job": dtsen_import,
        "poll_url": reverse("registry:import_progress", args=[dtsen_import.pk]),
        "reload_on_finish": finished_reload and not running,
        "reload_url": reverse("registry:import_detail", args=[dtsen_import.pk]),
        "retry_url": reverse("registry:import_retry", args=[dtsen_import.pk]) if may_act else "",
        "cancel_url": reverse("registry:import_cancel", args=[dtsen_import.pk]) if may_act else "",
    }


@require_GET
@requires(VIEW_IMPORT)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dtsen_import = _import_or_404(pk)
    context = {
        "imp": dtsen_import,
        "year": dtsen_import.programme_year,
        "overlap_imports": _overlap_imports(dtsen_import),
        "can_confirm_overlap": request.user.has_perm(IMPORT),
        **_progress_context(request, dtsen_import, finished_reload=False),
    }
    return render(request, "registry/import_detail.html", context)


def _overlap_imports(dtsen_import: DtsenImport) -> list[dict[str, Any]]:
    """The earlier imports sharing people with this one, their dates as datetimes."""
    return [
        {**other, "created_at": datetime.fromisoformat(other["created_at"])}
        for other in dtsen_import.overlap_imports
    ]


@require_GET
@requires(VIEW_IMPORT)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the progress partial, polled by htmx; once finished it reloads the detail page."""
    dtsen_import = _import_or_404(pk)
    context = _progress_context(request, dtsen_import, finished_reload=bool(request.htmx))
    return render(request, "partials/job_progress.html", context)


@require_POST
@requires(VIEW_IMPORT, IMPORT)
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed import again (after a dead worker, a cancel or a fixed mapping)."""
    dtsen_import = _import_or_404(pk)
    return action_then_redirect(
        request,
        lambda: jobs.job_retry(job=dtsen_import, actor=request.user),
        success=_("Impor diulang dan menunggu giliran diproses."),
        to="registry:import_detail",
        pk=pk,
    )


@require_POST
@requires(VIEW_IMPORT, IMPORT)
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop waiting for a queued or running import; nothing of it is stored."""
    dtsen_import = _import_or_404(pk)
    return action_then_redirect(
        request,
        lambda: jobs.job_cancel(job=dtsen_import, actor=request.user),
        success=_("Impor dibatalkan."),
        to="registry:import_detail",
        pk=pk,
    )


@require_POST
@requires(VIEW_IMPORT, IMPORT)
def import_overlap_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator has read the overlap with earlier imports and keeps this import."""
    dtsen_import = _import_or_404(pk)
    return action_then_redirect(
        request,
        lambda: services.dtsen_import_overlap_confirm(
            dtsen_import=dtsen_import, actor=request.user
        ),
        success=_("Tumpang tindih dikonfirmasi; impor ini dapat disaring."),
        to="registry:import_detail",
        pk=pk,
    )
