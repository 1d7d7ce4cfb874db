"""The MAC of an audit entry and the signature of an anchor: HMAC-SHA256 under the audit key.

A plain hash chain only proves that rows agree with each other: anyone who can write to the
database can edit a row and recompute every later hash, and nothing notices. Keying every
MAC with a secret kept outside the database (``payung.audit.keys``) means a rewrite needs the
key as well; anchors (a signed head kept by the Inspektorat) catch what the chain cannot, the
deletion of the last entries and a rewrite by someone who holds the key.

Every stored field is covered, the entry's own id and its actor's id included, so moving an
entry or pinning it on another user breaks it too. Pure Python: no Django, no database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any, Final

GENESIS: Final[str] = "0" * 64

# Domain separation: an entry MAC can never be passed off as an anchor signature or a key
# fingerprint, nor the other way round, even though one key makes all three.
_ENTRY_CONTEXT: Final[str] = "payung.audit.entry.v2"
_ANCHOR_CONTEXT: Final[str] = "payung.audit.anchor.v1"
_KEY_ID_CONTEXT: Final[bytes] = b"payung.audit.key-id.v1"


def _canonical(payload: dict[str, Any]) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _mac(key: bytes, payload: dict[str, Any]) -> str:
    return hmac.new(key, _canonical(payload), hashlib.sha256).hexdigest()


def entry_mac(
    *,
    key: bytes,
    entry_id: int,
    created_at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: Any,
    prev_hash: str,
) -> str:
    """HMAC-SHA256 over every field of the entry, in a canonical JSON.

    ``created_at`` is taken in UTC to the microsecond, which is what both SQLite and
    PostgreSQL store, so the value MACed when writing is the value read back when verifying.
    """
    return _mac(
        key,
        {
            "ctx": _ENTRY_CONTEXT,
            "id": entry_id,
            "at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor": actor_username,
            "action": action,
            "type": object_type,
            "object": object_id,
            "detail": detail,
            "prev": prev_hash,
        },
    )


def anchor_signature(*, key: bytes, fields: dict[str, Any]) -> str:
    """HMAC-SHA256 over an anchor's fields (everything in the file but the signature)."""
    return _mac(key, {"ctx": _ANCHOR_CONTEXT, **fields})


def key_fingerprint(*, key: bytes) -> str:
    """Eight hex digits that name a key without revealing it.

    Written in every anchor so that a verification run with the wrong key says so, instead
    of blaming the data.
    """
    return hmac.new(key, _KEY_ID_CONTEXT, hashlib.sha256).hexdigest()[:8]


def macs_equal(a: str, b: str) -> bool:
    """Constant-time comparison, so a MAC cannot be guessed byte by byte from timings."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def short_mac(*, mac: str) -> str:
    """The first 16 hex digits in groups of four: enough to pin the head (64 bits), short
    enough to copy by hand from a printout."""
    head = mac[:16]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))
