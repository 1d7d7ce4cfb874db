"""The billing rule of Pasal 9: which months of whose cover the regency pays, and how much.

Pasal 9 ayat (1)-(3): the regency pays BPJS Ketenagakerjaan each participant's JKK and JKM
contribution every month (or per the period agreed in the PKS), at the rates of Pasal 9
ayat (2). The exact rule, shared by the application's bills and ``payung contributions
bill``:

* a participant is billed for every calendar month of the billing period in which they are
  covered on at least one day (a coverage period's start and end are both covered days; no
  end means still covered);
* each billed month is charged the policy's JKK and JKM rates for the participant's segment
  in force on that month's first day (``Contribution.rates_on``), so a rate change takes
  effect from the first whole month it covers;
* a participant with several periods (ended, then replaced back in) is billed once per month;
* amounts are integer rupiah.

A bill, once issued, never changes: ``bill_corrections`` gives what a later bill adds or takes
back, per participant and month, so that everything billed equals what is due.

``bill_compute`` is pure Python over plain values (no Django, no dataframe): the application
bills a regency's few thousand participants with it. ``bill_table`` is the same rule over
Arrow columns with numpy, for the command line's rosters of 100 000 participants and more,
where building a Python object per participant and month costs more than the arithmetic
(``benchmarks/billing.py``); a property test holds the two to the same lines.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from payung.domain.policy import Contribution

if TYPE_CHECKING:
    import pyarrow as pa

#: Policy codes of the two programmes Pasal 9 ayat (2) pays for.
JKK = "JKK"
JKM = "JKM"


@dataclass(frozen=True, slots=True)
class Coverage:
    """One coverage period of one participant (``start``..``end``, both covered days)."""

    key: str  # the app's id (candidate pk as text) or the roster's NIK
    start: date  # first covered day
    end: date | None  # last covered day, None = still active


@dataclass(frozen=True, slots=True)
class BillLine:
    """One participant and one month: what the regency pays BPJS for it, in rupiah.

    In a correction (``bill_corrections``) the amounts may be negative: a month taken back.
    """

    key: str
    month: date  # first day of the billed month
    jkk: int
    jkm: int

    @property
    def total(self) -> int:
        return self.jkk + self.jkm


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_of_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_add(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s (before it when negative)."""
    return _month_of_index(_month_index(day) + months)


