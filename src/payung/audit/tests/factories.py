"""Audit entries at chosen moments, properly chained, for the page's filters and its budget.

``audit_entry_create`` stamps entries with the current time; a filter by day needs entries
on other days, and a budget test needs tens of thousands quickly. These are written with the
same MAC as the service computes, so the chain still verifies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from payung.audit.chain import GENESIS, entry_mac
from payung.audit.keys import audit_key_get
from payung.audit.models import AuditEntry


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
    actor_id = actor.pk if actor is not None else None
    username = actor.username if actor is not None else ""
    object_type = target._meta.label_lower if target is not None else ""
    object_id = str(target.pk) if target is not None else ""
    made: list[AuditEntry] = []
    pending: list[AuditEntry] = []
    for i in range(count):
        created = (at + step * i).astimezone(UTC)
        action = actions[i % len(actions)]
        payload = dict(detail or {})
        mac = entry_mac(
            key=key,
            entry_id=next_id,
            created_at=created,
            actor_id=actor_id,
            actor_username=username,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=payload,
            prev_hash=prev,
        )
        pending.append(
            AuditEntry(
                id=next_id,
                created_at=created,
                actor_id=actor_id,
                actor_username=username,
                action=action,
                object_type=object_type,
                object_id=object_id,
                detail=payload,
                prev_hash=prev,
                hash=mac,
            )
        )
        prev, next_id = mac, next_id + 1
        if len(pending) >= batch:
            made += AuditEntry.objects.bulk_create(pending)
            pending = []
    made += AuditEntry.objects.bulk_create(pending)
    return made
