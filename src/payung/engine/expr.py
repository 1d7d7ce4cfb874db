"""Backend-neutral Ibis expressions the rules are built from.

Everything here compiles to plain SQL/expressions that DuckDB, Polars and Spark evaluate the
same way: integer arithmetic, simple regular expressions with ``[0-9]`` (no ``\\d``, whose
meaning differs between regex engines), and no date functions whose overflow or leap-year
behaviour differs per backend. Dates stay as (year, month, day) integers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from payung.engine.backends import Backend

#: Modulus of the seeded NIK hash: the largest 31-bit prime, so products stay in int64.
HASH_MODULUS = 2_147_483_647


def clean_text(col: ir.StringValue) -> ir.StringValue:
    """Trim, and turn empty strings into NULL so 'missing' has one meaning."""
    return col.replace("\u00a0", " ").strip().nullif("")


def upper_collapsed(col: ir.StringValue) -> ir.StringValue:
    """Upper case with runs of whitespace folded to one space (domain.policy.normalize_term)."""
    return clean_text(col.re_replace("[ \t\r\n]+", " ")).upper()


def normalize_term(col: ir.StringValue) -> ir.StringValue:
    """Occupation normalisation: upper case, one space, no spaces around '/'."""
    return upper_collapsed(col).re_replace(" ?/ ?", "/")


def digits_only(col: ir.StringValue) -> ir.StringValue:
    """Remove dots and whitespace from a code such as ``36.01.01.2001``."""
    return clean_text(col).re_replace("[. \t]", "")


def to_int(col: ir.StringValue) -> ir.IntegerValue:
    """Integer of a string of 1-9 digits, else NULL (never an error, on any backend)."""
    return ibis.ifelse(col.re_search("^[0-9]{1,9}$"), col, ibis.null("string")).try_cast("int64")


def is_leap(year: ir.IntegerValue) -> ir.BooleanValue:
    return ((year % 4) == 0) & (((year % 100) != 0) | ((year % 400) == 0))


def days_in_month(year: ir.IntegerValue, month: ir.IntegerValue) -> ir.IntegerValue:
    """Days in the month, Gregorian calendar; NULL for a month outside 1..12."""
    return (
        ibis.cases(
            (month == 2, ibis.ifelse(is_leap(year), 29, 28)),
            (month.isin([4, 6, 9, 11]), 30),
            (month.between(1, 12), 31),
            else_=ibis.null("int64"),
        )
    ).cast("int64")


def valid_ymd(
    year: ir.IntegerValue, month: ir.IntegerValue, day: ir.IntegerValue
) -> ir.BooleanValue:
    """True when (year, month, day) is a real calendar date; False (not NULL) otherwise."""
    ok = month.between(1, 12) & (day >= 1) & (day <= days_in_month(year, month))
    return ok.fill_null(False)


def ymd_key(year: ir.IntegerValue, month: ir.IntegerValue, day: ir.IntegerValue) -> ir.IntegerValue:
    """YYYYMMDD as one int64: orders like the date and compares across backends.

    Cast first: Ibis types small literals as int16, and Polars does not widen on overflow.
    """
    return year.cast("int64") * 10000 + month.cast("int64") * 100 + day.cast("int64")


def date_key(value: date) -> ir.IntegerValue:
    """A Python date as the int64 literal ``ymd_key`` compares with."""
    return ibis.literal(value.year * 10000 + value.month * 100 + value.day, type="int64")


def completed_years(
    year: ir.IntegerValue, month: ir.IntegerValue, day: ir.IntegerValue, *, as_of: date
) -> ir.IntegerValue:
    """Age in completed years on ``as_of``; a birthday on that very date counts.

    Someone born on 29 February has their birthday on 1 March in a common year (they have
    not yet turned on 28 February), which is what comparing (month, day) pairs gives.
    """
    before_birthday = (month > as_of.month) | ((month == as_of.month) & (day > as_of.day))
    return (as_of.year - year) - ibis.ifelse(before_birthday, 1, 0)


def hash_params(seed: int) -> tuple[int, int]:
    """Multiplier and offset of the NIK hash, derived from the policy's seed."""
    digest = hashlib.sha256(f"payung-rank:{seed}".encode()).digest()
    a = int.from_bytes(digest[:8], "big") % (HASH_MODULUS - 1) + 1
    b = int.from_bytes(digest[8:16], "big") % HASH_MODULUS
    return a, b


