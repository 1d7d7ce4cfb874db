"""Pages of the ends stage (issue 12): thin; each parses, calls one service or selector and
renders."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core.formatting import angka
from payung.core.models import JobStatus
from payung.core.viewtools import (
    error_messages,
    job_progress_context,
    job_retry_cancel_views,
    requires,
)
from payung.ends import selectors, services
from payung.ends.forms import EndForm, EndImportForm
from payung.ends.models import EndImport
from payung.participants.models import CandidateState
from payung.participants.selectors import candidate_get
from payung.programmes.models import ProgrammeYear

END = services.END_PERM
VIEW = services.VIEW_PERM
READERS = (VIEW, *services.IMPORT_PERMS.values())
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def requires_any(*perms: str) -> Callable[[Any], Any]:
    """Signed in, and holding at least one of ``perms`` (else 403)."""

    def wrap(view: Any) -> Any:
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.user.has_perm(p) for p in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return login_required(inner)

    return wrap


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The age watch's offer pre-fills reason, article and date (no personal data)."""
    initial: dict[str, Any] = {}
    if request.GET.get("alasan") in services.MANUAL_REASONS:
        initial["reason_code"] = request.GET["alasan"]
    if request.GET.get("pasal"):
        initial["failed_rules"] = [request.GET["pasal"]]
    with contextlib.suppress(ValueError):
        initial["on"] = date.fromisoformat(request.GET.get("tanggal", ""))
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
@requires(END)
def participant_end(request: HttpRequest, candidate_pk: int) -> HttpResponse:
    """End one participation with its date, reason and evidence; once ended, the places
    the remaining pagu pays for and the way to the replacement round."""
    candidate = candidate_get(pk=candidate_pk)
    if candidate is None:
        raise Http404(_("Calon peserta tidak ditemukan."))
    year = candidate.proposal.programme_year
    rules = services.policy_rule_choices(programme_year=year)
    form = EndForm(request.POST or None, rules=rules, initial=_initial(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.participation_end_record(
                    candidate=candidate,
                    actor=request.user,
                    on=form.cleaned_data["on"],
                    reason_code=form.cleaned_data["reason_code"],
                    evidence=form.evidence(),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_error(None, exc)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Kepesertaan telah diakhiri."))
                return redirect("ends:participant_end", candidate_pk=candidate.pk)
        status = 400
    context: dict[str, Any] = {"candidate": candidate, "year": year, "form": form}
    if candidate.state == CandidateState.ENDED:
        context |= {
            "ended": True,
            "places_free": selectors.places_free(programme_year=year),
            "replacement_url": selectors.replacement_round_url(programme_year=year),
        }
    else:
        context["endable"] = candidate.state in services.ENDABLE
    return render(request, "ends/participant_end.html", context, status=status)


@require_GET
@requires(VIEW)
def year_ends(request: HttpRequest, year_pk: int) -> HttpResponse:
    """The year's ends, files, claims, free places and the age watch."""
    year = get_object_or_404(ProgrammeYear, pk=year_pk)
    page, rows = selectors.ended_page(programme_year=year, page=request.GET.get("page"))
    context = {
        "year": year,
        "figures": selectors.end_figures(programme_year=year),
        "page": page,
        "rows": rows,
        "imports": selectors.end_imports_recent(programme_year=year),
        "claims": selectors.claim_figures(programme_year=year),
        "places_free": selectors.places_free_kept(programme_year=year),
        "replacement_url": selectors.replacement_round_url(programme_year=year),
        "watch": selectors.age_watch(programme_year=year),
    }
    return render(request, "ends/year_ends.html", context)


def _kinds(user: Any) -> list[str]:
    return [kind for kind, perm in services.IMPORT_PERMS.items() if user.has_perm(perm)]


@never_cache
@require_http_methods(["GET", "POST"])
@requires_any(*services.IMPORT_PERMS.values())
def end_import_upload(request: HttpRequest, year_pk: int) -> HttpResponse:
    """Upload Disdukcapil's deaths and moves or BPJS's claims file; a worker reads it."""
    year = get_object_or_404(ProgrammeYear, pk=year_pk)
    kinds = _kinds(request.user)
    form = EndImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.end_import_create(
                    programme_year=year,
                    kind=form.cleaned_data["kind"],
                    uploaded=form.cleaned_data["file"],
                    actor=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(request, _("Berkas diterima dan sedang dibaca."))
                return redirect("ends:end_import_detail", pk=job.pk)
        status = 400
    context = {
        "year": year,
        "form": form,
        "imports": selectors.end_imports_recent(programme_year=year),
    }
    return render(request, "ends/end_import_upload.html", context, status=status)


def _import_or_404(pk: int) -> EndImport:
    found = selectors.end_import_get(pk=pk)
    if found is None:
        raise Http404(_("Berkas tidak ditemukan."))
    return found


def _progress(request: HttpRequest, job: EndImport, *, finished_reload: bool) -> dict[str, Any]:
    return job_progress_context(
        request, job=job, namespace="ends:end_import", perm=END, finished_reload=finished_reload
    )


@require_GET
@requires_any(*READERS)
def end_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A file: progress while read, every row problem of a refusal, else the preview (who
    will end, with which date and reason) and, for a second person, the apply button."""
    job = _import_or_404(pk)
    done = job.status == JobStatus.DONE
    context: dict[str, Any] = {
        "imp": job,
        "year": job.programme_year,
        "refused": job.status == JobStatus.FAILED and job.error_code == "refused",
        "preview": selectors.end_import_preview(end_import=job) if done else None,
        "may_apply": done
        and job.applied_at is None
        and request.user.has_perm(END)
        and job.uploaded_by_id != request.user.pk,
        "own_upload": job.uploaded_by_id == request.user.pk,
        **_progress(request, job, finished_reload=False),
    }
    return render(request, "ends/end_import_detail.html", context)


@require_GET
@requires_any(*READERS)
def end_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_or_404(pk)
    htmx = bool(getattr(request, "htmx", False))
    context = _progress(request, job, finished_reload=htmx)
    return render(request, "partials/job_progress.html", context)


end_import_retry, end_import_cancel = job_retry_cancel_views(
    lookup=_import_or_404,
    perms=(END,),
    detail="ends:end_import_detail",
    retried=gettext_lazy("Pembacaan berkas diulang dan menunggu giliran diproses."),
    cancelled=gettext_lazy("Pembacaan berkas dibatalkan."),
)


@require_POST
@requires(END)
def end_import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a read file (a second person: four eyes)."""
    job = _import_or_404(pk)
    try:
        result = services.end_import_apply(end_import=job, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("ends:end_import_detail", pk=pk)
    messages.success(
        request,
        _("Berkas diterapkan: %(ended)s kepesertaan berakhir, %(claims)s klaim dicatat.")
        % {"ended": angka(sum(result.ended.values())), "claims": angka(result.claims)},
    )
    return redirect("ends:year_ends", year_pk=job.programme_year_id)


@never_cache
@require_GET
@requires(END)
def end_import_unmatched(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The unmatched rows of a file (the service records the download)."""
    job = _import_or_404(pk)
    try:
        content, name = services.end_import_unmatched_file(
            end_import=job, fmt=fmt, actor=request.user
        )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("ends:end_import_detail", pk=pk)
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=name, content_type=EXPORT_TYPES[fmt]
    )
