"""Audit entries at chosen moments, properly chained, for the page's filters and its budget.

``audit_entry_create`` stamps entries with the current time; a filter by day needs entries
on other days, and a budget test needs tens of thousands quickly. These are built by the
service's own ``audit_entry_build``, so the chain still verifies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from payung.audit.chain import GENESIS
from payung.audit.keys import audit_key_get
from payung.audit.models import AuditEntry
from payung.audit.services import audit_entry_build


def entries_create(
    *,
    at: datetime,
    count: int = 1,
    step: timedelta = timedelta(seconds=1),
    actor: Any = None,
    actions: Iterable[str] = ("user_login",),
    target: Any = None,
    detail: dict[str, Any] | None = None,
    batch: int = 5000,
) -> list[AuditEntry]:
    """``count`` entries from ``at`` on, ``step`` apart, cycling through ``actions``."""
    key = audit_key_get()
    last = AuditEntry.objects.order_by("-id").only("id", "hash").first()
    prev = last.hash if last else GENESIS
    next_id = last.id + 1 if last else 1
    actions = list(actions)
    made: list[AuditEntry] = []
    pending: list[AuditEntry] = []
    for i in range(count):
        entry = audit_entry_build(
            key=key,
            entry_id=next_id,
            created_at=(at + step * i).astimezone(UTC),
            actor=actor,
            action=actions[i % len(actions)],
            target=target,
            detail=dict(detail or {}),
            prev_hash=prev,
        )
        pending.append(entry)
        prev, next_id = entry.hash, next_id + 1
        if len(pending) >= batch:
            made += AuditEntry.objects.bulk_create(pending)
            pending = []
    made += AuditEntry.objects.bulk_create(pending)
    return made