def seeded_nik_hash(nik: ir.StringValue, *, seed: int) -> ir.IntegerValue:
    """A seeded permutation of the NIK for tie-breaking, identical on every backend.

    ``((nik mod p) * a + b) mod p`` with p = 2^31 - 1: products stay below 2^62 so no
    backend overflows, and nothing depends on a backend's own hash function.
    """
    a, b = hash_params(seed)
    n = nik.try_cast("int64") % HASH_MODULUS
    return (n * a + b) % HASH_MODULUS


def code_list(parts: list[tuple[ir.BooleanValue, str]]) -> ir.StringValue:
    """``;code`` for each condition that holds, in the given order; '' when none.

    Half of ``join_codes``: stage this as a column, then apply ``codes_text`` to it. Each code
    carries its separator in front, so the finished list only drops the first character,
    which is cheaper on every backend than a regex stripping a trailing ``;``.
    """
    if not parts:
        return ibis.literal("")
    pieces = [ibis.ifelse(cond.fill_null(False), f";{code}", "") for cond, code in parts]
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = joined + piece
    return joined


def code_mask(conditions: Sequence[ir.BooleanValue]) -> ir.IntegerValue:
    """Bit ``i`` set when ``conditions[i]`` holds (NULL counts as not holding); 0 when none.

    What ``code_list`` says as text, as one int64 per row: adding integers is far cheaper for
    a backend than concatenating a string per code and row (that concatenation was the
    largest single cost of a screening). ``mask_text`` turns the masks into the reported
    text once per distinct mask, after the query, identically for every backend.
    """
    total: ir.IntegerValue = ibis.literal(0, type="int64")
    for bit, cond in enumerate(conditions):
        one = ibis.literal(1 << bit, type="int64")
        total = total + ibis.ifelse(cond.fill_null(False), one, ibis.literal(0, type="int64"))
    return total


def mask_text(masks: pa.Array | pa.ChunkedArray, codes: Sequence[str]) -> pa.Array:
    """``a;b`` for the codes whose bit is set in each mask (``code_mask``), NULL when none.

    Worked out once per distinct mask (a screening has a few hundred combinations among a
    million rows) and gathered back, so the text is the same bytes ``join_codes`` gave.
    """
    return keyed_text(masks, lambda mask: mask_codes(mask, codes))


def mask_codes(mask: int, codes: Sequence[str]) -> str | None:
    """``a;b`` for the codes whose bit is set in ``mask``, None when none is."""
    return ";".join(code for bit, code in enumerate(codes) if mask >> bit & 1) or None


def keyed_text(keys: pa.Array | pa.ChunkedArray, text: Callable[[int], str | None]) -> pa.Array:
    """``text(key)`` for each row's integer key (NULL for a NULL key), worked out once per
    distinct key and gathered back to the rows."""
    return _per_key(keys, text, pa.string())


def mask_count(masks: pa.Array | pa.ChunkedArray) -> pa.Array:
    """How many bits each mask has set (how many priorities a row meets), as int64."""
    return _per_key(masks, lambda mask: int(mask).bit_count(), pa.int64())


def _per_key(
    keys: pa.Array | pa.ChunkedArray, value: Callable[[int], Any], type_: pa.DataType
) -> pa.Array:
    """``value(key)`` per row, computed per distinct key: one hash pass finds the keys and
    each row's position among them (at 10 million rows a third to two fifths less time than
    finding the keys and then looking each row up among them, issue 16)."""
    encoded = pc.dictionary_encode(combined(keys))
    values = [value(key) for key in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(values, type_), encoded.indices)


