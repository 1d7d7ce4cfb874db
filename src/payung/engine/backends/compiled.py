"""Queries a backend keeps compiled or built, per query key, in this process only."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Final, Generic, TypeVar

#: How many queries are kept (a policy x as-of date x input shape each).
COMPILED_MAX: Final = 16

T = TypeVar("T")


class CompiledQueries(Generic[T]):
    """A query's compiled or built form per query key, the most recent ``maxsize`` kept.

    Compiling a screening from Ibis costs more CPU than a backend spends running it on tens
    of thousands of rows, and a province's extract runs it once a batch (issue 16): a
    process that screens again with the same policy, as-of date and input shape (the demo
    re-screening per Disdukcapil answer file, a web worker, the tests) compiles once. DuckDB
    keeps the SQL text and result schema for the whole process (``duckdb.COMPILED``), Polars
    the built expression per connection. Never written to disk: SQL text is executable
    (DuckDB SQL can read and write files), so it lives only as long as the process.
    """

    def __init__(self, maxsize: int = COMPILED_MAX) -> None:
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self.maxsize = maxsize
        self.compiled = 0  # how many times a query was compiled (a miss), for tests

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: T) -> None:
        with self._lock:
            self.compiled += 1
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
