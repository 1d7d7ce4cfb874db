"""Loading many rows fast: PostgreSQL COPY, SQLite executemany, one transaction.

Per-row ORM saves load a regency's million people in tens of minutes; COPY does it in
seconds. Callers pass plain tuples in the model's column order; the caller's transaction
makes the load all-or-nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection, models

#: Rows per COPY chunk / executemany batch: bounded memory, few round trips.
CHUNK_ROWS = 100_000


def bulk_load(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples ordered as ``columns``, Django field attnames) into ``model``."""
    table = model._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})"
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= CHUNK_ROWS:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def bulk_load_arrow(model: type[models.Model], table: pa.Table) -> int:
    """Insert an Arrow table whose column names are the model's column attnames.

    On PostgreSQL the rows never become Python objects: pyarrow's CSV writer (C++) renders
    each chunk and COPY ... (FORMAT csv) reads it. pyarrow writes an empty string as ``""``
    and NULL as nothing, which is exactly how PostgreSQL's CSV format tells them apart. On
    SQLite the chunk's columns are zipped into tuples for executemany.
    """
    table_name = model._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in table.column_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
            with raw.copy(f"COPY {qn(table_name)} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
                for batch in table.to_batches(max_chunksize=CHUNK_ROWS):
                    buffer = io.BytesIO()
                    pacsv.write_csv(pa.Table.from_batches([batch]), buffer, write_options=options)
                    copy.write(buffer.getvalue())
        else:
            marks = ", ".join(["%s"] * table.num_columns)
            sql = f"INSERT INTO {qn(table_name)} ({cols}) VALUES ({marks})"
            for batch in table.to_batches(max_chunksize=CHUNK_ROWS):
                columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
                cursor.executemany(sql, list(zip(*columns, strict=True)))
    return table.num_rows