def codes_text(listed: ir.StringValue) -> ir.StringValue:
    """A staged ``code_list`` as the reported text: ``a;b``, or NULL when no code holds.

    Apply it to a column, not to the ``code_list`` expression: ``substr`` refers to its input
    twice and Ibis inlines, so the whole concatenation would be written out twice.
    """
    return listed.substr(1).nullif("")


def join_codes(parts: list[tuple[ir.BooleanValue, str]]) -> ir.StringValue:
    """';'-joined codes whose condition holds, in the given order; NULL when none.

    For a handful of parts; a long list is better staged with ``code_list`` + ``codes_text``.
    """
    return codes_text(code_list(parts))


@dataclass(frozen=True)
class Lookup:
    """A column parsed once per distinct value (see ``lookups_apply``).

    ``derive(values, cell)`` adds columns to a table of values, ``cell`` being this column
    of it; ``keep`` are the added columns the rows get. A NULL cell gets NULL in every kept
    column, or ``if_null``'s value for the columns whose expression is not NULL on NULL
    input (a ``fill_null``, an ``isnull``). With ``skip``, the rows where that boolean
    column is True are left out of the lookup, as if their cell were NULL (``if_null``
    aside): the NIKs of 16 plain digits, which take a fast path. ``drop`` removes the raw
    column from the rows once it is parsed.
    """

    column: str
    derive: Callable[[ir.Table, ir.StringValue], ir.Table]
    keep: tuple[str, ...]
    if_null: Mapping[str, Any] = field(default_factory=dict)
    skip: str | None = None
    drop: bool = True


#: The values table's position column, so the derived rows are matched back by position.
LOOKUP_POSITION: Final = "payung_value_ix"


@dataclass(frozen=True)
class LookupValues:
    """Every lookup's distinct values and what ``derive`` made of them (``lookups_derive``).

    ``distinct[column]`` holds a column's distinct non-NULL values (the values it may be
    looked up by); ``derived`` holds, at position ``i`` of a column's values, what its
    lookup's ``derive`` gave for ``distinct[column][i]``. ``positions[column]`` holds, for
    each of the rows the values were found on, its cell's position in ``distinct`` (NULL
    for a NULL cell), for the lookups without ``skip``: found in the same hash pass as the
    values, so gathering need not look every cell up again (``rows`` cuts them to a batch).
    """

    distinct: Mapping[str, pa.Array]
    derived: pa.Table
    positions: Mapping[str, pa.ChunkedArray] = field(default_factory=dict)

    def rows(self, start: int, length: int) -> LookupValues:
        """The same values, with the positions of rows ``start`` to ``start + length`` only."""
        return replace(
            self,
            positions={name: rows.slice(start, length) for name, rows in self.positions.items()},
        )


def lookups_apply(
    table: pa.Table,
    lookups: Sequence[Lookup],
    *,
    backend: Backend,
    key: Callable[[ir.Table], Hashable],
) -> pa.Table:
    """Add every lookup's ``keep`` columns to ``table``, computed once per distinct value.

    A DTSEN column such as PEKERJAAN holds a few dozen distinct texts over a million rows,
    so cleaning each row with string and regex functions repeats the same work thousands of
    times. Here each column's distinct values are found in Arrow (a hash pass), every
    ``derive`` runs in the backend on one small table holding all the columns' values side
    by side (``lookups_derive``), and the results are gathered back to the rows by position
    in Arrow (``lookups_gather``). The backend's screening query then joins nothing: nine
    joins of a million rows were a third of its time (issue 16). A deterministic function
    of one cell gives the same result per row as per distinct value, and each backend still
    evaluates the expressions with its own string semantics, so the decisions cannot
    change. ``key(values)`` names the values query for ``Backend.collect``'s reuse of its
    compiled text.
    """
    found = lookups_derive(table, lookups, backend=backend, key=key)
    return lookups_gather(table, lookups, found)


