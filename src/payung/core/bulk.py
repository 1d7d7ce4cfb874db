"""Loading many rows fast: PostgreSQL COPY, SQLite multi-row INSERTs, one transaction.

Per-row ORM saves load a regency's million people in tens of minutes; COPY does it in
seconds. Callers pass plain tuples in the model's column order (or an Arrow table); the
caller's transaction makes the load all-or-nothing, and the table's own constraints (the
unique (import, row) key of ``Person``, say) are checked row by row as always: nothing
here switches a constraint or a durability setting off.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection, models

#: Rows per COPY chunk / SQLite batch: bounded memory, few round trips.
CHUNK_ROWS = 100_000


def bulk_load(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples ordered as ``columns``, Django field attnames) into ``model``."""
    table = model._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    count = 0
    # Driver errors as Django's (IntegrityError for a duplicate row) on both paths.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            iterator = iter(rows)
            while batch := list(islice(iterator, CHUNK_ROWS)):
                flat = list(chain.from_iterable(batch))
                if len(flat) != len(batch) * len(columns):
                    raise ValueError("every row must have one value per column")
                _sqlite_insert_flat(cursor.cursor, table, columns, flat)
                count += len(batch)
    return count


def bulk_set(model: type[models.Model], field: str, values: Mapping[Any, Any]) -> int:
    """Set one column of many rows, each to its own value (``values``: primary key -> value,
    in the field's database form), with one prepared UPDATE executed per row.

    ``QuerySet.bulk_update`` builds a ``CASE WHEN id = ... THEN ...`` expression of every row
    in Python and compiles it per batch: 1-2 CPU s for the 5 000 candidates a carried-over
    year links (issue 16). Returns how many rows were given (not how many existed).
    """
    column = model._meta.get_field(field).column
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(model._meta.db_table)} SET {qn(column)} = %s "
        f"WHERE {qn(model._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(value, pk) for pk, value in values.items()])
    return len(values)


def arrow_csv_chunks(table: pa.Table, chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """``table`` as the CSV text PostgreSQL's ``COPY ... (FORMAT csv)`` reads, a chunk of
    ``chunk_rows`` rows at a time, rendered by pyarrow's CSV writer (C++): an empty string
    is written as ``""`` and NULL as nothing, which is how that format tells them apart."""
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    for batch in table.to_batches(max_chunksize=chunk_rows):
        buffer = io.BytesIO()
        pacsv.write_csv(pa.Table.from_batches([batch]), buffer, write_options=options)
        yield buffer.getvalue()


def bulk_load_arrow(model: type[models.Model], table: pa.Table) -> int:
    """Insert an Arrow table whose column names are the model's column attnames.

    On PostgreSQL the rows never become Python objects: COPY reads them as pyarrow renders
    them (``arrow_csv_chunks``). On SQLite each chunk's columns are laid out row after row in
    one flat list by slice assignment (no tuple per row) and inserted with multi-row INSERTs.
    """
    table_name = model._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in table.column_names)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {qn(table_name)} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
                for chunk in arrow_csv_chunks(table):
                    copy.write(chunk)
        else:
            width = table.num_columns
            for batch in table.to_batches(max_chunksize=CHUNK_ROWS):
                flat: list[Any] = [None] * (batch.num_rows * width)
                for i in range(width):
                    flat[i::width] = batch.column(i).to_pylist()
                _sqlite_insert_flat(cursor.cursor, table_name, table.column_names, flat)
    return table.num_rows


def _sqlite_insert_flat(raw: Any, table: str, columns: Sequence[str], flat: list[Any]) -> None:
    """Insert the rows laid out one after another in ``flat`` with multi-row INSERTs.

    As many rows per statement as SQLite's parameter limit allows (32 766 parameters since
    SQLite 3.32, ~1 900 Person rows): executemany runs one statement per row, and the
    statement's own overhead (binding, AUTOINCREMENT's counter update, the call from
    Python) then costs more than storing the row. ``raw`` is the driver's cursor, so the
    values are never written to Django's query log.
    """
    qn = connection.ops.quote_name
    width = len(columns)
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["?"] * width) + ")"
    per = max(1, connection.features.max_query_params // width)
    step = per * width
    whole = len(flat) - len(flat) % step
    if whole:
        full = head + ", ".join([one] * per)
        for start in range(0, whole, step):
            raw.execute(full, flat[start : start + step])
    if rest := (len(flat) - whole) // width:
        raw.execute(head + ", ".join([one] * rest), flat[whole:])
