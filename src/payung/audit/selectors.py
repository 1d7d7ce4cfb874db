"""Reading and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from payung.audit.chain import GENESIS, entry_hash
from payung.audit.models import AuditEntry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_id: int | None = None
    problem: str = ""  # "prev_hash" or "hash"

    @property
    def ok(self) -> bool:
        return self.broken_id is None

    @property
    def message(self) -> str:
        """The result in one Indonesian sentence, the same on the audit page and in the CLI."""
        if self.ok:
            return _("Rantai utuh: %(checked)d entri diperiksa.") % {"checked": self.checked}
        if self.problem == "prev_hash":
            why = _(
                "entri ini tidak tersambung ke entri sebelumnya; ada entri yang dihapus, "
                "disisipkan atau diubah tepat sebelumnya."
            )
        else:
            why = _("isi entri ini tidak cocok dengan hash-nya; entri ini telah diubah.")
        return _("Rantai rusak mulai entri #%(id)d: %(why)s") % {"id": self.broken_id, "why": why}


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


def audit_action_list() -> list[str]:
    """Every action the trail holds, for the filter on the audit page."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
