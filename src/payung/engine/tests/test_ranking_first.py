"""Carried-over participants ranked first (issue 12, ``policy.cycle.carry_over_first``): a set
of NIKs goes ahead of everyone, the policy's order kept within each group, the quota cut
follows, and without a set every output is what it was."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest

from payung.domain.policy import Policy
from payung.engine.backends import Backend
from payung.engine.screening import ScreeningResult
from payung.engine.tests.test_ranking import ROWS, eligible_by_rank, run

ANNUAL = 201_600


@pytest.fixture(scope="module")
def plain(duckdb_backend: Backend, policy: Policy) -> ScreeningResult:
    return run(duckdb_backend, policy, ROWS)


@pytest.fixture(scope="module")
def first_set(plain: ScreeningResult) -> frozenset[str]:
    """Twelve eligible people from the bottom half of the plain ranking, and one ineligible."""
    ordered = eligible_by_rank(plain)
    rng = random.Random(12)
    chosen = rng.sample(ordered[len(ordered) // 2 :], 12)
    ineligible = next(d for d in plain.decisions.to_pylist() if d["status"] == "ineligible")
    return frozenset([d["nik"] for d in chosen] + [ineligible["nik"]])


@pytest.fixture(scope="module")
def carried(duckdb_backend: Backend, policy: Policy, first_set: frozenset[str]) -> ScreeningResult:
    return run(duckdb_backend, policy, ROWS, first=first_set)


def test_the_set_comes_first_in_the_policy_order(
    plain: ScreeningResult, carried: ScreeningResult, first_set: frozenset[str]
) -> None:
    ordered = [d["nik"] for d in eligible_by_rank(carried)]
    plain_order = [d["nik"] for d in eligible_by_rank(plain)]
    eligible_first = [n for n in plain_order if n in first_set]
    assert len(eligible_first) == 12
    # the twelve eligible of the set hold ranks 1..12, in the order the policy gives them
    assert ordered[:12] == eligible_first
    # everyone else keeps the policy's order behind them
    assert ordered[12:] == [n for n in plain_order if n not in first_set]


def test_the_set_changes_no_status_or_reason(
    plain: ScreeningResult, carried: ScreeningResult
) -> None:
    def without_rank(result: ScreeningResult) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in d.items() if k != "priority_rank"}
            for d in result.decisions.to_pylist()
        ]

    assert without_rank(carried) == without_rank(plain)


def test_the_quota_cut_takes_the_set_first(
    duckdb_backend: Backend, policy: Policy, plain: ScreeningResult, first_set: frozenset[str]
) -> None:
    quota = 20
    result = run(duckdb_backend, policy, ROWS, budget=quota * ANNUAL, months=12, first=first_set)
    decisions = result.decisions.to_pylist()
    selected = {d["nik"] for d in decisions if d["status"] == "selected"}
    assert len(selected) == quota
    eligible_first = {d["nik"] for d in eligible_by_rank(plain) if d["nik"] in first_set}
    assert eligible_first <= selected
    plain_rest = [d["nik"] for d in eligible_by_rank(plain) if d["nik"] not in first_set]
    assert selected - eligible_first == set(plain_rest[: quota - 12])
    assert all(
        d["status"] == "waitlisted" for d in decisions if d["nik"] in set(plain_rest[quota - 12 :])
    )


def test_counts_record_the_set_reproducibly(
    carried: ScreeningResult, first_set: frozenset[str]
) -> None:
    digest = hashlib.sha256("\n".join(sorted(first_set)).encode()).hexdigest()
    assert carried.counts["first"] == {"count": 13, "ranked": 12, "sha256": digest}


def test_without_a_set_nothing_changes(
    duckdb_backend: Backend, policy: Policy, plain: ScreeningResult
) -> None:
    assert "first" not in plain.counts
    again = run(duckdb_backend, policy, ROWS, first=None)
    assert again.decisions.equals(plain.decisions)
    assert again.counts == plain.counts


def test_an_empty_set_ranks_as_the_policy(
    duckdb_backend: Backend, policy: Policy, plain: ScreeningResult
) -> None:
    result = run(duckdb_backend, policy, ROWS, first=frozenset())
    assert result.decisions.equals(plain.decisions)
    assert result.counts["first"]["count"] == 0
