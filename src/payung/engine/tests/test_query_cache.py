"""A screening's compiled query is reused within the process (issue 16).

Compiling the Ibis expression to DuckDB SQL costs more than running it on a few thousand
rows; the demo and a web worker screen again and again with one policy and as-of date. The
reuse must never change a decision (Pasal 5, Pasal 7 ayat (2)): each run decides on its own
rows, and a different policy or as-of date gets its own query.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from payung.domain.policy import Policy, policy_get
from payung.engine.backends import Backend
from payung.engine.backends import duckdb as duckdb_module
from payung.engine.backends.compiled import CompiledQueries
from payung.engine.screening import screen
from payung.engine.tests.factories import AS_OF, People, extract

#: A screening's queries: the parsed values of the columns whose values repeat, those of
#: its damaged NIKs, and the rows (``screen``). An extract of more than one batch runs the
#: first once in all and the others once a batch, and adds one: its cleaned NIKs, to find
#: each NIK's first row.
QUERIES = 3


#: Desils of the extract screened two rows a batch, and the statuses it must get (desil 10
#: fails Pasal 5).
BATCHED_DESILS = ("2", "10", "3", "10", "1")
BATCHED_STATUSES = ["eligible", "ineligible", "eligible", "ineligible", "eligible"]


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch) -> CompiledQueries:
    """A fresh, empty process cache for the test (the real one is shared by the session)."""
    fresh = CompiledQueries()
    monkeypatch.setattr(duckdb_module, "COMPILED", fresh)
    return fresh


def _rows(people: People, *desils: str) -> pa.Table:
    return extract([people.person(desil=d) for d in desils])


def _statuses(table: pa.Table) -> list[str]:
    return table.column("status").to_pylist()


def test_second_screening_reuses_the_query_and_decides_on_its_own_rows(
    cache: CompiledQueries, connections: dict[str, Backend], policy: Policy
) -> None:
    duck, polars = connections["duckdb"], connections["polars"]
    people = People()
    first = _rows(people, "2", "2", "10")
    second = _rows(people, "10", "3", "10", "1")

    one = screen(first, policy=policy, as_of=AS_OF, backend=duck)
    two = screen(second, policy=policy, as_of=AS_OF, backend=duck)

    assert cache.compiled == QUERIES
    # Desil 10 fails Pasal 5; the reused query saw the second file's rows, not the first's.
    assert _statuses(one.decisions) == ["eligible", "eligible", "ineligible"]
    assert _statuses(two.decisions) == ["ineligible", "eligible", "ineligible", "eligible"]
    # Byte for byte what an uncached run and another backend decide.
    assert two.decisions.equals(
        screen(second, policy=policy, as_of=AS_OF, backend=polars).decisions
    )
    assert two.counts == screen(second, policy=policy, as_of=AS_OF, backend=polars).counts
    cache.clear()
    assert two.decisions.equals(screen(second, policy=policy, as_of=AS_OF, backend=duck).decisions)
    assert cache.compiled == 2 * QUERIES


def test_reuse_spans_connections_budgets_and_ranked_first_sets(
    cache: CompiledQueries, policy: Policy
) -> None:
    """The SQL names its table, not a connection; a budget or a ranked-first set act after
    the query (Pasal 6 ayat (2), Pasal 7 ayat (2)), so neither needs a new one."""
    from payung.engine.backends.duckdb import DuckDBBackend

    people = People()
    table = _rows(people, "1", "2", "3", "4")
    niks = frozenset([table.column("nik")[3].as_py()])
    results = []
    for budget, first in ((None, None), (201_600, None), (201_600, niks)):
        backend = DuckDBBackend()
        try:
            results.append(
                screen(
                    table, policy=policy, as_of=AS_OF, backend=backend, budget=budget, first=first
                )
            )
        finally:
            backend.close()
    assert cache.compiled == QUERIES
    assert _statuses(results[1].decisions).count("selected") == 1
    assert _statuses(results[2].decisions)[3] == "selected"  # the ranked-first NIK


def test_batches_share_their_queries(
    cache: CompiledQueries, connections: dict[str, Backend], policy: Policy
) -> None:
    """A province's extract is screened a batch at a time (issue 16): the batches run the
    queries compiled for the first, and each decides on its own rows."""
    duckdb_backend, polars_backend = connections["duckdb"], connections["polars"]
    table = _rows(People(), *BATCHED_DESILS)
    batched = screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend, batch_rows=2)
    assert cache.compiled == QUERIES + 1  # the cleaned NIKs, once for the whole extract
    again = screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend, batch_rows=2)
    assert cache.compiled == QUERIES + 1
    assert _statuses(batched.decisions) == BATCHED_STATUSES
    assert again.decisions.equals(batched.decisions)
    assert batched.decisions.equals(
        screen(table, policy=policy, as_of=AS_OF, backend=polars_backend).decisions
    )


def test_another_as_of_date_or_policy_gets_its_own_query(
    cache: CompiledQueries, duckdb_backend: Backend, policy: Policy
) -> None:
    """The as-of date is written into the query (Pasal 5 ayat (2) huruf b measures age on
    it): a later date must not reuse the earlier date's ages."""
    table = _rows(People(), "2")
    now = screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend)
    later_date = date(AS_OF.year + 1, AS_OF.month, AS_OF.day)
    later = screen(table, policy=policy, as_of=later_date, backend=duckdb_backend)
    assert cache.compiled == 2 * QUERIES
    assert later.decisions.column("age")[0].as_py() == now.decisions.column("age")[0].as_py() + 1

    other = policy_get("pekalongan-2025")
    screen(table, policy=other, as_of=AS_OF, backend=duckdb_backend)
    assert cache.compiled == 3 * QUERIES
    # A changed parameter is a changed policy, even under the same id and version.
    seeded = policy.model_copy(update={"ranking": replace_seed(policy)})
    screen(table, policy=seeded, as_of=AS_OF, backend=duckdb_backend)
    assert cache.compiled == 4 * QUERIES
    screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend)
    assert cache.compiled == 4 * QUERIES


