"""DuckDB, embedded: reads the Arrow table in place, no copy."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Final

import ibis
import ibis.expr.schema as sch
import ibis.expr.types as ir
import pyarrow as pa

from payung.engine.backends.compiled import CompiledQueries

#: The process-wide cache: shared by every DuckDB connection, since the SQL names its
#: tables, not a connection.
COMPILED: Final[CompiledQueries[tuple[str, sch.Schema]]] = CompiledQueries()


class DuckDBBackend:
    name = "duckdb"

    def __init__(self) -> None:
        self._con = ibis.duckdb.connect()
        # Two cores here; DuckDB's default already uses them. Keep insertion order off the
        # hook: we always sort explicitly, so results never depend on scheduling.
        self._con.raw_sql("SET preserve_insertion_order = false")

    def loadable(self, table: pa.Table) -> pa.Table:
        """The table itself: DuckDB scans Arrow where it lies."""
        return table

    def load(self, table: pa.Table, *, name: str) -> ir.Table:
        """The Arrow table as a view DuckDB scans in place (``register``), not a copy.

        Copying a million-row extract into a DuckDB table (``create_table``) cost about
        0.5 s of CPU a screening; the query reads each row once, so nothing is gained by
        the copy (issue 16). The view holds a reference to ``table``; registering the same
        name again replaces it.
        """
        self._con.con.register(name, table)
        return self._con.table(name)

    def collect(self, build: Callable[[], ir.Table], *, key: Hashable | None = None) -> pa.Table:
        """Run ``build()``'s query; with a ``key``, its SQL is compiled once per process.

        ``key`` must name everything the query's text depends on (the caller's policy,
        dates and input schema); the data are not part of it, since the SQL reads the
        tables by name at each run. The result is converted exactly as Ibis's
        ``to_pyarrow`` converts it, so a cached run gives the same bytes.
        """
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        if key is None:
            return build().to_pyarrow()
        entry = COMPILED.get(key)
        if entry is None:
            expr = build()
            entry = (self._con.compile(expr), expr.schema())
            COMPILED.put(key, entry)
        sql, schema = entry
        table = self._con.con.sql(sql).to_arrow_table()
        return DuckDBPyArrowData.convert_table(table, schema)

    def close(self) -> None:
        self._con.disconnect()
