"""The anchor file: the trail's head (count, last id, last MAC, time), signed with the audit key.

The chain alone cannot tell a trail whose last entries were deleted from a trail that simply
ended there, nor a trail rewritten by someone who holds the key from the original. An anchor
taken regularly and kept where the database's administrators cannot reach it (the
Inspektorat's files, a printout) closes both gaps: the head it names must still be in the
trail, unchanged, at the same position.

The file is small, indented JSON, so it can be printed and read; it holds no personal data.
The signature covers every other field, so an anchor edited to match a tampered trail fails.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from payung.audit.chain import anchor_signature, key_fingerprint, macs_equal, short_mac
from payung.core.formatting import angka, jam, tanggal

FORMAT: Final[str] = "payung-audit-anchor/1"
_HEX64: Final = re.compile(r"[0-9a-f]{64}")
_HEX8: Final = re.compile(r"[0-9a-f]{8}")


class AnchorFormatError(ValueError):
    """The file is not an anchor Payung wrote (damaged, truncated, another format)."""


@dataclass(frozen=True)
class Anchor:
    count: int
    last_id: int
    last_mac: str
    anchored_at: datetime
    key_id: str
    summary: str
    signature: str

    def fields(self) -> dict[str, Any]:
        """Everything the signature covers, as written in the file."""
        return {
            "format": FORMAT,
            "entries": self.count,
            "last_id": self.last_id,
            "last_mac": self.last_mac,
            "anchored_at": self.anchored_at.isoformat(timespec="seconds"),
            "key": self.key_id,
            "summary": self.summary,
        }

    def text(self) -> str:
        return json.dumps({**self.fields(), "signature": self.signature}, indent=2) + "\n"


def anchor_summary(*, count: int, last_id: int, last_mac: str, at: datetime) -> str:
    """The line a person reads on the printout, in Indonesian."""
    return (
        f"{angka(count)} entri sampai entri #{last_id}, sidik {short_mac(mac=last_mac)}, "
        f"pada {tanggal(at)} pukul {jam(at)} WIB"
    )


def anchor_build(
    *, key: bytes, count: int, last_id: int, last_mac: str, anchored_at: datetime
) -> Anchor:
    unsigned = Anchor(
        count=count,
        last_id=last_id,
        last_mac=last_mac,
        anchored_at=anchored_at.replace(microsecond=0),
        key_id=key_fingerprint(key=key),
        summary=anchor_summary(count=count, last_id=last_id, last_mac=last_mac, at=anchored_at),
        signature="",
    )
    sig = anchor_signature(key=key, fields=unsigned.fields())
    return Anchor(**{**unsigned.__dict__, "signature": sig})


def anchor_parse(*, text: str) -> Anchor:
    """Read an anchor file; raise AnchorFormatError on anything that is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise AnchorFormatError("not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AnchorFormatError("not an anchor")
    try:
        count, last_id = data["entries"], data["last_id"]
        last_mac, key_id = data["last_mac"], data["key"]
        summary, signature = data["summary"], data["signature"]
        anchored_at = datetime.fromisoformat(data["anchored_at"])
    except (KeyError, TypeError, ValueError):
        raise AnchorFormatError("missing or bad field") from None
    valid = (
        type(count) is int
        and type(last_id) is int
        and count >= 1
        and last_id >= 1
        and isinstance(last_mac, str)
        and _HEX64.fullmatch(last_mac)
        and isinstance(key_id, str)
        and _HEX8.fullmatch(key_id)
        and isinstance(summary, str)
        and isinstance(signature, str)
        and _HEX64.fullmatch(signature)
        and anchored_at.tzinfo is not None
    )
    if not valid:
        raise AnchorFormatError("bad field")
    return Anchor(
        count=count,
        last_id=last_id,
        last_mac=last_mac,
        anchored_at=anchored_at,
        key_id=key_id,
        summary=summary,
        signature=signature,
    )


def anchor_signature_valid(*, anchor: Anchor, key: bytes) -> bool:
    return macs_equal(anchor_signature(key=key, fields=anchor.fields()), anchor.signature)
