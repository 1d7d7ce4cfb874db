"""Appending to the audit trail, inside the caller's transaction."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Final

from django.db import connection, models, transaction

from payung.audit.chain import GENESIS, entry_hash
from payung.audit.models import AuditEntry

# Key of the PostgreSQL advisory lock that serialises appends: a fixed 63-bit number derived
# from a name, so no other part of Payung picks the same one by accident.
_APPEND_LOCK_KEY: Final[int] = int.from_bytes(
    hashlib.sha256(b"payung.audit.append").digest()[:8], "big", signed=True
)


def _append_lock() -> None:
    """Hold the trail's append lock until the surrounding transaction ends.

    ``SELECT ... FOR UPDATE`` on the last entry is not enough on PostgreSQL: a second writer
    waits on that row, and when the first commits it still gets the *same* row back (the new
    entry was not in its snapshot), so both chain onto one predecessor and the trail forks
    (seen in ``test_concurrent_writers_never_fork_the_chain``). A transaction-level advisory
    lock taken before the read makes the second writer read after the first has committed.
    SQLite needs nothing here: Payung opens its transactions with ``BEGIN IMMEDIATE``, which
    already admits one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK_KEY])


def audit_entry_create(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the write it records.

    The lock is held until the caller's transaction commits or rolls back, so an entry whose
    write is rolled back vanishes with it and the next writer chains onto the last entry that
    was committed. ``prev_hash`` is unique in the database as well, so even a writer that
    bypassed this function could not fork the chain. ``detail`` must hold no personal data
    beyond what the action needs (a masked NIK, a count, a file hash), because the trail is
    read by auditors.
    """
    with transaction.atomic():
        _append_lock()
        last = AuditEntry.objects.order_by("-id").only("hash").first()
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
