"""Pages of the decree stage (Pasal 7 ayat (4), 10 ayat (2) huruf d, 10 ayat (5)): the team,
the decrees the policy lists, their drafts and documents, and the record of the signed one.

Views parse input, call one service or selector and render. The signed scan and the
internal annex (full NIKs) are served only through services that write the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from payung.core.viewtools import error_messages, requires
from payung.decrees import selectors, services
from payung.decrees.forms import DecreeSignedForm, TeamMemberForm
from payung.decrees.models import Decree
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import year_or_404

VIEW_DECREE = "decrees.view_decree"
VIEW_TEAM = "programmes.view_teammember"
MANAGE_TEAM = "programmes.manage_team"
DRAFT = "decrees.draft_decree"
RECORD = "decrees.record_signed_decree"


def _decree_or_404(pk: int) -> Decree:
    decree = selectors.decree_get(pk=pk)
    if decree is None:
        raise Http404(_("Keputusan tidak ditemukan."))
    return decree


def _signed_prefix(pk: int) -> str:
    return f"sk{pk}"


def _render_year(
    request: HttpRequest,
    year: ProgrammeYear,
    *,
    team_form: TeamMemberForm | None = None,
    signed_form: tuple[int, DecreeSignedForm] | None = None,
) -> HttpResponse:
    """The year's decree page; a bound form with errors replaces the blank one it came from."""
    data = selectors.year_decrees(programme_year=year)
    user = request.user
    signed_forms: dict[int, DecreeSignedForm] = {}
    if user.has_perm(RECORD):
        for block in data.blocks:
            for row in block.decrees:
                # Not a first draft of a kind already signed, and not the user's own draft
                # (four eyes: the page says why instead of a form the service would refuse).
                if row.recordable and row.decree.drafted_by_id != user.pk:
                    pk = row.decree.pk
                    signed_forms[pk] = DecreeSignedForm(prefix=_signed_prefix(pk))
        if signed_form is not None:
            signed_forms[signed_form[0]] = signed_form[1]
    context: dict[str, Any] = {
        "year": year,
        "data": data,
        "team_form": (team_form or TeamMemberForm()) if user.has_perm(MANAGE_TEAM) else None,
        "signed_forms": signed_forms,
    }
    return render(request, "decrees/year_detail.html", context)


@require_GET
@requires(VIEW_DECREE)
def year_detail(request: HttpRequest, year_pk: int) -> HttpResponse:
    return _render_year(request, year_or_404(year_pk))


@require_POST
@requires(VIEW_DECREE, VIEW_TEAM, MANAGE_TEAM)
def team_member_add(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    form = TeamMemberForm(request.POST)
    if not form.is_valid():
        return _render_year(request, year, team_form=form)
    try:
        member = services.team_member_add(
            programme_year=year, actor=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s ditambahkan ke tim sebagai %(pos)s.")
            % {"name": member.name, "pos": member.get_position_display()},
        )
    return redirect(reverse("decrees:year_detail", args=[year.pk]) + "#tim")


@require_POST
@requires(VIEW_DECREE, DRAFT)
def decree_draft(request: HttpRequest, year_pk: int, kind: str) -> HttpResponse:
    """Draft a decree of the policy's ``kind``; its documents are made in the background."""
    year = year_or_404(year_pk)
    try:
        decree = services.decree_draft(programme_year=year, kind=kind, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect(reverse("decrees:year_detail", args=[year.pk]) + f"#keputusan-{kind}")
    messages.success(
        request,
        _("Rancangan \u201c%(title)s\u201d disusun; dokumennya sedang dibuat.")
        % {"title": decree.title},
    )
    return redirect(reverse("decrees:year_detail", args=[year.pk]) + f"#keputusan-{kind}")


@require_POST
@requires(VIEW_DECREE, DRAFT)
def decree_amendment_draft(request: HttpRequest, year_pk: int) -> HttpResponse:
    """Draft the amending participants decree (Pasal 7 ayat (4)): the verified replacements
    added, the ended removed; refused in words when there is nothing to change."""
    year = year_or_404(year_pk)
    try:
        decree = services.decree_amendment_draft(programme_year=year, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect(reverse("decrees:year_detail", args=[year.pk]) + "#perubahan")
    messages.success(
        request,
        _("Rancangan keputusan perubahan disusun; dokumennya sedang dibuat."),
    )
    return redirect("decrees:decree_detail", pk=decree.pk)


def _render_detail(
    request: HttpRequest, decree: Decree, *, signed_form: DecreeSignedForm | None = None
) -> HttpResponse:
    detail = selectors.decree_detail(decree=decree)
    form = None
    own_draft = decree.drafted_by_id == request.user.pk
    if detail.recordable and request.user.has_perm(RECORD) and not own_draft:
        form = signed_form or DecreeSignedForm(prefix=_signed_prefix(decree.pk))
    return render(
        request,
        "decrees/decree_detail.html",
        {"year": decree.programme_year, "detail": detail, "d": decree, "signed_form": form},
    )


@require_GET
@requires(VIEW_DECREE)
def decree_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One decree: for an amending participants decree, whom it adds and removes and why."""
    return _render_detail(request, _decree_or_404(pk))


@require_POST
@requires(VIEW_DECREE, RECORD)
def decree_record_signed(request: HttpRequest, pk: int) -> HttpResponse:
    decree = _decree_or_404(pk)
    year = decree.programme_year
    form = DecreeSignedForm(request.POST, request.FILES, prefix=_signed_prefix(decree.pk))
    amending = decree.amends_id is not None
    if not form.is_valid():
        if amending:
            return _render_detail(request, decree, signed_form=form)
        return _render_year(request, year, signed_form=(decree.pk, form))
    data = form.cleaned_data
    try:
        signed = services.decree_record_signed(
            decree=decree,
            actor=request.user,
            number=data["number"],
            signed_on=data["signed_on"],
            signer_name=data["signer_name"],
            scan=data["scan"],
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("Keputusan nomor %(number)s dicatat sebagai telah ditetapkan.")
            % {"number": signed.number},
        )
    if amending:
        return redirect("decrees:decree_detail", pk=decree.pk)
    return redirect(reverse("decrees:year_detail", args=[year.pk]) + f"#keputusan-{decree.kind}")


@never_cache
@require_GET
@requires(VIEW_DECREE)
def decree_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed scan, after ``decree_scan_open`` has recorded the download."""
    decree = _decree_or_404(pk)
    try:
        path = services.decree_scan_open(decree=decree, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("decrees:year_detail", year_pk=decree.programme_year_id)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas pindaian tidak ditemukan di penyimpanan.")) from None
    name = f"keputusan-{decree.kind.replace('_', '-')}-{decree.programme_year.year}-ttd.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
