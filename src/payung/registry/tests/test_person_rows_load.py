"""The persons load (issue 16, target 2) keeps the NIK index whole, whichever way it goes.

On SQLite a load of at least an eighth of the rows already stored drops the NIK index and
builds it again after; a smaller one keeps it and inserts into it. On PostgreSQL the NIK
index is a hash index (migration ``registry.0006``). Either way the person page and the
header search find every NIK through the index afterwards, and a failed load leaves the
index as it was.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from payung.registry.models import DtsenImport, Person
from payung.registry.services import NIK_INDEX_REBUILD_RATIO
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db


def _load(dtsen_import: DtsenImport, count: int, first: int = 1) -> list[str]:
    """Load ``count`` persons with NIKs of their own; return the SQL the load ran."""
    niks = [f"3601{n:012d}" for n in range(first, first + count)]
    with CaptureQueriesContext(connection) as queries:
        factories.person_rows_bulk_load(
            dtsen_import=dtsen_import,
            names=[f"WARGA {n}" for n in range(count)],
            first_row=first,
            niks=niks,
        )
    return [q["sql"] for q in queries.captured_queries]


def _nik_index_used(nik: str) -> bool:
    sql, params = Person.objects.filter(nik=nik).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[3]) for row in cursor.fetchall())
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
    return "person_nik" in plan


def _rebuilt(sql: list[str]) -> bool:
    return any(statement.startswith('DROP INDEX "person_nik"') for statement in sql)


def test_a_large_load_is_found_by_nik_through_the_index() -> None:
    target = factories.DtsenImportFactory()
    sql = _load(target, 40)
    assert _rebuilt(sql) == (connection.vendor == "sqlite")
    assert Person.objects.filter(nik="360100000000017").count() == 0
    assert Person.objects.filter(nik="3601000000000017").count() == 1
    assert _nik_index_used("3601000000000017")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_nik'")
            assert "USING hash (nik)" in cursor.fetchone()[0]


def test_a_small_load_into_a_large_table_keeps_the_index_and_adds_to_it() -> None:
    stored = factories.DtsenImportFactory()
    _load(stored, NIK_INDEX_REBUILD_RATIO * 5 + 1)
    later = factories.DtsenImportFactory()
    sql = _load(later, 5, first=1000)
    assert not _rebuilt(sql)
    assert list(
        Person.objects.filter(nik="3601000000001003").values_list("dtsen_import", flat=True)
    ) == [later.pk]
    assert _nik_index_used("3601000000001003")


def test_a_failed_load_leaves_the_nik_index_as_it_was() -> None:
    """A row twice fails the load after the index was dropped: the index comes back with the
    rollback, and the rows stored before are found through it."""
    target = factories.DtsenImportFactory()
    _load(target, 10)
    with pytest.raises(IntegrityError), transaction.atomic():
        _load(target, 10, first=10)  # row 10 is stored already
    assert Person.objects.filter(dtsen_import=target).count() == 10
    assert Person.objects.filter(nik="3601000000000010").count() == 1
    assert _nik_index_used("3601000000000010")
