"""Card pages (Pasal 8 ayat (4)): the undistributed list, cards received per batch, one
card handed over, and a village's receipt list to sign.

Views parse input, call one service or selector and render. Names appear with masked NIK and
KPJ; the filter is by region code only, so nothing personal reaches a URL.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core.viewtools import error_messages, requires
from payung.enrollment import cards, register
from payung.enrollment.forms_cards import CardDeliverForm, CardFilterForm, CardsReceiveForm
from payung.enrollment.models import RegistrationBatch
from payung.participants.models import Candidate
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import year_or_404

#: Rows of the undistributed list per page.
CARD_PAGE_SIZE = 50


def _list_url(year_pk: int, *, kecamatan: str = "", desa: str = "") -> str:
    url = reverse("enrollment:card_list", args=[year_pk])
    query = {k: v for k, v in (("kecamatan", kecamatan), ("desa", desa)) if v}
    return f"{url}?{urlencode(query)}" if query else url


def _receive_form(
    year: ProgrammeYear, data: object = None, *, known: list[cards.BatchCards] | None = None
) -> CardsReceiveForm:
    if known is None:
        known = cards.card_batches(programme_year=year)
    batches = RegistrationBatch.objects.filter(
        pk__in=[b.batch.pk for b in known if b.to_receive]
    ).order_by("number")
    return CardsReceiveForm(data, batches=batches, initial={"received_on": timezone.localdate()})


@never_cache
@require_GET
@requires(cards.VIEW_PERM)
def card_list(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    filters = CardFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    kecamatan = chosen.get("kecamatan", "")
    desa = chosen.get("desa", "") if kecamatan else ""
    data = cards.card_undistributed(programme_year=year, kecamatan=kecamatan, desa=desa)
    # Worked from the top, a page at a time: a regency's list runs to thousands.
    page = Paginator(data.rows, CARD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "year": year,
        "data": data,
        "page": page,
        "query": urlencode({k: v for k, v in (("kecamatan", kecamatan), ("desa", desa)) if v}),
        "kecamatan": kecamatan,
        "desa": desa,
        "can_record": request.user.has_perm(cards.RECORD_PERM),
    }
    if context["can_record"]:
        batches = cards.card_batches(programme_year=year)
        context["batches"] = batches
        if any(b.to_receive for b in batches):
            context["receive_form"] = _receive_form(year, known=batches)
    return render(request, "enrollment/card_list.html", context)


@require_POST
@requires(cards.VIEW_PERM, cards.RECORD_PERM)
def cards_receive(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    form = _receive_form(year, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_list_url(year.pk))
    batch = form.cleaned_data["batch"]
    try:
        recorded = cards.cards_receive_batch(
            batch=batch, actor=request.user, received_on=form.cleaned_data["received_on"]
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("%(n)s kartu tahap %(batch)s tercatat diterima dari BPJS.")
            % {"n": f"{recorded:,}".replace(",", "."), "batch": batch.number},
        )
    return redirect(_list_url(year.pk))


def _holder_or_404(pk: int) -> tuple[Candidate, ProgrammeYear]:
    candidate = get_object_or_404(
        Candidate.objects.select_related("proposal__programme_year"), pk=pk
    )
    return candidate, candidate.proposal.programme_year


@never_cache
@require_http_methods(["GET", "POST"])
@requires(cards.VIEW_PERM, cards.RECORD_PERM)
def card_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, year = _holder_or_404(pk)
    row = cards.card_row_get(candidate=candidate)
    form = CardDeliverForm(request.POST or None, initial={"delivered_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                cards.card_deliver(candidate=candidate, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("Penyerahan kartu %(name)s tercatat.") % {"name": row.name if row else ""},
                )
                return redirect(_list_url(year.pk))
        else:
            status = 400
    return render(
        request,
        "enrollment/card_deliver.html",
        {"year": year, "row": row, "form": form},
        status=status,
    )


@never_cache
@require_GET
@requires(cards.VIEW_PERM, cards.RECORD_PERM)
def card_receipt(request: HttpRequest, year_pk: int, desa: str) -> HttpResponse:
    """The village's receipt list (PDF, A4) to sign when the cards are handed over."""
    year = year_or_404(year_pk)
    try:
        made = cards.card_receipt_pdf(programme_year=year, desa=desa, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect(_list_url(year.pk))
    return FileResponse(
        io.BytesIO(made.content),
        as_attachment=True,
        filename=made.file_name,
        content_type="application/pdf",
    )


#: The query value that asks the register for full NIKs (never a NIK itself in the URL).
FULL_NIK = "lengkap"


@never_cache
@require_GET
@requires(register.EXPORT_PERM)
def register_download(request: HttpRequest, year_pk: int) -> HttpResponse:
    """The register for Disnakertrans (Pasal 8 ayat (5)); ``?nik=lengkap`` for full NIKs,
    allowed only with ``screening.view_unmasked_nik`` (the service refuses otherwise)."""
    year = year_or_404(year_pk)
    made = register.register_export(
        programme_year=year, actor=request.user, full_nik=request.GET.get("nik") == FULL_NIK
    )
    return FileResponse(
        io.BytesIO(made.content),
        as_attachment=True,
        filename=made.file_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
