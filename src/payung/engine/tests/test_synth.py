"""The synthetic Pandeglang extract: shape, determinism, and the share of each kind of dirt.

Screening and reader tests lean on these shares (a known fraction of rows must fail Pasal 5
ayat (2) huruf a, b, d, f or be invalid), so each is pinned within a binomial tolerance.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from payung.engine import synth
from payung.engine.synth import HEADERS, synth_table, synth_write

ROWS = 20_000
AS_OF = date(2026, 1, 1)
DIGITS16 = re.compile(r"[0-9]{16}")
SCIENTIFIC = re.compile(r"[0-9](\.[0-9]{1,5})?E\+15")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return synth_table(rows=ROWS, seed=7, as_of=AS_OF).to_pylist()


def share(rows: list[dict[str, str]], predicate: Callable[[dict[str, str]], bool]) -> float:
    return sum(1 for r in rows if predicate(r)) / len(rows)


def assert_share(actual: float, expected: float, n: int = ROWS) -> None:
    """Within four binomial standard deviations: stable across seeds, still catches a slip."""
    tolerance = 4 * math.sqrt(expected * (1 - expected) / n)
    assert abs(actual - expected) <= tolerance, (actual, expected, tolerance)


def parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def age(born: date) -> int:
    return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))


def first_occurrences(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows without the deliberate duplicates, which repeat an earlier row's person.

    The key is more than the NIK because NIKs damaged into scientific notation collide.
    """
    seen: set[tuple[str, ...]] = set()
    kept = []
    for r in rows:
        key = (r["NIK"], r["NO_KK"], r["NAMA"].upper(), r["JENIS_KELAMIN"])
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept


# --- shape and determinism -------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 7, 199, 1_000, 4_321])
def test_row_count_and_columns_are_exact(n: int) -> None:
    table = synth_table(rows=n, seed=1)
    assert table.num_rows == n
    assert table.column_names == list(HEADERS)
    assert all(field.type == pa.string() for field in table.schema)


def test_headers_are_the_design_names() -> None:
    assert HEADERS == (
        "NIK", "NO_KK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "STATUS_PERKAWINAN",
        "JUMLAH_TANGGUNGAN", "PEKERJAAN", "DESIL", "DISABILITAS", "ALAMAT", "KODE_DESA",
        "BANTUAN_IURAN",
    )  # fmt: skip


def test_negative_rows_are_refused() -> None:
    with pytest.raises(ValueError):
        synth_table(rows=-1, seed=1)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, suffix: str) -> None:
    a = synth_write(rows=3_000, seed=11, out=tmp_path / f"a{suffix}")
    b = synth_write(rows=3_000, seed=11, out=tmp_path / f"b{suffix}")
    c = synth_write(rows=3_000, seed=12, out=tmp_path / f"c{suffix}")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_csv_and_parquet_hold_the_table(tmp_path: Path) -> None:
    table = synth_table(rows=2_500, seed=3)
    csv_path = synth_write(rows=2_500, seed=3, out=tmp_path / "x.csv")
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADERS)
    assert len(lines) == 2_501
    assert lines[1].split(",") == [table.column(h)[0].as_py() for h in HEADERS]
    assert pq.read_table(synth_write(rows=2_500, seed=3, out=tmp_path / "x.parquet")) == table


def test_xlsx_is_readable_with_header_and_text_cells(tmp_path: Path) -> None:
    path = synth_write(rows=1_500, seed=5, out=tmp_path / "x.xlsx")
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert tuple(sheet[0]) == HEADERS
    assert len(sheet) == 1_501
    expected = synth_table(rows=1_500, seed=5).to_pylist()
    assert [str(v) for v in sheet[1]] == [expected[0][h] for h in HEADERS]
    assert all(isinstance(row[0], str) for row in sheet[1:])  # NIK stays text


def test_unknown_suffix_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="suffix"):
        synth_write(rows=10, seed=1, out=tmp_path / "x.json")
    assert list(tmp_path.iterdir()) == []


