"""Reading and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from payung.audit.chain import GENESIS, entry_hash
from payung.audit.models import AuditEntry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def audit_chain_verify() -> ChainReport:
    """Recompute every hash in order; report the first entry whose chain is broken."""
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return ChainReport(checked, entry.pk, "prev_hash")
        expected = entry_hash(
            prev_hash=entry.prev_hash,
            created_at=entry.created_at,
            actor_username=entry.actor_username,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            detail=entry.detail,
        )
        if expected != entry.hash:
            return ChainReport(checked, entry.pk, "hash")
        prev = entry.hash
        checked += 1
    return ChainReport(checked)


def audit_entry_list(*, action: str | None = None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("actor").order_by("-id")
    return qs.filter(action=action) if action else qs
