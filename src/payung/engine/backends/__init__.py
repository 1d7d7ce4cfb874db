"""Where the screening expressions run: one small module per backend.

The rules are written once as Ibis expressions (engine/rules.py, engine/quality.py); the
only backend-specific code is how an Arrow table is handed to the backend and how the
backend is started and stopped. This mirrors Splink's split of dialects from linkage logic.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from typing import Any, Final, Protocol

import ibis.expr.types as ir
import pyarrow as pa


class BackendUnavailable(Exception):
    """The backend cannot start here (a package or Java missing); message in Indonesian."""


class Backend(Protocol):
    name: str

    def loadable(self, table: pa.Table) -> Any:
        """``table`` in the form ``load`` takes with the least work, made in any thread.

        The screening makes each batch ready in a thread while the backend runs the batch
        before (``screening._parsed_batches``); Polars turns Arrow into its own columns
        there instead of in the thread that waits for its queries (issue 16).
        """

    def load(self, table: Any, *, name: str) -> ir.Table:
        """Make an Arrow table, or what ``loadable`` made of one, an Ibis table here."""

    def collect(self, build: Callable[[], ir.Table], *, key: Hashable | None = None) -> pa.Table:
        """Run the query ``build()`` returns and collect it as Arrow.

        ``key``, when given, names everything the query's text depends on, so a backend may
        reuse its compiled form within the process (DuckDB does: ``duckdb.COMPILED``).
        """

    def close(self) -> None:
        """Release the connection (and for Spark, its temporary files)."""


def _duckdb() -> Backend:
    from payung.engine.backends.duckdb import DuckDBBackend

    return DuckDBBackend()


def _polars() -> Backend:
    from payung.engine.backends.polars import PolarsBackend

    return PolarsBackend()


def _spark() -> Backend:
    from payung.engine.backends.spark import SparkBackend

    return SparkBackend()


#: Backends by name; Spark is imported lazily so a missing pyspark breaks only Spark.
FACTORIES: Final[dict[str, Callable[[], Backend]]] = {
    "duckdb": _duckdb,
    "polars": _polars,
    "spark": _spark,
}

DEFAULT: Final = "duckdb"


class _Connected(AbstractContextManager["Backend"]):
    def __init__(self, name: str) -> None:
        if name not in FACTORIES:
            raise BackendUnavailable(
                f"Mesin '{name}' tidak dikenal; pilih salah satu: {', '.join(FACTORIES)}."
            )
        self._backend = FACTORIES[name]()

    def __enter__(self) -> Backend:
        return self._backend

    def __exit__(self, *exc: object) -> None:
        self._backend.close()


def connect(name: str = DEFAULT) -> _Connected:
    """``with connect("duckdb") as backend: ...``"""
    return _Connected(name)
