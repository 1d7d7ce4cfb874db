"""Appending to the audit trail, inside the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction

from payung.audit.chain import GENESIS, entry_hash
from payung.audit.models import AuditEntry


def audit_entry_create(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the write it records.

    The last entry is read under a row lock (PostgreSQL) or inside SQLite's IMMEDIATE
    transaction, so two concurrent writers cannot both chain onto the same predecessor.
    ``detail`` must hold no personal data beyond what the action needs (a masked NIK, a
    count, a file hash), because the trail is read by auditors.
    """
    with transaction.atomic():
        last = AuditEntry.objects.select_for_update().order_by("-id").first()
        prev = last.hash if last else GENESIS
        # Truncated to microseconds in UTC so the value hashed is the value stored.
        now = datetime.now(tz=UTC)
        username = getattr(actor, "username", "") or ""
        object_type = target._meta.label_lower if target is not None else ""
        object_id = str(target.pk) if target is not None else ""
        payload = detail or {}
        entry = AuditEntry(
            created_at=now,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_username=username,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=payload,
            prev_hash=prev,
            hash=entry_hash(
                prev_hash=prev,
                created_at=now,
                actor_username=username,
                action=action,
                object_type=object_type,
                object_id=object_id,
                detail=payload,
            ),
        )
        entry.save()
        return entry
