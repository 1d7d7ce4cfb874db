"""Pages of other funders' lists (Pasal 5 ayat (2) huruf f): the year's lists with the
upload, one list's progress while the worker links it, its matches side by side with the
evidence, and the decision on each.

Names, NIKs and birth dates of two lists are on the match page, so each view of it is
audited; NIKs and family card numbers are masked unless the role may reveal them. Only the
tab and the page number travel in the URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from payung.audit.services import audit_entry_create
from payung.core.models import JobStatus
from payung.core.viewtools import (
    error_messages,
    job_progress_context,
    job_retry_cancel_views,
    requires,
)
from payung.linkage import selectors, services
from payung.linkage.forms import DecisionForm, OtherListForm
from payung.linkage.models import ListMatch, OtherList
from payung.programmes.selectors import year_or_404

VIEW = services.VIEW_PERM
IMPORT = services.IMPORT_PERM
DECIDE = services.DECIDE_PERM
NAMESPACE = "linkage:list"


def _render_year(
    request: HttpRequest, year: Any, *, form: OtherListForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "year": year,
        "lists": selectors.other_list_list(programme_year=year),
        "form": (form or OtherListForm()) if request.user.has_perm(IMPORT) else None,
    }
    return render(request, "linkage/year_lists.html", context, status=status)


@require_GET
@requires(VIEW)
def year_lists(request: HttpRequest, year_pk: int) -> HttpResponse:
    return _render_year(request, year_or_404(year_pk))


@require_POST
@requires(VIEW, IMPORT)
def list_upload(request: HttpRequest, year_pk: int) -> HttpResponse:
    """Store the list and queue its linkage; the list's page shows the progress."""
    year = year_or_404(year_pk)
    form = OtherListForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_year(request, year, form=form, status=400)
    data = form.cleaned_data
    try:
        job = services.other_list_create(
            programme_year=year,
            source_name=data["source_name"],
            funder=data["funder"],
            list_date=data["list_date"],
            uploaded=data["file"],
            mapping=data["mapping"],
            actor=request.user,
        )
    except ValidationError as exc:
        field = "file" if getattr(exc, "code", None) in ("too_large", "duplicate") else None
        for message in exc.messages:
            form.add_error(field, message)
        return _render_year(request, year, form=form, status=400)
    messages.success(request, _("Daftar diterima dan sedang dicocokkan dengan ekstrak DTSEN."))
    return redirect("linkage:list_detail", pk=job.pk)


def _list_or_404(pk: int) -> OtherList:
    found = selectors.other_list_get(pk=pk)
    if found is None:
        raise Http404(_("Daftar tidak ditemukan."))
    return found


def _page_number(request: HttpRequest, *, posted: bool = False) -> int:
    try:
        return max(1, int((request.POST if posted else request.GET).get("page", "1")))
    except ValueError:
        return 1


@require_GET
@requires(VIEW)
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A list: progress while it is linked; then its matches, a tab and a page at a time."""
    other_list = _list_or_404(pk)
    context: dict[str, Any] = {
        "other_list": other_list,
        "year": other_list.programme_year,
        **job_progress_context(
            request, job=other_list, namespace=NAMESPACE, perm=IMPORT, finished_reload=False
        ),
    }
    if other_list.status == JobStatus.DONE:
        tab = request.GET.get("tab", "perlu")
        tab = tab if tab in selectors.FILTERS else "perlu"
        page, rows = selectors.list_match_page(
            other_list=other_list, tab=tab, page=_page_number(request)
        )
        if rows:
            # Two lists' names, NIKs and birth dates side by side: a view of personal data.
            audit_entry_create(
                actor=request.user,
                action="list_matches_view",
                target=other_list,
                detail={"tab": tab, "page": page.number, "rows": len(rows)},
            )
        context.update(
            tab=tab,
            page=page,
            rows=rows,
            counts=selectors.other_list_counts(other_list=other_list),
            may_decide=request.user.has_perm(DECIDE),
        )
    return render(request, "linkage/list_detail.html", context)


@require_GET
@requires(VIEW)
def list_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the progress partial, polled by htmx; the page reloads once the job ends."""
    other_list = _list_or_404(pk)
    htmx = bool(getattr(request, "htmx", False))
    context = job_progress_context(
        request, job=other_list, namespace=NAMESPACE, perm=IMPORT, finished_reload=htmx
    )
    return render(request, "partials/job_progress.html", context)


list_retry, list_cancel = job_retry_cancel_views(
    lookup=_list_or_404,
    perms=(VIEW, IMPORT),
    detail="linkage:list_detail",
    retried=gettext_lazy("Pencocokan diulang dan menunggu giliran diproses."),
    cancelled=gettext_lazy("Pencocokan dibatalkan."),
)


@require_POST
@requires(VIEW, DECIDE)
def match_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's decision on one match; back to the same tab and page of the list."""
    match = ListMatch.objects.select_related("other_list").filter(pk=pk).first()
    if match is None:
        raise Http404(_("Pasangan tidak ditemukan."))
    back = reverse("linkage:list_detail", args=[match.other_list_id])
    tab = request.POST.get("tab", "perlu")
    tab = tab if tab in selectors.FILTERS else "perlu"
    back += f"?tab={tab}&page={_page_number(request, posted=True)}"
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    try:
        decided = services.list_match_decide(
            match=match,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _success(decided))
    return redirect(back)


def _success(match: ListMatch) -> str:
    if match.decision == "rejected":
        return _("Dicatat: bukan orang yang sama.")
    return _("Dicatat: orang yang sama. %(effect)s") % {"effect": match.get_effect_display()}
