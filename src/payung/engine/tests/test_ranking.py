"""Pasal 7 ayat (2) ranking and the Pasal 6 ayat (2) quota, as invariants of a generated
population: ranks are a permutation of 1..n over the eligible, follow the policy's keys in
order, never depend on file order, and a budget selects exactly the top ``quota`` ranks."""

from __future__ import annotations

import random
from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payung.domain.policy import Policy
from payung.engine.backends import Backend
from payung.engine.expr import HASH_MODULUS, hash_params
from payung.engine.ranking import cut
from payung.engine.screening import ScreeningResult, screen
from payung.engine.tests.conftest import BACKENDS
from payung.engine.tests.factories import AS_OF, People, extract, population

ANNUAL = 201_600
SEED = 2025


def _with_twins(rows: list[dict[str, Any]], *, count: int, seed: int) -> list[dict[str, Any]]:
    """Add people identical to existing ones but for their NIK, so every ranking key up to
    the NIK hash ties and the hash (not file order) must break the tie."""
    rng = random.Random(seed)
    serial = 9000
    out = list(rows)
    for original in rng.sample(rows, count):
        serial += 1
        twin = dict(original)
        twin["nik"] = original["nik"][:12] + f"{serial:04d}"
        out.insert(rng.randrange(len(out) + 1), twin)
    return out


ROWS = _with_twins(population(300, seed=SEED), count=30, seed=SEED)
BIRTH = {r["nik"]: date.fromisoformat(r["tanggal_lahir"]) for r in ROWS}


def nik_hash(nik: str, seed: int) -> int:
    a, b = hash_params(seed)
    return ((int(nik) % HASH_MODULUS) * a + b) % HASH_MODULUS


def run(backend: Backend, policy: Policy, rows: list[dict[str, Any]], **kw: Any) -> ScreeningResult:
    return screen(extract(rows), policy=policy, as_of=AS_OF, backend=backend, **kw)


def eligible_by_rank(result: ScreeningResult) -> list[dict[str, Any]]:
    rows = [
        d
        for d in result.decisions.to_pylist()
        if d["status"] in {"eligible", "selected", "waitlisted"}
    ]
    return sorted(rows, key=lambda d: d["priority_rank"])


def rank_by_nik(result: ScreeningResult) -> dict[str, int | None]:
    return {d["nik"]: d["priority_rank"] for d in result.decisions.to_pylist()}


def priority_count(decision: dict[str, Any]) -> int:
    return len(decision["priorities"].split(";")) if decision["priorities"] else 0


@pytest.fixture(scope="module")
def ranked(duckdb_backend: Backend, policy: Policy) -> ScreeningResult:
    return run(duckdb_backend, policy, ROWS)


def test_population_is_varied_enough(ranked: ScreeningResult) -> None:
    by_status = ranked.counts["by_status"]
    assert by_status["eligible"] >= 80
    assert by_status["ineligible"] >= 80
    counts = {priority_count(d) for d in eligible_by_rank(ranked)}
    assert counts == {0, 1, 2, 3}


def test_ranks_are_exactly_one_to_n_eligible(ranked: ScreeningResult) -> None:
    decisions = ranked.decisions.to_pylist()
    n = ranked.counts["by_status"]["eligible"]
    ranks = [d["priority_rank"] for d in decisions if d["status"] == "eligible"]
    assert sorted(ranks) == list(range(1, n + 1))
    assert all(d["priority_rank"] is None for d in decisions if d["status"] != "eligible")


def test_rank_follows_the_policy_keys_in_order(ranked: ScreeningResult, policy: Policy) -> None:
    ordered = eligible_by_rank(ranked)
    for before, after in pairwise(ordered):
        key_before = priority_count(before), before["desil"], BIRTH[before["nik"]]
        key_after = priority_count(after), after["desil"], BIRTH[after["nik"]]
        # more priorities first
        assert key_before[0] >= key_after[0], (before, after)
        if key_before[0] == key_after[0]:
            # then lower decile first
            assert key_before[1] <= key_after[1], (before, after)
            if key_before[1] == key_after[1]:
                # then older first
                assert key_before[2] <= key_after[2], (before, after)
                if key_before[2] == key_after[2]:
                    # then the seeded NIK hash, then the NIK
                    hb = nik_hash(before["nik"], policy.ranking.seed)
                    ha = nik_hash(after["nik"], policy.ranking.seed)
                    assert (hb, before["nik"]) < (ha, after["nik"]), (before, after)


def test_twins_tie_up_to_the_hash(ranked: ScreeningResult) -> None:
    """The twins really exercise the last keys: some eligible pairs tie on all but the NIK."""
    ordered = eligible_by_rank(ranked)
    ties = sum(
        1
        for a, b in pairwise(ordered)
        if (priority_count(a), a["desil"], BIRTH[a["nik"]])
        == (priority_count(b), b["desil"], BIRTH[b["nik"]])
    )
    assert ties >= 5


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_file_order_never_changes_a_rank(
    duckdb_backend: Backend, policy: Policy, ranked: ScreeningResult, order: str
) -> None:
    rows = list(ROWS)
    if order == "reversed":
        rows.reverse()
    else:
        random.Random(order).shuffle(rows)
    assert rank_by_nik(run(duckdb_backend, policy, rows)) == rank_by_nik(ranked)


