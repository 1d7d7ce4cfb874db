"""Pages of the pendataan stage: programme years with their pagu, status and cooperation
agreement, and DTSEN imports.

Views parse input, call one service or selector and render. An import's problems are row
numbers and sentences; the only names on these pages are the pairs of the import page's
duplicates section (issue 13), shown to reviewers and auditors only, each page view audited.
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
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core import jobs
from payung.core.models import JobStatus
from payung.core.viewtools import (
    action_then_redirect,
    error_messages,
    job_retry_cancel_views,
    requires,
)
from payung.programmes import selectors as programme_selectors
from payung.programmes import services as programme_services
from payung.programmes.forms import CooperationAgreementForm
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import year_or_404
from payung.registry import duplicates, problems, selectors, services
from payung.registry.forms import ImportForm, ProgrammeYearForm
from payung.registry.models import DtsenImport

VIEW_YEAR = "programmes.view_programmeyear"
MANAGE_YEAR = "programmes.manage_programmeyear"
VIEW_IMPORT = "registry.view_dtsenimport"
IMPORT = "registry.import_extract"
RECORD_PKS = "programmes.record_cooperation_agreement"
REVIEW_DUPLICATES = "registry.review_duplicates"
UNMASK_NIK = "screening.view_unmasked_nik"


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
                carry_over=bool(data.get("carry_over")),
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
        "problem_groups": problems.import_problem_groups(dtsen_import=dtsen_import),
        "problem_page_size": problems.PAGE_SIZE,
        **_progress_context(request, dtsen_import, finished_reload=False),
        **_duplicates_context(request, dtsen_import),
    }
    return render(request, "registry/import_detail.html", context)


@require_GET
@requires(VIEW_IMPORT)
def import_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """One problem's rows, page by page (``?masalah=N``: the group's number on the import
    page, not its code); an unknown group shows the first one."""
    dtsen_import = _import_or_404(pk)
    groups = problems.import_problem_groups(dtsen_import=dtsen_import)
    if not groups:
        return redirect("registry:import_detail", pk=dtsen_import.pk)
    wanted = request.GET.get("masalah", "")
    group = next((g for g in groups if str(g.number) == wanted), groups[0])
    page = problems.import_problem_group_page(group=group, page=request.GET.get("page"))
    return render(
        request,
        "registry/import_problems.html",
        {
            "imp": dtsen_import,
            "year": dtsen_import.programme_year,
            "groups": groups,
            "group": group,
            "page": page,
            "query": f"masalah={group.number}",
        },
    )


@never_cache
@require_GET
@requires(VIEW_IMPORT)
def import_problems_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Every problem row the import kept, as XLSX (row numbers and problems, no cell value)."""
    import io

    dtsen_import = _import_or_404(pk)
    buffer = io.BytesIO()
    problems.import_problems_xlsx(
        dtsen_import=dtsen_import,
        groups=problems.import_problem_groups(dtsen_import=dtsen_import),
        out=buffer,
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="masalah-impor-{dtsen_import.pk}.xlsx"'
    return response


def _duplicates_context(request: HttpRequest, dtsen_import: DtsenImport) -> dict[str, Any]:
    """The section "Data ganda dalam ekstrak": the latest check and one page of its pairs.

    The pairs (names, birth dates) go only to reviewers and readers of decisions per person;
    each page of them shown is one audit entry.
    """
    user = request.user
    check = duplicates.duplicate_check_latest(dtsen_import=dtsen_import)
    context: dict[str, Any] = {
        "dup_check": check,
        "dup_page": None,
        "dup_pairs": [],
        "can_review_duplicates": user.has_perm(REVIEW_DUPLICATES),
        "dup_may_read": any(user.has_perm(p) for p in duplicates.READ_PAIRS),
    }
    if check is None or check.status != JobStatus.DONE or not context["dup_may_read"]:
        return context
    page, pairs = duplicates.duplicate_pairs_page(
        duplicate_check=check, page=request.GET.get("page")
    )
    if pairs:
        duplicates.duplicate_pairs_view_record(
            dtsen_import=dtsen_import,
            page_number=page.number,
            shown=len(pairs),
            actor=user,
        )
    context.update(dup_page=page, dup_pairs=pairs)
    return context


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


import_retry, import_cancel = job_retry_cancel_views(
    lookup=_import_or_404,
    perms=(VIEW_IMPORT, IMPORT),
    detail="registry:import_detail",
    retried=gettext_lazy("Impor diulang dan menunggu giliran diproses."),
    cancelled=gettext_lazy("Impor dibatalkan."),
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


@require_POST
@requires(VIEW_IMPORT, REVIEW_DUPLICATES)
def duplicate_check_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the import again for the same person under two NIKs (issue 13)."""
    dtsen_import = _import_or_404(pk)
    return action_then_redirect(
        request,
        lambda: duplicates.duplicate_check_create(dtsen_import=dtsen_import, actor=request.user),
        success=_("Pemeriksaan data ganda dimulai."),
        to="registry:import_detail",
        pk=pk,
    )


@require_POST
@requires(VIEW_IMPORT, REVIEW_DUPLICATES)
def duplicate_pair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One pair decided ("Orang yang sama" / "Bukan orang yang sama"); back to its page."""
    pair = duplicates.duplicate_pair_get(pk=pk)
    if pair is None:
        raise Http404(_("Pasangan tidak ditemukan."))
    try:
        duplicates.duplicate_pair_decide(
            pair=pair,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Keputusan atas pasangan dicatat."))
    page = request.POST.get("page", "")
    query = f"?page={int(page)}" if page.isdigit() else ""
    url = reverse("registry:import_detail", args=[pair.duplicate_check.dtsen_import_id])
    return redirect(f"{url}{query}#pasangan-{pair.pk}")


@never_cache
@require_POST
@requires(VIEW_IMPORT, UNMASK_NIK)
def duplicate_pair_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Both rows' full NIK and KK of one pair, audited (the NIK's reveal rule)."""
    pair = duplicates.duplicate_pair_get(pk=pk)
    if pair is None:
        raise Http404(_("Pasangan tidak ditemukan."))
    first, second = duplicates.duplicate_pair_nik_reveal(pair=pair, actor=request.user)
    context = {"pair": pair, "first": first, "second": second, "revealed": True}
    if getattr(request, "htmx", False):
        return render(request, "registry/partials/duplicate_pair_ids.html", context)
    return render(request, "registry/duplicate_pair_revealed.html", context)
