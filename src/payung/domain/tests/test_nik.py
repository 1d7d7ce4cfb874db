"""Tests for :mod:`payung.domain.nik`: the problem codes are a contract, so each is pinned."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payung.domain.nik import (
    DEFAULT_PIVOT,
    PROVINCE_CODES,
    NikParts,
    NikProblem,
    NikResult,
    century_year,
    clean,
    identifies,
    mask,
    parse,
)

AS_OF = date(2026, 1, 1)
MALE = "3601011508900001"  # Kab. Pandeglang, 15 Aug 1990, male
FEMALE = "3601015508900002"  # same district and date, female (day 15 + 40)


def codes(result: NikResult) -> list[str]:
    """The problem codes of a result, in the order reported."""
    return [p.code for p in result.problems]


# --- valid NIKs -------------------------------------------------------------------------


def test_valid_male() -> None:
    result = parse(MALE, as_of=AS_OF)
    assert result.ok
    assert result.problems == ()
    assert result.parts == NikParts(
        nik=MALE,
        province="36",
        regency="3601",
        district="360101",
        birth_date=date(1990, 8, 15),
        sex="L",
        serial="0001",
    )


def test_valid_female() -> None:
    result = parse(FEMALE, as_of=AS_OF)
    assert result.ok
    assert result.parts is not None
    assert result.parts.sex == "P"
    assert result.parts.birth_date == date(1990, 8, 15)
    assert result.parts.serial == "0002"


@pytest.mark.parametrize(
    ("dd", "sex", "day"), [("01", "L", 1), ("31", "L", 31), ("41", "P", 1), ("71", "P", 31)]
)
def test_day_range_edges_are_valid(dd: str, sex: str, day: int) -> None:
    result = parse(f"360101{dd}0190" + "0001", as_of=AS_OF)
    assert result.ok, result.problems
    assert result.parts is not None
    assert (result.parts.sex, result.parts.birth_date) == (sex, date(1990, 1, day))


# --- cleaning ---------------------------------------------------------------------------


def test_whitespace_and_one_apostrophe_removed() -> None:
    result = parse("'3601 0115 0890 0001", as_of=AS_OF)
    assert result.ok
    assert result.cleaned == MALE


def test_all_whitespace_kinds_removed() -> None:
    raw = " \t3601\u00a00115\u202f0890\n0001\u3000"
    assert clean(raw) == MALE
    assert parse(raw, as_of=AS_OF).ok


def test_zero_width_characters_removed() -> None:
    assert clean("\ufeff3601011508\u200b900001") == MALE


def test_apostrophe_after_leading_space_removed() -> None:
    assert clean("  '3601011508900001") == MALE


def test_two_apostrophes_not_accepted() -> None:
    result = parse("''3601011508900001", as_of=AS_OF)
    assert result.cleaned == "'3601011508900001"
    assert not result.ok
    assert codes(result) == ["nik.non_digit", "nik.length"]


# --- each problem code ------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   ", "'", "\u00a0\t", float("nan")])
def test_empty(raw: str | float | None) -> None:
    result = parse(raw, as_of=AS_OF)
    assert codes(result) == ["nik.empty"]
    assert result.parts is None
    assert not result.ok


def test_non_digit_keeps_positional_checks() -> None:
    # A letter O instead of a zero in the serial: length is right, so the other parts
    # are still checked, and the offending character is reported.
    result = parse("360101150890O001", as_of=AS_OF)
    assert result.problems == (NikProblem("nik.non_digit", {"chars": "O"}),)


def test_non_digit_rejects_unicode_digits() -> None:
    result = parse("360101150890000\u0661", as_of=AS_OF)  # ARABIC-INDIC DIGIT ONE
    assert codes(result) == ["nik.non_digit"]


@pytest.mark.parametrize(
    ("raw", "length"), [("360101150890001", "15"), ("36010115089000011", "17")]
)
def test_length(raw: str, length: str) -> None:
    result = parse(raw, as_of=AS_OF)
    assert result.problems == (NikProblem("nik.length", {"length": length}),)


def test_length_skips_positional_checks() -> None:
    # Would fail province, regency and serial if positions were read; only length counts.
    result = parse("9900", as_of=AS_OF)
    assert codes(result) == ["nik.length"]


def test_non_digit_and_length_together() -> None:
    result = parse("3601-0115-0890", as_of=AS_OF)
    assert result.problems == (
        NikProblem("nik.non_digit", {"chars": "-"}),
        NikProblem("nik.length", {"length": "14"}),
    )


def test_province() -> None:
    result = parse("9901011508900001", as_of=AS_OF)
    assert result.problems == (NikProblem("nik.province", {"code": "99"}),)


def test_regency() -> None:
    assert codes(parse("3600011508900001", as_of=AS_OF)) == ["nik.regency"]


def test_district() -> None:
    assert codes(parse("3601001508900001", as_of=AS_OF)) == ["nik.district"]


@pytest.mark.parametrize("dd", ["00", "32", "40", "72", "99"])
def test_birth_day(dd: str) -> None:
    result = parse(f"360101{dd}08900001", as_of=AS_OF)
    assert result.problems == (NikProblem("nik.birth_day", {"day": dd}),)


@pytest.mark.parametrize("mm", ["00", "13", "99"])
def test_birth_month(mm: str) -> None:
    result = parse(f"36010115{mm}900001", as_of=AS_OF)
    assert result.problems == (NikProblem("nik.birth_month", {"month": mm}),)


def test_birth_day_and_month_both_reported() -> None:
    assert codes(parse("3601013513900001", as_of=AS_OF)) == ["nik.birth_day", "nik.birth_month"]


def test_birth_date_30_february() -> None:
    result = parse("3601013002900001", as_of=AS_OF)
    assert result.problems == (
        NikProblem("nik.birth_date", {"day": "30", "month": "02", "year": "1990"}),
    )


def test_birth_date_31_april_female() -> None:
    assert codes(parse("3601017104900001", as_of=AS_OF)) == ["nik.birth_date"]


def test_serial() -> None:
    assert codes(parse("3601011508900000", as_of=AS_OF)) == ["nik.serial"]


def test_several_faults_reported_together() -> None:
    # Province 99, district 00 and serial 0000 in one value: all three at once.
    result = parse("9901001508900000", as_of=AS_OF)
    assert codes(result) == ["nik.province", "nik.district", "nik.serial"]
    assert result.parts is None


def test_every_positional_fault_at_once() -> None:
    result = parse("0000000013000000", as_of=AS_OF)
    assert codes(result) == [
        "nik.province",
        "nik.regency",
        "nik.district",
        "nik.birth_day",
        "nik.birth_month",
        "nik.serial",
    ]


# --- Excel damage -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("3.60101E+15", "nik.excel_scientific"),
        ("3,60101E+15", "nik.excel_scientific"),
        ("3.60101e15", "nik.excel_scientific"),
        (" 3.60101E+15 ", "nik.excel_scientific"),
        ("3601011508900001.0", "nik.excel_decimal"),
        ("3601011508900001,0", "nik.excel_decimal"),
        ("3601011508900001.00", "nik.excel_decimal"),
    ],
)
def test_excel_text_damage_is_the_only_problem(raw: str, code: str) -> None:
    result = parse(raw, as_of=AS_OF)
    assert result.problems == (NikProblem(code, {"value": raw}),)


def test_non_zero_decimal_is_not_excel_decimal() -> None:
    assert codes(parse("3601011508900001.5", as_of=AS_OF)) == ["nik.non_digit", "nik.length"]


def test_int_input_is_numeric_cell() -> None:
    result = parse(3601011508900001, as_of=AS_OF)
    assert result.problems == (NikProblem("nik.numeric_cell", {"value": "3601011508900001"}),)
    assert result.cleaned == "3601011508900001"


def test_float_input_is_numeric_cell() -> None:
    assert codes(parse(3.60101150890000e15, as_of=AS_OF)) == ["nik.numeric_cell"]


def test_numeric_cell_flag() -> None:
    raw = "360101150890000"
    result = parse(raw, as_of=AS_OF, numeric_cell=True)
    assert result.problems == (NikProblem("nik.numeric_cell", {"value": raw}),)


def test_numeric_cell_flag_wins_over_text_damage() -> None:
    # The number cell is the root cause; scientific notation is only its symptom.
    assert codes(parse("3.60101E+15", numeric_cell=True)) == ["nik.numeric_cell"]


def test_numeric_cell_flag_on_empty_is_empty() -> None:
    assert codes(parse("", numeric_cell=True)) == ["nik.empty"]


def test_unsupported_type_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        parse(date(1990, 8, 15))  # type: ignore[arg-type]


# --- century and leap years -------------------------------------------------------------


@pytest.mark.parametrize(
    ("yy", "as_of", "year"),
    [
        (90, date(2026, 1, 1), 1990),
        (26, date(2026, 1, 1), 2026),
        (27, date(2026, 1, 1), 1927),
        (0, date(2026, 1, 1), 2000),
        (5, date(2004, 12, 31), 1905),
        (99, date(2099, 1, 1), 2099),
    ],
)
def test_century_year(yy: int, as_of: date, year: int) -> None:
    assert century_year(yy, as_of=as_of) == year


@pytest.mark.parametrize("yy", [-1, 100])
def test_century_year_rejects_non_two_digit(yy: int) -> None:
    with pytest.raises(ValueError):
        century_year(yy, as_of=AS_OF)


def test_default_pivot_without_as_of() -> None:
    assert century_year(29, as_of=DEFAULT_PIVOT) == 2029
    assert century_year(30, as_of=DEFAULT_PIVOT) == 1930
    parts = parse("3601011508290001").parts
    assert parts is not None
    assert parts.birth_date == date(2029, 8, 15)
    parts = parse("3601011508300001").parts
    assert parts is not None
    assert parts.birth_date == date(1930, 8, 15)


def test_as_of_changes_century() -> None:
    nik = "3601011508100001"
    early = parse(nik, as_of=date(2009, 12, 31)).parts
    late = parse(nik, as_of=date(2010, 1, 1)).parts
    assert early is not None and late is not None
    assert early.birth_date == date(1910, 8, 15)
    assert late.birth_date == date(2010, 8, 15)


def test_leap_day_2000_is_valid() -> None:
    parts = parse("3601012902000001", as_of=date(2026, 1, 1)).parts
    assert parts is not None
    assert parts.birth_date == date(2000, 2, 29)


def test_leap_day_2001_is_invalid() -> None:
    result = parse("3601012902010001", as_of=date(2026, 1, 1))
    assert result.problems == (
        NikProblem("nik.birth_date", {"day": "29", "month": "02", "year": "2001"}),
    )


def test_leap_day_depends_on_century() -> None:
    # YY=00 is leap as 2000 but not as 1900.
    assert parse("3601016902000001", as_of=date(2026, 1, 1)).ok
    assert codes(parse("3601016902000001", as_of=date(1999, 1, 1))) == ["nik.birth_date"]


# --- mask -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "masked"),
    [
        (MALE, "3601********0001"),
        ("360101150890001", "3601*******0001"),
        ("12345678", "12345678"),
        ("123456789", "1234*6789"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mask(nik: str, masked: str) -> None:
    assert mask(nik) == masked


@given(st.text(max_size=40))
def test_mask_keeps_length_and_hides_the_middle(nik: str) -> None:
    masked = mask(nik)
    assert len(masked) == len(nik)
    assert set(masked[4:-4]) <= {"*"}


# --- result invariant -------------------------------------------------------------------


def test_result_needs_parts_or_problems() -> None:
    with pytest.raises(ValueError):
        NikResult(cleaned="", parts=None)
    parts = parse(MALE, as_of=AS_OF).parts
    assert parts is not None
    with pytest.raises(ValueError):
        NikResult(cleaned=MALE, parts=parts, problems=(NikProblem("nik.serial"),))


# --- properties -------------------------------------------------------------------------

two_digits = st.integers(min_value=1, max_value=99).map(lambda n: f"{n:02d}")


@st.composite
def valid_parts(draw: st.DrawFn) -> NikParts:
    """Valid parts whose year round-trips under the century rule for ``AS_OF`` (1927-2026)."""
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    regency = province + draw(two_digits)
    district = regency + draw(two_digits)
    born = draw(st.dates(min_value=date(1927, 1, 1), max_value=date(2026, 12, 31)))
    sex = draw(st.sampled_from(["L", "P"]))
    serial = f"{draw(st.integers(min_value=1, max_value=9999)):04d}"
    day = born.day + (40 if sex == "P" else 0)
    nik = f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"
    return NikParts(nik, province, regency, district, born, sex, serial)


@given(valid_parts())
def test_valid_parts_round_trip(parts: NikParts) -> None:
    result = parse(parts.nik, as_of=AS_OF)
    assert result.problems == ()
    assert result.parts == parts
    assert result.ok


@given(valid_parts(), st.sampled_from([" ", "\u00a0", "\t"]))
def test_spaced_and_quoted_valid_nik_round_trips(parts: NikParts, sep: str) -> None:
    raw = "'" + sep.join(parts.nik[i : i + 4] for i in range(0, 16, 4))
    assert parse(raw, as_of=AS_OF).parts == parts


@given(st.text(max_size=30))
def test_parse_never_raises_on_text(raw: str) -> None:
    result = parse(raw, as_of=AS_OF)
    assert result.ok == (not result.problems)
    codes_seen = codes(result)
    assert len(codes_seen) == len(set(codes_seen))


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_sixteen_digits_parse_consistently(raw: str) -> None:
    result = parse(raw, as_of=AS_OF)
    if result.ok:
        assert result.parts is not None
        assert result.parts.nik == raw
        assert result.parts.province in PROVINCE_CODES
    else:
        assert "nik.length" not in codes(result)
        assert "nik.non_digit" not in codes(result)


@pytest.mark.parametrize(
    ("cleaned", "expected"),
    [
        ("3601011508900001", True),
        ("9901011508900001", True),  # an unknown region is still one person's NIK
        ("3.60117E+15", False),  # Excel's spelling of every NIK of a district
        ("360101150890000", False),
        ("36010115089000011", False),
        ("360101150890000١", False),  # an Arabic-Indic digit
        ("", False),
    ],
)
def test_only_sixteen_ascii_digits_identify_a_person(cleaned: str, expected: bool) -> None:
    assert identifies(cleaned) is expected
