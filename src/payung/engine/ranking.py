"""Pasal 7 ayat (2) order and the Pasal 6 ayat (2) cut, on the collected decisions.

Ranking runs on the Arrow result rather than as an Ibis window: Ibis's Polars backend has
no window functions, and sorting a regency's eligible rows (at most a few hundred thousand)
on one machine takes a fraction of a second. Doing it here, once, also guarantees the same
order on every backend.

The order is total: the keys the policy names (priorities met, more first; decile, lower
first; birth date, older first; a seeded hash of the NIK), ending on the NIK itself, which
is unique among judged rows. File order and region never play a part.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from payung.domain.policy import Policy

#: Policy ranking key -> (decision column, sort order).
SORT_KEYS: Final[dict[str, tuple[str, str]]] = {
    "priority_count": ("priority_count", "descending"),
    "desil": ("desil", "ascending"),
    "birth_date": ("birth_key", "ascending"),
    "nik_hash": ("nik_hash", "ascending"),
    "nik": ("nik", "ascending"),
}

#: Helper column of ``ranks``: 0 for a NIK of the ``first`` set, 1 for the others.
FIRST_GROUP: Final = "_first_group"


def ranks(table: pa.Table, *, policy: Policy, first: frozenset[str] | None = None) -> pa.Array:
    """1-based rank of each eligible row (NULL for the others), by the policy's order.

    ``first`` is a set of NIKs ranked ahead of everyone else, the policy's order kept within
    each group: last year's participants carried over when ``policy.cycle.carry_over_first``
    (issue 12; a lapse costs the heirs the full JKM benefit for 3 months). Without it the
    order is exactly the policy's.
    """
    eligible = pc.equal(table["status"], "eligible").to_numpy(zero_copy_only=False)
    positions = np.flatnonzero(eligible)
    keys = [SORT_KEYS[k] for k in policy.ranking.order]
    subset = table.select(sorted({col for col, _ in keys})).take(pa.array(positions))
    if first is not None:
        in_first = pc.is_in(subset["nik"], value_set=pa.array(sorted(first), type=pa.string()))
        group = pc.if_else(pc.fill_null(in_first, False), 0, 1)
        subset = subset.append_column(FIRST_GROUP, group)
        keys = [(FIRST_GROUP, "ascending"), *keys]
    order = pc.sort_indices(subset, sort_keys=keys).to_numpy()
    result = np.zeros(table.num_rows, dtype=np.int64)
    result[positions[order]] = np.arange(1, len(order) + 1, dtype=np.int64)
    return pa.array(result, mask=~eligible, type=pa.int64())


def cut(status: pa.Array, rank: pa.Array, *, quota: int) -> pa.Array:
    """Top ``quota`` eligible become ``selected``, the other eligible ``waitlisted``."""
    eligible = pc.equal(status, "eligible")
    within = pc.fill_null(pc.less_equal(rank, quota), False)
    return pc.if_else(eligible, pc.if_else(within, "selected", "waitlisted"), status)
