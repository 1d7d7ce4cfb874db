"""Pages of registration with BPJS Ketenagakerjaan (Pasal 8): the year's batches, one batch
with its request file and answers, one answer's check report with apply/discard, profiles.

Views parse input, call one service or selector and render. The request file carries full
NIKs (BPJS registers by them) and its download is audited by the service; pages show NIKs
and KPJs masked, and an answer's unmatched rows only ever as masked NIKs.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core.models import JobStatus
from payung.core.viewtools import error_messages, job_progress_context, requires
from payung.enrollment import selectors, services
from payung.enrollment.forms import AnswerUploadForm, ProfileForm
from payung.enrollment.models import RegistrationAnswer, RegistrationBatch
from payung.programmes.selectors import year_or_404

VIEW = "enrollment.view_registrationbatch"
PREPARE = services.PREPARE_PERM
UPLOAD = services.UPLOAD_PERM
APPLY = services.APPLY_PERM
PROFILE = services.PROFILE_PERM
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _batch_or_404(pk: int) -> RegistrationBatch:
    batch = selectors.batch_get(pk=pk)
    if batch is None:
        raise Http404(_("Tahap pendaftaran tidak ditemukan."))
    return batch


def _answer_or_404(pk: int) -> RegistrationAnswer:
    answer = selectors.answer_get(pk=pk)
    if answer is None:
        raise Http404(_("Jawaban BPJS tidak ditemukan."))
    return answer


@require_GET
@requires(VIEW)
def batch_year(request: HttpRequest, year_pk: int) -> HttpResponse:
    """The year's registration: the decree it stands on, the PKS, the batches by outcome."""
    year = year_or_404(year_pk)
    data = selectors.year_registration(programme_year=year)
    profiles = selectors.profile_list() if request.user.has_perm(PREPARE) else []
    return render(
        request,
        "enrollment/batch_year.html",
        {"year": year, "data": data, "profiles": profiles},
    )


