"""Parse and check an Indonesian NIK (Nomor Induk Kependudukan).

A NIK is 16 digits: ``PP RR DD`` (province, regency, district: the 6-digit district code),
``DDMMYY`` (birth date; women have 40 added to the day) and a 4-digit serial ``SSSS``.

Why this module exists: NIKs reach us through spreadsheets typed by hand and through Excel,
which quietly damages them (scientific notation, a trailing ``.0``, or the 16th digit lost
in a number cell). Operators fix rows one at a time, so :func:`parse` reports *every*
problem of a value at once instead of stopping at the first, and it reports them as stable
codes with parameters rather than sentences: the wording (Bahasa Indonesia) lives at the
edge (web, CLI), so it can change without touching the rules or the tests that pin them.

No clock is read here: the century of the two-digit birth year depends on ``as_of``, which
callers pass explicitly, so results are reproducible.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

__all__ = [
    "DEFAULT_PIVOT",
    "NIK_LENGTH",
    "PROVINCE_CODES",
    "NikParts",
    "NikProblem",
    "NikResult",
    "century_year",
    "clean",
    "identifies",
    "mask",
    "parse",
]

#: A valid NIK has exactly this many digits.
NIK_LENGTH: Final = 16

#: The 38 province codes (first two NIK digits), per Kepmendagri 2025 on region codes
#: (the same list as the ``provinsi`` rows of ``/work/shared/data/wilayah/wilayah.csv``).
#: Hard-coded on purpose: the domain must not do file I/O at import time, and the list
#: changes only when a province is created (the last ones were the Papua splits, 93-96).
PROVINCE_CODES: Final[frozenset[str]] = frozenset(
    {
        # Sumatera
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        # Jawa
        "31", "32", "33", "34", "35", "36",
        # Bali dan Nusa Tenggara
        "51", "52", "53",
        # Kalimantan
        "61", "62", "63", "64", "65",
        # Sulawesi
        "71", "72", "73", "74", "75", "76",
        # Maluku
        "81", "82",
        # Papua
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

#: Stand-in for ``as_of`` when a caller has none: two-digit years 00-29 become 20YY and
#: 30-99 become 19YY. A fixed pivot (not ``date.today()``) keeps parsing deterministic;
#: callers that know the reference date (e.g. the data extract's date) should pass it.
DEFAULT_PIVOT: Final = date(2029, 12, 31)

#: Women's NIKs carry the birth day plus this offset.
_FEMALE_DAY_OFFSET: Final = 40

_DIGITS: Final = frozenset("0123456789")

#: Invisible characters that ride along when a NIK is copied from a web page, PDF or chat
#: and that ``str.isspace`` does not cover (zero-width space/joiners, word joiner, BOM).
#: Removing them avoids a ``nik.non_digit`` the operator cannot see on screen.
_INVISIBLE: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")

#: Excel's display of a large number: ``3.60101E+15``, ``3,60101E+15`` (Indonesian
#: locale), ``3.60101e15``.
_EXCEL_SCIENTIFIC: Final = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")

#: A number cell exported as text with its decimals: ``3601011508900001.0`` / ``,0``.
_EXCEL_DECIMAL: Final = re.compile(r"\d+[.,]0+")


@dataclass(frozen=True, slots=True)
class NikProblem:
    """One thing wrong with a NIK, as a stable code plus the facts needed to word it.

    Codes (not sentences) so tests and callers can rely on them and the edge can
    translate them; ``params`` carries values the message may quote.
    """

    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NikParts:
    """The fields encoded in a valid NIK, decoded once so callers never slice strings."""

    nik: str
    province: str
    regency: str
    district: str
    birth_date: date
    sex: str
    serial: str


@dataclass(frozen=True, slots=True)
class NikResult:
    """Outcome of :func:`parse`: either parts (valid) or problems (invalid), never both.

    ``cleaned`` is kept even when invalid so the operator sees what we actually read.
    """

    cleaned: str
    parts: NikParts | None
    problems: tuple[NikProblem, ...] = ()

    def __post_init__(self) -> None:
        # Guard the invariant so no caller can build a result that is both valid and
        # carrying problems (or neither), which would make ``ok`` ambiguous.
        if (self.parts is None) == (not self.problems):
            raise ValueError("NikResult needs exactly one of parts or problems")

    @property
    def ok(self) -> bool:
        """True when the NIK passed every check (and ``parts`` is therefore set)."""
        return self.parts is not None


def clean(raw: str) -> str:
    """Remove what people and spreadsheets add around a NIK, and nothing more.

    Drops all whitespace (including non-breaking and other Unicode spaces, so grouped
    input like ``3601 0115 0890 0001`` works) and invisible zero-width characters, then
    ONE leading apostrophe: the prefix Excel users type to force a text cell. A second
    apostrophe is not a known convention, so it stays and is reported as a non-digit.
    """
    text = "".join(ch for ch in raw if not ch.isspace() and ch not in _INVISIBLE)
    return text.removeprefix("'")


def identifies(cleaned: str) -> bool:
    """Whether a cleaned NIK can stand for one person: 16 ASCII digits.

    Anything else is not an identity: a NIK Excel wrote as ``3.60117E+15`` is the same text
    for every NIK of a district, so joining rows by it joins strangers (issue 16: under
    load, a person page joined the 69-140 rows of one such text and took 1.0-2.4 s; it
    showed their histories as this person's). Checks of the region or the
    birth date are not asked for: a NIK with an unknown region is still one person's.
    """
    return len(cleaned) == NIK_LENGTH and _is_digits(cleaned)


def century_year(yy: int, *, as_of: date) -> int:
    """Turn a two-digit birth year into a full year, relative to ``as_of``.

    A person cannot be born after the reference year, so ``2000 + yy`` is chosen unless
    that lies after ``as_of.year``; then ``1900 + yy``. This is right for anyone younger
    than about 100 years, which covers the working-age people this project serves.
    Pass :data:`DEFAULT_PIVOT` when no reference date is known.
    """
    if not 0 <= yy <= 99:
        raise ValueError(f"two-digit year expected, got {yy}")
    year = 2000 + yy
    return year if year <= as_of.year else 1900 + yy


def mask(nik: str) -> str:
    """Hide the middle of a NIK for logs and screens, keeping enough to find the row.

    The first 4 digits (regency) and last 4 (serial) stay, every character in between
    becomes ``*`` — for a 16-digit NIK that hides the district and the birth date.
    Values shorter than 8 characters are masked entirely, because showing 4 + 4 of them
    would show (almost) everything.
    """
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def parse(
    raw: str | int | float | None,
    *,
    as_of: date | None = None,
    numeric_cell: bool = False,
) -> NikResult:
    """Clean ``raw`` and check every part of it, returning all problems at once.

    ``numeric_cell`` tells us the value came from a spreadsheet cell typed as a number;
    Python ``int``/``float`` input is treated the same way. Excel keeps only 15
    significant digits, so such a NIK has already lost its last digit and every other
    check would be misleading: that, like scientific notation or a trailing ``.0``, is
    reported as the only problem. ``as_of`` picks the birth year's century (see
    :func:`century_year`); when ``None``, :data:`DEFAULT_PIVOT` is used.
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        # A NaN float is how dataframe readers spell an empty numeric cell.
        return _invalid("", NikProblem("nik.empty"))
    if isinstance(raw, int | float):
        text = str(raw)
        return _invalid(clean(text), NikProblem("nik.numeric_cell", {"value": text}))
    if not isinstance(raw, str):
        raise TypeError(f"NIK must be str, int, float or None, got {type(raw).__name__}")

    cleaned = clean(raw)
    if not cleaned:
        return _invalid(cleaned, NikProblem("nik.empty"))
    damage = _excel_damage(cleaned, raw, numeric_cell=numeric_cell)
    if damage is not None:
        return _invalid(cleaned, damage)

    problems: list[NikProblem] = []
    bad_chars = "".join(dict.fromkeys(ch for ch in cleaned if ch not in _DIGITS))
    if bad_chars:
        problems.append(NikProblem("nik.non_digit", {"chars": bad_chars}))
    if len(cleaned) != NIK_LENGTH:
        # Positions mean nothing when digits are missing or extra; stop here.
        problems.append(NikProblem("nik.length", {"length": str(len(cleaned))}))
        return _invalid(cleaned, *problems)

    birth_date, date_problems = _check_birth(cleaned[6:12], as_of or DEFAULT_PIVOT)
    problems.extend(_check_region(cleaned[:6]))
    problems.extend(date_problems)
    if cleaned[12:] == "0000":
        problems.append(NikProblem("nik.serial"))
    if problems or birth_date is None:
        # ``birth_date`` is None only alongside a problem; the second test is for mypy.
        return _invalid(cleaned, *problems)

    parts = NikParts(
        nik=cleaned,
        province=cleaned[:2],
        regency=cleaned[:4],
        district=cleaned[:6],
        birth_date=birth_date,
        sex="P" if int(cleaned[6:8]) > _FEMALE_DAY_OFFSET else "L",
        serial=cleaned[12:],
    )
    return NikResult(cleaned=cleaned, parts=parts)


