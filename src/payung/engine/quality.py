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

from payung.domain.nik import PROVINCE_CODES
from payung.engine.expr import clean_text, digits_only, to_int, valid_ymd

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


def nik_checks(t: ir.Table, *, as_of: date) -> ir.Table:
    """Add one boolean ``q_*`` column per NIK problem code (mirrors domain.nik.parse).

    Two stages, each reading columns of the one before: Ibis inlines a reused expression,
    so building every check from one shared expression would multiply the SQL.
    """
    nik = t.nik
    t = t.mutate(
        q_nik_empty=nik.isnull(),
        nik_scientific=nik.re_search("^[+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$").fill_null(False),
        nik_decimal=nik.re_search("^[0-9]+[.,]0+$").fill_null(False),
        nik_digits=nik.re_search("^[0-9]*$").fill_null(False),
        nik_length=nik.length(),
        nik_day_raw=to_int(nik.substr(6, 2)),
        nik_month=to_int(nik.substr(8, 2)),
        nik_year=century_year(to_int(nik.substr(10, 2)), as_of=as_of),
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
        nik_day_ok=(t.nik_day_raw.between(1, 31) | t.nik_day_raw.between(41, 71)).fill_null(False),
        nik_month_ok=t.nik_month.between(1, 12).fill_null(False),
    )
    t = t.mutate(
        nik_damaged=t.q_nik_empty
        | t.q_nik_excel_scientific
        | t.q_nik_excel_decimal
        | t.q_nik_numeric_cell,
    )
    t = t.mutate(
        q_nik_non_digit=~t.nik_damaged & ~t.nik_digits,
        q_nik_length=~t.nik_damaged & (t.nik_length != 16),
    )
    # With 16 characters each part is checked whenever its own digits are digits, as the
    # domain does, so one stray character does not hide the other faults of the row.
    t = t.mutate(nik_positional=~t.nik_damaged & ~t.q_nik_length)

    def part(start: int, length: int) -> ir.BooleanValue:
        return t.nik_positional & t.nik.substr(start, length).re_search(f"^[0-9]{{{length}}}$")

    return t.mutate(
        q_nik_province=part(0, 2) & ~t.nik.substr(0, 2).isin(sorted(PROVINCE_CODES)),
        q_nik_regency=part(2, 2) & (t.nik.substr(2, 2) == "00"),
        q_nik_district=part(4, 2) & (t.nik.substr(4, 2) == "00"),
        q_nik_birth_day=part(6, 2) & ~t.nik_day_ok,
        q_nik_birth_month=part(8, 2) & ~t.nik_month_ok,
        q_nik_birth_date=part(6, 6)
        & t.nik_day_ok
        & t.nik_month_ok
        & ~valid_ymd(t.nik_year, t.nik_month, t.nik_day),
        q_nik_serial=part(12, 4) & (t.nik.substr(12, 4) == "0000"),
    )


def birth_date_parts(t: ir.Table) -> ir.Table:
    """Add ``by``, ``bm``, ``bd`` (year, month, day) read from ``birth_text``; NULL if unreadable.

    Accepts YYYY-MM-DD, DD-MM-YYYY and DD/MM/YYYY; a time part (``1990-08-15 00:00:00``, as
    some exports write dates) is ignored. Staged for the same reason as ``nik_checks``.
    """
    text = t.birth_text
    t = t.mutate(birth_iso=text.re_search(_ISO).fill_null(False))
    t = t.mutate(
        y_raw=to_int(ibis.ifelse(t.birth_iso, text.re_extract(_ISO, 1), text.re_extract(_DMY, 3))),
        m_raw=to_int(ibis.ifelse(t.birth_iso, text.re_extract(_ISO, 2), text.re_extract(_DMY, 2))),
        d_raw=to_int(ibis.ifelse(t.birth_iso, text.re_extract(_ISO, 3), text.re_extract(_DMY, 1))),
    )
    t = t.mutate(birth_ok=valid_ymd(t.y_raw, t.m_raw, t.d_raw) & (t.y_raw >= 1900).fill_null(False))
    null = ibis.null("int64")
    return t.mutate(
        by=ibis.ifelse(t.birth_ok, t.y_raw, null),
        bm=ibis.ifelse(t.birth_ok, t.m_raw, null),
        bd=ibis.ifelse(t.birth_ok, t.d_raw, null),
    )


def birth_text(raw: ir.StringValue) -> ir.StringValue:
    """The birth-date cell, trimmed, without a trailing time of day."""
    return clean_text(raw).re_replace("[ T][0-9:.]+$", "")


def kode_desa_clean(raw: ir.StringValue) -> ir.StringValue:
    return digits_only(raw)
