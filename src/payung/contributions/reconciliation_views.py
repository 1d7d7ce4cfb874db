"""Pages of the reconciliation with BPJS's invoice (Pasal 9 ayat (1)): the year's list with
the upload, the upload's progress while a worker compares it (retry, cancel), one
reconciliation by category with its decisions, closing, the berita acara.

KPJs are shown masked and never enter a URL; a category and a page number are the only
query parameters.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from payung.contributions import reconciliation as recon
from payung.contributions import reconciliation_imports as imports
from payung.contributions.forms_payments import DecisionForm, InvoiceUploadForm
from payung.contributions.models import Reconciliation, ReconciliationImport
from payung.core.models import JobStatus
from payung.core.viewtools import (
    action_then_redirect,
    error_messages,
    job_progress_context,
    job_retry_cancel_views,
    requires,
)
from payung.programmes.selectors import year_or_404

VIEW = recon.VIEW
RECONCILE = recon.RECONCILE
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _recon_or_404(pk: int) -> Reconciliation:
    found = recon.reconciliation_get(pk=pk)
    if found is None:
        raise Http404(_("Rekonsiliasi tidak ditemukan."))
    return found


def _render_list(
    request: HttpRequest,
    year: Any,
    *,
    form: InvoiceUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "year": year,
        "reconciliations": recon.reconciliation_list(programme_year=year),
        "pending": imports.reconciliation_imports_pending(programme_year=year),
        "form": (form or InvoiceUploadForm()) if request.user.has_perm(RECONCILE) else None,
    }
    return render(request, "contributions/reconciliation_list.html", context, status=status)


@require_GET
@requires(VIEW)
def reconciliation_list(request: HttpRequest, year_pk: int) -> HttpResponse:
    return _render_list(request, year_or_404(year_pk))


@require_POST
@requires(VIEW, RECONCILE)
def reconciliation_create(request: HttpRequest, year_pk: int) -> HttpResponse:
    """Store BPJS's invoice for a period and queue its comparison with Payung's bills; the
    upload's page shows the progress, then the reconciliation or every reason it was
    refused."""
    year = year_or_404(year_pk)
    form = InvoiceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_list(request, year, form=form, status=400)
    data = form.cleaned_data
    try:
        job = imports.reconciliation_import_create(
            programme_year=year,
            first_month=data["first_month"],
            last_month=data["last_month"],
            uploaded=data["file"],
            mapping=form.mapping(),
            actor=request.user,
        )
    except ValidationError as exc:
        field = "file" if getattr(exc, "code", None) == "too_large" else None
        for message in exc.messages:
            form.add_error(field, message)
        return _render_list(request, year, form=form, status=400)
    messages.success(request, _("Tagihan BPJS diterima dan sedang dibandingkan."))
    return redirect("contributions:reconciliation_import_detail", pk=job.pk)


def _import_or_404(pk: int) -> ReconciliationImport:
    found = imports.reconciliation_import_get(pk=pk)
    if found is None:
        raise Http404(_("Unggahan tagihan BPJS tidak ditemukan."))
    return found


def _progress_context(
    request: HttpRequest, job: ReconciliationImport, *, finished_reload: bool
) -> dict[str, Any]:
    return job_progress_context(
        request,
        job=job,
        namespace="contributions:reconciliation_import",
        perm=RECONCILE,
        finished_reload=finished_reload,
    )


@require_GET
@requires(VIEW)
def reconciliation_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded invoice: progress while the worker runs, the first row messages of a
    refusal; once compared, the reconciliation itself."""
    job = _import_or_404(pk)
    if job.status == JobStatus.DONE and job.reconciliation_id:
        return redirect("contributions:reconciliation_detail", pk=job.reconciliation_id)
    errors = job.errors or []
    context: dict[str, Any] = {
        "imp": job,
        "year": job.programme_year,
        "refused": job.status == JobStatus.FAILED and job.error_code == "refused",
        "errors": errors[: imports.ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - imports.ERRORS_SHOWN),
        **_progress_context(request, job, finished_reload=False),
    }
    return render(request, "contributions/reconciliation_import.html", context)


