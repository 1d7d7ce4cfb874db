"""Pages of generated documents: the audited download and the htmx progress row.

Which documents a page lists is the owning app's business (the proposal page lists its
berita acara, the decree page its drafts); these two views serve any of them, so the audit
and the permission check of ``document_download`` are never bypassed by an app's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from payung.core.viewtools import requires
from payung.documents import services
from payung.documents.models import Document

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
