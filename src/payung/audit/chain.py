"""The hash of an audit entry: SHA-256 over a canonical JSON of its content and prev hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def entry_hash(
    *,
    prev_hash: str,
    created_at: datetime,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict[str, Any],
) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": created_at.isoformat(timespec="microseconds"),
            "actor": actor_username,
            "action": action,
            "type": object_type,
            "id": object_id,
            "detail": detail,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
