"""The renewal page of a programme year that carries over last year's participants.

Views parse input, call one service or selector and render. The page lists last year's
participants who no longer qualify by name and masked NIK only, for the roles that read
decisions per person.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from payung.core.formatting import tanggal
from payung.core.viewtools import action_then_redirect, requires
from payung.programmes.selectors import year_or_404
from payung.renewal import selectors, services

VIEW_PROPOSAL = "participants.view_proposal"
VIEW_PERSON = "screening.view_person_decision"
END = "participants.end_participant"
REGISTER = "participants.register_participant"
ACTIVATE = "participants.activate_participant"


@require_GET
@requires(VIEW_PROPOSAL, VIEW_PERSON)
def renewal_year(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    overview = selectors.renewal_overview(programme_year=year)
    return render(request, "renewal/year_detail.html", {"year": year, "overview": overview})


@require_POST
@requires(VIEW_PROPOSAL, END)
def renewal_end(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    source = year.carried_from.year if year.carried_from else year.year - 1
    return action_then_redirect(
        request,
        lambda: services.renewal_not_qualifying_end(programme_year=year, actor=request.user),
        success=_(
            "Peserta tahun %(year)s yang tidak lagi memenuhi syarat diakhiri pada 31 Desember "
            "%(year)s."
        )
        % {"year": source},
        to="renewal:year_detail",
        year_pk=year.pk,
    )


@require_POST
@requires(VIEW_PROPOSAL, REGISTER, ACTIVATE)
def renewal_continue(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    return action_then_redirect(
        request,
        lambda: services.renewal_continuity_activate(programme_year=year, actor=request.user),
        success=_(
            "Kepesertaan peserta lanjutan dilanjutkan dengan nomor KPJ yang sama mulai %(start)s."
        )
        % {"start": tanggal(services.continuity_start(programme_year=year))},
        to="renewal:year_detail",
        year_pk=year.pk,
    )