def test_polars_ranks_like_duckdb(
    connections: dict[str, Backend], policy: Policy, ranked: ScreeningResult
) -> None:
    assert set(BACKENDS) >= {"duckdb", "polars"}
    other = run(connections["polars"], policy, ROWS)
    assert other.decisions.equals(ranked.decisions)


@pytest.mark.parametrize("share", [0, 1 / 3, 2.0])
def test_budget_selects_exactly_the_top_quota_ranks(
    duckdb_backend: Backend, policy: Policy, ranked: ScreeningResult, share: float
) -> None:
    n = ranked.counts["by_status"]["eligible"]
    quota = int(n * share)
    # The largest budget that still buys only `quota` people.
    budget = quota * ANNUAL + ANNUAL - 1
    result = run(duckdb_backend, policy, ROWS, budget=budget)
    assert result.quota == quota
    selected = [d for d in result.decisions.to_pylist() if d["status"] == "selected"]
    waitlisted = [d for d in result.decisions.to_pylist() if d["status"] == "waitlisted"]
    assert len(selected) == min(quota, n)
    assert sorted(d["priority_rank"] for d in selected) == list(range(1, min(quota, n) + 1))
    assert all(d["priority_rank"] > quota for d in waitlisted)
    assert len(selected) + len(waitlisted) == n
    # The cut changes statuses only: ranks and everything else stay as without a budget.
    assert rank_by_nik(result) == rank_by_nik(ranked)
    assert result.decisions.drop_columns(["status"]).equals(
        ranked.decisions.drop_columns(["status"])
    )
    assert len(selected) * ANNUAL <= budget


@given(quota=st.integers(min_value=0, max_value=400))
def test_cut_selects_min_of_quota_and_eligible(ranked: ScreeningResult, quota: int) -> None:
    status = ranked.decisions["status"].combine_chunks()
    rank = ranked.decisions["priority_rank"].combine_chunks()
    n = ranked.counts["by_status"]["eligible"]
    cut_status = cut(status, rank, quota=quota).to_pylist()
    selected = [r for s, r in zip(cut_status, rank.to_pylist(), strict=True) if s == "selected"]
    assert sorted(selected) == list(range(1, min(quota, n) + 1))
    assert cut_status.count("waitlisted") == n - min(quota, n)
    for before, after in zip(status.to_pylist(), cut_status, strict=True):
        if before != "eligible":
            assert after == before


# --- the order of Pasal 7(2) on a hand-made extract --------------------------------------

HAND = People(start=7001)
#: name -> person; ranked A, C, B, D, F, then E/H1/H2 (tied but for the NIK hash).
HAND_ROWS = {
    "E": HAND.person(birth=date(1970, 5, 5), desil="1"),
    "F": HAND.person(disabilitas="YA", desil="4"),
    "B": HAND.person(
        birth=date(1990, 1, 1),
        desil="1",
        disabilitas="YA",
        status_perkawinan="KAWIN",
        jumlah_tanggungan="1",
    ),
    "G": HAND.person(birth=date(1963, 1, 1), disabilitas="YA", desil="5"),  # ineligible
    "D": HAND.person(
        birth=date(1975, 1, 1),
        desil="3",
        disabilitas="YA",
        status_perkawinan="KAWIN",
        jumlah_tanggungan="1",
    ),
    "A": HAND.person(
        birth=date(1962, 1, 1),
        desil="4",
        disabilitas="YA",
        status_perkawinan="KAWIN",
        jumlah_tanggungan="1",
    ),
    "H1": HAND.person(birth=date(1970, 5, 5), desil="1"),
    "C": HAND.person(birth=date(1965, 1, 1), desil="1", disabilitas="TUNA DAKSA"),
    "H2": HAND.person(birth=date(1970, 5, 5), desil="1"),
}


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_hand_made_order(
    connections: dict[str, Backend], policy: Policy, backend_name: str
) -> None:
    names = list(HAND_ROWS)
    result = run(connections[backend_name], policy, list(HAND_ROWS.values()))
    rank = dict(zip(names, result.decisions["priority_rank"].to_pylist(), strict=True))
    tied = sorted(["E", "H1", "H2"], key=lambda k: nik_hash(HAND_ROWS[k]["nik"], 63))
    expected = ["A", "C", "B", "D", "F", *tied]
    assert rank["G"] is None
    assert sorted((r, k) for k, r in rank.items() if r is not None) == [
        (i, k) for i, k in enumerate(expected, start=1)
    ]


def test_hand_made_ties_are_not_in_file_or_nik_order(policy: Policy) -> None:
    """E, H1, H2 come in file order, which is also their NIK order; their hash order must
    differ, or the test above could not tell the hash from file order or the NIK."""
    assert policy.ranking.seed == 63
    file_order = ["E", "H1", "H2"]
    assert sorted(file_order, key=lambda k: HAND_ROWS[k]["nik"]) == file_order
    by_hash = sorted(file_order, key=lambda k: nik_hash(HAND_ROWS[k]["nik"], 63))
    assert by_hash != file_order
