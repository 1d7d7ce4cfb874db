"""Pages of generated documents: the audited download and the htmx progress row.

Which documents a page lists is the owning app's business (the proposal page lists its
berita acara, the decree page its drafts); these two views serve any of them, so the audit
and the permission check of ``document_download`` are never bypassed by an app's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from payung.core.models import JobStatus
from payung.core.viewtools import requires
from payung.documents import services
from payung.documents.models import Document, ExportJob

VIEW_DOCUMENT = "documents.view_document"
CONTENT_TYPES = {
    Document.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Document.Format.PDF: "application/pdf",
}


def _back(request: HttpRequest) -> str:
    """The page the download link was on, if it is ours; else the home page."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "web:home"


@never_cache
@require_GET
@requires(VIEW_DOCUMENT)
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored file under its own name, after ``document_download`` has recorded who took
    it (PermissionDenied from the service is a 403, e.g. a confidential copy)."""
    document = get_object_or_404(Document, pk=pk)
    try:
        path = services.document_download(document=document, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_back(request))
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas dokumen tidak ditemukan di penyimpanan.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name,
        content_type=CONTENT_TYPES.get(document.format, "application/octet-stream"),
    )


@require_GET
@requires(VIEW_DOCUMENT)
def document_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """One document's table row, polled by htmx while it is being made."""
    document = get_object_or_404(Document, pk=pk)
    return render(request, "documents/partials/document_row.html", {"doc": document})


# --- background exports (core.export_kinds) ---------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_or_404(request: HttpRequest, pk: int) -> ExportJob:
    """The user's own export, while they hold its kind's permissions (else 403); another
    holder's export is a 404 (what they filtered is no business of others)."""
    from payung.core import jobs
    from payung.core.export_kinds import export_kind_get
    from payung.documents.exports import export_may_take

    job = get_object_or_404(ExportJob, pk=pk)
    if not all(request.user.has_perm(p) for p in export_kind_get(job.kind).permissions):
        raise PermissionDenied
    if not export_may_take(job=job, actor=request.user):
        raise Http404(_("Ekspor tidak ditemukan."))
    return jobs.job_reap_if_dead(job=job)


def _export_context(request: HttpRequest, job: ExportJob, *, reload: bool) -> dict[str, object]:
    from payung.core.export_kinds import export_kind_get

    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return {
        "export": job,
        "kind": export_kind_get(job.kind),
        "job": job,
        "poll_url": reverse("documents:export_progress", args=[job.pk]),
        "reload_on_finish": reload and not running,
        "reload_url": reverse("documents:export_detail", args=[job.pk]),
    }


@require_GET
@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's progress bar while it is built, then its download link."""
    job = _export_or_404(request, pk)
    return render(
        request, "exports/export_detail.html", _export_context(request, job, reload=False)
    )


@require_GET
@login_required
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the progress partial, polled by htmx; once finished it reloads the page."""
    job = _export_or_404(request, pk)
    context = _export_context(request, job, reload=bool(getattr(request, "htmx", False)))
    return render(request, "partials/job_progress.html", context)


@never_cache
@require_GET
@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The built file, after ``export_download`` has recorded who took it."""
    from payung.documents.exports import export_download as take

    job = _export_or_404(request, pk)
    try:
        path = take(job=job, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("documents:export_detail", pk=job.pk)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas ekspor tidak ditemukan di penyimpanan.")) from None
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=XLSX)
