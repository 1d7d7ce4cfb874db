"""Reading and checking the audit trail: the keyed chain, anchors and printed digests."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.anchors import Anchor, anchor_signature_valid
from payung.audit.chain import GENESIS, entry_mac, key_fingerprint, macs_equal, short_mac
from payung.audit.keys import audit_key_get
from payung.audit.models import AuditEntry
from payung.core.formatting import angka, jam, tanggal

#: Hex digits of the head's MAC in a printed digest (64 bits).
DIGEST_HEX: Final[int] = 16
#: Filter days are Jakarta days: an entry at 01.00 WIB belongs to that day, not the UTC one.
JAKARTA: Final = ZoneInfo("Asia/Jakarta")
_DIGEST: Final = re.compile(rf"([0-9]+):([0-9a-f]{{{DIGEST_HEX}}})")


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
            return _("Rantai utuh: %(checked)s entri diperiksa.") % {"checked": angka(self.checked)}
        if self.problem == "prev_hash":
            why = _(
                "entri ini tidak tersambung ke entri sebelumnya; ada entri yang dihapus, "
                "disisipkan atau diubah tepat sebelumnya."
            )
        else:
            why = _(
                "isi entri ini tidak cocok dengan kode autentikasinya (MAC); entri ini telah "
                "diubah."
            )
        message = _("Rantai rusak mulai entri #%(id)d: %(why)s") % {
            "id": self.broken_id,
            "why": why,
        }
        if self.checked == 0 and self.problem == "hash":
            message += " " + _(
                "Bila semua entri gagal, periksa dulu bahwa kunci audit (PAYUNG_AUDIT_KEY) "
                "sama dengan kunci yang dipakai saat entri dibuat."
            )
        return message


def audit_chain_verify() -> ChainReport:
    """Recompute every MAC in order; report the first entry whose chain is broken.

    Without the key (kept outside the database) nobody can make an edited entry's MAC match,
    so an edit is found at the edited row even when every later MAC was recomputed.
    """
    key = audit_key_get()
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return ChainReport(checked, entry.pk, "prev_hash")
        expected = entry_mac(
            key=key,
            entry_id=entry.pk,
            created_at=entry.created_at,
            actor_id=entry.actor_id,
            actor_username=entry.actor_username,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            detail=entry.detail,
            prev_hash=entry.prev_hash,
        )
        if not macs_equal(expected, entry.hash):
            return ChainReport(checked, entry.pk, "hash")
        prev = entry.hash
        checked += 1
    return ChainReport(checked)


@dataclass(frozen=True)
class Head:
    """The trail's last entry and how many entries lead to it: what an anchor pins."""

    count: int
    last_id: int | None
    last_mac: str
    at: datetime

    @property
    def digest(self) -> str:
        """``COUNT:HEX`` as ``payung audit verify --digest`` takes it back."""
        return f"{self.count}:{self.last_mac[:DIGEST_HEX]}"

    @property
    def sentence(self) -> str:
        """The digest as the auditor prints or copies it, in Indonesian."""
        if self.last_id is None:
            return _("Per %(date)s pukul %(time)s WIB jejak audit belum berisi entri.") % {
                "date": tanggal(self.at),
                "time": jam(self.at),
            }
        return _(
            "Per %(date)s pukul %(time)s WIB: %(count)s entri, entri terakhir #%(id)s, "
            "sidik %(mac)s."
        ) % {
            "date": tanggal(self.at),
            "time": jam(self.at),
            "count": angka(self.count),
            "id": self.last_id,
            "mac": short_mac(mac=self.last_mac),
        }


def audit_head_get() -> Head:
    """The current head, for the digest the auditor prints each day."""
    last = AuditEntry.objects.order_by("-id").only("id", "hash").first()
    now = timezone.now()
    if last is None:
        return Head(count=0, last_id=None, last_mac=GENESIS, at=now)
    return Head(count=AuditEntry.objects.count(), last_id=last.id, last_mac=last.hash, at=now)


@dataclass(frozen=True)
class AnchorReport:
    ok: bool
    message: str


def _entry_at(position: int) -> tuple[int, str] | None:
    """The id and MAC of the entry at 1-based ``position`` in id order, if there is one."""
    row = AuditEntry.objects.order_by("id").values_list("id", "hash")[position - 1 : position]
    found = list(row)
    return found[0] if found else None