def test_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    synth_write(rows=50, seed=1, out=tmp_path / "x.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_write_creates_missing_folders(tmp_path: Path) -> None:
    out = synth_write(rows=50, seed=1, out=tmp_path / "new" / "dir" / "x.parquet")
    assert pq.read_table(out).num_rows == 50


def test_placeholder_is_not_implemented() -> None:
    with pytest.raises(NotImplementedError):
        synth.synth_response_placeholder()


# --- NIK -------------------------------------------------------------------------------------


def test_niks_are_16_digits_except_deliberate_damage(rows: list[dict[str, str]]) -> None:
    kinds = Counter(nik_kind(r["NIK"]) for r in rows)
    assert set(kinds) <= {"clean", "scientific", "dot_zero", "apostrophe", "spaces"}
    assert_share(kinds["scientific"] / ROWS, synth.NIK_SCIENTIFIC_SHARE)
    assert_share(kinds["dot_zero"] / ROWS, synth.NIK_DOT_ZERO_SHARE)
    assert_share(kinds["apostrophe"] / ROWS, synth.NIK_APOSTROPHE_SHARE)
    assert_share(kinds["spaces"] / ROWS, synth.NIK_SPACES_SHARE)


def nik_kind(nik: str) -> str:
    if DIGITS16.fullmatch(nik):
        return "clean"
    if SCIENTIFIC.fullmatch(nik):
        return "scientific"
    if nik.endswith(".0") and DIGITS16.fullmatch(nik[:-2]):
        return "dot_zero"
    if nik.startswith("'") and DIGITS16.fullmatch(nik[1:]):
        return "apostrophe"
    if " " in nik and DIGITS16.fullmatch(nik.replace(" ", "")):
        return "spaces"
    return "other"


def test_clean_niks_are_unique_apart_from_deliberate_duplicates(
    rows: list[dict[str, str]],
) -> None:
    people = first_occurrences(rows)
    assert len(rows) - len(people) == round(ROWS * synth.DUPLICATE_SHARE)
    clean = [r["NIK"] for r in people if DIGITS16.fullmatch(r["NIK"])]
    assert len(set(clean)) == len(clean)


def test_duplicates_are_exact_or_near(rows: list[dict[str, str]]) -> None:
    first: dict[str, dict[str, str]] = {}
    exact = near = 0
    for r in rows:
        if not DIGITS16.fullmatch(r["NIK"]):
            continue
        original = first.setdefault(r["NIK"], r)
        if original is r:
            continue
        differing = {h for h in HEADERS if original[h] != r[h]}
        assert differing <= {"NAMA", "TANGGAL_LAHIR"}
        if differing:
            near += 1
            assert original["NAMA"].upper() == r["NAMA"].upper()
            assert parse_date(original["TANGGAL_LAHIR"]) == parse_date(r["TANGGAL_LAHIR"])
        else:
            exact += 1
    assert exact > 20 and near > 20


def decode(nik: str) -> tuple[int, int, int, bool]:
    """Day, month, two-digit year and sex (True for women) encoded in a clean NIK."""
    day = int(nik[6:8])
    return day % 40 if day > 40 else day, int(nik[8:10]), int(nik[10:12]), day > 40


def test_women_have_day_plus_40_except_sex_slips(rows: list[dict[str, str]]) -> None:
    clean = [r for r in rows if DIGITS16.fullmatch(r["NIK"])]
    slips = share(clean, lambda r: decode(r["NIK"])[3] != (r["JENIS_KELAMIN"] == "P"))
    assert_share(slips, synth.NIK_SEX_SLIP_SHARE, len(clean))
    assert {r["JENIS_KELAMIN"] for r in rows} == {"L", "P"}


def test_nik_date_matches_birth_date_except_slips(rows: list[dict[str, str]]) -> None:
    dated = [
        (r, born)
        for r in rows
        if DIGITS16.fullmatch(r["NIK"]) and (born := parse_date(r["TANGGAL_LAHIR"]))
    ]
    mismatch = sum(
        1 for r, born in dated if decode(r["NIK"])[:3] != (born.day, born.month, born.year % 100)
    )
    assert_share(mismatch / len(dated), synth.NIK_DATE_SLIP_SHARE, len(dated))


def test_locals_carry_their_district_or_a_moved_in_nik(rows: list[dict[str, str]]) -> None:
    local = [
        r
        for r in rows
        if DIGITS16.fullmatch(r["NIK"]) and r["KODE_DESA"].replace(".", "").startswith("3601")
    ]
    moved_in = [r for r in local if not r["NIK"].startswith("3601")]
    assert_share(len(moved_in) / len(local), synth.MOVED_IN_SHARE, len(local))
    assert {r["NIK"][:4] for r in moved_in} >= {"3602", "3603", "3672", "3201"}
    stayed = [r for r in local if r["NIK"].startswith("3601")]
    assert all(r["NIK"][:6] == r["KODE_DESA"].replace(".", "")[:6] for r in stayed)


def test_some_people_live_outside_the_regency(rows: list[dict[str, str]]) -> None:
    outside = [r for r in rows if not r["KODE_DESA"].replace(".", "").startswith("3601")]
    # Households are the unit, so allow for their clustering (about 3.5 people each).
    assert_share(len(outside) / ROWS, synth.OUTSIDE_SHARE, ROWS // 4)
    assert {r["KODE_DESA"].replace(".", "")[:4] for r in outside} == {"3602", "3604"}


# --- households and places -------------------------------------------------------------------


def test_households_share_card_address_and_village(rows: list[dict[str, str]]) -> None:
    people = first_occurrences(rows)
    by_card: dict[str, list[int]] = {}
    for i, r in enumerate(people):
        by_card.setdefault(r["NO_KK"], []).append(i)
    sizes = Counter(len(members) for members in by_card.values())
    assert set(sizes) <= set(range(1, 8)) and sizes[1] > 0 and sizes[7] > 0
    for card, members in by_card.items():
        assert DIGITS16.fullmatch(card)
        assert members == list(range(members[0], members[-1] + 1))  # contiguous
        group = [people[i] for i in members]
        assert len({(r["ALAMAT"], r["KODE_DESA"], r["DESIL"]) for r in group}) == 1
        assert card[:6] == group[0]["KODE_DESA"].replace(".", "")[:6]
        assert group[0]["JUMLAH_TANGGUNGAN"] == str(len(members) - 1)


def test_kode_desa_and_alamat_formats(rows: list[dict[str, str]]) -> None:
    codes = {r["KODE_DESA"] for r in rows}
    assert all(re.fullmatch(r"[0-9]{10}|[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}", c) for c in codes)
    dotted = share(rows, lambda r: "." in r["KODE_DESA"])
    assert_share(dotted, synth.DOTTED_KODE_DESA_SHARE, ROWS // 4)
    assert all(re.fullmatch(r"KP\. [A-Z ]+ RT 0[0-9]{2}/RW 0[0-9]{2}", r["ALAMAT"]) for r in rows)


def test_village_codes_are_real_pandeglang_villages(rows: list[dict[str, str]]) -> None:
    from payung.domain.wilayah import lookup

    fallback = synth._PANDEGLANG_VILLAGES + synth._LEBAK_VILLAGES + synth._SERANG_VILLAGES
    used = {r["KODE_DESA"].replace(".", "") for r in rows}
    for code in sorted(set(fallback) | used):
        region = lookup(code)
        assert region is not None and region.level == "desakel", code


def test_inline_villages_serve_when_wilayah_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "payung.domain.wilayah", None)  # import now fails
    table = synth_table(rows=3_000, seed=2)
    codes = {c.replace(".", "") for c in table.column("KODE_DESA").to_pylist()}
    fallback = synth._PANDEGLANG_VILLAGES + synth._LEBAK_VILLAGES + synth._SERANG_VILLAGES
    assert codes <= set(fallback)


# --- the other columns -----------------------------------------------------------------------


def test_birth_date_formats_and_damage(rows: list[dict[str, str]]) -> None:
    values = [r["TANGGAL_LAHIR"] for r in rows]
    iso = sum(bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v)) for v in values) / ROWS
    dashed = sum(bool(re.fullmatch(r"[0-9]{2}-[0-9]{2}-[0-9]{4}", v)) for v in values) / ROWS
    slashed = sum(bool(re.fullmatch(r"[0-9]{2}/[0-9]{2}/[0-9]{4}", v)) for v in values) / ROWS
    empty = values.count("") / ROWS
    garbage = sum(v in {"00-00-0000", "31/02/1980", "-"} for v in values) / ROWS
    usable = 1 - synth.DATE_EMPTY_SHARE - synth.DATE_GARBAGE_SHARE
    assert_share(iso, 0.70 * usable)
    # "00-00-0000" and "31/02/1980" also look like the day-first formats.
    assert_share(dashed, 0.20 * usable + synth.DATE_GARBAGE_SHARE / 3)
    assert_share(slashed, 0.10 * usable + synth.DATE_GARBAGE_SHARE / 3)
    assert_share(empty, synth.DATE_EMPTY_SHARE)
    assert_share(garbage, synth.DATE_GARBAGE_SHARE)


