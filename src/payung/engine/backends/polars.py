"""Polars, embedded: the Arrow table becomes a lazy frame without copying."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import ibis
import ibis.expr.types as ir
import pyarrow as pa


class PolarsBackend:
    name = "polars"

    def __init__(self) -> None:
        self._con = ibis.polars.connect()

    def load(self, table: pa.Table, *, name: str) -> ir.Table:
        return self._con.create_table(name, table, overwrite=True)

    def collect(self, build: Callable[[], ir.Table], *, key: Hashable | None = None) -> pa.Table:
        """Run ``build()``'s query; Polars compiles fast, so ``key`` is not used."""
        return build().to_pyarrow()

    def close(self) -> None:
        self._con.disconnect()
