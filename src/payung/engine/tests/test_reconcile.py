"""Reconciliation with BPJS's invoice (issue 11, Pasal 9): one row per (KPJ, month) on either
side, in one of four categories, each side's amounts summed per (KPJ, month) first."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import payung.engine.reconcile as reconcile
from payung.engine import CATEGORIES, ReconRow, reconcile_compute

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def test_every_category() -> None:
    payung = [
        ("11", JAN, 16_800),  # cocok
        ("11", FEB, 16_800),  # selisih
        ("22", JAN, 16_800),  # hanya_payung: a replacement BPJS has not recorded
    ]
    bpjs = [
        ("11", JAN, 16_800),
        ("11", FEB, 8_400),
        ("33", MAR, 16_800),  # hanya_bpjs: an end BPJS has not processed
    ]
    assert reconcile_compute(payung=payung, bpjs=bpjs) == [
        ReconRow("11", JAN, "cocok", 16_800, 16_800),
        ReconRow("11", FEB, "selisih", 16_800, 8_400),
        ReconRow("22", JAN, "hanya_payung", 16_800, 0),
        ReconRow("33", MAR, "hanya_bpjs", 0, 16_800),
    ]
    assert CATEGORIES == ("cocok", "selisih", "hanya_bpjs", "hanya_payung")


def test_amounts_are_summed_per_kpj_and_month_on_each_side() -> None:
    # BPJS writes JKK and JKM on separate lines; Payung has a bill line and a correction.
    payung = [("11", JAN, 16_800), ("11", JAN, -16_800), ("11", JAN, 16_800)]
    bpjs = [("11", JAN, 10_000), ("11", JAN, 6_800)]
    assert reconcile_compute(payung=payung, bpjs=bpjs) == [
        ReconRow("11", JAN, "cocok", 16_800, 16_800)
    ]


def test_kpj_is_text_and_keeps_leading_zeros() -> None:
    rows = reconcile_compute(payung=[("0011", JAN, 1)], bpjs=[("11", JAN, 1)])
    assert [(r.kpj, r.category) for r in rows] == [("0011", "hanya_payung"), ("11", "hanya_bpjs")]


def test_nothing_on_either_side_is_nothing() -> None:
    assert reconcile_compute(payung=[], bpjs=[]) == []


lines = st.lists(
    st.tuples(
        st.sampled_from(["01", "02", "10"]),
        st.sampled_from([JAN, FEB, MAR]),
        st.integers(-20_000, 20_000),
    ),
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(payung=lines, bpjs=lines)
def test_one_row_per_key_on_either_side_and_totals_kept(payung: list, bpjs: list) -> None:
    rows = reconcile_compute(payung=payung, bpjs=bpjs)
    keys = [(r.kpj, r.month) for r in rows]
    assert keys == sorted({(k, m) for k, m, _ in payung} | {(k, m) for k, m, _ in bpjs})
    assert sum(r.payung_amount for r in rows) == sum(a for *_, a in payung)
    assert sum(r.bpjs_amount for r in rows) == sum(a for *_, a in bpjs)
    for r in rows:
        on_ours = (r.kpj, r.month) in {(k, m) for k, m, _ in payung}
        on_theirs = (r.kpj, r.month) in {(k, m) for k, m, _ in bpjs}
        expected = (
            ("cocok" if r.payung_amount == r.bpjs_amount else "selisih")
            if on_ours and on_theirs
            else ("hanya_payung" if on_ours else "hanya_bpjs")
        )
        assert r.category == expected


@settings(max_examples=25, deadline=None)
@given(payung=lines, bpjs=lines)
def test_the_duckdb_query_gives_the_same_rows(payung: list, bpjs: list) -> None:
    """Large inputs run on DuckDB (``LARGE``); both paths must agree row for row."""
    assert reconcile._reconcile_duckdb(payung, bpjs) == reconcile._reconcile_python(payung, bpjs)


def test_large_inputs_take_the_duckdb_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = reconcile._reconcile_duckdb
    monkeypatch.setattr(
        reconcile, "_reconcile_duckdb", lambda p, b: calls.append(len(p)) or real(p, b)
    )
    monkeypatch.setattr(reconcile, "LARGE", 4)
    rows = reconcile_compute(
        payung=[("1", JAN, 5), ("1", FEB, 5)], bpjs=[("1", JAN, 5), ("2", MAR, 5)]
    )
    assert calls == [2]
    assert [r.category for r in rows] == ["cocok", "hanya_payung", "hanya_bpjs"]