def test_ages_fail_and_prioritise_realistically(rows: list[dict[str, str]]) -> None:
    ages = [age(born) for r in rows if (born := parse_date(r["TANGGAL_LAHIR"]))]
    n = len(ages)
    assert 0.06 <= sum(60 <= a <= 64 for a in ages) / n <= 0.10  # priority a, Pasal 7(2)
    assert 0.15 <= sum(a < 15 for a in ages) / n <= 0.35
    assert 0.04 <= sum(a > 64 for a in ages) / n <= 0.15
    assert 0.50 <= sum(18 <= a <= 64 for a in ages) / n <= 0.70
    assert min(ages) >= 0 and max(ages) <= 99


def test_file_order_does_not_follow_priority(rows: list[dict[str, str]]) -> None:
    positions = [
        i
        for i, r in enumerate(rows)
        if (born := parse_date(r["TANGGAL_LAHIR"])) and 60 <= age(born) <= 64
    ]
    mean = sum(positions) / len(positions)
    # Uniform positions have mean ROWS/2 and sd ROWS/sqrt(12 * count).
    assert abs(mean - ROWS / 2) <= 4 * ROWS / math.sqrt(12 * len(positions))


def test_children_neither_work_nor_marry(rows: list[dict[str, str]]) -> None:
    children = [r for r in rows if (born := parse_date(r["TANGGAL_LAHIR"])) and age(born) < 15]
    assert children
    for r in children:
        assert normal_job(r["PEKERJAAN"]) in {"BELUM/TIDAK BEKERJA", "PELAJAR/MAHASISWA"}
        assert r["STATUS_PERKAWINAN"] == "BELUM KAWIN"


