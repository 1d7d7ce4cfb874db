"""Backend-neutral Ibis expressions the rules are built from.

Everything here compiles to plain SQL/expressions that DuckDB, Polars and Spark evaluate the
same way: integer arithmetic, simple regular expressions with ``[0-9]`` (no ``\\d``, whose
meaning differs between regex engines), and no date functions whose overflow or leap-year
behaviour differs per backend. Dates stay as (year, month, day) integers.
"""

from __future__ import annotations

import hashlib
from datetime import date

import ibis
import ibis.expr.types as ir

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


def join_codes(parts: list[tuple[ir.BooleanValue, str]]) -> ir.StringValue:
    """';'-joined codes whose condition holds, in the given order; NULL when none."""
    if not parts:
        return ibis.null("string")
    pieces = [ibis.ifelse(cond.fill_null(False), f"{code};", "") for cond, code in parts]
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = joined + piece
    # Each input is referenced once: Ibis inlines expressions, so a second reference would
    # double the SQL at every level of nesting.
    return joined.re_replace(";$", "").nullif("")
