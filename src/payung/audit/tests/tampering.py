"""Ways to tamper with the trail that bypass the application, for tests of the checks.

The model and its queryset refuse updates and deletes, so these go round them the way a
person with database access would: the base ``QuerySet`` methods and plain SQL.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from payung.audit.models import AuditEntry


def entry_update(pk: int, **values: Any) -> None:
    QuerySet.update(AuditEntry.objects.filter(pk=pk), **values)


def entry_delete(pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [pk])


def entry_action_set_sql(pk: int, action: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET action = %s WHERE id = %s", [action, pk]
        )