@require_GET
@requires(VIEW)
def reconciliation_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the progress partial, polled by htmx; once finished the page reloads (a
    comparison done goes straight to its reconciliation)."""
    job = _import_or_404(pk)
    htmx = bool(getattr(request, "htmx", False))
    context = _progress_context(request, job, finished_reload=htmx)
    job = context["job"]
    if htmx and job.status == JobStatus.DONE and job.reconciliation_id:
        response = HttpResponse()
        response["HX-Redirect"] = reverse(
            "contributions:reconciliation_detail", args=[job.reconciliation_id]
        )
        return response
    return render(request, "partials/job_progress.html", context)


@never_cache
@require_GET
@requires(VIEW, RECONCILE)
def reconciliation_import_errors(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every row message of a refused invoice (the service records the download)."""
    job = _import_or_404(pk)
    try:
        content, name = imports.reconciliation_import_errors_file(
            reconciliation_import=job, fmt=fmt, actor=request.user
        )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("contributions:reconciliation_import_detail", pk=job.pk)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=name,
        content_type=EXPORT_TYPES[fmt],
    )


reconciliation_import_retry, reconciliation_import_cancel = job_retry_cancel_views(
    lookup=_import_or_404,
    perms=(VIEW, RECONCILE),
    detail="contributions:reconciliation_import_detail",
    retried=gettext_lazy("Perbandingan diulang dan menunggu giliran diproses."),
    cancelled=gettext_lazy("Perbandingan dibatalkan."),
)


@require_GET
@requires(VIEW)
def reconciliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Figures per category, then one category's lines a page at a time, with the decision
    forms for the bendahara while the reconciliation is open."""
    found = _recon_or_404(pk)
    category = request.GET.get("kategori", "selisih")
    if category not in recon.CATEGORIES:
        category = "selisih"
    figures = recon.reconciliation_figures(reconciliation=found)
    is_open = found.status == Reconciliation.Status.OPEN
    can_decide = is_open and request.user.has_perm(RECONCILE)
    context = {
        "rec": found,
        "year": found.programme_year,
        "figures": figures,
        "undecided": sum(f.undecided for f in figures),
        "category": category,
        "category_label": recon.category_label(category),
        "page": recon.reconciliation_lines_page(
            reconciliation=found, category=category, page=request.GET.get("page")
        ),
        "query": f"kategori={category}",
        "can_decide": can_decide and category in recon.DIFFERENCES,
        "can_close": can_decide,
        "decision_form": DecisionForm(initial={"category": category}),
        "documents": recon.reconciliation_documents(reconciliation=found),
        "is_open": is_open,
    }
    return render(request, "contributions/reconciliation_detail.html", context)


@require_POST
@requires(VIEW, RECONCILE)
def reconciliation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision for every undecided line of a category, or for one line."""
    found = _recon_or_404(pk)
    form = DecisionForm(request.POST)
    category = request.POST.get("category") or "selisih"
    target = reverse("contributions:reconciliation_detail", args=[found.pk])
    if category in recon.CATEGORIES:
        target += f"?kategori={category}"
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(target)
    data = form.cleaned_data
    try:
        count = recon.reconciliation_decide(
            reconciliation=found,
            decision=data["decision"],
            category=None if data.get("line") else (data["category"] or None),
            line_ids=[data["line"]] if data.get("line") else None,
            actor=request.user,
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Keputusan dicatat untuk %(n)s baris.") % {"n": count})
    return redirect(target)


@require_POST
@requires(VIEW, RECONCILE)
def reconciliation_close(request: HttpRequest, pk: int) -> HttpResponse:
    found = _recon_or_404(pk)
    return action_then_redirect(
        request,
        lambda: recon.reconciliation_close(reconciliation=found, actor=request.user),
        success=_("Rekonsiliasi ditutup; berita acara sedang dibuat."),
        to="contributions:reconciliation_detail",
        pk=found.pk,
    )


@never_cache
@require_GET
@requires(VIEW)
def reconciliation_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The berita acara rekonsiliasi (DOCX or PDF); the service records the download."""
    found = _recon_or_404(pk)
    document = recon.reconciliation_document_get(reconciliation=found, pk=document_pk)
    if document is None:
        raise Http404(_("Dokumen tidak ditemukan."))
    try:
        path = recon.reconciliation_document_download(document=document, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("contributions:reconciliation_detail", pk=found.pk)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=document.file_name,
        content_type=CONTENT_TYPES.get(document.format, "application/octet-stream"),
    )
