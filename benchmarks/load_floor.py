"""What this machine allows a persons load at best (issue 16, target 2): the floor beside the
figure.

The shipped load keeps the application's indexes and the names' table in step while it
writes. These measurements drop that, one thing at a time, so the report says whether any
design could reach the target here, not only whether Payung does:

* PostgreSQL: the service's rows COPYed into a bare copy of ``registry_person`` (no index,
  no trigger) in one stream; the same in two concurrent streams (each its own connection and
  transaction, so both cores work; the shipped load is one transaction); and the two streams
  followed by building the table's three indexes, two builds at a time: the best a
  table-per-import design (a partition loaded bare, indexed, then attached) could do.
* SQLite: the same rows by the service's own multi-row INSERTs into a bare copy (its rowid
  key only). SQLite has one writer, so there is no second stream.

Every figure includes the service's row builder (``person_table``), as the shipped figure
does. Each floor runs twice, in a table made afresh; the scratch table is dropped afterwards.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, Final

import pyarrow as pa

#: Runs of each floor: on a shared machine one run can meet a checkpoint or a neighbour.
RUNS: Final = 2
#: The scratch table: a copy of ``registry_person``'s columns and defaults, nothing else.
FLOOR_TABLE: Final = "bench_floor_person"
#: The shipped table's indexes, as ``CREATE`` statements for the scratch table; the two
#: lists are built concurrently (the hash build is the longest, so it runs alone).
INDEX_BUILDS: Final = (
    (
        f"ALTER TABLE {FLOOR_TABLE} ADD PRIMARY KEY (id)",
        f'CREATE UNIQUE INDEX ON {FLOOR_TABLE} (dtsen_import_id, "row")',
    ),
    (f"CREATE INDEX ON {FLOOR_TABLE} USING hash (nik)",),
)


def _concurrently(tasks: list[Callable[[], None]]) -> None:
    """Run each task in its own thread (its own connection) and re-raise the first error."""
    errors: list[BaseException] = []

    def guarded(task: Callable[[], None]) -> None:
        try:
            task()
        except BaseException as error:  # handed to the caller below
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def floor_postgres(
    *, url: str, build: Callable[[], pa.Table], clock: Callable[[], Any], chunk_rows: int
) -> list[tuple[str, int, dict[str, Any]]]:
    """The three PostgreSQL floors, ``RUNS`` each, as ``(label, run, figure)``; ``build``
    makes the service's rows and ``clock()`` a fresh ``_Clock`` of the caller (wall, own CPU,
    load average)."""
    import psycopg

    from payung.core.bulk import arrow_csv_chunks

    def fresh() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
            conn.execute(
                f"CREATE TABLE {FLOOR_TABLE} (LIKE registry_person "
                "INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )

    def copy(chunks: list[bytes], columns: str) -> None:
        with psycopg.connect(url) as conn, conn.cursor() as cursor:
            sql = f"COPY {FLOOR_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv)"
            with cursor.copy(sql) as stream:
                for chunk in chunks:
                    stream.write(chunk)

    def statements(sqls: tuple[str, ...]) -> Callable[[], None]:
        def run() -> None:
            with psycopg.connect(url, autocommit=True) as conn:
                for sql in sqls:
                    conn.execute(sql)

        return run

    figures = []
    for label, streams, indexed in (
        ("floor: bare table, 1 COPY", 1, False),
        ("floor: bare table, 2 COPYs", 2, False),
        ("floor: 2 COPYs, then indexes", 2, True),
    ):
        for run in range(1, RUNS + 1):
            fresh()
            with clock() as timed:
                table = build()
                columns = ", ".join(f'"{name}"' for name in table.column_names)
                chunks = list(arrow_csv_chunks(table, chunk_rows))
                parts = [chunks[i::streams] for i in range(streams)]
                _concurrently([functools.partial(copy, part, columns) for part in parts])
                if indexed:
                    _concurrently([statements(sqls) for sqls in INDEX_BUILDS])
            figures.append((label, run, timed.figure(table.num_rows)))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
    return figures


def floor_sqlite(
    *, build: Callable[[], pa.Table], clock: Callable[[], Any]
) -> list[tuple[str, int, dict[str, Any]]]:
    """The SQLite floor: the service's INSERTs into a bare copy of the table, committed."""
    from django.db import connection, transaction

    from payung.core.bulk import bulk_load_arrow

    class Bare:  # what ``bulk_load_arrow`` reads of a model: its table's name
        class _meta:
            db_table = FLOOR_TABLE

    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'registry_person'")
        (create,) = cursor.fetchone()
    figures = []
    for run in range(1, RUNS + 1):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
            cursor.execute(create.replace('"registry_person"', f'"{FLOOR_TABLE}"', 1))
        with clock() as timed, transaction.atomic():
            table = build()
            bulk_load_arrow(Bare, table)  # type: ignore[arg-type]
        figures.append(("floor: bare table", run, timed.figure(table.num_rows)))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    return figures
