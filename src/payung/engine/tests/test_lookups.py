"""Columns parsed once per distinct value and gathered back in Arrow (``expr.lookups_apply``),
and a repeated NIK found in Arrow (``quality.nik_repeated_arrow``), issue 16. Every row must
get exactly what evaluating the same expression on that row gives, on every backend,
because decision files are compared byte for byte; a NULL cell must get the value the
policy's rules expect of a missing cell (Pasal 5), and a NIK's second row must be flagged
``nik.duplicate`` however the rows are ordered."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from random import Random
from unittest.mock import patch

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.domain.policy import Policy
from payung.engine import quality
from payung.engine.backends import Backend
from payung.engine.expr import (
    Lookup,
    lookups_apply,
    lookups_derive,
    lookups_gather,
    upper_collapsed,
)
from payung.engine.quality import nik_plain_arrow, nik_repeated_arrow
from payung.engine.screening import screening_lookups
from payung.engine.tests.conftest import BACKENDS


def _facts(values: ir.Table, cell: ir.StringValue) -> ir.Table:
    values = values.mutate(word_upper=upper_collapsed(cell))
    return values.mutate(
        word_long=values.word_upper.length() > 3,
        word_empty=values.word_upper.isnull(),
    )


WORD = Lookup(
    "word",
    _facts,
    ("word_upper", "word_long", "word_empty"),
    if_null={"word_empty": True},
)


def _key(values: ir.Table) -> tuple[str, ...]:
    return ("lookup-test", *(f"{n}:{t}" for n, t in values.schema().items()))


@pytest.mark.parametrize("name", BACKENDS)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.sampled_from(["ab", " ab ", "Abcd", "", "  ", "é", "xyzw"]) | st.none()))
def test_each_row_gets_what_its_own_cell_gives(
    connections: dict[str, Backend], name: str, words: list[str | None]
) -> None:
    """Repeated texts, blanks and NULLs: the gathered columns equal the expression evaluated
    row by row, and ``if_null`` fills only the NULL cells."""
    backend = connections[name]
    rows = pa.table({"word": pa.array(words, pa.string())})
    got = lookups_apply(rows, [WORD], backend=backend, key=_key)
    assert "word" not in got.column_names
    direct = backend.load(rows, name="direct")
    expected = _facts(direct, direct.word).to_pyarrow()
    assert got["word_upper"].to_pylist() == expected["word_upper"].to_pylist()
    assert got["word_long"].to_pylist() == expected["word_long"].to_pylist()
    direct_empty = expected["word_empty"].to_pylist()
    empty = [True if w is None else e for w, e in zip(words, direct_empty, strict=True)]
    assert got["word_empty"].to_pylist() == empty


@pytest.mark.parametrize("name", BACKENDS)
def test_skipped_rows_get_nothing_and_the_raw_column_can_stay(
    connections: dict[str, Backend], name: str
) -> None:
    lookup = Lookup("word", _facts, ("word_upper",), skip="plain", drop=False)
    rows = pa.table(
        {
            "word": ["ab", "ab", "cd", None],
            "plain": [True, False, False, False],
        }
    )
    got = lookups_apply(rows, [lookup], backend=connections[name], key=_key)
    assert got["word"].to_pylist() == ["ab", "ab", "cd", None]
    assert got["word_upper"].to_pylist() == [None, "AB", "CD", None]


@pytest.mark.parametrize("name", BACKENDS)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(["ab", "Abcd", "é", "xyzw"]) | st.none(), max_size=40),
    cuts=st.lists(st.integers(min_value=0, max_value=40), max_size=4),
    batch=st.integers(min_value=1, max_value=12),
)
def test_a_batch_gathers_by_the_positions_found_over_the_whole_extract(
    connections: dict[str, Backend], name: str, words: list[str | None], cuts: list[int], batch: int
) -> None:
    """The values found over a whole extract, cut to a batch (``LookupValues.rows``), give
    each of its rows what looking its cell up gives: in whatever chunks the column came,
    with NULLs, and with the raw column already gone from the batch."""
    backend = connections[name]
    bounds = sorted({0, len(words), *(min(cut, len(words)) for cut in cuts)})
    column = pa.chunked_array(
        [pa.array(words[a:b], pa.string()) for a, b in pairwise(bounds)], pa.string()
    )
    rows = pa.table({"word": column})
    found = lookups_derive(rows, [WORD], backend=backend, key=_key)
    looked_up = replace(found, positions={})
    for start in range(0, len(words), batch):
        part = rows.slice(start, batch)
        got = lookups_gather(part.drop_columns(["word"]), [WORD], found.rows(start, batch))
        expected = lookups_gather(part, [WORD], looked_up)
        assert got.equals(expected)


def test_positions_of_other_rows_are_refused(connections: dict[str, Backend]) -> None:
    """Values found over a whole extract and not cut to the batch would give each row
    another row's facts: refused, not gathered."""
    rows = pa.table({"word": ["ab", "cd", "ab"]})
    found = lookups_derive(rows, [WORD], backend=connections["duckdb"], key=_key)
    with pytest.raises(ValueError, match="positions of other rows"):
        lookups_gather(rows.slice(1), [WORD], found)
    assert lookups_gather(rows.slice(1), [WORD], found.rows(1, 2))["word_upper"].to_pylist() == [
        "CD",
        "AB",
    ]


