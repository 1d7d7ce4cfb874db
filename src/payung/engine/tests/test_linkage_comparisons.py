"""Each comparison of the linkage model at its edges (engine/linkage/model.py).

The levels are evaluated exactly as Splink evaluates them (the first true condition wins)
on features built by the real feature SQL, for one record of each list.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
import pytest

from payung.engine.linkage.features import LINK_COLUMNS, features_build
from payung.engine.linkage.model import COMPARISONS, EVIDENCE

BASE: dict[str, Any] = {
    "nik": "3601015508900002",
    "nama": "SITI NUR HASANAH",
    "tanggal_lahir": "1990-08-15",
    "jenis_kelamin": "P",
    "kode_desa": "3601012001",
    "no_kk": "3601011201100001",
}


def level(comparison: str, left: dict[str, Any], right: dict[str, Any]) -> str:
    """The evidence code ``comparison`` gives the pair (left from list A, right from B)."""
    con = duckdb.connect()
    for name, record in (("fl", left), ("fr", right)):
        row = {"row": pa.array([1], pa.int64())}
        for column in LINK_COLUMNS:
            row[column] = pa.array([record.get(column)], pa.string())
        if "nik_numeric_cell" in record:
            row["nik_numeric_cell"] = pa.array([record["nik_numeric_cell"]], pa.bool_())
        features_build(con, pa.table(row), name=name)
    columns = [c[0] for c in con.execute("DESCRIBE fl").fetchall()]
    select = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in columns)
    levels = next(c for c in COMPARISONS if c["output_column_name"] == comparison)
    whens = " ".join(
        f"WHEN {lv['sql_condition']} THEN '{lv['label_for_charts']}'"
        for lv in levels["comparison_levels"]
        if lv["sql_condition"] != "ELSE"
    )
    sql = f"SELECT CASE {whens} ELSE 'beda' END FROM (SELECT {select} FROM fl l, fr r)"
    return con.execute(sql).fetchone()[0]


def pair(comparison: str, **right: Any) -> str:
    return level(comparison, BASE, {**BASE, **right})


@pytest.mark.parametrize(
    ("nik_b", "expected"),
    [
        ("3601015508900002", "sama"),
        ("3601 0155 0890 0002", "sama"),  # typed from a KTP, grouped
        ("'3601015508900002", "sama"),  # Excel's text apostrophe
        ("3601015508900002.0", "sama"),  # a number cell exported as text: no digit lost
        ("3601015508900000", "rusak_excel_digit16"),  # Excel zeroed the 16th digit
        ("3.60101E+15", "rusak_excel_notasi_e"),
        ("3601015508900003", "beda_1_digit"),  # the serial's last digit
        ("3601015508900020", "beda_1_digit"),  # two digits swapped: one transposition
        ("3601015508900013", "beda_2_digit"),
        ("3601015508911113", "beda"),
        ("3601025508900002", "beda_kode_wilayah"),  # region wrong, the last ten intact
        ("3.70101E+15", "beda"),  # another region's prefix
        (None, "kosong"),
        ("TIDAK ADA", "kosong"),
        ("36010155089", "kosong"),  # too short to be a NIK
    ],
)
def test_nik(nik_b: str | None, expected: str) -> None:
    assert pair("nik", nik=nik_b) == expected


def test_nik_from_a_number_cell_is_compared_on_its_fifteen_digits() -> None:
    # In a spreadsheet number cell the 16th digit is gone whatever it shows.
    damaged = {**BASE, "nik": "3601015508900002", "nik_numeric_cell": True}
    assert level("nik", BASE, damaged) == "rusak_excel_digit16"
    other = {**BASE, "nik": "3601015508900102", "nik_numeric_cell": True}
    assert level("nik", BASE, other) != "sama"


@pytest.mark.parametrize(
    ("name_b", "expected"),
    [
        ("SITI NURHASANAH", "sama"),
        ("HJ. SITI NUR HASANAH, S.PD", "sama"),
        ("siti  nur hassanah", "sama"),
        ("SITI NUR HASANA", "mirip_0_95"),
        ("SITI HASANAH", "sebagian_kata"),  # a dropped middle name
        ("SITIH NURJANAH", "mirip_0_88"),
        ("ENTIN ROHAYATI", "beda"),
        (None, "kosong"),
    ],
)
def test_name(name_b: str | None, expected: str) -> None:
    assert pair("nama", nama=name_b) == expected


def test_name_muhammad_spellings_agree() -> None:
    left = {**BASE, "nama": "MUHAMMAD ROHMAT"}
    for spelling in ("MUHAMAD ROHMAT", "MOH. ROHMAT", "M. ROHMAT", "MOCHAMMAD ROHMAT"):
        assert level("nama", left, {**BASE, "nama": spelling}) == "sama"


@pytest.mark.parametrize(
    ("dob_b", "expected"),
    [
        ("1990-08-15", "sama"),
        ("15-08-1990", "sama"),
        ("15/08/1990", "sama"),
        ("16/08/1990", "selisih_1_hari"),
        ("14-08-1990", "selisih_1_hari"),
        ("17-08-1990", "beda"),
        ("15-08-1991", "selisih_1_tahun"),
        ("15-08-1989", "selisih_1_tahun"),
        ("15-08-1992", "beda"),
        ("31/02/1990", "kosong"),  # not a date
        (None, "kosong"),
    ],
)
def test_birth_date(dob_b: str | None, expected: str) -> None:
    assert pair("tanggal_lahir", tanggal_lahir=dob_b) == expected


def test_birth_date_day_and_month_swapped() -> None:
    left = {**BASE, "tanggal_lahir": "1990-03-11"}
    assert level("tanggal_lahir", left, {**BASE, "tanggal_lahir": "1990-11-03"}) == (
        "hari_bulan_tertukar"
    )
    # Across a month end one day apart is still one day.
    left = {**BASE, "tanggal_lahir": "1990-01-31"}
    assert level("tanggal_lahir", left, {**BASE, "tanggal_lahir": "01-02-1990"}) == (
        "selisih_1_hari"
    )


def test_sex_comes_from_the_nik_when_the_list_has_none() -> None:
    # BASE's NIK has day 55 = 15 + 40: a woman.
    assert pair("jenis_kelamin", jenis_kelamin=None) == "sama"
    man = {**BASE, "nik": "3601011508900002", "jenis_kelamin": None}
    assert level("jenis_kelamin", BASE, man) == "beda"
    assert pair("jenis_kelamin", jenis_kelamin="PEREMPUAN") == "sama"
    assert pair("jenis_kelamin", jenis_kelamin="L") == "beda"
    assert pair("jenis_kelamin", jenis_kelamin=None, nik=None) == "kosong"


@pytest.mark.parametrize(
    ("village_b", "expected"),
    [
        ("3601012001", "desa_sama"),
        ("36.01.01.2001", "desa_sama"),
        ("3601012002", "kecamatan_sama"),
        ("3601022001", "beda"),
        (None, "kosong"),
    ],
)
def test_village(village_b: str | None, expected: str) -> None:
    assert pair("wilayah", kode_desa=village_b) == expected


@pytest.mark.parametrize(
    ("kk_b", "expected"),
    [("3601011201100001", "sama"), ("3601011201100002", "beda"), (None, "kosong")],
)
def test_family_card(kk_b: str | None, expected: str) -> None:
    assert pair("no_kk", no_kk=kk_b) == expected


def test_every_level_has_a_meaning_in_indonesian() -> None:
    labels = {
        level["label_for_charts"]
        for comparison in COMPARISONS
        for level in comparison["comparison_levels"]
    }
    assert labels <= set(EVIDENCE)
