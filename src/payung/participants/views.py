"""Pages of the proposal stage (Pasal 7 ayat (3)): the year's proposal, its candidates and
their history, exclusions, the four-eyes approval and the berita acara.

Views parse input, call one service or selector and render. NIKs appear masked: the
proposal is read by every agency of the team, and nothing here needs the full number.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from payung.core.viewtools import error_messages, requires
from payung.participants import replacements, selectors, services
from payung.participants.forms import CandidateFilterForm, ExcludeForm, ProposalCreateForm
from payung.participants.models import CandidateState, Proposal
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import year_or_404

VIEW_PROPOSAL = "participants.view_proposal"
PROPOSE = "participants.propose_candidates"
APPROVE = "participants.approve_proposal"
VIEW_PERSON = "screening.view_person_decision"


def _proposal_or_404(pk: int) -> Proposal:
    proposal = selectors.proposal_get(pk=pk)
    if proposal is None:
        raise Http404(_("Usulan tidak ditemukan."))
    return proposal


def _proposal_url(year_pk: int, *, state: str = "", page: str = "") -> str:
    """The proposal page, keeping the list's filter and page across a POST."""
    url = reverse("participants:proposal_detail", args=[year_pk])
    query = {k: v for k, v in (("state", state), ("page", page)) if v}
    return f"{url}?{urlencode(query)}" if query else url


def _render_page(
    request: HttpRequest,
    year: ProgrammeYear,
    *,
    create_form: ProposalCreateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    proposal = selectors.proposal_of_year(programme_year=year)
    context: dict[str, Any] = {"year": year, "proposal": proposal}
    if proposal is None:
        if request.user.has_perm(PROPOSE):
            runs = selectors.proposable_runs(programme_year=year)
            context["create_form"] = create_form or ProposalCreateForm(runs=runs)
        return render(request, "participants/proposal_detail.html", context, status=status)
    filter_form = CandidateFilterForm(request.GET or None)
    state = filter_form.state_filter()
    page = selectors.candidate_page(proposal=proposal, state=state, page=request.GET.get("page"))
    is_draft = proposal.status == Proposal.Status.DRAFT
    context.update(
        overview=selectors.proposal_overview(proposal=proposal),
        filter_form=filter_form,
        state=state,
        page=page,
        query=urlencode({"state": state}) if state else "",
        can_approve=is_draft
        and request.user.has_perm(APPROVE)
        and proposal.proposed_by_id != request.user.pk,
        can_exclude=is_draft and request.user.has_perm(PROPOSE),
        excludable=(CandidateState.PROPOSED.value, CandidateState.WAITLISTED.value),
        exclude_form=ExcludeForm(),
    )
    return render(request, "participants/proposal_detail.html", context, status=status)


@require_GET
@requires(VIEW_PROPOSAL)
def proposal_detail(request: HttpRequest, year_pk: int) -> HttpResponse:
    """The year's proposal, or the form to make one when there is none yet."""
    return _render_page(request, year_or_404(year_pk))


@require_POST
@requires(VIEW_PROPOSAL, PROPOSE)
def proposal_create(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    runs = selectors.proposable_runs(programme_year=year)
    form = ProposalCreateForm(request.POST, runs=runs)
    if not form.is_valid():
        return _render_page(request, year, create_form=form)
    try:
        services.proposal_create(
            run=form.cleaned_data["run"], actor=request.user, place=form.cleaned_data["place"]
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("Usulan calon peserta dibuat. Periksa daftarnya, lalu mintalah persetujuan."),
        )
    return redirect("participants:proposal_detail", year_pk=year.pk)


@require_POST
@requires(VIEW_PROPOSAL, APPROVE)
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    try:
        services.proposal_approve(proposal=proposal, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("Usulan disetujui. Berita acara sedang dibuat; verifikasi dapat dimulai."),
        )
    return redirect("participants:proposal_detail", year_pk=proposal.programme_year_id)


@require_POST
@requires(VIEW_PROPOSAL, PROPOSE)
def berita_acara_request(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    try:
        services.berita_acara_request(proposal=proposal, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Berita acara sedang dibuat (DOCX dan PDF)."))
    return redirect(
        reverse("participants:proposal_detail", args=[proposal.programme_year_id]) + "#dokumen"
    )


@require_POST
@requires(VIEW_PROPOSAL, PROPOSE)
def candidate_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(pk=pk)
    if candidate is None:
        raise Http404(_("Calon tidak ditemukan."))
    back = _proposal_url(
        candidate.proposal.programme_year_id,
        state=request.POST.get("state", "")[:20],
        page=request.POST.get("page", "")[:10],
    )
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        replacements = services.candidate_exclude(
            candidate=candidate, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("Calon peringkat %(rank)s dikecualikan; %(n)s calon dari daftar tunggu menggantikan.")
            % {"rank": candidate.rank, "n": len(replacements)},
        )
    return redirect(back)


@require_GET
@requires(VIEW_PROPOSAL, VIEW_PERSON)
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.candidate_detail(pk=pk)
    if detail is None:
        raise Http404(_("Calon tidak ditemukan."))
    return render(
        request,
        "participants/candidate_detail.html",
        {
            "d": detail,
            "candidate": detail.candidate,
            "year": detail.candidate.proposal.programme_year,
        },
    )


# --- replacement rounds (issue 12, Pasal 6 ayat (2)) --------------------------------------


def _today() -> date:
    """Today in Asia/Jakarta: the one place the replacement pages read the clock (a seam
    tests swap, as Django's token generator does)."""
    return timezone.localdate()


@require_GET
@requires(VIEW_PROPOSAL)
def replacement_round(request: HttpRequest, year_pk: int) -> HttpResponse:
    """Free places, the remaining pagu and what it affords for the months left, the next of
    the waiting list, and where earlier rounds' replacements are now."""
    year = year_or_404(year_pk)
    proposal = selectors.proposal_of_year(programme_year=year)
    overview = None
    if proposal is not None and proposal.status == Proposal.Status.APPROVED:
        overview = selectors.replacement_round_overview(proposal=proposal, today=_today())
    return render(
        request,
        "participants/replacement_round.html",
        {"year": year, "proposal": proposal, "overview": overview},
    )


@require_POST
@requires(VIEW_PROPOSAL, PROPOSE)
def replacement_propose(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    try:
        result = replacements.replacements_propose(
            programme_year=year, actor=request.user, today=_today()
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _(
                "Putaran pengganti %(round)s: %(n)s calon diusulkan dari daftar tunggu, "
                "%(refused)s ditolak pada pemeriksaan ulang. Kirimkan yang diusulkan ke "
                "Disdukcapil untuk verifikasi."
            )
            % {
                "round": result.number,
                "n": len(result.proposed),
                "refused": len(result.refused),
            },
        )
    return redirect("participants:replacement_round", year_pk=year.pk)
