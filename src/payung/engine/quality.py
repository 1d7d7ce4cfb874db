"""Data-quality checks that make a row *invalid* (not judged) rather than ineligible.

A row is invalid when the regulation cannot be applied to it honestly: the NIK is not a
NIK (so Disdukcapil could never verify it), the birth date cannot be read (so Pasal 5 ayat
(2) huruf b cannot be judged), the village of domicile is missing (Pasal 5 ayat (2) huruf a),
or the NIK already appeared earlier in the file. The NIK checks mirror ``domain.nik.parse``
as expressions; a test asserts the two agree.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from payung.domain.nik import PROVINCE_CODES
from payung.engine.columns import CANONICAL
from payung.engine.expr import Lookup, clean_text, combined, digits_only, to_int, valid_ymd

#: Data-quality codes that make a row invalid, in the order they are reported.
INVALID_CODES: Final[tuple[str, ...]] = (
    "nik.empty",
    "nik.excel_scientific",
    "nik.excel_decimal",
    "nik.numeric_cell",
    "nik.non_digit",
    "nik.length",
    "nik.province",
    "nik.regency",
    "nik.district",
    "nik.birth_day",
    "nik.birth_month",
    "nik.birth_date",
    "nik.serial",
    "nik.duplicate",
    "tanggal_lahir.missing",
    "tanggal_lahir.unparseable",
    "tanggal_lahir.future",
    "kode_desa.missing",
    "cell.formula",
)

#: Flags: judged normally, but shown to the verifier (Disdukcapil) for a second look.
FLAG_CODES: Final[tuple[str, ...]] = (
    "nik.birth_date_mismatch",
    "nik.sex_mismatch",
    "pekerjaan.unknown",
    "kode_desa.unknown",
)

_ISO = "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"
_DMY = "^([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})$"


#: What ``domain.nik.clean`` drops: every character ``str.isspace`` accepts, plus the
#: invisible ones (zero-width space/joiners, word joiner, BOM). Written as a class of literal
#: characters because ``\s`` means something different in each backend's regex engine.
_NIK_JUNK = "".join(
    chr(c)
    for c in (
        *range(0x09, 0x0E),
        *range(0x1C, 0x21),
        0x85,
        0xA0,
        0x1680,
        *range(0x2000, 0x200E),
        0x2028,
        0x2029,
        0x202F,
        0x205F,
        0x2060,
        0x3000,
        0xFEFF,
    )
)


_SCIENTIFIC = "^[+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$"
_DECIMAL = "^[0-9]+[.,]0+$"

#: The NIK's positional parts (0-based start, length) whose digits are checked one by one.
_PARTS: Final[dict[str, tuple[int, int]]] = {
    "province": (0, 2),
    "regency": (2, 2),
    "district": (4, 2),
    "birth_day": (6, 2),
    "birth_month": (8, 2),
    "birth_date": (6, 6),
    "serial": (12, 4),
}


def nik_clean(raw: ir.StringValue) -> ir.StringValue:
    """All whitespace and invisibles, then one leading apostrophe, removed (``nik.clean``)."""
    text = raw.re_replace(f"[{_NIK_JUNK}]", "").re_replace("^'", "")
    return text.nullif("")


def century_year(yy: ir.IntegerValue, *, as_of: date) -> ir.IntegerValue:
    """20YY unless that lies after the as-of year, then 19YY (``domain.nik.century_year``)."""
    return ibis.ifelse(2000 + yy > as_of.year, 1900 + yy, 2000 + yy)


def check_column(code: str) -> str:
    """Column holding a data-quality check: ``nik.birth_day`` -> ``q_nik_birth_day``."""
    return "q_" + code.replace(".", "_")


def damaged_nik_facts(values: ir.Table, raw: ir.StringValue) -> ir.Table:
    """What ``nik_facts`` needs to know about a NIK cell that is not 16 plain digits.

    Runs once per distinct such value (a few percent of an extract), so the regexes that
    recognise Excel damage and stray characters never touch the plain rows.
    """
    values = values.mutate(nikv=nik_clean(raw))
    nik = values.nikv
    return values.mutate(
        nikv_scientific=nik.re_search(_SCIENTIFIC).fill_null(False),
        nikv_decimal=nik.re_search(_DECIMAL).fill_null(False),
        nikv_digits=nik.re_search("^[0-9]*$").fill_null(False),
        # Sixteen characters, counted as ``domain.nik.parse`` counts them (code points): a
        # regex dot is one code point on every backend, while Polars's ``length()`` counts
        # bytes, so full-width or Arabic-Indic digits gave it ``nik.length`` alone.
        nikv_length_bad=~nik.re_search("^.{16}$"),
        nikv_day_raw=to_int(nik.substr(6, 2)),
        nikv_month=to_int(nik.substr(8, 2)),
        nikv_yy=to_int(nik.substr(10, 2)),
        **{
            f"nikv_digits_{name}": nik.substr(start, length).re_search(f"^[0-9]{{{length}}}$")
            for name, (start, length) in _PARTS.items()
        },
    )


DAMAGED_FACTS: Final = (
    "nikv",
    "nikv_scientific",
    "nikv_decimal",
    "nikv_digits",
    "nikv_length_bad",
    "nikv_day_raw",
    "nikv_month",
    "nikv_yy",
    *(f"nikv_digits_{name}" for name in _PARTS),
)

#: The damaged NIK cells, parsed once per distinct value; a plain or empty cell gets NULL
#: facts, which ``nik_facts`` reads as False.
NIK_LOOKUP: Final = Lookup("nik", damaged_nik_facts, DAMAGED_FACTS, skip="nik_plain", drop=False)


def nik_facts(t: ir.Table, *, as_of: date) -> ir.Table:
    """Add the cleaned ``nik`` (raw cell kept as ``nik_raw``) and the facts ``nik_checks`` reads.

    A cell of 16 plain digits (``nik_plain``) is its own clean NIK: its parts come from
    ``substr``, and a ``try_cast`` of digits needs no regex guard. Every other cell has been
    cleaned and examined by ``damaged_nik_facts`` once per distinct value before the rows
    reach this query (``NIK_LOOKUP``, ``expr.lookups_apply``); those expressions are the ones
    this module always used, so the codes do not change.
    """
    t = t.mutate(nik_raw=t.nik)
    plain, raw = t.nik_plain, t.nik_raw

    def part_int(start: int, length: int, damaged: ir.IntegerValue) -> ir.IntegerValue:
        return ibis.ifelse(plain, raw.substr(start, length).try_cast("int64"), damaged)

    # A plain cell never matches the lookup, so its damaged-path facts are NULL: a fact that
    # is False for plain cells is the lookup's value with NULL read as False.
    t = t.mutate(
        nik=ibis.ifelse(plain, raw, t.nikv),
        nik_scientific=t.nikv_scientific.fill_null(False),
        nik_decimal=t.nikv_decimal.fill_null(False),
        nik_digits=plain | t.nikv_digits.fill_null(False),
        nik_length_bad=t.nikv_length_bad.fill_null(False),
        nik_day_raw=part_int(6, 2, t.nikv_day_raw),
        nik_month=part_int(8, 2, t.nikv_month),
        nik_yy=part_int(10, 2, t.nikv_yy),
        **{
            f"nik_digits_{name}": plain | t[f"nikv_digits_{name}"].fill_null(False)
            for name in _PARTS
        },
    )
    t = t.drop(*DAMAGED_FACTS)
    return t.mutate(nik_year=century_year(t.nik_yy, as_of=as_of))


def nik_checks(t: ir.Table) -> ir.Table:
    """Add one boolean ``q_*`` column per NIK problem code (mirrors domain.nik.parse).

    Reads the facts of ``nik_facts``. Staged, each stage reading columns of the one before:
    Ibis inlines a reused expression, so building every check from one shared expression
    would multiply the SQL.
    """
    t = t.mutate(
        q_nik_empty=t.nik.isnull(),
        nik_day_ok=(t.nik_day_raw.between(1, 31) | t.nik_day_raw.between(41, 71)).fill_null(False),
        nik_month_ok=t.nik_month.between(1, 12).fill_null(False),
    )
    # Same precedence as the domain: a numeric cell is the root cause, notation its symptom.
    t = t.mutate(q_nik_numeric_cell=~t.q_nik_empty & t.nik_numeric_cell.fill_null(False))
    t = t.mutate(
        q_nik_excel_scientific=~t.q_nik_empty & ~t.q_nik_numeric_cell & t.nik_scientific,
        q_nik_excel_decimal=~t.q_nik_empty
        & ~t.q_nik_numeric_cell
        & ~t.nik_scientific
        & t.nik_decimal,
        nik_day=ibis.ifelse(t.nik_day_raw > 40, t.nik_day_raw - 40, t.nik_day_raw),
    )
    t = t.mutate(
        nik_damaged=t.q_nik_empty
        | t.q_nik_excel_scientific
        | t.q_nik_excel_decimal
        | t.q_nik_numeric_cell,
    )
    t = t.mutate(
        q_nik_non_digit=~t.nik_damaged & ~t.nik_digits,
        q_nik_length=~t.nik_damaged & t.nik_length_bad,
    )
    # With 16 characters each part is checked whenever its own digits are digits, as the
    # domain does, so one stray character does not hide the other faults of the row.
    t = t.mutate(nik_positional=~t.nik_damaged & ~t.q_nik_length)

    def part(name: str) -> ir.BooleanValue:
        return t.nik_positional & t[f"nik_digits_{name}"]

    return t.mutate(
        q_nik_province=part("province") & ~t.nik.substr(0, 2).isin(sorted(PROVINCE_CODES)),
        q_nik_regency=part("regency") & (t.nik.substr(2, 2) == "00"),
        q_nik_district=part("district") & (t.nik.substr(4, 2) == "00"),
        q_nik_birth_day=part("birth_day") & ~t.nik_day_ok,
        q_nik_birth_month=part("birth_month") & ~t.nik_month_ok,
        q_nik_birth_date=part("birth_date")
        & t.nik_day_ok
        & t.nik_month_ok
        & ~valid_ymd(t.nik_year, t.nik_month, t.nik_day),
        q_nik_serial=part("serial") & (t.nik.substr(12, 4) == "0000"),
    )


def birth_date_parts(t: ir.Table) -> ir.Table:
    """Add ``by``, ``bm``, ``bd`` (year, month, day) read from ``birth_text``; NULL if unreadable.

    Accepts YYYY-MM-DD, DD-MM-YYYY and DD/MM/YYYY; a time part (``1990-08-15 00:00:00``, as
    some exports write dates) is ignored. Staged for the same reason as ``nik_checks``: the
    extracted text is a column before ``to_int``, which reads its input twice.
    """
    text = t.birth_text
    t = t.mutate(birth_iso=text.re_search(_ISO).fill_null(False))
    t = t.mutate(
        y_text=ibis.ifelse(t.birth_iso, text.re_extract(_ISO, 1), text.re_extract(_DMY, 3)),
        m_text=ibis.ifelse(t.birth_iso, text.re_extract(_ISO, 2), text.re_extract(_DMY, 2)),
        d_text=ibis.ifelse(t.birth_iso, text.re_extract(_ISO, 3), text.re_extract(_DMY, 1)),
    )
    t = t.mutate(y_raw=to_int(t.y_text), m_raw=to_int(t.m_text), d_raw=to_int(t.d_text))
    t = t.mutate(birth_ok=valid_ymd(t.y_raw, t.m_raw, t.d_raw) & (t.y_raw >= 1900).fill_null(False))
    null = ibis.null("int64")
    return t.mutate(
        by=ibis.ifelse(t.birth_ok, t.y_raw, null),
        bm=ibis.ifelse(t.birth_ok, t.m_raw, null),
        bd=ibis.ifelse(t.birth_ok, t.d_raw, null),
    )


def birth_facts(values: ir.Table, raw: ir.StringValue) -> ir.Table:
    """Per distinct TANGGAL_LAHIR: ``birth_missing`` and the parts of ``birth_date_parts``."""
    values = birth_date_parts(values.mutate(birth_text=birth_text(raw)))
    return values.mutate(birth_missing=values.birth_text.isnull())


def birth_text(raw: ir.StringValue) -> ir.StringValue:
    """The birth-date cell, trimmed, without a trailing time of day."""
    return clean_text(raw).re_replace("[ T][0-9:.]+$", "")


#: A cell starting with this holds a spreadsheet formula: the readers keep a formula cell's
#: formula (``=CONCAT(…``), never its cached result, and CSV cells are taken as typed.
FORMULA_PREFIX: Final = "="


def nik_plain_arrow(nik: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Whether a NIK cell is exactly 16 ASCII digits (``^[0-9]{16}$``); False for NULL.

    Nearly every row of an extract holds such a cell: it is already clean and each of its
    parts is digits, so it skips every regex looking for damage. Sixteen ASCII digits are
    sixteen bytes, so two vectorised kernels give the regex's answer, instead of a regex per
    row in the backend.
    """
    plain = pc.and_(pc.equal(pc.binary_length(nik), 16), pc.ascii_is_decimal(nik))
    return pc.fill_null(plain, False)