def test_screening_lookups_add_columns_no_other_lookup_uses(policy: Policy) -> None:
    """The lookups run side by side on one table of values, so a column one adds (kept or
    in between) must not be a column another reads or adds: it would be overwritten."""
    added: dict[str, str] = {}
    lookups = screening_lookups(policy)
    sources = {lookup.column for lookup in lookups}
    for lookup in lookups:
        values = ibis.table({lookup.column: "string"}, name="values")
        new = set(lookup.derive(values, values[lookup.column]).columns) - {lookup.column}
        assert set(lookup.keep) <= new
        assert not new & sources, lookup.column
        for column in new:
            assert column not in added, (column, lookup.column, added.get(column))
            added[column] = lookup.column


def test_a_nik_repeats_on_its_later_rows_whatever_the_order() -> None:
    """The first row is the lowest row number, not the first in the file; a damaged cell
    counts by its cleaned NIK; a missing NIK never repeats."""
    plain = "3601011506800001"
    table = pa.table(
        {
            "row": [5, 2, 9, 3, 7, 4],
            "nik": [plain, f"'{plain}", plain, None, None, "3601011506800002"],
            "nik_plain": [True, False, True, False, False, True],
            "nikv": [None, plain, None, None, None, None],
        }
    )
    assert nik_repeated_arrow(table).to_pylist() == [True, False, True, False, False, False]


#: NIKs the repeats are found for: 16 digits (sorted as integers, a leading zero kept
#: apart), and cleaned NIKs of another length or with other characters (numbered in order).
SAMPLE_NIKS = (
    "1",
    "2",
    "3601010101900001",
    "3601010101900002",
    "0000000000000001",
    "1" * 17,
    "36O1010101900001",
)


@given(
    cells=st.lists(st.tuples(st.sampled_from(SAMPLE_NIKS) | st.none(), st.booleans()), max_size=30),
    seed=st.randoms(),
    polars_sorts=st.booleans(),
)
def test_nik_repeats_match_the_first_row_rule(
    cells: list[tuple[str | None, bool]], seed: Random, polars_sorts: bool
) -> None:
    """Against the rule as the backend had it: repeated when row > the NIK's lowest row.

    Each cleaned NIK arrives as the screening has it: 16 digits typed plainly are the cell
    itself (``nik_plain``); any other cleaned NIK, and 16 digits when ``damaged`` says so,
    come from a damaged cell (a leading apostrophe here) through ``nikv``. The integers are
    sorted by numpy or, as for a large extract, by Polars.
    """
    niks = [nik for nik, _ in cells]
    rows = list(range(1, len(niks) + 1))
    seed.shuffle(rows)
    plain = [
        nik is not None and len(nik) == 16 and nik.isdigit() and not damaged
        for nik, damaged in cells
    ]
    table = pa.table(
        {
            "row": pa.array(rows, pa.int64()),
            "nik": pa.array(
                [n if p or n is None else f"'{n}" for n, p in zip(niks, plain, strict=True)],
                pa.string(),
            ),
            "nik_plain": pa.array(plain, pa.bool_()),
            "nikv": pa.array(
                [None if p else n for n, p in zip(niks, plain, strict=True)], pa.string()
            ),
        }
    )
    assert plain == nik_plain_arrow(table["nik"]).to_pylist()
    first: dict[str, int] = {}
    for row, nik in zip(rows, niks, strict=True):
        if nik is not None:
            first[nik] = min(first.get(nik, row), row)
    expected = [nik is not None and row > first[nik] for row, nik in zip(rows, niks, strict=True)]
    with patch.object(quality, "POLARS_SORT_FROM", 0 if polars_sorts else len(niks) + 1):
        assert nik_repeated_arrow(table).to_pylist() == expected
