"""Ways to tamper with the trail that bypass the application, for tests of the checks.

The model and its queryset refuse updates and deletes, so these go round them the way a
person with database access would: plain SQL through ``django.db.connection``. Reading is
done through the ORM for brevity; an attacker can read the table just as well.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from payung.audit.chain import entry_mac
from payung.audit.models import AuditEntry

TABLE = AuditEntry._meta.db_table


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def entry_update(pk: int, **values: Any) -> None:
    """The ORM's base update, which skips the model's guard (for brevity in older tests)."""
    QuerySet.update(AuditEntry.objects.filter(pk=pk), **values)


def entry_delete(pk: int) -> None:
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [pk])


def entries_delete_from(pk: int) -> None:
    """Truncation: delete this entry and every later one."""
    _sql(f"DELETE FROM {TABLE} WHERE id >= %s", [pk])


def entry_column_set_sql(pk: int, column: str, value: Any) -> None:
    """``UPDATE ... SET column = value`` for one entry; ``detail`` is given as a Python value."""
    if column == "detail":
        _sql(f"UPDATE {TABLE} SET detail = {_json_param()} WHERE id = %s", [json.dumps(value), pk])
    else:
        _sql(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, pk])


def entry_action_set_sql(pk: int, action: str) -> None:
    entry_column_set_sql(pk, "action", action)


def _fields(entry: AuditEntry, prev_hash: str) -> dict[str, Any]:
    return {
        "entry_id": entry.pk,
        "created_at": entry.created_at,
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
        "prev_hash": prev_hash,
    }


def sha256_without_key(**fields: Any) -> str:
    """What an attacker who read the source but lacks the key computes: the same canonical
    payload, hashed with plain SHA-256 (the format of the chain before it was keyed)."""
    payload = {
        "ctx": "payung.audit.entry.v2",
        "id": fields["entry_id"],
        "at": fields["created_at"].astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": fields["actor_id"],
        "actor": fields["actor_username"],
        "action": fields["action"],
        "type": fields["object_type"],
        "object": fields["object_id"],
        "detail": fields["detail"],
        "prev": fields["prev_hash"],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hmac_with(key: bytes) -> Callable[..., str]:
    """The MAC as computed by someone holding ``key`` (the real one: an insider)."""
    return lambda **fields: entry_mac(key=key, **fields)


def chain_rewrite_sql(pk: int, *, detail: Any, mac: Callable[..., str]) -> None:
    """Edit one entry's detail, then recompute its MAC and every later link with ``mac`` and
    write them back with SQL, so each row agrees with its predecessor again."""
    entry_column_set_sql(pk, "detail", detail)
    entries = list(AuditEntry.objects.filter(id__gte=pk).order_by("id"))
    prev = AuditEntry.objects.filter(id__lt=pk).order_by("-id").values_list("hash", flat=True)
    prev_hash = prev.first() or "0" * 64
    for entry in entries:
        new = mac(**_fields(entry, prev_hash))
        _sql(
            f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev_hash, new, entry.pk],
        )
        prev_hash = new
