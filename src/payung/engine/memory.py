"""Which allocator Arrow uses for the engine's tables.

pyarrow's wheels default to mimalloc. Reading and trimming a 10-million-row extract with it
spent 12 s of kernel time in page faults (about 30 s wall); with jemalloc, which pyarrow's
wheels also carry, the same read took 13-15 s wall and 4.4 s of kernel time, and a 1-million
row screening half its kernel time (issue 16, benchmarks/README.md). An operator's own
choice, ``ARROW_DEFAULT_MEMORY_POOL``, is left alone.
"""

from __future__ import annotations

import contextlib
import os

import pyarrow as pa


def arrow_pool_choose() -> str:
    """Make jemalloc Arrow's default pool unless the environment names one; its name."""
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        # A pyarrow built without jemalloc keeps its default.
        with contextlib.suppress(NotImplementedError):
            pa.set_memory_pool(pa.jemalloc_memory_pool())
    return pa.default_memory_pool().backend_name
