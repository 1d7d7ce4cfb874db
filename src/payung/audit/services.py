"""Appending to the audit trail, inside the caller's transaction, and anchoring its head."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.anchors import Anchor, anchor_build
from payung.audit.chain import GENESIS, entry_mac
from payung.audit.keys import audit_key_get
from payung.audit.models import AuditEntry

# Key of the PostgreSQL advisory lock that serialises appends: a fixed 63-bit number derived
# from a name, so no other part of Payung picks the same one by accident.
_APPEND_LOCK_KEY: Final[int] = int.from_bytes(
    hashlib.sha256(b"payung.audit.append").digest()[:8], "big", signed=True
)

ANCHOR_ACTION: Final[str] = "audit_anchor"


class ChainBrokenError(Exception):
    """Refuses to anchor a trail that no longer verifies: the anchor would vouch for it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _append_lock() -> None:
    """Hold the trail's append lock until the surrounding transaction ends.

    ``SELECT ... FOR UPDATE`` on the last entry is not enough on PostgreSQL: a second writer
    waits on that row, and when the first commits it still gets the *same* row back (the new
    entry was not in its snapshot), so both chain onto one predecessor and the trail forks
    (seen in ``test_concurrent_writers_never_fork_the_chain``). A transaction-level advisory
    lock taken before the read makes the second writer read after the first has committed.
    SQLite needs nothing here: Payung opens its transactions with ``BEGIN IMMEDIATE``, which
    already admits one writer at a time.

    The lock is held until the commit, so the commit should be short: Django's foreign keys
    are checked at commit (``DEFERRABLE INITIALLY DEFERRED``), which for an import's million
    persons took 1.1-1.7 s, while every audited page view (a person page, a NIK shown)
    waited on the lock (issue 16: a person page of 530 ms under load, its lock wait 447 ms).
    The checks still pending are therefore made now, before the lock is taken; the rest of
    the transaction is checked statement by statement (Payung writes no row before the row
    it points to).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
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

    The id is assigned here (the last id plus one, under the lock) rather than by the
    database, because the MAC covers it and must be computed before the row is written; it
    also keeps ids gapless, so a deleted entry leaves a visible hole.
    """
    key = audit_key_get()
    with transaction.atomic():
        _append_lock()
        last = AuditEntry.objects.order_by("-id").only("id", "hash").first()
        prev = last.hash if last else GENESIS
        entry_id = last.id + 1 if last else 1
        # Truncated to microseconds in UTC so the value MACed is the value stored.
        entry = audit_entry_build(
            key=key,
            entry_id=entry_id,
            created_at=datetime.now(tz=UTC),
            actor=actor,
            action=action,
            target=target,
            detail=detail,
            prev_hash=prev,
        )
        entry.save(force_insert=True)
        return entry


@dataclass(frozen=True)
class AuditItem:
    """One entry of a batch for ``audit_entries_create``: what one ``audit_entry_create``
    call would get besides the actor."""

    action: str
    target: models.Model | None = None
    detail: dict[str, Any] | None = None


def audit_entries_create(*, actor: Any, items: Sequence[AuditItem]) -> list[AuditEntry]:
    """Append many entries at once, in order: the same chain as one ``audit_entry_create``
    per item.

    A bulk write (the cards handed over in one round, the participants ended in one go)
    records one entry per object, as the one-by-one write did; taking the lock, reading the
    head and reading the key once, and inserting in one statement per 500 rows instead of one
    round trip each, saves the per-entry overhead without changing a single field: each entry
    still gets its own id (last id plus one), its own time, and a MAC over the previous one's.
    """
    if not items:
        return []
    key = audit_key_get()
    with transaction.atomic():
        _append_lock()
        last = AuditEntry.objects.order_by("-id").only("id", "hash").first()
        prev = last.hash if last else GENESIS
        entry_id = last.id if last else 0
        entries: list[AuditEntry] = []
        for item in items:
            entry_id += 1
            entry = audit_entry_build(
                key=key,
                entry_id=entry_id,
                created_at=datetime.now(tz=UTC),
                actor=actor,
                action=item.action,
                target=item.target,
                detail=item.detail,
                prev_hash=prev,
            )
            entries.append(entry)
            prev = entry.hash
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        return entries


