"""One audit entry per action, chained by keyed MAC so an edited or deleted row is detectable.

Each entry stores the MAC of the previous entry (``prev_hash``) and its own MAC (``hash``):
HMAC-SHA256, keyed with a secret kept outside the database, over every field including its id
and its actor's id (``payung.audit.chain``). Editing any row, even straight in the database
and even recomputing every later MAC, breaks the chain at that row because the editor lacks
the key; ``payung audit verify`` recomputes it and names the first broken entry. Deleting the
last entries is caught by anchors (``payung.audit.anchors``). The model refuses updates and
deletes, one by one and in bulk, so the application itself can only append; ``prev_hash`` is
unique so the database refuses a second entry chained to the same predecessor (a fork).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk ``update()`` and ``delete()`` bypass the model's guards, so they are refused too."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=80, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entri audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The id is assigned by the service before the first save (the MAC covers it), so
        # "already saved" is Django's adding flag, not a missing primary key.
        if not self._state.adding:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries are append-only")