def normal_job(text: str) -> str:
    return " ".join(text.upper().replace("/", " / ").split()).replace(" / ", "/")


def test_occupations_vocabulary_and_dirt(rows: list[dict[str, str]]) -> None:
    jobs = [r["PEKERJAAN"] for r in rows]
    assert {normal_job(j) for j in jobs} <= set(synth._OCCUPATIONS)
    counts = Counter(normal_job(j) for j in jobs)
    assert counts.most_common(1)[0][0] in {"PETANI/PEKEBUN", "PELAJAR/MAHASISWA"}
    assert counts["MENGURUS RUMAH TANGGA"] / ROWS > 0.10
    for vulnerable in ("NELAYAN/PERIKANAN", "JURU PARKIR", "PEMULUNG", "TUKANG OJEK"):
        assert counts[vulnerable] > 0
    odd = sum(counts[j] for j in synth.ODD_OCCUPATIONS) / ROWS
    assert 0.005 <= odd <= 0.02
    lower = sum(j == j.lower() for j in jobs) / ROWS
    spaced = sum(j != " ".join(j.split()) or " / " in j for j in jobs) / ROWS
    assert_share(lower, synth.OCCUPATION_LOWER_SHARE + synth.OCCUPATION_SPACED_SHARE / 4)
    assert_share(spaced, synth.OCCUPATION_SPACED_SHARE)


def test_homemakers_are_mostly_women(rows: list[dict[str, str]]) -> None:
    homemakers = [r for r in rows if normal_job(r["PEKERJAAN"]) == "MENGURUS RUMAH TANGGA"]
    assert share(homemakers, lambda r: r["JENIS_KELAMIN"] == "P") > 0.95


def test_desil_leans_poor_and_some_unranked(rows: list[dict[str, str]]) -> None:
    values = Counter(r["DESIL"] for r in rows)
    assert set(values) <= {"", *(str(d) for d in range(1, 11))}
    ranked = ROWS - values[""]
    assert_share(values[""] / ROWS, synth.DESIL_EMPTY_SHARE, ROWS // 4)
    low = sum(values[str(d)] for d in range(1, 5)) / ranked
    assert 0.45 <= low <= 0.55


def test_disability_aid_and_marital_values(rows: list[dict[str, str]]) -> None:
    disabled = share(rows, lambda r: r["DISABILITAS"] not in {"", "TIDAK"})
    assert_share(disabled, 0.03)
    assert all(
        r["DISABILITAS"] in {"", "TIDAK", "YA"} or r["DISABILITAS"].startswith("DISABILITAS ")
        for r in rows
    )
    aid = Counter(r["BANTUAN_IURAN"].upper() for r in rows)
    for value, expected in zip(synth._AID, synth._AID_P, strict=True):
        assert_share(aid[value] / ROWS, expected)
    assert any(r["BANTUAN_IURAN"] == "apbd" for r in rows)
    assert {r["STATUS_PERKAWINAN"] for r in rows} == set(synth._MARITAL)
    assert {r["JUMLAH_TANGGUNGAN"] for r in rows} == {str(k) for k in range(7)}


def test_names_are_upper_case_words_fitting_sex(rows: list[dict[str, str]]) -> None:
    people = first_occurrences(rows)
    assert all(re.fullmatch(r"[A-Z]+( [A-Z]+){0,2}", r["NAMA"]) for r in people)
    words = Counter(len(r["NAMA"].split()) for r in people)
    assert set(words) == {1, 2, 3}
    female_only = set(synth._FEMALE_FIRST) - set(synth._MALE_FIRST)
    for r in people:
        if r["NAMA"].split()[0] in female_only:
            assert r["JENIS_KELAMIN"] == "P"
