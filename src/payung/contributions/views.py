"""Pages of the contributions stage (Pasal 9, 13): the year's bills, realisation and the
treasurer's tasks; one bill with its totals and letter; issuing a bill.

Views parse input, call one service or selector and render. No page here shows a person:
bills are read as totals per funding source and per month, so the team members who monitor
payments (Pasal 10 ayat (2) huruf f) can read them too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from payung.contributions import selectors, services
from payung.contributions.forms import BillIssueForm
from payung.contributions.models import Bill
from payung.core.viewtools import error_messages, requires
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import year_or_404

VIEW = "contributions.view_contributions"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
ISSUE = "contributions.issue_bill"


def _bill_or_404(pk: int) -> Bill:
    bill = selectors.bill_get(pk=pk)
    if bill is None:
        raise Http404(_("Tagihan tidak ditemukan."))
    return bill


def _render_year(
    request: HttpRequest, year: ProgrammeYear, *, form: BillIssueForm | None = None
) -> HttpResponse:
    overview = selectors.year_overview(programme_year=year, today=timezone.localdate())
    if form is None and request.user.has_perm(ISSUE) and overview.next_period:
        first, last = overview.next_period
        form = BillIssueForm(
            year=year.year,
            initial={"first_month": first.isoformat(), "last_month": last.isoformat()},
        )
    context: dict[str, Any] = {
        "year": year,
        "overview": overview,
        "form": form if request.user.has_perm(ISSUE) else None,
    }
    return render(request, "contributions/year_detail.html", context)


@require_GET
@requires(VIEW)
def year_detail(request: HttpRequest, year_pk: int) -> HttpResponse:
    return _render_year(request, year_or_404(year_pk))


@require_POST
@requires(ISSUE)
def bill_issue(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    form = BillIssueForm(request.POST, year=year.year)
    if not form.is_valid():
        return _render_year(request, year, form=form)
    try:
        bill = services.bill_issue(
            programme_year=year,
            first_month=form.cleaned_data["first_month"],
            last_month=form.cleaned_data["last_month"],
            actor=request.user,
        )
    except ValidationError as exc:
        error_messages(request, exc)
        return _render_year(request, year, form=form)
    messages.success(
        request,
        _("Tagihan %(number)s (%(period)s) diterbitkan; surat permohonan sedang dibuat.")
        % {
            "number": bill.number,
            "period": selectors.period_label(bill.first_month, bill.last_month),
        },
    )
    return redirect("contributions:bill_detail", pk=bill.pk)


@require_GET
@requires(VIEW)
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _bill_or_404(pk)
    summary = selectors.bill_summary(bill=bill)
    return render(
        request,
        "contributions/bill_detail.html",
        {"bill": bill, "year": bill.programme_year, "summary": summary},
    )


@require_POST
@requires(ISSUE)
def bill_letter_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the letter again (after the regency changed its template)."""
    bill = _bill_or_404(pk)
    services.bill_letter_request(bill=bill, actor=request.user)
    messages.success(request, _("Surat permohonan sedang dibuat ulang."))
    return redirect("contributions:bill_detail", pk=bill.pk)


@never_cache
@require_GET
@requires(VIEW)
def bill_letter_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The letter (DOCX or PDF); the service records the download."""
    bill = _bill_or_404(pk)
    document = selectors.bill_letter_get(bill=bill, pk=document_pk)
    if document is None:
        raise Http404(_("Dokumen tidak ditemukan."))
    try:
        path = services.bill_letter_download(document=document, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("contributions:bill_detail", pk=bill.pk)
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
