"""DuckDB, embedded: reads the Arrow table in place, no copy."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa


class DuckDBBackend:
    name = "duckdb"

    def __init__(self) -> None:
        self._con = ibis.duckdb.connect()
        # Two cores here; DuckDB's default already uses them. Keep insertion order off the
        # hook: we always sort explicitly, so results never depend on scheduling.
        self._con.raw_sql("SET preserve_insertion_order = false")

    def load(self, table: pa.Table, *, name: str) -> ir.Table:
        return self._con.create_table(name, table, overwrite=True)

    def close(self) -> None:
        self._con.disconnect()