def _invalid(cleaned: str, *problems: NikProblem) -> NikResult:
    """Build a failed result; a helper so every exit path keeps the same shape."""
    return NikResult(cleaned=cleaned, parts=None, problems=problems)


def _excel_damage(cleaned: str, raw: str, *, numeric_cell: bool) -> NikProblem | None:
    """Return the Excel damage problem, if any, that makes digit checks pointless.

    The number cell is checked first because it is the root cause: scientific notation
    and ``.0`` are just how such a cell shows up once exported as text.
    """
    params = {"value": raw}
    if numeric_cell:
        return NikProblem("nik.numeric_cell", params)
    if _EXCEL_SCIENTIFIC.fullmatch(cleaned):
        return NikProblem("nik.excel_scientific", params)
    if _EXCEL_DECIMAL.fullmatch(cleaned):
        return NikProblem("nik.excel_decimal", params)
    return None


def _is_digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` would also accept e.g. Arabic-Indic digits."""
    return all(ch in _DIGITS for ch in text)


def _check_region(code: str) -> list[NikProblem]:
    """Check the 6-digit district code, skipping pairs already reported as non-digit."""
    problems: list[NikProblem] = []
    province, regency, district = code[:2], code[2:4], code[4:6]
    if _is_digits(province) and province not in PROVINCE_CODES:
        problems.append(NikProblem("nik.province", {"code": province}))
    if regency == "00":
        problems.append(NikProblem("nik.regency"))
    if district == "00":
        problems.append(NikProblem("nik.district"))
    return problems


def _check_birth(ddmmyy: str, as_of: date) -> tuple[date | None, list[NikProblem]]:
    """Decode the ``DDMMYY`` block into a date, or say which part of it is wrong.

    Day and month are checked separately so both can be reported; the calendar check
    (30 Feb, 29 Feb in a common year) only makes sense once both are in range.
    """
    dd, mm, yy = ddmmyy[:2], ddmmyy[2:4], ddmmyy[4:]
    problems: list[NikProblem] = []
    day: int | None = None
    month: int | None = None
    if _is_digits(dd):
        raw_day = int(dd)
        if 1 <= raw_day <= 31:
            day = raw_day
        elif 1 + _FEMALE_DAY_OFFSET <= raw_day <= 31 + _FEMALE_DAY_OFFSET:
            day = raw_day - _FEMALE_DAY_OFFSET
        else:
            problems.append(NikProblem("nik.birth_day", {"day": dd}))
    if _is_digits(mm):
        if 1 <= int(mm) <= 12:
            month = int(mm)
        else:
            problems.append(NikProblem("nik.birth_month", {"month": mm}))
    if day is None or month is None or not _is_digits(yy):
        return None, problems

    year = century_year(int(yy), as_of=as_of)
    try:
        return date(year, month, day), problems
    except ValueError:
        params = {"day": f"{day:02d}", "month": f"{month:02d}", "year": str(year)}
        return None, [*problems, NikProblem("nik.birth_date", params)]
