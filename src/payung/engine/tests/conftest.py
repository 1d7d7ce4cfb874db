"""Shared fixtures for the screening tests: the shipped policy and the embedded backends.

Spark is deliberately absent: it takes many seconds to start and has its own test. Each
backend is connected once per session; every screening builds a fresh lazy query on it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from payung.domain.policy import Policy, policy_get
from payung.engine.backends import Backend, connect

#: The fast embedded backends every screening expectation must hold on, identically.
BACKENDS = ("duckdb", "polars")


@pytest.fixture(scope="session")
def policy() -> Policy:
    return policy_get("pandeglang-2025")


@pytest.fixture(scope="session")
def connections() -> Iterator[dict[str, Backend]]:
    """One open connection per backend name, closed at the end of the session."""
    managers = {name: connect(name) for name in BACKENDS}
    try:
        yield {name: manager.__enter__() for name, manager in managers.items()}
    finally:
        for manager in managers.values():
            manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def duckdb_backend(connections: dict[str, Backend]) -> Backend:
    return connections["duckdb"]
