"""The audit trail page for the Inspektorat's auditor (Pasal 10 ayat (3) huruf a)."""

from __future__ import annotations

from typing import Final

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from payung.audit.selectors import (
    audit_action_list,
    audit_chain_verify,
    audit_entry_list,
    audit_head_get,
)

PAGE_SIZE: Final[int] = 50


@require_GET
@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def entry_list(request: HttpRequest) -> HttpResponse:
    """Entries newest first, filtered by action, under the result of checking the chain.

    The chain is checked on every visit so the auditor never reads a trail whose tampering
    went unnoticed; it reads every entry, which stays fast for the trail of one regency.
    The head's digest (count and short MAC) is shown for the auditor to print and keep each
    day: the chain cannot reveal its own last entries being deleted, a kept digest can.
    """
    action = request.GET.get("action", "").strip()
    page = Paginator(audit_entry_list(action=action or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audit/entry_list.html",
        {
            "chain": audit_chain_verify(),
            "head": audit_head_get(),
            "page": page,
            "actions": audit_action_list(),
            "action": action,
        },
    )
