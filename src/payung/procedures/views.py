"""Pages of the SOPs (Pekalongan minutes item 5): every agency's SOP of a year, DOCX and PDF,
for everyone who sees the year; the roles that run the programme have them made."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from payung.core.models import JobStatus
from payung.core.viewtools import requires
from payung.procedures import selectors, services
from payung.procedures.workflow import AGENCIES
from payung.programmes.selectors import year_or_404

VIEW_YEAR = "programmes.view_programmeyear"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@require_GET
@requires(VIEW_YEAR)
def year_sops(request: HttpRequest, pk: int) -> HttpResponse:
    year = year_or_404(pk)
    # The agency asked for, else the user's own (an SOP is read by its agency), else the first.
    own = getattr(getattr(request.user, "agency", None), "kind", "")
    agency = request.GET.get("instansi", "") or own
    if not selectors.agency_valid(agency):
        agency = AGENCIES[0]
    rows = selectors.sop_rows(programme_year=year)
    return render(
        request,
        "procedures/year_sops.html",
        {
            "year": year,
            "rows": rows,
            "agency": agency,
            "preview": selectors.sop_preview(programme_year=year, agency=agency),
            "can_generate": request.user.has_perm(services.GENERATE_PERM),
            "pending": any(
                d is not None and d.status in (JobStatus.QUEUED, JobStatus.RUNNING)
                for r in rows
                for d in (r.docx, r.pdf)
            ),
        },
    )


@require_POST
@requires(services.GENERATE_PERM)
def sop_generate(request: HttpRequest, pk: int) -> HttpResponse:
    year = year_or_404(pk)
    documents = services.sop_documents_request(programme_year=year, actor=request.user)
    messages.success(
        request,
        _("%(n)s dokumen SOP sedang dibuat; muat ulang halaman ini sebentar lagi.")
        % {"n": len(documents)},
    )
    return redirect("procedures:year_sops", pk=year.pk)


@require_GET
@requires(VIEW_YEAR)
def sop_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored SOP file. An SOP holds no personal data (steps, agencies, articles), so it
    is for everyone who sees the year and its download is not audited."""
    document = selectors.sop_document_get(pk=pk)
    if document is None:
        raise Http404(_("Dokumen SOP tidak ditemukan."))
    if document.status != JobStatus.DONE or not document.stored_path:
        messages.error(request, _("Dokumen belum selesai dibuat."))
        return redirect("procedures:year_sops", pk=document.programme_year_id)
    try:
        handle = open(document.stored_path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404(_("Berkas dokumen tidak ditemukan di penyimpanan.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name,
        content_type=CONTENT_TYPES.get(document.format, "application/octet-stream"),
    )
