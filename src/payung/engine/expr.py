"""Backend-neutral Ibis expressions the rules are built from.

Everything here compiles to plain SQL/expressions that DuckDB, Polars and Spark evaluate the
same way: integer arithmetic, simple regular expressions with ``[0-9]`` (no ``\\d``, whose
meaning differs between regex engines), and no date functions whose overflow or leap-year
behaviour differs per backend. Dates stay as (year, month, day) integers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

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
    if isinstance(masks, pa.ChunkedArray):
        masks = masks.combine_chunks()
    distinct = pc.unique(masks)
    texts = [
        None if m is None else (";".join(c for i, c in enumerate(codes) if m >> i & 1) or None)
        for m in distinct.to_pylist()
    ]
    return pc.take(pa.array(texts, pa.string()), pc.index_in(masks, value_set=distinct))


def mask_count(masks: pa.Array | pa.ChunkedArray) -> pa.Array:
    """How many bits each mask has set (how many priorities a row meets), as int64."""
    if isinstance(masks, pa.ChunkedArray):
        masks = masks.combine_chunks()
    distinct = pc.unique(masks)
    counts = [None if m is None else int(m).bit_count() for m in distinct.to_pylist()]
    return pc.take(pa.array(counts, pa.int64()), pc.index_in(masks, value_set=distinct))


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


def per_value(
    t: ir.Table,
    column: str,
    derive: Callable[[ir.Table, ir.StringValue], ir.Table],
    keep: Sequence[str],
    *,
    values_from: ir.Table,
    if_null: Mapping[str, Any] | None = None,
) -> ir.Table:
    """Add ``keep`` columns computed once per distinct value of ``column``, joined back on it.

    A DTSEN column such as PEKERJAAN holds a few dozen distinct texts over a million rows, so
    cleaning each row with string and regex functions repeats the same work thousands of
    times: that was most of a screening's time. Here ``derive(values, cell)`` builds the same
    expressions on a table of the distinct non-NULL values (``cell`` is the value column) and
    the result is joined back. A deterministic function of one cell gives the same result
    per row as per distinct value, on every backend and with each backend's own string
    semantics, so the decisions cannot change.

    ``values_from`` is the table the distinct values are read from (normally the loaded
    extract, so the lookup does not depend on the stages built on top of it). A NULL cell
    never matches a join key, so every kept column is NULL on those rows; ``if_null`` gives
    the value a NULL cell must have instead, for columns whose expression is not NULL on
    NULL input (a ``fill_null``, an ``isnull``).
    """
    key = f"{column}__value"
    cell = values_from[column]
    values = values_from.filter(cell.notnull()).select(**{key: cell}).distinct()
    derived = derive(values, values[key]).select(key, *keep)
    joined = t.left_join(derived, t[column] == derived[key]).drop(key)
    if not if_null:
        return joined
    missing = joined[column].isnull()
    return joined.mutate(
        **{name: ibis.ifelse(missing, value, joined[name]) for name, value in if_null.items()}
    )