def nik_repeated_arrow(table: pa.Table) -> pa.Array:
    """``nik.duplicate`` in Arrow: True where the cleaned NIK was on a row numbered lower.

    Reads the rows after ``NIK_LOOKUP``: the cleaned NIK is the cell itself when it is 16
    plain digits (``nik_plain``, which ``screening.backend_input`` sets by
    ``nik_plain_arrow``) and the lookup's ``nikv`` otherwise, as ``nik_facts`` has it. Each NIK's
    first row was found in the backend by grouping a million NIKs and joining the minimum
    back, which also made the backend keep the prepared rows to read them twice (issue 16).

    Numbering every NIK in order of first appearance (a hash pass) is exact but slow on ten
    million distinct NIKs (4.7 s here: the hash table outgrows the caches). Almost every NIK
    is 16 digits and unique, so those are sorted as integers (16 digits fit in an int64 one
    to one) to find the few that occur twice, and only their rows are numbered; a cleaned
    NIK that is not 16 digits can equal only another such text, and those few rows are
    numbered apart. The integers are read from the cells and the cleaned values where each
    lies: putting the two columns' texts into one first copied ten million strings (0.44 s
    of 1.6, issue 16).
    """
    n = table.num_rows
    if n == 0:
        return pa.array([], pa.bool_())
    rows = np.asarray(table["row"])
    order = None if bool(np.all(rows[1:] > rows[:-1])) else np.argsort(rows, kind="stable")
    plain_column = combined(table["nik_plain"])
    plain = plain_column.to_numpy(zero_copy_only=False)
    keys = np.full(n, -1, dtype=np.int64)
    keys[plain] = _as_int64(pc.filter(table["nik"], plain_column))
    nikv = combined(table["nikv"])
    damaged = np.flatnonzero(~plain)
    cleaned = nikv.take(pa.array(damaged))
    digits = nik_plain_arrow(cleaned).to_numpy(zero_copy_only=False)
    keys[damaged[digits]] = _as_int64(cleaned.filter(pa.array(digits)))
    # A cleaned NIK that is not 16 digits, by its row's position in ``order``.
    odd = np.zeros(n, dtype=bool)
    odd[damaged[~digits & cleaned.is_valid().to_numpy(zero_copy_only=False)]] = True
    if order is not None:
        keys, odd = keys[order], odd[order]
    repeated = np.zeros(n, dtype=bool)
    twice = _twice(keys)
    if len(twice):
        held = pc.is_in(pa.array(keys), value_set=pa.array(twice))
        at = np.flatnonzero(held.to_numpy(zero_copy_only=False))
        repeated[at] = _seen_before(pa.array(keys[at]))
    if odd.any():
        at = np.flatnonzero(odd)
        source = pa.array(at if order is None else order[at])
        repeated[at] = _seen_before(nikv.take(source))
    if order is not None:
        restored = np.empty_like(repeated)
        restored[order] = repeated
        repeated = restored
    return pa.array(repeated, pa.bool_())