@require_POST
@requires(VIEW, PREPARE)
def batch_create(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    profile = None
    chosen = request.POST.get("profile", "")
    if chosen:
        profile = selectors.profile_get(pk=int(chosen)) if chosen.isdigit() else None
        if profile is None:
            messages.error(request, _("Profil pendaftaran tidak ditemukan."))
            return redirect("enrollment:batch_year", year_pk=year.pk)
    try:
        batch = services.registration_batch_create(
            programme_year=year, actor=request.user, profile=profile
        )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("enrollment:batch_year", year_pk=year.pk)
    messages.success(
        request,
        _("Tahap %(n)s dibuat. Unduh berkasnya dan kirimkan ke BPJS Ketenagakerjaan.")
        % {"n": batch.number},
    )
    return redirect("enrollment:batch_detail", pk=batch.pk)


def _render_batch(
    request: HttpRequest,
    batch: RegistrationBatch,
    *,
    upload_form: AnswerUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "batch": batch,
        "year": batch.programme_year,
        "page": selectors.batch_items_page(batch=batch, page=request.GET.get("page")),
        "answers": selectors.batch_answers(batch=batch),
        "upload_form": (upload_form or AnswerUploadForm())
        if request.user.has_perm(UPLOAD) and batch.n_pending
        else None,
    }
    return render(request, "enrollment/batch_detail.html", context, status=status)


@require_GET
@requires(VIEW)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_batch(request, _batch_or_404(pk))


@never_cache
@require_GET
@requires(VIEW, PREPARE)
def batch_request_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The file for BPJS (full NIKs; the service records the export)."""
    batch = _batch_or_404(pk)
    try:
        made = services.registration_request_file(batch=batch, fmt=fmt, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("enrollment:batch_detail", pk=batch.pk)
    return FileResponse(
        io.BytesIO(made.content),
        as_attachment=True,
        filename=made.filename,
        content_type=CONTENT_TYPES[fmt],
    )


@require_POST
@requires(VIEW, UPLOAD)
def batch_answer_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Store BPJS's answer and queue its check; its page shows the progress, then the report
    to confirm or every reason it was refused."""
    batch = _batch_or_404(pk)
    form = AnswerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_batch(request, batch, upload_form=form)
    try:
        answer = services.registration_answer_create(
            batch=batch,
            uploaded=form.cleaned_data["file"],
            actor=request.user,
            mapping_text=form.cleaned_data["mapping"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("file", message)
        return _render_batch(request, batch, upload_form=form)
    messages.success(request, _("Berkas jawaban diterima dan sedang diperiksa."))
    return redirect("enrollment:batch_answer_detail", pk=answer.pk)


def _progress_context(
    request: HttpRequest, answer: RegistrationAnswer, *, finished_reload: bool
) -> dict[str, Any]:
    return job_progress_context(
        request,
        job=answer,
        namespace="enrollment:batch_answer",
        perm=None,
        finished_reload=finished_reload,
    )


@require_GET
@requires(VIEW)
def batch_answer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An answer's page: progress while checked, then the refusal's row messages or the
    report the confirmer reads before applying (four eyes)."""
    answer = _answer_or_404(pk)
    report = answer.report or {}
    errors = answer.errors or []
    unmatched = report.get("unmatched", [])
    user = request.user
    awaiting = answer.stage == RegistrationAnswer.Stage.AWAITING
    applying = awaiting and answer.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    awaiting = awaiting and not applying
    context: dict[str, Any] = {
        "answer": answer,
        "batch": answer.batch,
        "year": answer.batch.programme_year,
        "report": report,
        "rows": selectors.answer_report_rows(answer=answer),
        "errors": errors[: selectors.ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - selectors.ERRORS_SHOWN),
        "unmatched": unmatched[: selectors.ROWS_SHOWN],
        "unmatched_hidden": max(0, len(unmatched) - selectors.ROWS_SHOWN),
        "applying": applying,
        "apply_failed": awaiting and answer.status == JobStatus.FAILED,
        "may_apply": awaiting and user.has_perm(APPLY) and answer.uploaded_by_id != user.pk,
        "own_upload": awaiting and answer.uploaded_by_id == user.pk,
        "may_discard": awaiting and (user.has_perm(APPLY) or user.has_perm(UPLOAD)),
        **_progress_context(request, answer, finished_reload=False),
    }
    return render(request, "enrollment/batch_answer.html", context)


@require_GET
@requires(VIEW)
def batch_answer_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the progress partial, polled by htmx; once finished it reloads the report page."""
    answer = _answer_or_404(pk)
    context = _progress_context(
        request, answer, finished_reload=bool(getattr(request, "htmx", False))
    )
    return render(request, "partials/job_progress.html", context)


@require_POST
@requires(VIEW, APPLY)
def batch_answer_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The second person confirms; the worker applies (the page shows the progress)."""
    answer = _answer_or_404(pk)
    try:
        services.registration_answer_confirm(answer=answer, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Jawaban dikonfirmasi dan sedang diterapkan."))
    return redirect("enrollment:batch_answer_detail", pk=answer.pk)


@require_POST
@requires(VIEW)
def batch_answer_discard(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer_or_404(pk)
    try:
        services.registration_answer_discard(answer=answer, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("enrollment:batch_answer_detail", pk=answer.pk)
    messages.success(request, _("Jawaban dibatalkan; tidak ada yang diterapkan."))
    return redirect("enrollment:batch_detail", pk=answer.batch_id)


@require_http_methods(["GET", "POST"])
@requires(PROFILE)
def profile_list(request: HttpRequest) -> HttpResponse:
    """The profiles, and a new one (a branch's own columns and codes)."""
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _profile_save(request, form, None):
            return redirect("enrollment:profile_list")
    elif request.method == "GET":
        services.registration_profile_default_get(actor=request.user)
    return render(
        request,
        "enrollment/profile_list.html",
        {"profiles": selectors.profile_list(), "form": form},
    )


@require_http_methods(["GET", "POST"])
@requires(PROFILE)
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get(pk=pk)
    if profile is None:
        raise Http404(_("Profil pendaftaran tidak ditemukan."))
    form = (
        ProfileForm(request.POST) if request.method == "POST" else ProfileForm.for_profile(profile)
    )
    if request.method == "POST" and form.is_valid() and _profile_save(request, form, profile):
        return redirect("enrollment:profile_list")
    return render(request, "enrollment/profile_form.html", {"profile": profile, "form": form})


def _profile_save(request: HttpRequest, form: ProfileForm, profile: Any) -> bool:
    data = form.cleaned_data
    try:
        services.registration_profile_save(
            actor=request.user,
            profile=profile,
            name=data["name"],
            branch_office=data["branch_office"],
            columns_text=data["columns"],
            participation_type=data["participation_type"],
            declared_income=data["declared_income"],
            kpj_min_length=data["kpj_min_length"],
            kpj_max_length=data["kpj_max_length"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return False
    messages.success(request, _("Profil pendaftaran disimpan."))
    return True