def audit_anchor_check(*, anchor: Anchor, name: str) -> AnchorReport:
    """Does the trail still hold the anchored head, unchanged and at the same position?

    Deleting the last entries removes the head (or moves it if entries were also deleted
    before it); a rewrite, with or without the key, changes its MAC. Either way the entry at
    the anchored position no longer has the anchored id and MAC. ``name`` labels the file in
    the message; nothing personal is in an anchor, so the message can quote it freely.
    """
    key = audit_key_get()
    when = tanggal(anchor.anchored_at)
    if anchor.key_id != key_fingerprint(key=key):
        return AnchorReport(
            False,
            _(
                "Jangkar %(name)s dibuat dengan kunci audit lain (sidik kunci %(theirs)s, "
                "kunci sekarang %(ours)s); periksa PAYUNG_AUDIT_KEY."
            )
            % {"name": name, "theirs": anchor.key_id, "ours": key_fingerprint(key=key)},
        )
    if not anchor_signature_valid(anchor=anchor, key=key):
        return AnchorReport(
            False,
            _("Jangkar %(name)s tidak sah: tanda tangannya tidak cocok; berkas ini telah diubah.")
            % {"name": name},
        )
    return _head_check(
        count=anchor.count,
        last_id=anchor.last_id,
        mac_matches=lambda mac: macs_equal(mac, anchor.last_mac),
        label=_("Jangkar %(name)s (%(date)s)") % {"name": name, "date": when},
    )


def digest_parse(*, text: str) -> tuple[int, str] | None:
    """``COUNT:HEX`` (as the audit page prints it, spaces and dots allowed) or None."""
    compact = text.replace(" ", "").replace(".", "").lower()
    match = _DIGEST.fullmatch(compact)
    if not match or int(match.group(1)) < 1:
        return None
    return int(match.group(1)), match.group(2)


def audit_digest_check(*, count: int, short: str) -> AnchorReport:
    """The same check as an anchor's, from the digest an auditor printed or copied by hand."""
    return _head_check(
        count=count,
        last_id=None,
        mac_matches=lambda mac: macs_equal(mac[:DIGEST_HEX], short),
        label=_("Ringkasan %(digest)s") % {"digest": f"{count}:{short}"},
    )


def _head_check(
    *, count: int, last_id: int | None, mac_matches: Callable[[str], bool], label: str
) -> AnchorReport:
    found = _entry_at(count)
    if found is None:
        total = AuditEntry.objects.count()
        return AnchorReport(
            False,
            _(
                "%(label)s: rantai kini hanya berisi %(total)s entri, padahal sudah "
                "%(count)s entri saat dijangkarkan; entri telah dihapus."
            )
            % {"label": label, "total": angka(total), "count": angka(count)},
        )
    found_id, found_mac = found
    if (last_id is not None and found_id != last_id) or not mac_matches(found_mac):
        return AnchorReport(
            False,
            _(
                "%(label)s: entri ke-%(count)s (kini #%(id)s) berbeda dari yang dijangkarkan; "
                "rantai telah dihapus sebagian atau ditulis ulang."
            )
            % {"label": label, "count": angka(count), "id": found_id},
        )
    return AnchorReport(
        True,
        _("%(label)s cocok: %(count)s entri sampai entri #%(id)s tidak berubah.")
        % {"label": label, "count": angka(count), "id": found_id},
    )


def audit_entry_list(
    *,
    action: str | None = None,
    username: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered; ``start``/``end`` are whole days in WIB, inclusive.

    ``username`` is matched on the name stored in the entry (kept even if the account is
    renamed); an empty string selects the entries no user wrote.
    """
    qs = AuditEntry.objects.select_related("actor__agency").order_by("-id")
    if action:
        qs = qs.filter(action=action)
    if username is not None:
        qs = qs.filter(actor_username=username)
    if start is not None:
        qs = qs.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=JAKARTA))
    if end is not None:
        after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=JAKARTA)
        qs = qs.filter(created_at__lt=after)
    return qs


def audit_action_list() -> list[str]:
    """Every action the trail holds, for the filter on the audit page."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_username_list() -> list[str]:
    """Every user name the trail holds (the stored name, not today's account list)."""
    return list(
        AuditEntry.objects.exclude(actor_username="")
        .order_by("actor_username")
        .values_list("actor_username", flat=True)
        .distinct()
    )
