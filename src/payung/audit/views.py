"""The audit trail pages for the Inspektorat's auditor (Pasal 10 ayat (3) huruf a)."""

from __future__ import annotations

from typing import Any, Final

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from payung.audit.display import entry_rows
from payung.audit.forms import SYSTEM, AuditFilterForm
from payung.audit.selectors import (
    audit_action_list,
    audit_chain_verify,
    audit_entry_list,
    audit_head_get,
    audit_username_list,
)
from payung.audit.services import audit_entries_export, audit_export_params
from payung.core.export_kinds import export_in_background, export_start

PAGE_SIZE: Final[int] = 50
XLSX: Final[str] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any]]:
    """The bound filter form and the selector's arguments (none when the form is invalid)."""
    form = AuditFilterForm(
        request.GET or None, usernames=audit_username_list(), actions=audit_action_list()
    )
    if not form.is_bound or not form.is_valid():
        return form, {}
    data = form.cleaned_data
    user = data.get("user") or None
    return form, {
        "action": data.get("action") or None,
        "username": "" if user == SYSTEM else user,
        "start": data.get("dari"),
        "end": data.get("sampai"),
    }


@require_GET
@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def entry_list(request: HttpRequest) -> HttpResponse:
    """Entries newest first, in words, filtered by user, action and WIB days.

    The chain is no longer verified on every visit: it reads and re-MACs every entry, which
    took seconds on a trail of 50.000 (see ``chain_check``); the page links to the check.
    """
    form, filters = _filters(request)
    page = Paginator(audit_entry_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "rows": entry_rows(page.object_list),
            "query": query.urlencode(),
            "export_later": export_in_background(rows=page.paginator.count),
        },
    )


@require_GET
@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def chain_check(request: HttpRequest) -> HttpResponse:
    """Recompute every MAC on request and, if the chain holds, give today's digest to print.

    The digest is offered only for a chain that verified: printed from a tampered trail it
    would vouch for the tampering. The head is read after the check so the digest covers
    at least what was checked.
    """
    chain = audit_chain_verify()
    return render(
        request,
        "audit/chain_check.html",
        {"chain": chain, "head": audit_head_get() if chain.ok else None},
    )


@require_GET
@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def entry_export(request: HttpRequest) -> HttpResponse:
    """The entries the page shows for the same filters, as XLSX; the download is audited.

    Past ``PAYUNG_EXPORT_BACKGROUND_ROWS`` entries the file is built in the background
    (``core.export_kinds``) and the user is taken to its progress page."""
    form, filters = _filters(request)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/entry_list.html", {"form": form, "page": None}, status=400)
    rows = audit_entry_list(**filters).count()
    if export_in_background(rows=rows):
        # Tens of thousands of entries: built by a worker, with a progress bar (issue 9).
        job = export_start(
            kind="audit_entries",
            params=audit_export_params(**filters),
            rows_expected=rows,
            actor=request.user,
        )
        return redirect("documents:export_detail", pk=job)
    export = audit_entries_export(actor=request.user, **filters)
    response = HttpResponse(export.content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response
