"""Arrow's allocator for the engine (issue 16): jemalloc unless the operator chose one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = "import payung.engine.readers, pyarrow as pa; print(pa.default_memory_pool().backend_name)"


def _pool(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_reading_extracts_uses_jemalloc() -> None:
    assert _pool() == "jemalloc"


@pytest.mark.parametrize("chosen", ["system", "mimalloc"])
def test_the_operators_choice_stands(chosen: str) -> None:
    assert _pool(ARROW_DEFAULT_MEMORY_POOL=chosen) == chosen
