"""Bulk loading (issue 16 target 2): what an import relies on from ``core.bulk`` on both
databases -- every value stored as given (empty text, NULL, true/false, long text), rows
spread over several statements and chunks without one lost or doubled, and a load that
breaks a constraint leaving nothing behind."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from payung.core import bulk
from payung.registry.models import DtsenImport, Household, Person
from payung.registry.services import PERSON_COLUMNS
from payung.registry.tests.factories import DtsenImportFactory

pytestmark = pytest.mark.django_db

TEXT_COLUMNS = [c for c in PERSON_COLUMNS if c not in {"dtsen_import_id", "household_id", "row"}]
TEXT_COLUMNS.remove("nik_numeric_cell")


def _persons(imp: DtsenImport, rows: range) -> pa.Table:
    """Person rows whose every cell says which row and column it is, so a value stored in
    the wrong row or column cannot go unnoticed."""
    n = len(rows)
    columns: dict[str, Any] = {
        "dtsen_import_id": pa.array([imp.pk] * n, pa.int64()),
        "household_id": pa.array([None if r % 3 else r for r in rows], pa.int64()),
        "row": pa.array(list(rows), pa.int64()),
    }
    for i, name in enumerate(TEXT_COLUMNS):  # "column:row", within the narrowest column
        columns[name] = pa.array([f"{i}:{r}" if r % 5 else "" for r in rows], pa.string())
    columns["nik_numeric_cell"] = pa.array([r % 2 == 0 for r in rows], pa.bool_())
    return pa.table(columns).select(list(PERSON_COLUMNS))


def _stored(imp: DtsenImport) -> list[tuple[Any, ...]]:
    return list(
        Person.objects.filter(dtsen_import=imp).order_by("row").values_list(*PERSON_COLUMNS)
    )


def _expected(table: pa.Table) -> list[tuple[Any, ...]]:
    return [tuple(row[c] for c in PERSON_COLUMNS) for row in table.to_pylist()]


def _statement_rows(width: int) -> int:
    """Rows in one of SQLite's multi-row INSERTs (PostgreSQL's COPY has no such limit)."""
    return max(1, (connection.features.max_query_params or 999) // width)


@pytest.mark.parametrize("chunk_rows", [100_000, 700])
def test_arrow_load_stores_every_row_and_value_across_statements_and_chunks(
    chunk_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "CHUNK_ROWS", chunk_rows)
    imp = DtsenImportFactory()
    # Two full multi-row statements and a remainder on SQLite, several COPY chunks when small.
    n = 2 * _statement_rows(len(PERSON_COLUMNS)) + 7
    table = _persons(imp, range(1, n + 1))

    with transaction.atomic():
        loaded = bulk.bulk_load_arrow(Person, table)

    assert loaded == n
    assert _stored(imp) == _expected(table)


def test_arrow_load_keeps_long_text_quotes_and_separators() -> None:
    imp = DtsenImportFactory()
    table = _persons(imp, range(1, 4))
    odd = ['JL. "MAWAR", RT 01;02', "baris\nbaru", "x" * 5000]
    table = table.set_column(
        table.column_names.index("alamat"), "alamat", pa.array(odd, pa.string())
    )

    bulk.bulk_load_arrow(Person, table)

    assert [p.alamat for p in Person.objects.filter(dtsen_import=imp).order_by("row")] == odd


def test_a_duplicate_row_refuses_the_whole_load() -> None:
    imp = DtsenImportFactory()
    table = _persons(imp, range(1, 3001))
    duplicate = _persons(imp, range(1500, 1501))

    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.bulk_load_arrow(Person, pa.concat_tables([table, duplicate]))

    assert not Person.objects.filter(dtsen_import=imp).exists()


def test_a_row_already_stored_refuses_the_next_load() -> None:
    imp = DtsenImportFactory()
    bulk.bulk_load_arrow(Person, _persons(imp, range(1, 11)))

    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.bulk_load_arrow(Person, _persons(imp, range(10, 2000)))

    assert Person.objects.filter(dtsen_import=imp).count() == 10


@pytest.mark.parametrize("chunk_rows", [100_000, 900])
def test_tuple_load_stores_every_row(chunk_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK_ROWS", chunk_rows)
    imp = DtsenImportFactory()
    columns = ("dtsen_import_id", "no_kk", "kode_desa", "alamat")
    n = 2 * _statement_rows(len(columns)) + 3
    rows = [(imp.pk, f"kk-{i}", "" if i % 4 else f"desa-{i}", f"alamat {i}") for i in range(n)]

    with transaction.atomic():
        loaded = bulk.bulk_load(Household, columns, iter(rows))

    assert loaded == n
    stored = Household.objects.filter(dtsen_import=imp).order_by("id").values_list(*columns)
    assert list(stored) == rows


def test_tuple_load_refuses_a_row_of_the_wrong_width() -> None:
    imp = DtsenImportFactory()
    columns = ("dtsen_import_id", "no_kk", "kode_desa", "alamat")

    with pytest.raises((ValueError, DatabaseError)), transaction.atomic():
        bulk.bulk_load(Household, columns, [(imp.pk, "kk-1", "", ""), (imp.pk, "kk-2", "")])

    assert not Household.objects.filter(dtsen_import=imp).exists()


def test_bulk_set_gives_each_row_its_own_value_and_leaves_the_others(
    django_assert_max_num_queries: Any,
) -> None:
    imp = DtsenImportFactory()
    bulk.bulk_load_arrow(Person, _persons(imp, range(2, 12)))
    rows = dict(Person.objects.filter(dtsen_import=imp).values_list("row", "pk"))
    wanted = {rows[r]: f"baru-{r}" for r in range(2, 12) if r % 2 == 0}

    with django_assert_max_num_queries(1):
        assert bulk.bulk_set(Person, "nama", wanted) == len(wanted)

    stored = dict(Person.objects.filter(dtsen_import=imp).values_list("pk", "nama"))
    for row, pk in rows.items():
        if pk in wanted:
            assert stored[pk] == f"baru-{row}"
        else:
            assert not stored[pk].startswith("baru-")
