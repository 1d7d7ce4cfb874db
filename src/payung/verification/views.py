"""Pages of verification by Disdukcapil (Pasal 7 ayat (3)): batches, the request file out,
the answer file back, and one answer recorded on the page.

Views parse input, call one service or selector and render. The request file carries full
NIKs (Disdukcapil checks them) and its download is audited by the service; pages show NIKs
masked, and an answer file's unmatched rows only ever as masked NIKs.
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
from payung.participants.selectors import proposal_get
from payung.programmes.selectors import year_or_404
from payung.verification import selectors, services
from payung.verification.forms import AnswerUploadForm, ItemRecordForm
from payung.verification.models import Answer, AnswerImport, VerificationBatch, VerificationItem

VIEW_BATCH = "verification.view_verificationbatch"
START = "verification.start_verification_round"
EXPORT = "verification.export_verification"
RECORD = "verification.record_verification"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _batch_or_404(pk: int) -> VerificationBatch:
    batch = selectors.batch_get(pk=pk)
    if batch is None:
        raise Http404(_("Tahap verifikasi tidak ditemukan."))
    return batch


def _item_or_404(pk: int) -> VerificationItem:
    item = selectors.item_get(pk=pk)
    if item is None:
        raise Http404(_("Calon dalam tahap verifikasi tidak ditemukan."))
    return item


@require_GET
@requires(VIEW_BATCH)
def batch_list(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    data = selectors.year_batches(programme_year=year)
    return render(request, "verification/batch_list.html", {"year": year, "data": data})


@require_POST
@requires(VIEW_BATCH, START)
def batch_create(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    """The next batch: every proposed candidate not yet sent (the approved list, then the
    replacements each round of rejections brings in)."""
    proposal = proposal_get(pk=proposal_pk)
    if proposal is None:
        raise Http404(_("Usulan tidak ditemukan."))
    try:
        batch = services.batch_create(proposal=proposal, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("verification:batch_list", year_pk=proposal.programme_year_id)
    messages.success(
        request,
        _("Tahap %(n)s dibuat dengan %(count)s calon. Unduh berkasnya untuk Disdukcapil.")
        % {"n": batch.number, "count": batch.items.count()},
    )
    return redirect("verification:batch_detail", pk=batch.pk)


def _render_batch(
    request: HttpRequest,
    batch: VerificationBatch,
    *,
    upload_form: AnswerUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "batch": batch,
        "year": batch.proposal.programme_year,
        "overview": selectors.batch_overview(batch=batch),
        "page": selectors.item_page(batch=batch, page=request.GET.get("page")),
        "pending_imports": selectors.batch_answer_imports(batch=batch),
        "upload_form": (upload_form or AnswerUploadForm())
        if request.user.has_perm(RECORD)
        else None,
    }
    return render(request, "verification/batch_detail.html", context, status=status)


@require_GET
@requires(VIEW_BATCH)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_batch(request, _batch_or_404(pk))


@never_cache
@require_GET
@requires(VIEW_BATCH, EXPORT)
def batch_request_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The request file for Disdukcapil (full NIKs; the service records the export)."""
    batch = _batch_or_404(pk)
    try:
        made = services.batch_request_file(batch=batch, fmt=fmt, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("verification:batch_detail", pk=batch.pk)
    return FileResponse(
        io.BytesIO(made.content),
        as_attachment=True,
        filename=made.filename,
        content_type=CONTENT_TYPES[fmt],
    )


@require_POST
@requires(VIEW_BATCH, RECORD)
def batch_answers_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Store Disdukcapil's answer file and queue it; its page shows the progress, then what
    it did or every reason it was refused."""
    batch = _batch_or_404(pk)
    form = AnswerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_batch(request, batch, upload_form=form)
    try:
        job = services.answer_import_create(
            batch=batch, uploaded=form.cleaned_data["file"], actor=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("file", message)
        return _render_batch(request, batch, upload_form=form)
    messages.success(request, _("Berkas jawaban diterima dan sedang diproses."))
    return redirect("verification:answer_import_detail", pk=job.pk)


def _answer_import_or_404(pk: int) -> AnswerImport:
    job = selectors.answer_import_get(pk=pk)
    if job is None:
        raise Http404(_("Unggahan jawaban tidak ditemukan."))
    return job


def _progress_context(
    request: HttpRequest, job: AnswerImport, *, finished_reload: bool
) -> dict[str, Any]:
    return job_progress_context(
        request,
        job=job,
        namespace="verification:answer_import",
        perm=None,
        finished_reload=finished_reload,
    )


@require_GET
@requires(VIEW_BATCH)
def answer_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An answer file's page: progress while the worker runs, then the report or the first
    row messages of a refusal (the whole list is a download)."""
    job = _answer_import_or_404(pk)
    batch = job.batch
    report = job.report or {}
    labels = dict(Answer.choices)
    unmatched = report.get("unmatched", [])
    errors = job.errors or []
    context: dict[str, Any] = {
        "imp": job,
        "batch": batch,
        "year": batch.proposal.programme_year,
        "done": job.status == JobStatus.DONE,
        "refused": job.status == JobStatus.FAILED and job.error_code == "refused",
        "errors": errors[: selectors.ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - selectors.ERRORS_SHOWN),
        "applied": [
            (code, labels.get(code, code), n) for code, n in report.get("applied", {}).items()
        ],
        "report": report,
        "unmatched": unmatched[: selectors.UNMATCHED_SHOWN],
        "unmatched_hidden": max(0, len(unmatched) - selectors.UNMATCHED_SHOWN),
        **_progress_context(request, job, finished_reload=False),
    }
    return render(request, "verification/answers_report.html", context)


@require_GET
@requires(VIEW_BATCH)
def answer_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the progress partial, polled by htmx; once finished it reloads the report page."""
    job = _answer_import_or_404(pk)
    context = _progress_context(request, job, finished_reload=bool(getattr(request, "htmx", False)))
    return render(request, "partials/job_progress.html", context)


@never_cache
@require_GET
@requires(VIEW_BATCH, RECORD)
def answer_import_errors(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every row message of a refused answer file (the service records the download)."""
    job = _answer_import_or_404(pk)
    try:
        made = services.answer_errors_file(answer_import=job, fmt=fmt, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("verification:answer_import_detail", pk=job.pk)
    return FileResponse(
        io.BytesIO(made.content),
        as_attachment=True,
        filename=made.filename,
        content_type=CONTENT_TYPES[fmt],
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW_BATCH, RECORD)
def item_record(request: HttpRequest, pk: int) -> HttpResponse:
    """One candidate's answer entered on the page (the alternative to a file)."""
    item = _item_or_404(pk)
    form = ItemRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.item_record(
                item=item,
                answer=data["answer"],
                actor=request.user,
                corrected=form.corrected(),
                note=data["note"],
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            text = _("Hasil untuk calon peringkat %(rank)s dicatat: %(answer)s.") % {
                "rank": item.candidate.rank,
                "answer": data["answer"],
            }
            if report.rejected_after_rescreen:
                text += " " + _("Setelah perbaikan data, calon tidak lagi memenuhi syarat.")
            if report.replacements:
                text += " " + _("%(n)s calon dari daftar tunggu menggantikan.") % {
                    "n": report.replacements
                }
            messages.success(request, text)
            return redirect("verification:batch_detail", pk=item.batch_id)
    return render(
        request,
        "verification/item_record.html",
        {
            "item": item,
            "batch": item.batch,
            "year": item.batch.proposal.programme_year,
            "form": form,
        },
    )
