"""Polars, embedded: the Arrow table becomes a lazy frame without copying."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa


class PolarsBackend:
    name = "polars"

    def __init__(self) -> None:
        self._con = ibis.polars.connect()

    def load(self, table: pa.Table, *, name: str) -> ir.Table:
        return self._con.create_table(name, table, overwrite=True)

    def close(self) -> None:
        self._con.disconnect()