def replace_seed(policy: Policy) -> object:
    return policy.ranking.model_copy(update={"seed": policy.ranking.seed + 1})


def test_the_cache_keeps_only_the_most_recent_queries() -> None:
    cache = CompiledQueries(maxsize=2)
    for key in ("a", "b", "c"):
        cache.put(key, (f"SELECT {key!r}", None))  # type: ignore[arg-type]
    assert cache.get("a") is None
    assert cache.get("b") is not None
    cache.put("d", ("SELECT 'd'", None))  # type: ignore[arg-type]
    assert cache.get("c") is None  # "b" was used more recently than "c"
    assert cache.get("b") is not None and cache.get("d") is not None


def test_polars_batches_build_their_queries_once_and_decide_on_their_own_rows(
    policy: Policy,
) -> None:
    """Polars builds each query's expression once per connection (issue 16); every batch,
    and a later screening of other rows, still decides on the rows loaded for it."""
    from payung.engine.backends.polars import PolarsBackend

    people = People()
    table = _rows(people, *BATCHED_DESILS)
    other = _rows(people, "10", "1", "1")
    backend = PolarsBackend()
    try:
        batched = screen(table, policy=policy, as_of=AS_OF, backend=backend, batch_rows=2)
        assert backend.built == QUERIES + 1
        later = screen(other, policy=policy, as_of=AS_OF, backend=backend, batch_rows=2)
        assert backend.built == QUERIES + 1
    finally:
        backend.close()
    assert _statuses(batched.decisions) == BATCHED_STATUSES
    assert _statuses(later.decisions) == ["ineligible", "eligible", "eligible"]
    fresh = PolarsBackend()
    try:
        assert later.decisions.equals(
            screen(other, policy=policy, as_of=AS_OF, backend=fresh).decisions
        )
    finally:
        fresh.close()
