"""Reconciliation of what Payung billed with what BPJS Ketenagakerjaan invoices (Pasal 9).

Pasal 9 ayat (1): the regency pays on BPJS's determination of contributions (Pasal 8 ayat
(3)); the two lists must agree participant by participant and month by month, because a
month BPJS bills for someone who has ended is public money paid for no cover, and a month
BPJS misses can cost a participant their cover. Every (KPJ, month) on either side gets one
row and one category:

* ``cocok``: both bill it, the same amount;
* ``selisih``: both bill it, different amounts;
* ``hanya_bpjs``: BPJS bills it, Payung does not (e.g. an end BPJS has not processed);
* ``hanya_payung``: Payung bills it, BPJS does not (e.g. a replacement BPJS has not recorded).

Amounts are summed per (KPJ, month) on each side first, so an invoice that splits a month
into JKK and JKM lines, or a bill with its corrections, compares as one amount.

A regency's few thousand lines are reconciled in plain Python. A year of 100 000
participants is 1.2 million lines a side, where Python's dictionaries and sort take tens of
seconds on a busy two-core server; from ``LARGE`` lines on, the same rule runs as one Ibis
query on DuckDB (``reconcile_table``), and a test holds the two to the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import pyarrow as pa

    from payung.engine.backends import Backend

#: The categories in the order reports list them.
CATEGORIES: Final = ("cocok", "selisih", "hanya_bpjs", "hanya_payung")

#: Lines (both sides together) from which the reconciliation runs on DuckDB.
LARGE: Final = 200_000


@dataclass(frozen=True, slots=True)
class ReconRow:
    """One (KPJ, month) on either side; an amount is 0 on the side that does not bill it."""

    kpj: str
    month: date  # first day of the month
    category: str
    payung_amount: int
    bpjs_amount: int


def _summed(rows: Iterable[tuple[str, date, int]]) -> dict[tuple[str, date], int]:
    sums: dict[tuple[str, date], int] = {}
    get = sums.get
    for kpj, month, amount in rows:
        key = (kpj, month)
        sums[key] = get(key, 0) + amount
    return sums


def reconcile_compute(
    *, payung: Iterable[tuple[str, date, int]], bpjs: Iterable[tuple[str, date, int]]
) -> list[ReconRow]:
    """One row per (KPJ, month) billed by Payung, BPJS or both, sorted by (KPJ, month); each
    side's amounts are summed per (KPJ, month) first. Months are first days of months.
    """
    ours = list(payung)
    theirs = list(bpjs)
    if len(ours) + len(theirs) < LARGE:
        return _reconcile_python(ours, theirs)
    return _reconcile_duckdb(ours, theirs)


def _reconcile_python(
    payung: list[tuple[str, date, int]], bpjs: list[tuple[str, date, int]]
) -> list[ReconRow]:
    ours = _summed(payung)
    theirs = _summed(bpjs)
    rows: list[ReconRow] = []
    append = rows.append
    for key in sorted(ours.keys() | theirs.keys()):
        mine = ours.get(key)
        other = theirs.get(key)
        if other is None:
            append(ReconRow(key[0], key[1], "hanya_payung", mine, 0))
        elif mine is None:
            append(ReconRow(key[0], key[1], "hanya_bpjs", 0, other))
        else:
            category = "cocok" if mine == other else "selisih"
            append(ReconRow(key[0], key[1], category, mine, other))
    return rows


def lines_table(lines: list[tuple[str, date, int]]) -> pa.Table:
    """(KPJ, month, amount) tuples as the Arrow table ``reconcile_table`` reads."""
    import pyarrow as pa

    # One pass per column: ``zip(*lines)`` would call a function with a million arguments.
    return pa.table(
        {
            "kpj": pa.array([line[0] for line in lines], pa.string()),
            "month": pa.array([line[1] for line in lines], pa.date32()),
            "amount": pa.array([line[2] for line in lines], pa.int64()),
        }
    )


def reconcile_table(payung: pa.Table, bpjs: pa.Table, *, backend: Backend) -> pa.Table:
    """The reconciliation as one query: ``payung`` and ``bpjs`` are tables of ``kpj``
    (string), ``month`` (date, first day) and ``amount`` (int64); the result has the columns
    of ``ReconRow``, sorted by (kpj, month). Same rule as ``reconcile_compute``."""
    import ibis

    ours = backend.load(payung, name="recon_payung")
    theirs = backend.load(bpjs, name="recon_bpjs")
    zero = ibis.literal(0, "int64")
    both = ours.select(
        "kpj", "month", p=ours.amount, b=zero, in_p=ibis.literal(1), in_b=ibis.literal(0)
    ).union(
        theirs.select(
            "kpj", "month", p=zero, b=theirs.amount, in_p=ibis.literal(0), in_b=ibis.literal(1)
        )
    )
    summed = both.group_by(["kpj", "month"]).aggregate(
        payung_amount=both.p.sum(),
        bpjs_amount=both.b.sum(),
        in_p=both.in_p.max(),
        in_b=both.in_b.max(),
    )
    on_both = (summed.in_p == 1) & (summed.in_b == 1)
    category = ibis.cases(
        (on_both & (summed.payung_amount == summed.bpjs_amount), "cocok"),
        (on_both, "selisih"),
        (summed.in_b == 1, "hanya_bpjs"),
        else_="hanya_payung",
    )
    result = summed.select(
        "kpj",
        "month",
        category=category,
        payung_amount=summed.payung_amount.cast("int64"),
        bpjs_amount=summed.bpjs_amount.cast("int64"),
    ).order_by(["kpj", "month"])
    return result.to_pyarrow()


def _reconcile_duckdb(
    payung: list[tuple[str, date, int]], bpjs: list[tuple[str, date, int]]
) -> list[ReconRow]:
    from payung.engine.backends import connect

    with connect("duckdb") as backend:
        table = reconcile_table(lines_table(payung), lines_table(bpjs), backend=backend)
    return list(
        map(
            ReconRow,
            table["kpj"].to_pylist(),
            _shared(table["month"]),
            _shared(table["category"]),
            table["payung_amount"].to_pylist(),
            table["bpjs_amount"].to_pylist(),
        )
    )


def _shared(column: pa.ChunkedArray) -> list[object]:
    """A column of few distinct values (twelve months, four categories) as Python objects,
    one object per distinct value rather than one per row."""
    import pyarrow.compute as pc

    if len(column) == 0:
        return []
    encoded = pc.dictionary_encode(column.combine_chunks())
    values = encoded.dictionary.to_pylist()
    return list(map(values.__getitem__, encoded.indices.to_pylist()))