def _as_int64(digits: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Cells of exactly 16 ASCII digits as the integers they spell."""
    return combined(pc.cast(digits, pa.int64())).to_numpy()


#: Keys from which ``_twice`` sorts with Polars: loading Polars costs a process that has
#: not (a DuckDB screening, the import's checks) about 0.15 s and 50 MiB, more than numpy's
#: slower sort of one batch's million keys takes.
POLARS_SORT_FROM: Final = 2_000_000


def _twice(keys: np.ndarray) -> np.ndarray:
    """The keys (not below zero) held by more than one position, each once.

    Many keys are sorted by Polars, on one thread: ten million NIKs in 0.17 s, numpy's sort
    0.65 s (the order of integers is the same whoever sorts them).
    """
    if len(keys) >= POLARS_SORT_FROM:
        import polars as pl

        ordered = pl.Series(keys).sort(multithreaded=False).to_numpy()
    else:
        ordered = np.sort(keys)
    return np.unique(ordered[1:][(ordered[1:] == ordered[:-1]) & (ordered[1:] >= 0)])


def _seen_before(values: pa.Array) -> np.ndarray:
    """True where a non-null value is also at a lower position: the values numbered in
    order of first appearance, a value repeats exactly when its number is not above every
    number before it."""
    codes = pc.fill_null(pc.dictionary_encode(values).indices, -1).to_numpy()
    before = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    return (codes >= 0) & (codes <= before)


def formula_check_arrow(table: pa.Table) -> pa.ChunkedArray:
    """``q_cell_formula``: some cell of the row holds a formula (``cell.formula``).

    A formula's cached result may be empty (a NAMA read as blank), stale, or computed from
    cells nobody sees; judging it as if typed would decide on a value no one entered (issue
    17, defect 10). Computed in Arrow on the raw cells as read, before any column is cleaned
    and before the table reaches the backend, so the backend need not carry the columns no
    rule reads (names, addresses, family card numbers) only to look at their first character.
    """
    flags: pa.ChunkedArray | None = None
    for name in CANONICAL:
        if name in table.column_names:
            starts = pc.fill_null(pc.starts_with(table[name], FORMULA_PREFIX), False)
            flags = starts if flags is None else pc.or_(flags, starts)
    if flags is None:
        return pa.chunked_array([pa.repeat(False, table.num_rows)], pa.bool_())
    return flags


def kode_desa_clean(raw: ir.StringValue) -> ir.StringValue:
    return digits_only(raw)
