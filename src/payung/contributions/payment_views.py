"""Pages of SP2D payments (Pasal 9 ayat (1), (4)): a bill's payments with the form to record
one, the confirmation by a second person, and the year's SP2D register with its import.

Views parse input, call one service or selector and render; the rules (what remains due,
four eyes, a duplicate SP2D number) are the services'.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.contributions import payments
from payung.contributions.forms_payments import PaymentRecordForm, Sp2dImportForm
from payung.contributions.models import Bill
from payung.core.viewtools import action_then_redirect, requires
from payung.documents.storage import private_dir_ensure
from payung.domain.money import rupiah
from payung.programmes.selectors import year_or_404

VIEW = "contributions.view_contributions"


@contextmanager
def uploaded_path(uploaded: Any) -> Iterator[tuple[Path, str]]:
    """The upload as a private temporary file (0600 in a 0700 folder), removed afterwards;
    readers take a path, and the user's file name is kept only for messages."""
    name = Path(getattr(uploaded, "name", "") or "berkas.csv").name[:255]
    # Under the private data directory, not /tmp: BPJS's invoice carries NIKs and names.
    parent = private_dir_ensure(path=Path(settings.DATA_DIR) / "unggahan-sementara")
    with tempfile.TemporaryDirectory(prefix="iuran-", dir=parent) as folder:
        path = Path(folder) / f"unggahan{Path(name).suffix.lower()}"
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        path.chmod(0o600)
        yield path, name


def _bill_or_404(pk: int) -> Bill:
    bill = payments.bill_get(pk=pk)
    if bill is None:
        raise Http404(_("Tagihan tidak ditemukan."))
    return bill


def _render_bill(
    request: HttpRequest, bill: Bill, *, form: PaymentRecordForm | None = None, status: int = 200
) -> HttpResponse:
    can_record = request.user.has_perm(payments.RECORD)
    context = {
        "bill": bill,
        "year": bill.programme_year,
        "status": payments.bill_payment_status(bill=bill),
        "payments": payments.bill_payments(bill=bill),
        "form": (form or PaymentRecordForm(programme_year=bill.programme_year))
        if can_record
        else None,
    }
    return render(request, "contributions/payment_bill.html", context, status=status)


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def bill_payments(request: HttpRequest, bill_pk: int) -> HttpResponse:
    """A bill's SP2D: what is paid, what awaits confirmation, what remains; the form to
    record one (POST) for the bendahara."""
    bill = _bill_or_404(bill_pk)
    if request.method != "POST":
        return _render_bill(request, bill)
    if not request.user.has_perm(payments.RECORD):
        raise PermissionDenied
    form = PaymentRecordForm(request.POST, programme_year=bill.programme_year)
    if not form.is_valid():
        return _render_bill(request, bill, form=form, status=400)
    data = form.cleaned_data
    try:
        payment = payments.payment_record(
            bill=bill,
            sp2d_number=data["sp2d_number"],
            paid_on=data["paid_on"],
            amount=data["amount"],
            kind=data["kind"],
            account_code=data["account_code"],
            budget_line=data["budget_line"],
            note=data["note"],
            explanation=data["explanation"],
            remainder_due_on=data["remainder_due_on"],
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _render_bill(request, bill, form=form, status=400)
    messages.success(
        request,
        _("SP2D %(amount)s dicatat; pembayaran dihitung setelah dikonfirmasi orang lain.")
        % {"amount": rupiah(payment.amount)},
    )
    return redirect("contributions:bill_payments", bill_pk=bill.pk)


@require_POST
@requires(VIEW, payments.CONFIRM)
def payment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    payment = payments.payment_get(pk=pk)
    if payment is None:
        raise Http404(_("Pembayaran tidak ditemukan."))
    return action_then_redirect(
        request,
        lambda: payments.payment_confirm(payment=payment, actor=request.user),
        success=_("Pembayaran SP2D dikonfirmasi."),
        to="contributions:bill_payments",
        bill_pk=payment.bill_id,
    )


@require_POST
@requires(VIEW)
def payment_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse (second person) or withdraw (its recorder) an SP2D not yet confirmed."""
    payment = payments.payment_get(pk=pk)
    if payment is None:
        raise Http404(_("Pembayaran tidak ditemukan."))
    return action_then_redirect(
        request,
        lambda: payments.payment_reject(
            payment=payment, actor=request.user, reason=request.POST.get("reason", "")
        ),
        success=_("SP2D dihapus dari catatan; sisa tagihan terbuka kembali."),
        to="contributions:bill_payments",
        bill_pk=payment.bill_id,
    )


def _render_register(
    request: HttpRequest,
    year: Any,
    *,
    form: Sp2dImportForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "year": year,
        "payments": payments.year_payments(programme_year=year),
        "form": (form or Sp2dImportForm()) if request.user.has_perm(payments.RECORD) else None,
        "errors": errors or [],
    }
    return render(request, "contributions/payment_list.html", context, status=status)


@require_GET
@requires(VIEW)
def payment_list(request: HttpRequest, year_pk: int) -> HttpResponse:
    """The year's SP2D register, newest first, with the import form for the bendahara."""
    return _render_register(request, year_or_404(year_pk))


@require_POST
@requires(VIEW, payments.RECORD)
def payment_import(request: HttpRequest, year_pk: int) -> HttpResponse:
    """Import SP2D from the finance system's export: every row, or none."""
    year = year_or_404(year_pk)
    form = Sp2dImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_register(request, year, form=form, status=400)
    with uploaded_path(form.cleaned_data["file"]) as (path, name):
        try:
            made = payments.payments_import(
                programme_year=year,
                path=path,
                name=name,
                mapping=form.mapping(),
                actor=request.user,
            )
        except ValidationError as exc:
            return _render_register(request, year, form=form, errors=exc.messages, status=400)
    messages.success(
        request,
        _("%(n)s SP2D dicatat (%(total)s); masing-masing menunggu konfirmasi orang lain.")
        % {"n": len(made.payments), "total": rupiah(made.total)},
    )
    return redirect("contributions:payment_list", year_pk=year.pk)