def audit_entry_build(
    *,
    key: bytes,
    entry_id: int,
    created_at: datetime,
    actor: Any,
    action: str,
    target: models.Model | None,
    detail: dict[str, Any] | None,
    prev_hash: str,
) -> AuditEntry:
    """The unsaved entry with its MAC: what ``audit_entry_create`` appends under its lock,
    and what a test factory chains at chosen moments (one MAC computation for both)."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    username = getattr(actor, "username", "") or ""
    object_type = target._meta.label_lower if target is not None else ""
    object_id = str(target.pk) if target is not None else ""
    payload = detail or {}
    return AuditEntry(
        id=entry_id,
        created_at=created_at,
        actor_id=actor_id,
        actor_username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=payload,
        prev_hash=prev_hash,
        hash=entry_mac(
            key=key,
            entry_id=entry_id,
            created_at=created_at,
            actor_id=actor_id,
            actor_username=username,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=payload,
            prev_hash=prev_hash,
        ),
    )


def audit_anchor_create(*, actor: Any = None) -> Anchor:
    """Record an anchor entry and return the signed head that ends with it.

    The anchor vouches for the whole trail up to and including its own entry, so the trail is
    verified first, under the append lock, and a broken one is refused rather than blessed.
    The returned anchor is kept by the Inspektorat away from the database (``payung audit
    anchor --out FILE``); ``payung audit verify --anchor FILE`` later proves the trail still
    holds that head unchanged, which a truncation or a rewrite cannot fake.
    """
    from payung.audit.selectors import audit_chain_verify

    key = audit_key_get()
    with transaction.atomic():
        _append_lock()
        report = audit_chain_verify()
        if not report.ok:
            raise ChainBrokenError(report.message)
        entry = audit_entry_create(
            actor=actor, action=ANCHOR_ACTION, detail={"entries": report.checked + 1}
        )
        count = report.checked + 1
    return anchor_build(
        key=key,
        count=count,
        last_id=entry.id,
        last_mac=entry.hash,
        anchored_at=timezone.localtime(entry.created_at),
    )


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    file_name: str
    rows: int


EXPORT_ACTION: Final[str] = "audit_export"


def audit_entries_export(
    *,
    actor: Any,
    action: str | None = None,
    username: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> ExportFile:
    """The filtered trail as XLSX, and an ``audit_export`` entry saying who took it.

    The trail names users and holds masked NIKs and KPJs, so taking it out of the
    application is itself recorded (design §6: downloads of personal data are audited). The
    entry holds the filters and the row count, never the rows; it is written after the file
    so the file does not contain its own export entry.
    """
    from payung.audit.exports import audit_entries_xlsx
    from payung.audit.selectors import audit_entry_list

    filters = audit_export_params(action=action, username=username, start=start, end=end)
    entries = audit_entry_list(action=action, username=username, start=start, end=end)
    buffer = io.BytesIO()
    rows = audit_entries_xlsx(
        entries=entries.iterator(chunk_size=2000), filters=audit_filters_text(filters), out=buffer
    )
    with transaction.atomic():
        audit_entry_create(
            actor=actor, action=EXPORT_ACTION, detail={"filters": filters, "rows": rows}
        )
    day = timezone.localdate().isoformat()
    return ExportFile(content=buffer.getvalue(), file_name=f"jejak-audit-{day}.xlsx", rows=rows)


def audit_export_params(
    *,
    action: str | None = None,
    username: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, str]:
    """The filters as an export records them (audit detail, a background job's row): the
    query string's names, ``-`` for entries without a user."""
    filters: dict[str, str] = {}
    if action:
        filters["action"] = action
    if username is not None:
        filters["user"] = username or "-"
    if start is not None:
        filters["dari"] = start.isoformat()
    if end is not None:
        filters["sampai"] = end.isoformat()
    return filters


def audit_filters_text(filters: dict[str, str]) -> str:
    """The filters in words for the PETUNJUK sheet."""
    from payung.audit.display import value_text
    from payung.audit.labels import action_label

    if not filters:
        return _("tanpa saringan (semua entri)")
    parts = []
    if "action" in filters:
        parts.append(_("tindakan %(a)s") % {"a": action_label(code=filters["action"])})
    if "user" in filters:
        who = _("sistem") if filters["user"] == "-" else filters["user"]
        parts.append(_("pengguna %(u)s") % {"u": who})
    if "dari" in filters:
        parts.append(_("dari %(d)s") % {"d": value_text(filters["dari"])})
    if "sampai" in filters:
        parts.append(_("sampai %(d)s") % {"d": value_text(filters["sampai"])})
    return ", ".join(parts)