def lookups_derive(
    table: pa.Table,
    lookups: Sequence[Lookup],
    *,
    backend: Backend,
    key: Callable[[ir.Table], Hashable],
) -> LookupValues:
    """The distinct values of every lookup's column in ``table`` and what ``derive`` gives
    them: one query of at most as many rows as the most varied column has values.

    Found once for a whole extract and gathered batch by batch (``lookups_gather``): a
    province's batches share most of their birth dates, and parsing 90 000 of them again
    for every million rows cost more than the batch's own query (issue 16).
    """

    def distinct(lookup: Lookup) -> tuple[pa.Array, pa.ChunkedArray | None]:
        cells = table[lookup.column]
        if lookup.skip is not None:
            cells = pc.filter(cells, pc.invert(table[lookup.skip]))
            return combined(pc.drop_null(pc.unique(cells))), None
        # One hash pass gives the values (in order of first appearance, as ``unique``) and
        # each row's position among them: looking every row up again when its batch is
        # gathered took as long again (1.7 s at 10 million rows, issue 16). Arrow encodes a
        # chunked column against one dictionary, which its last chunk carries whole.
        encoded = pc.dictionary_encode(cells)
        if encoded.num_chunks == 0:
            return pa.array([], cells.type), pa.chunked_array([], pa.int32())
        indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks], pa.int32())
        return combined(encoded.chunks[-1].dictionary), indices

    # A hash pass over every row of each column: two columns at a time, one a core (Arrow's
    # kernels let go of the GIL; 1.2 s alone at 10 million rows).
    with ThreadPoolExecutor(max_workers=2) as pool:
        submitted = {lookup.column: pool.submit(distinct, lookup) for lookup in lookups}
    found = {column: future.result() for column, future in submitted.items()}
    values = {column: distinct_values for column, (distinct_values, _) in found.items()}
    positions = {column: rows for column, (_, rows) in found.items() if rows is not None}
    length = max((len(v) for v in values.values()), default=0)
    padded = {
        name: pa.concat_arrays([v, pa.nulls(length - len(v), v.type)]) for name, v in values.items()
    }
    padded[LOOKUP_POSITION] = pa.array(range(length), pa.int64())
    loaded = backend.load(pa.table(padded), name="payung_values")

    def build() -> ir.Table:
        derived = loaded
        for lookup in lookups:
            derived = lookup.derive(derived, derived[lookup.column])
        kept = [name for lookup in lookups for name in lookup.keep]
        return derived.select(LOOKUP_POSITION, *kept)

    result = backend.collect(build, key=key(loaded)).sort_by(LOOKUP_POSITION).combine_chunks()
    return LookupValues(distinct=values, derived=result, positions=positions)


def lookups_gather(table: pa.Table, lookups: Sequence[Lookup], found: LookupValues) -> pa.Table:
    """``table`` with every lookup's ``keep`` columns gathered from ``found`` by value.

    ``found`` must come from ``lookups_derive`` on these rows, or on rows that include them
    (the whole extract a batch is cut from) and then be cut to them (``LookupValues.rows``):
    a lookup with positions takes each row's from there, and its column may then already be
    gone from ``table``. A cell that is NULL, or skipped, gets NULL in every kept column, or
    ``if_null``'s value.
    """
    positions = {}
    for lookup in lookups:
        position = found.positions.get(lookup.column)
        if position is None:
            position = pc.index_in(table[lookup.column], value_set=found.distinct[lookup.column])
        elif len(position) != table.num_rows:
            raise ValueError(f"{lookup.column}: positions of other rows (LookupValues.rows)")
        if lookup.skip is not None:
            position = pc.if_else(table[lookup.skip], pa.scalar(None, position.type), position)
        positions[lookup.column] = combined(position)
    table = table.drop_columns(
        [lookup.column for lookup in lookups if lookup.drop and lookup.column in table.column_names]
    )
    for lookup in lookups:
        position = positions[lookup.column]
        missing = pc.is_null(position)
        for name in lookup.keep:
            column = pc.take(found.derived[name], position)
            if name in lookup.if_null:
                fill = pa.scalar(lookup.if_null[name], column.type)
                column = pc.if_else(missing, fill, column)
            table = table.append_column(name, column)
    return table


def combined(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array: Arrow's hash and gather kernels run faster on one chunk."""
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