def month_range(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s month to ``last``'s, both included.

    Any day of a month stands for its month. A range that ends before it starts is a caller's
    mistake (a bill for no month), so it raises ``ValueError`` rather than returning nothing.
    """
    lo, hi = _month_index(first), _month_index(last)
    if hi < lo:
        raise ValueError("bulan terakhir sebelum bulan pertama")
    return [_month_of_index(i) for i in range(lo, hi + 1)]


def _covered_indices(start: date, end: date | None, lo: int, hi: int) -> tuple[int, int]:
    """Month indices (inclusive, clipped to ``lo``..``hi``) a period touches on at least one
    day; empty when ``first > last``."""
    if end is not None and end < start:
        raise ValueError("akhir kepesertaan sebelum awalnya")
    first = max(lo, _month_index(start))
    last = hi if end is None else min(hi, _month_index(end))
    return first, last


def billed_months(*, start: date, end: date | None, first: date, last: date) -> list[date]:
    """The months of the billing period ``first``..``last`` (any day stands for its month) that
    one coverage period ``start``..``end`` bills: every month it covers on at least one day.

    A period starting on the last day of a month bills that month; one ending on the first day
    of a month bills that month too (Pasal 9 ayat (1): the contribution is per month of cover).
    """
    lo, hi = _month_index(first), _month_index(last)
    if hi < lo:
        raise ValueError("bulan terakhir sebelum bulan pertama")
    a, b = _covered_indices(start, end, lo, hi)
    return [_month_of_index(i) for i in range(a, b + 1)]


def _rates_by_month(
    contribution: Contribution, months: list[date], segment: str
) -> list[tuple[int, int]]:
    """(JKK, JKM) in force on each month's first day; a month without both rates for the
    segment cannot be billed, so it raises instead of billing zero."""
    rates = []
    for month in months:
        in_force = contribution.rates_on(month, segment)
        if JKK not in in_force or JKM not in in_force:
            raise ValueError(
                f"tidak ada tarif JKK dan JKM segmen {segment} yang berlaku pada "
                f"{month.isoformat()}"
            )
        rates.append((in_force[JKK], in_force[JKM]))
    return rates


def bill_compute(
    *,
    coverages: Iterable[Coverage],
    first: date,
    last: date,
    contribution: Contribution,
    segment: str = "apbd",
) -> list[BillLine]:
    """The bill lines of the period ``first``..``last`` (months; any day stands for its
    month): one per participant and month covered on at least one day, at the rates in force
    on the month's first day for ``segment`` (Pasal 9 ayat (2)). Sorted by (key, month); a
    key with several periods is billed once per month.

    Raises ``ValueError`` for a period ending before it starts or a billed month with no
    JKK/JKM rate in force for the segment.
    """
    months = month_range(first, last)
    lo, hi = _month_index(months[0]), _month_index(months[-1])
    rates = _rates_by_month(contribution, months, segment)

    spans: dict[str, tuple[int, int] | set[int]] = {}
    for cov in coverages:
        a, b = _covered_indices(cov.start, cov.end, lo, hi)
        if a > b:
            continue
        a -= lo
        b -= lo
        seen = spans.get(cov.key)
        if seen is None:
            spans[cov.key] = (a, b)
        else:
            # Several periods of one participant: union of months, each month billed once.
            merged = set(range(seen[0], seen[1] + 1)) if isinstance(seen, tuple) else seen
            merged.update(range(a, b + 1))
            spans[cov.key] = merged

    lines: list[BillLine] = []
    append = lines.append
    for key in sorted(spans):
        span = spans[key]
        indices = range(span[0], span[1] + 1) if isinstance(span, tuple) else sorted(span)
        for i in indices:
            jkk, jkm = rates[i]
            append(BillLine(key, months[i], jkk, jkm))
    return lines


def bill_month_totals(
    *, first: date, last: date, contribution: Contribution, segment: str = "apbd"
) -> dict[date, int]:
    """Month -> what one participant covered in it is billed (JKK + JKM at the rates in force
    on its first day, Pasal 9 ayat (2)), for the months ``first``..``last``: the ``total`` of
    every ``bill_compute`` line of that month. Raises ``ValueError`` like ``bill_compute`` for
    a month with no JKK/JKM rate in force."""
    months = month_range(first, last)
    rates = _rates_by_month(contribution, months, segment)
    return {month: jkk + jkm for month, (jkk, jkm) in zip(months, rates, strict=True)}


def _covered_runs(
    coverages: Iterable[Coverage], lo: int, hi: int
) -> dict[str, list[tuple[int, int]]]:
    """Key -> its covered months within ``lo``..``hi`` (month indices) as disjoint runs,
    ascending; a key with no covered month there is absent. Runs that touch are joined."""
    runs: dict[str, list[tuple[int, int]]] = {}
    # ``_covered_indices`` inlined: this loop runs once per coverage period of a whole year.
    for cov in coverages:
        start, end = cov.start, cov.end
        a = start.year * 12 + start.month - 1
        if end is None:
            b = hi
        else:
            if end < start:
                raise ValueError("akhir kepesertaan sebelum awalnya")
            b = min(hi, end.year * 12 + end.month - 1)
        a = max(a, lo)
        if a <= b:
            spans = runs.get(cov.key)
            if spans is None:
                runs[cov.key] = [(a, b)]
            else:
                spans.append((a, b))
    for key, spans in runs.items():
        if len(spans) > 1:
            spans.sort()
            merged = [spans[0]]
            for a, b in spans[1:]:
                if a <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], b))
                else:
                    merged.append((a, b))
            runs[key] = merged
    return runs


def bill_totals(
    *,
    coverages: Iterable[Coverage],
    first: date,
    last: date,
    contribution: Contribution,
    segment: str = "apbd",
    months: Container[date] | None = None,
) -> dict[str, int]:
    """Key -> the sum of the ``total`` of its ``bill_compute`` lines for the same arguments,
    keeping only the lines whose month is in ``months`` (every month when None); a key is
    present exactly when it has at least one such line.

    The forecast and the pagu assignment of a year (Pasal 13) need only these sums: with
    100 000 participants, ``bill_compute`` builds 1.2 million lines to add them up. Here each
    key's covered months are a few runs, and a run's sum is a difference of running totals
    over the period's months, so the cost is one step per coverage period. Same rule, same
    errors (``ValueError`` for a period ending before it starts or a month with no rates).
    """
    period = month_range(first, last)
    lo, hi = _month_index(period[0]), _month_index(period[-1])
    rates = _rates_by_month(contribution, period, segment)
    total_upto, count_upto = [0], [0]
    for month, (jkk, jkm) in zip(period, rates, strict=True):
        kept = months is None or month in months
        total_upto.append(total_upto[-1] + (jkk + jkm if kept else 0))
        count_upto.append(count_upto[-1] + (1 if kept else 0))
    out: dict[str, int] = {}
    for key, runs in _covered_runs(coverages, lo, hi).items():
        total = count = 0
        for a, b in runs:
            total += total_upto[b - lo + 1] - total_upto[a - lo]
            count += count_upto[b - lo + 1] - count_upto[a - lo]
        if count:
            out[key] = total
    return out


def covered_since(*, coverages: Iterable[Coverage], first: date, last: date) -> dict[str, date]:
    """Key -> the first month of the unbroken run of covered months that ends with ``last``'s
    month, never before ``first``'s, for every key covered in ``last``'s month (a month is
    covered when a period touches it on at least one day, as ``bill_compute`` bills it).

    The lapse warning (issue 11) walks back from this month through consecutive covered
    months only; this gives where that walk must stop without a line per month. Raises
    ``ValueError`` for a period ending before it starts.
    """
    lo, hi = _month_index(first), _month_index(last)
    if hi < lo:
        raise ValueError("bulan terakhir sebelum bulan pertama")
    firsts = {i: _month_of_index(i) for i in range(lo, hi + 1)}
    out: dict[str, date] = {}
    for key, runs in _covered_runs(coverages, lo, hi).items():
        a, b = runs[-1]
        if b == hi:
            out[key] = firsts[a]
    return out


def bill_corrections(*, billed: Iterable[BillLine], due: Iterable[BillLine]) -> list[BillLine]:
    """What a later bill must add (positive) or take back (negative) so that, per (key,
    month), everything already billed plus the corrections equals what is due.

    A bill once issued is immutable (issue 11): a replacement registered late or an end
    recorded after issue is settled here, each line naming the month it corrects. Lines that
    change nothing are omitted; sorted by (key, month).
    """
    balance: dict[tuple[str, date], list[int]] = {}
    for line in due:
        cell = balance.setdefault((line.key, line.month), [0, 0])
        cell[0] += line.jkk
        cell[1] += line.jkm
    for line in billed:
        cell = balance.setdefault((line.key, line.month), [0, 0])
        cell[0] -= line.jkk
        cell[1] -= line.jkm
    return [
        BillLine(key, month, jkk, jkm)
        for (key, month), (jkk, jkm) in sorted(balance.items())
        if jkk or jkm
    ]


def bill_table(
    coverages: pa.Table,
    *,
    first: date,
    last: date,
    contribution: Contribution,
    segment: str = "apbd",
) -> pa.Table:
    """``bill_compute`` over columns: ``coverages`` has ``key`` (string), ``start`` and ``end``
    (date, ``end`` null = active); the result has ``key``, ``month`` (date), ``jkk`` and
    ``jkm`` (int64), one row per key and month, sorted by (key, month).

    The rule is the same: every month of the period from the start's month to the end's
    month is billed, once per key, at the rates in force on the month's first day. Done with
    numpy on month numbers (year x 12 + month): each period becomes a run of months, runs are
    laid end to end with ``repeat``, and sorting (key rank, month) orders the lines; dropping
    repeats bills a month covered by two periods of one key once.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    months = month_range(first, last)
    rates = _rates_by_month(contribution, months, segment)
    lo_all, span = _month_index(months[0]), len(months)
    keys = coverages["key"].combine_chunks().cast(pa.string())
    start = coverages["start"].combine_chunks().cast(pa.date32())
    end = coverages["end"].combine_chunks().cast(pa.date32())
    if len(keys) and pc.any(pc.less(end, start)).as_py():
        raise ValueError("akhir kepesertaan sebelum awalnya")

    def index_of(days: pa.Array, default: int) -> np.ndarray:
        filled = pc.fill_null(pc.add(pc.multiply(pc.year(days), 12), pc.month(days)), default + 1)
        return filled.to_numpy(zero_copy_only=False).astype(np.int64) - 1 - lo_all

    lo = np.maximum(index_of(start, lo_all), 0)
    hi = np.minimum(index_of(end, lo_all + span - 1), span - 1)
    counts = np.where(hi >= lo, hi - lo + 1, 0)
    rank = pc.rank(keys, sort_keys="ascending", tiebreaker="dense").to_numpy().astype(np.int64)
    total = int(counts.sum())
    # Month of each line: the run's first month plus the line's place in its run.
    run_starts = np.repeat(np.cumsum(counts) - counts, counts)
    month_at = np.repeat(lo, counts) + (np.arange(total, dtype=np.int64) - run_starts)
    codes = np.sort(np.repeat(rank, counts) * span + month_at)
    if len(codes):  # two periods of one key covering one month: bill it once
        codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    line_rank, line_month = np.divmod(codes, span)
    sorted_keys = pc.unique(keys.take(pc.sort_indices(keys)))
    jkk = np.array([r[0] for r in rates], dtype=np.int64)
    jkm = np.array([r[1] for r in rates], dtype=np.int64)
    return pa.table(
        {
            "key": sorted_keys.take(pa.array(line_rank - 1)),
            "month": pa.array(months, pa.date32()).take(pa.array(line_month)),
            "jkk": pa.array(jkk[line_month]),
            "jkm": pa.array(jkm[line_month]),
        }
    )
