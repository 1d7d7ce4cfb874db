"""Readers: every supported format yields the same canonical text table, and every user mistake
becomes a ReadError with a stable code — the screening step trusts both."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.engine import readers
from payung.engine.columns import ALIASES, CANONICAL, NIK_NUMERIC_CELL, REQUIRED, ROW
from payung.engine.readers import (
    ColumnMapping,
    ReadError,
    file_sha256,
    file_stamp,
    read_extract,
)

HEADERS: tuple[str, ...] = tuple(name.upper() for name in CANONICAL)

#: The shared 5-row dataset, as a person would type it (whitespace and blanks included).
RAW_ROWS: tuple[dict[str, str], ...] = (
    {
        "nik": "3201234567890123",
        "no_kk": "3201230101010001",
        "nama": "Siti Aisyah Ñ",
        "jenis_kelamin": "P",
        "tanggal_lahir": "1985-03-12",
        "status_perkawinan": "KAWIN",
        "jumlah_tanggungan": "2",
        "pekerjaan": "PETANI",
        "desil": "3",
        "disabilitas": "TIDAK",
        "alamat": "Jl. Merdeka No. 5, RT 01",
        "kode_desa": "3201010001",
        "bantuan_iuran": "Y",
    },
    {
        "nik": "3201234567890124",
        "no_kk": "3201230101010002",
        "nama": "Rénaldi",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1990-01-02",
        "status_perkawinan": "BELUM KAWIN",
        "jumlah_tanggungan": "0",
        "pekerjaan": "BURUH HARIAN LEPAS",
        "desil": "1",
        "disabilitas": "",
        "alamat": "Dusun Krajan",
        "kode_desa": "3201010002",
        "bantuan_iuran": "",
    },
    {
        "nik": "3201234567890125",
        "no_kk": "3201230101010002",
        "nama": "  Budi Santoso  ",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1975-12-31",
        "status_perkawinan": "CERAI HIDUP",
        "jumlah_tanggungan": "4",
        "pekerjaan": " NELAYAN ",
        "desil": "10",
        "disabilitas": "TIDAK",
        "alamat": "Blok A; No. 3",
        "kode_desa": "3201010002",
        "bantuan_iuran": "N",
    },
    {
        "nik": "3201234567890126",
        "no_kk": "3201230101010003",
        "nama": 'Dewi "Ayu" Lestari',
        "jenis_kelamin": "P",
        "tanggal_lahir": "2001-07-04",
        "status_perkawinan": "BELUM KAWIN",
        "jumlah_tanggungan": "1",
        "pekerjaan": "   ",
        "desil": "2",
        "disabilitas": "RUNGU",
        "alamat": "",
        "kode_desa": "3201010003",
        "bantuan_iuran": "Y",
    },
    {
        "nik": "3201234567890127",
        "no_kk": "3201230101010003",
        "nama": "Agus",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1968-02-29",
        "status_perkawinan": "KAWIN",
        "jumlah_tanggungan": "3",
        "pekerjaan": "PEDAGANG",
        "desil": "5",
        "disabilitas": "TIDAK",
        "alamat": "Jl. Mawar, Gg. 2",
        "kode_desa": "3201010003",
        "bantuan_iuran": "Y",
    },
)

#: Columns the XLSX fixture writes as numeric cells and the Parquet fixture as numeric types.
NUMERIC_COLUMNS = ("jumlah_tanggungan", "desil")


def _clean(value: str) -> str | None:
    stripped = value.strip()
    return stripped or None


def expected_table(nik_numeric: Sequence[bool] | None = None) -> pa.Table:
    """What every reader must produce for RAW_ROWS."""
    data: dict[str, pa.Array] = {ROW: pa.array(range(1, len(RAW_ROWS) + 1), pa.int64())}
    for name in CANONICAL:
        data[name] = pa.array([_clean(row[name]) for row in RAW_ROWS], pa.string())
    flags = nik_numeric if nik_numeric is not None else [False] * len(RAW_ROWS)
    data[NIK_NUMERIC_CELL] = pa.array(flags, pa.bool_())
    return pa.table(data)


# --------------------------------------------------------------------------------------------
# Fixture writers
# --------------------------------------------------------------------------------------------


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def dataset_rows() -> list[list[str]]:
    return [[row[name] for name in CANONICAL] for row in RAW_ROWS]


def write_xlsx(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """Dates as real date cells, numbers as numeric cells, "" as no cell at all."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("DTSEN")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):  # datetime too: a date format on a timestamp
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value != "":
                sheet.write_string(r, c, value)
    workbook.close()
    return path


NIK_AS_NUMBER = (True, True, True, False, False)
MINIMAL_HEADERS = ["NIK", "TANGGAL_LAHIR", "PEKERJAAN", "DESIL", "KODE_DESA"]
MINIMAL_ROW = ["3201234567890123", "1985-03-12", "PETANI", "3", "3201010001"]


def write_dataset_xlsx(path: Path) -> Path:
    """The dataset as Excel would hold it: real dates, numbers, and some NIKs as numbers."""
    rows: list[list[Any]] = []
    for index, raw in enumerate(RAW_ROWS):
        row: list[Any] = []
        for name in CANONICAL:
            value: Any = raw[name]
            if name == "tanggal_lahir":
                value = dt.date.fromisoformat(value)
            elif name in NUMERIC_COLUMNS:
                value = float(value)
            elif name == "no_kk" or (name == "nik" and NIK_AS_NUMBER[index]):
                value = int(value)
            row.append(value)
        rows.append(row)
    return write_xlsx(path, HEADERS, rows)


def write_dataset_parquet(path: Path) -> Path:
    """The dataset as a typed Parquet export: dates, integers, floats and nulls."""
    columns: dict[str, pa.Array] = {}
    for name in CANONICAL:
        values = [row[name] for row in RAW_ROWS]
        if name == "tanggal_lahir":
            columns[name.upper()] = pa.array([dt.date.fromisoformat(v) for v in values])
        elif name == "desil":
            columns[name.upper()] = pa.array([int(v) for v in values], pa.int64())
        elif name == "jumlah_tanggungan":
            columns[name.upper()] = pa.array([float(v) for v in values], pa.float64())
        elif name == "no_kk":
            columns[name.upper()] = pa.array([int(v) for v in values], pa.int64())
        else:
            columns[name.upper()] = pa.array([v or None for v in values], pa.large_string())
    pq.write_table(pa.table(columns), path)
    return path


# --------------------------------------------------------------------------------------------
# One dataset, every format
# --------------------------------------------------------------------------------------------


def test_csv_comma_gives_canonical_table(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dtsen.csv", HEADERS, dataset_rows())
    table = read_extract(path)
    expected = expected_table()
    assert table.schema == expected.schema
    assert table.to_pylist() == expected.to_pylist()
    assert table.equals(expected)


def test_schema_is_all_text_with_row_first_and_flag_last(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dtsen.csv", HEADERS, dataset_rows())
    schema = read_extract(path).schema
    assert schema.names == [ROW, *CANONICAL, NIK_NUMERIC_CELL]
    assert schema.field(ROW).type == pa.int64()
    assert schema.field(NIK_NUMERIC_CELL).type == pa.bool_()
    assert all(schema.field(name).type == pa.string() for name in CANONICAL)


@pytest.mark.parametrize(
    ("name", "writer"),
    [
        pytest.param(
            "semicolon_bom.csv",
            lambda p: write_csv(p, HEADERS, dataset_rows(), delimiter=";", encoding="utf-8-sig"),
            id="csv-semicolon-utf8-bom",
        ),
        pytest.param(
            "windows.csv",
            lambda p: write_csv(p, HEADERS, dataset_rows(), delimiter=";", encoding="cp1252"),
            id="csv-cp1252",
        ),
        pytest.param(
            "tab.txt",
            lambda p: write_csv(p, HEADERS, dataset_rows(), delimiter="\t"),
            id="txt-tab",
        ),
        pytest.param("dtsen.parquet", write_dataset_parquet, id="parquet"),
    ],
)
def test_every_text_format_gives_the_same_table(
    tmp_path: Path, name: str, writer: Callable[[Path], Path]
) -> None:
    reference = read_extract(write_csv(tmp_path / "reference.csv", HEADERS, dataset_rows()))
    table = read_extract(writer(tmp_path / name))
    assert table.to_pylist() == reference.to_pylist()
    assert table.equals(reference)


def test_cp1252_file_is_really_not_utf8(tmp_path: Path) -> None:
    """Guard the fixture: the Windows-1252 test must exercise the fallback."""
    path = write_csv(tmp_path / "windows.csv", HEADERS, dataset_rows(), encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert read_extract(path).column("nama").to_pylist()[:2] == ["Siti Aisyah Ñ", "Rénaldi"]


def test_xlsx_gives_the_same_table_and_flags_numeric_nik(tmp_path: Path) -> None:
    table = read_extract(write_dataset_xlsx(tmp_path / "dtsen.xlsx"))
    expected = expected_table(nik_numeric=NIK_AS_NUMBER)
    assert table.to_pylist() == expected.to_pylist()
    assert table.equals(expected)
    reference = read_extract(write_csv(tmp_path / "reference.csv", HEADERS, dataset_rows()))
    assert table.drop_columns([NIK_NUMERIC_CELL]).equals(reference.drop_columns([NIK_NUMERIC_CELL]))


def test_xlsm_suffix_is_read_as_spreadsheet(tmp_path: Path) -> None:
    path = write_dataset_xlsx(tmp_path / "dtsen.xlsx").rename(tmp_path / "dtsen.xlsm")
    assert read_extract(path).column("nik").to_pylist() == [r["nik"] for r in RAW_ROWS]


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "DTSEN.CSV", HEADERS, dataset_rows())
    assert read_extract(path).num_rows == len(RAW_ROWS)


# --------------------------------------------------------------------------------------------
# Spreadsheet cell conversion
# --------------------------------------------------------------------------------------------


def _minimal_xlsx(tmp_path: Path, row: Sequence[Any]) -> pa.Table:
    headers = ["NIK", "NO_KK", "TANGGAL_LAHIR", "PEKERJAAN", "DESIL", "KODE_DESA", "ALAMAT"]
    return read_extract(write_xlsx(tmp_path / "mini.xlsx", headers, [row]))


def test_xlsx_datetime_in_birth_date_keeps_only_the_date(tmp_path: Path) -> None:
    birth = dt.datetime(1990, 1, 2, 10, 30)
    row = [3201234567890123, 3201230101010001, birth, "PETANI", 3.0, 3201010001, "x"]
    table = _minimal_xlsx(tmp_path, row)
    assert table.column("tanggal_lahir").to_pylist() == ["1990-01-02"]


def test_xlsx_numbers_become_plain_digits(tmp_path: Path) -> None:
    row = [3201234567890123, 3201230101010001, dt.date(1985, 3, 12), "PETANI", 2.5, 3201010001, 12]
    table = _minimal_xlsx(tmp_path, row).to_pylist()[0]
    assert table["nik"] == "3201234567890123"
    assert table["no_kk"] == "3201230101010001"
    assert table["desil"] == "2.5"
    assert table["kode_desa"] == "3201010001"
    assert table["alamat"] == "12"
    assert table[NIK_NUMERIC_CELL] is True


def test_xlsx_numeric_no_kk_alone_does_not_flag_nik(tmp_path: Path) -> None:
    """The flag is about the NIK cell (columns.NIK_NUMERIC_CELL), not about KK."""
    row = ["3201234567890123", 3201230101010001, dt.date(1985, 3, 12), "PETANI", 3, "1", "x"]
    table = _minimal_xlsx(tmp_path, row).to_pylist()[0]
    assert table["no_kk"] == "3201230101010001"
    assert table[NIK_NUMERIC_CELL] is False


def test_xlsx_blank_rows_are_dropped_but_numbering_follows_the_sheet(tmp_path: Path) -> None:
    headers = ["NIK", "TANGGAL_LAHIR", "PEKERJAAN", "DESIL", "KODE_DESA"]
    rows = [
        ["3201234567890123", "1985-03-12", "PETANI", "3", "3201010001"],
        ["", "", "", "", ""],
        ["   ", "", "", "", ""],
        ["3201234567890124", "1990-01-02", "NELAYAN", "1", "3201010002"],
    ]
    table = read_extract(write_xlsx(tmp_path / "gaps.xlsx", headers, rows))
    assert table.column(ROW).to_pylist() == [1, 4]


def test_xlsx_header_may_start_below_and_right_of_a1(tmp_path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(tmp_path / "offset.xlsx"))
    sheet = workbook.add_worksheet()
    sheet.write_row(2, 1, MINIMAL_HEADERS)
    sheet.write_row(3, 1, MINIMAL_ROW)
    sheet.write_row(5, 1, ["3201234567890124", *MINIMAL_ROW[1:]])
    workbook.close()
    table = read_extract(tmp_path / "offset.xlsx")
    assert table.column(ROW).to_pylist() == [1, 3]
    assert table.column("kode_desa").to_pylist() == [MINIMAL_ROW[-1]] * 2


def test_xlsx_header_only_and_corrupt(tmp_path: Path) -> None:
    header_only = write_xlsx(tmp_path / "h.xlsx", MINIMAL_HEADERS, [])
    with pytest.raises(ReadError) as info:
        read_extract(header_only)
    assert info.value.code == "file.header_only"

    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(ReadError) as info:
        read_extract(corrupt)
    assert info.value.code == "xlsx.not_zip"
    assert "tidak dapat dibaca" in info.value.message
    assert "Zip" not in info.value.message


def test_html_saved_as_xls_gets_advice(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>NIK</td></tr></table></body></html>")
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "file.html"
    assert "HTML" in info.value.message


def test_xlsx_without_any_header_is_empty(tmp_path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(tmp_path / "blank.xlsx"))
    workbook.add_worksheet()
    workbook.close()
    with pytest.raises(ReadError) as info:
        read_extract(tmp_path / "blank.xlsx")
    assert info.value.code == "file.empty"


# --------------------------------------------------------------------------------------------
# Parquet conversion
# --------------------------------------------------------------------------------------------


def test_parquet_types_are_cast_to_text(tmp_path: Path) -> None:
    table = pa.table(
        {
            "NIK": pa.array([3201234567890123], pa.int64()),
            "TGL_LAHIR": pa.array([dt.datetime(1985, 3, 12, 7, 0)], pa.timestamp("us")),
            "PEKERJAAN": pa.array(["PETANI"]).dictionary_encode(),
            "DESIL": pa.array([3.0]),
            "KODE_DESA": pa.array([3201010001], pa.int64()),
            "JUMLAH_TANGGUNGAN": pa.array([2.5]),
            "DISABILITAS": pa.array([None], pa.null()),
        }
    )
    pq.write_table(table, tmp_path / "typed.parquet")
    row = read_extract(tmp_path / "typed.parquet").to_pylist()[0]
    assert row["nik"] == "3201234567890123"
    assert row["tanggal_lahir"] == "1985-03-12"
    assert row["pekerjaan"] == "PETANI"
    assert row["desil"] == "3"
    assert row["kode_desa"] == "3201010001"
    assert row["jumlah_tanggungan"] == "2.5"
    assert row["disabilitas"] is None
    assert row[NIK_NUMERIC_CELL] is False


def test_parquet_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(ReadError) as info:
        read_extract(bad)
    assert info.value.code == "file.wrong_type"
    assert "teks biasa" in info.value.message

    empty_rows = pa.table({name: pa.array([], pa.string()) for name in HEADERS})
    pq.write_table(empty_rows, tmp_path / "none.parquet")
    with pytest.raises(ReadError) as info:
        read_extract(tmp_path / "none.parquet")
    assert info.value.code == "file.header_only"


# --------------------------------------------------------------------------------------------
# Headers, aliases and mappings
# --------------------------------------------------------------------------------------------


def test_headers_are_case_insensitive_and_aliased(tmp_path: Path) -> None:
    headers = ["nik", "Tgl Lahir", "Pekerjaan Utama", "desil-nasional", "Kode.Wilayah", "Catatan"]
    path = write_csv(tmp_path / "alias.csv", headers, [[*MINIMAL_ROW, "abaikan"]])
    table = read_extract(path)
    assert table.schema.names == [ROW, *CANONICAL, NIK_NUMERIC_CELL]  # "Catatan" dropped
    row = table.to_pylist()[0]
    assert [row[name] for name in REQUIRED] == MINIMAL_ROW
    assert row["nama"] is None  # absent optional column -> nulls
    assert table.column("nama").type == pa.string()


def test_every_alias_is_recognised(tmp_path: Path) -> None:
    for canonical, aliases in ALIASES.items():
        for alias in aliases:
            headers = [alias if name == canonical else name.upper() for name in REQUIRED]
            if canonical not in REQUIRED:
                headers.append(alias)
            row = [*MINIMAL_ROW] + ([] if canonical in REQUIRED else ["nilai"])
            table = read_extract(write_csv(tmp_path / "a.csv", headers, [row]))
            assert table.column(canonical).to_pylist()[0] is not None, alias


def test_mapping_file_renames_headers(tmp_path: Path) -> None:
    mapping_path = tmp_path / "mapping.yaml"
    mapping_path.write_text(
        "columns:\n"
        '  "ID Penduduk": NIK\n'
        '  "Lahir Tanggal": tanggal_lahir\n'
        "  Kerja: Pekerjaan\n"
        "  Kelas: DESIL\n"
        "  Desa: KODE_DESA\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping.load(mapping_path)
    assert mapping.renames["ID_PENDUDUK"] == "nik"
    headers = ["ID Penduduk", "lahir tanggal", "KERJA", "Kelas", "Desa"]
    path = write_csv(tmp_path / "own.csv", headers, [MINIMAL_ROW])
    row = read_extract(path, mapping=mapping).to_pylist()[0]
    assert [row[name] for name in REQUIRED] == MINIMAL_ROW


def test_mapping_takes_precedence_over_aliases(tmp_path: Path) -> None:
    mapping = ColumnMapping(renames={"NIK ART": "nik"})
    headers = ["NIK", "NIK ART", "TANGGAL_LAHIR", "PEKERJAAN", "DESIL", "KODE_DESA"]
    path = write_csv(tmp_path / "two_niks.csv", headers, [["1111", *MINIMAL_ROW]])
    assert read_extract(path, mapping=mapping).column("nik").to_pylist() == [MINIMAL_ROW[0]]
    with pytest.raises(ReadError) as info:  # without the mapping, NIK vs NIK_ART stays a clash
        read_extract(path, mapping=ColumnMapping(renames={"NIK ART": "nik", "NIK": "nik"}))
    assert info.value.code == "columns.ambiguous"


def test_column_mapping_constructor_normalises(tmp_path: Path) -> None:
    mapping = ColumnMapping(renames={"Tgl. Lhr": "TANGGAL_LAHIR"})
    assert dict(mapping.renames) == {"TGL_LHR": "tanggal_lahir"}
    with pytest.raises(ValueError):
        ColumnMapping(renames={"x": "bukan_kolom"})
    with pytest.raises(TypeError):
        mapping.renames["X"] = "nik"  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "code", "needle"),
    [
        ("columns: [NIK, DESIL]\n", "mapping.invalid", "columns"),
        ("kolom:\n  A: NIK\n", "mapping.invalid", "columns"),
        ("columns:\n  A: NIK\nextra: 1\n", "mapping.invalid", "extra"),
        ("columns: {}\n", "mapping.invalid", "columns"),
        ("columns:\n  A: [NIK]\n", "mapping.invalid", "'A'"),
        ("columns:\n  123: NIK\n", "mapping.invalid", "tanda kutip"),
        ("columns:\n  A: NIK\n  a: DESIL\n", "mapping.invalid", "dua kolom"),
        ("columns:\n  A: NIK\n   B: : :\n", "mapping.invalid", "YAML"),
        ("columns:\n  ID Penduduk: NOMOR_NIK\n", "mapping.unknown_column", "NOMOR_NIK"),
    ],
)
def test_mapping_errors(tmp_path: Path, text: str, code: str, needle: str) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReadError) as info:
        ColumnMapping.load(path)
    assert info.value.code == code
    assert needle in info.value.message
    assert str(path) in info.value.message


def test_mapping_unknown_column_lists_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text("columns:\n  Foo: BAR\n", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        ColumnMapping.load(path)
    assert info.value.params["column"] == "BAR"
    assert info.value.params["header"] == "Foo"
    assert all(name.upper() in info.value.message for name in CANONICAL)


def test_mapping_not_found(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as info:
        ColumnMapping.load(tmp_path / "nope.yaml")
    assert info.value.code == "mapping.not_found"
    assert "tidak ditemukan" in info.value.message


# --------------------------------------------------------------------------------------------
# Column errors
# --------------------------------------------------------------------------------------------


def test_missing_columns_names_each_with_aliases(tmp_path: Path) -> None:
    headers = ["NIK", "PEKERJAAN", "KODE_DESA", "Nama"]
    path = write_csv(tmp_path / "few.csv", headers, [["1", "2", "3", "4"]])
    with pytest.raises(ReadError) as info:
        read_extract(path)
    error = info.value
    assert error.code == "columns.missing"
    assert error.params["columns"] == "TANGGAL_LAHIR, DESIL"
    assert error.message.startswith(
        f"Kolom wajib tidak ditemukan di berkas '{path}': "
        "TANGGAL_LAHIR (alias: TGL_LAHIR, TGLLAHIR, TANGGAL_LHR), "
        "DESIL (alias: DESIL_NASIONAL, PERINGKAT_DESIL)."
    )
    # What was recognised, in our vocabulary: never the file's own text.
    assert "Kolom yang dikenali: NIK, NAMA, PEKERJAAN, KODE_DESA." in error.message
    assert error.message.endswith("Gunakan --columns untuk memetakan nama kolom Anda.")


def test_missing_columns_checked_for_every_format(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "few.xlsx", ["NIK"], [["1"]])
    pq.write_table(pa.table({"NIK": ["1"]}), tmp_path / "few.parquet")
    for path in (xlsx, tmp_path / "few.parquet"):
        with pytest.raises(ReadError) as info:
            read_extract(path)
        assert info.value.code == "columns.missing"
        assert info.value.params["columns"] == "TANGGAL_LAHIR, PEKERJAAN, DESIL, KODE_DESA"


def test_ambiguous_columns(tmp_path: Path) -> None:
    headers = ["NIK", "Nomor NIK", "TANGGAL_LAHIR", "PEKERJAAN", "DESIL", "KODE_DESA"]
    path = write_csv(tmp_path / "amb.csv", headers, [["1", *MINIMAL_ROW]])
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "columns.ambiguous"
    assert "NIK (kolom ke-1 'NIK', kolom ke-2 'NOMOR_NIK')" in info.value.message


def test_two_mapped_headers_to_one_column_are_ambiguous(tmp_path: Path) -> None:
    mapping = ColumnMapping(renames={"A": "nik", "B": "nik"})
    path = write_csv(tmp_path / "ab.csv", ["A", "B", *HEADERS[4:]], [["1", "2"] + [""] * 9])
    with pytest.raises(ReadError) as info:
        read_extract(path, mapping=mapping)
    assert info.value.code == "columns.ambiguous"


# --------------------------------------------------------------------------------------------
# File errors
# --------------------------------------------------------------------------------------------


def test_not_found(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as info:
        read_extract(tmp_path / "hilang.csv")
    assert info.value.code == "file.not_found"
    assert info.value.message == f"Berkas tidak ditemukan: '{tmp_path / 'hilang.csv'}'."


@pytest.mark.parametrize("name", ["data.pdf", "data.json", "data"])
def test_unsupported_format(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("NIK\n1\n", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "file.format"
    assert "tidak didukung" in info.value.message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n", b"  \n\n"])
def test_empty_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kosong.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "file.empty"


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".ods"])
def test_zero_byte_files_are_empty(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"kosong{suffix}"
    path.touch()
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "file.empty"


@pytest.mark.parametrize(
    "after_header",
    ["", "\n", "\r\n", "\n\n\r\n", "\n,,,,\n , ,,,\n"],
    ids=["no-newline", "newline", "crlf", "blank-lines", "empty-fields"],
)
def test_header_only_csv(tmp_path: Path, after_header: str) -> None:
    path = tmp_path / "header.csv"
    path.write_text("NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA" + after_header)
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "file.header_only"


def test_first_line_blank_is_unreadable_not_empty(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("\nNIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n1,2,3,4,5\n")
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "csv.first_line_blank"
    assert "baris pertama" in info.value.message


def test_ragged_csv_is_unreadable_without_leaking_the_row(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n"
        "3201234567890123,1985-03-12,PETANI,3,3201010001\n"
        "3209999999999999,1985-03-12,PETANI,3,3201010001,extra\n"
    )
    with pytest.raises(ReadError) as info:
        read_extract(path)
    error = info.value
    assert error.code == "csv.column_count"
    assert "baris data ke-2" in error.message
    assert "6 kolom" in error.message and "5 kolom" in error.message
    assert "3209999999999999" not in error.message


def test_bytes_neither_utf8_nor_cp1252_are_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "garbled.csv"
    path.write_bytes(b"NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n1,2,\x81\xe9,4,5\n")
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "csv.encoding"
    assert "Windows-1252" in info.value.message


def test_utf16_csv_is_unreadable_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("NIK\tDESIL\n1\t2\n".encode("utf-16"))
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "csv.utf16"
    assert "UTF-16" in info.value.message


def test_directory_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(ReadError) as info:
        read_extract(folder)
    assert info.value.code == "file.is_folder"


def test_read_error_is_picklable_and_prints_its_message() -> None:
    error = ReadError("file.empty", "Berkas kosong: x", {"path": "x"})
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.code, clone.message, clone.params) == (error.code, error.message, error.params)
    assert str(clone) == "Berkas kosong: x"


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def test_quoted_fields_keep_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        "NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA,ALAMAT,NAMA\n"
        '3201234567890123,1985-03-12,PETANI,3,3201010001,"Jl. Merdeka No. 5, RT 01",'
        '"Dewi ""Ayu"""\n'
        '3201234567890124,1990-01-02,NELAYAN,1,3201010002,"Dusun Krajan\nRT 02",Budi\n'
    )
    table = read_extract(path)
    assert table.column("alamat").to_pylist() == ["Jl. Merdeka No. 5, RT 01", "Dusun Krajan\nRT 02"]
    assert table.column("nama").to_pylist() == ['Dewi "Ayu"', "Budi"]


def test_line_breaks_quoted_far_into_the_file_stay_in_their_cells(tmp_path: Path) -> None:
    """A file whose quotes come after megabytes of plain rows is still read with line breaks
    allowed inside values. An unquoted file is split faster (issue 16); a quote anywhere in
    the file must switch that off, or a block of pyarrow's ending inside a quoted address
    would cut it (and its row) in two."""
    header = "NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA,ALAMAT\n"
    plain = [f"3201010101{i:06d},1985-03-12,PETANI,3,3201010001,Dusun {i}\n" for i in range(90_000)]
    quoted = [
        f'3201010202{i:06d},1990-01-02,NELAYAN,1,3201010002,"Dusun Krajan\nRT {i}"\n'
        for i in range(40_000)
    ]
    path = tmp_path / "akhir.csv"
    path.write_text(header + "".join(plain) + "".join(quoted), encoding="utf-8")
    assert path.stat().st_size > 7 << 20  # the quotes start past the first chunk scanned
    table = read_extract(path)
    assert table.num_rows == 130_000
    addresses = table.column("alamat").to_pylist()
    assert addresses[:90_000] == [f"Dusun {i}" for i in range(90_000)]
    assert addresses[90_000:] == [f"Dusun Krajan\nRT {i}" for i in range(40_000)]


def test_a_plain_file_reads_the_same_however_it_is_cut_into_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of ASCII bytes without a quote is parsed in blocks of 16 MiB (issue 16): where
    the blocks end must change no value and no row number, blank and empty lines included."""
    header = "NIK;TANGGAL_LAHIR;PEKERJAAN;DESIL;KODE_DESA;NAMA\r\n"
    lines = [
        "\r\n"
        if i % 997 == 0
        else ";;;;;\r\n"
        if i % 1009 == 0
        else f"3201010101{i:06d};1985-03-12;PETANI;3;3201010001;DEDE {i} \r\n"
        for i in range(20_000)
    ]
    path = tmp_path / "polos.csv"
    path.write_bytes((header + "".join(lines)).encode("ascii"))
    whole = read_extract(path)
    monkeypatch.setattr(readers, "PLAIN_BLOCK", 4096)
    cut = read_extract(path)
    assert cut.equals(whole)
    assert whole.num_rows == 20_000 - 21 - 19  # 21 blank lines, 19 empty ones
    assert whole.column(ROW).to_pylist()[:3] == [2, 3, 4]  # row 1 is blank
    assert whole.column(ROW).to_pylist()[-1] == 20_000
    assert whole.column("nama").to_pylist()[-1] == "DEDE 19999"


def test_a_file_not_in_ascii_is_refused_for_its_encoding_before_its_rows(
    tmp_path: Path,
) -> None:
    """A byte that is text in neither UTF-8 nor Windows-1252 near the top, and a row with a
    column too many far below: the file is refused for its encoding, as before issue 16's
    bigger blocks (in one 16 MiB block pyarrow counted the columns first, a review found).
    Such files keep pyarrow's own blocks."""
    header = ";".join(name.upper() for name in CANONICAL)
    lines = [header.encode()]
    for i in range(60_000):
        cells = [f"3201010101{i:06d}".encode()] + [f"x{i}".encode()] * (len(CANONICAL) - 1)
        if i == 10:
            cells[2] = b"BUDI \x81"
        elif i == 50_000:
            cells.append(b"lebih")
        lines.append(b";".join(cells))
    path = tmp_path / "campur.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert path.stat().st_size > 2 << 20
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "csv.encoding"


def test_whitespace_is_stripped_and_blanks_are_null(tmp_path: Path) -> None:
    path = tmp_path / "spaces.csv"
    path.write_text(
        "NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA,NAMA\n"
        " 3201234567890123 ,1985-03-12,\t,3,3201010001,\u00a0Siti\u00a0\n"
        '3201234567890124,"",  ,"  ",3201010002,Budi  Santoso\n',
        encoding="utf-8",
    )
    rows = read_extract(path).to_pylist()
    assert rows[0]["nik"] == "3201234567890123"
    assert rows[0]["pekerjaan"] is None
    assert rows[0]["nama"] == "Siti"
    assert rows[1]["tanggal_lahir"] is None
    assert rows[1]["pekerjaan"] is None
    assert rows[1]["desil"] is None
    assert rows[1]["nama"] == "Budi  Santoso"  # inner spacing is data, not padding


def test_numeric_looking_text_is_never_converted(tmp_path: Path) -> None:
    row = ["0032012345678901", "1985-03-12", "PETANI", "007", "0001"]
    path = write_csv(tmp_path / "zeros.csv", MINIMAL_HEADERS, [row])
    row = read_extract(path).to_pylist()[0]
    assert row["nik"] == "0032012345678901"
    assert row["desil"] == "007"
    assert row["kode_desa"] == "0001"


def test_row_numbers_count_data_rows_from_one(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text(
        "NIK;TANGGAL_LAHIR;PEKERJAAN;DESIL;KODE_DESA\n"
        "1;1985-03-12;PETANI;3;3201010001\n"
        "\n"
        "3;1985-03-12;PETANI;3;3201010001\n"
        ";;;;\n"
        "5;1985-03-12;PETANI;3;3201010001\n"
        "\n"
    )
    table = read_extract(path)
    assert table.column(ROW).to_pylist() == [1, 3, 5]
    assert table.column("nik").to_pylist() == ["1", "3", "5"]


def test_large_csv_uses_many_chunks_and_keeps_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several pyarrow blocks, so per-chunk null handling is exercised."""
    monkeypatch.setattr(readers, "PLAIN_BLOCK", 256 << 10)
    count = 120_000
    lines = ["NIK;TANGGAL_LAHIR;PEKERJAAN;DESIL;KODE_DESA;NAMA"]
    for i in range(count):
        name = "   " if i % 7 == 0 else f" Nama {i} "
        lines.append(f"32{i:014d};1985-03-12;PETANI;{1 + i % 10};3201010001;{name}")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_extract(path)
    assert table.num_rows == count
    assert table.column("nik").num_chunks > 1
    assert table.column(ROW).to_pylist() == list(range(1, count + 1))
    names = table.column("nama").to_pylist()
    assert names.count(None) == len(range(0, count, 7))
    assert names[1] == "Nama 1"
    assert table.column("nik").to_pylist()[-1] == f"32{count - 1:014d}"


def test_file_sha256(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dtsen.csv", HEADERS, dataset_rows())
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ReadError) as info:
        file_sha256(tmp_path / "hilang.csv")
    assert info.value.code == "file.not_found"


def test_file_sha256_refuses_a_file_changed_since_its_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash is taken apart from the read (beside it): a file replaced, rewritten or
    deleted since the stamp taken before the read must not be recorded as what was read."""
    path = write_csv(tmp_path / "dtsen.csv", HEADERS, dataset_rows())
    stamp = file_stamp(path)
    assert file_sha256(path, stamp=stamp) == hashlib.sha256(path.read_bytes()).hexdigest()

    # Replaced by another file of the same size and time: only its identity differs.
    other = tmp_path / "lain.csv"
    data = path.read_bytes()
    at = data.index(b"\n") + 1  # the first data row's first byte
    other.write_bytes(data[:at] + (b"8" if data[at : at + 1] == b"9" else b"9") + data[at + 1 :])
    os.utime(other, ns=(stamp.modified_ns, stamp.modified_ns))
    os.replace(other, path)
    assert file_stamp(path).size == stamp.size
    with pytest.raises(ReadError) as info:
        file_sha256(path, stamp=stamp)
    assert info.value.code == "file.changed"
    assert "berubah selama diproses" in info.value.message

    # Rewritten in place with the same length, its modification time put back as a copy
    # that keeps times does (``cp -p``): the status change time still tells.
    stamp = file_stamp(path)
    with path.open("r+b") as handle:
        handle.write(b"X")
    os.utime(path, ns=(stamp.modified_ns, stamp.modified_ns))
    assert os.stat(path).st_mtime_ns == stamp.modified_ns
    assert stamp.holds(path) is False
    with pytest.raises(ReadError) as info:
        file_sha256(path, stamp=stamp)
    assert info.value.code == "file.changed"

    # Changed while it is hashed: the stamp is checked again at the end.
    stamp = file_stamp(path)
    digest = hashlib.file_digest

    def digest_then_append(handle: Any, name: str) -> Any:
        result = digest(handle, name)
        with path.open("ab") as more:
            more.write(b"3201010101010001,Nama Baru\n")
        return result

    monkeypatch.setattr(hashlib, "file_digest", digest_then_append)
    with pytest.raises(ReadError) as info:
        file_sha256(path, stamp=stamp)
    assert info.value.code == "file.changed"
    monkeypatch.undo()

    stamp = file_stamp(path)
    assert stamp.holds(path)
    path.unlink()
    assert stamp.holds(path) is False
    with pytest.raises(ReadError) as info:
        file_sha256(path, stamp=stamp)
    assert info.value.code == "file.changed"
    with pytest.raises(ReadError) as info:
        file_stamp(path)
    assert info.value.code == "file.not_found"


_CELL_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\x00\r", min_codepoint=1
    ),
    max_size=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(_CELL_TEXT, min_size=1, max_size=5), delimiter=st.sampled_from([",", ";"]))
def test_any_text_survives_a_csv_round_trip(
    tmp_path: Path, names: list[str], delimiter: str
) -> None:
    rows = [[f"32{i:014d}", *MINIMAL_ROW[1:], name] for i, name in enumerate(names)]
    path = write_csv(tmp_path / "prop.csv", [*MINIMAL_HEADERS, "NAMA"], rows, delimiter=delimiter)
    table = read_extract(path)
    assert table.column("nama").to_pylist() == [name.strip() or None for name in names]
    assert table.column(ROW).to_pylist() == list(range(1, len(names) + 1))


def _trimmed_reference(cells: list[str | None]) -> list[str | None]:
    """What a text column must hold: Arrow's own whitespace trim, empty cells as null."""
    trimmed = pc.utf8_trim_whitespace(pa.array(cells, pa.string())).to_pylist()
    return [None if cell == "" else cell for cell in trimmed]


_EDGE_CHARS = st.sampled_from(
    [" ", "\t", "\r", "\n", "\x0b", "\x1c", "\u00a0", "\u2003", "\u3000", "\u200b", "é", "a", "7"]
)


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(
        st.one_of(
            st.none(),
            st.builds(
                lambda a, b, c: a + b + c,
                st.text(_EDGE_CHARS, max_size=2),
                st.text(max_size=4),
                st.text(_EDGE_CHARS, max_size=2),
            ),
        ),
        max_size=12,
    ),
    cut=st.integers(min_value=0, max_value=12),
)
def test_text_columns_trim_exactly_as_arrow_does(cells: list[str | None], cut: int) -> None:
    """Cells are looked at edge byte by edge byte before anything is copied (issue 16); the
    column must still come out as Arrow's trim gives it, whatever sits at the edges: Unicode
    spaces, letters with accents, zero-width characters, and chunks that are slices."""
    from payung.engine.readers import _text_column

    whole = pa.array(cells, pa.string())
    cut = min(cut, len(cells))
    sliced = pa.chunked_array([whole.slice(0, cut), whole.slice(cut)], pa.string())
    assert _text_column(whole).to_pylist() == _trimmed_reference(cells)
    assert _text_column(sliced).to_pylist() == _trimmed_reference(cells)


def test_text_columns_with_accented_edges_are_kept_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "accents.csv"
    path.write_text(
        "NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA,NAMA\n"
        "3201234567890123,1985-03-12,PETANI,3,3201010001,José\n"
        "3201234567890124,1985-03-12,PETANI,3,3201010001,Ñoman\u3000\n",
        encoding="utf-8",
    )
    assert read_extract(path).column("nama").to_pylist() == ["José", "Ñoman"]


def test_a_stray_quote_closed_far_below_is_refused_not_merged(tmp_path: Path) -> None:
    """A quote opened by mistake and closed 30 000 rows further down must not turn those
    rows into one name cell: the file is refused (a bigger CSV block, tried for speed in
    issue 16, read it as 10 010 rows without a word)."""
    header = ";".join(name.upper() for name in CANONICAL)
    lines = [header]
    for i in range(40_000):
        cells = [f"3201010101{i:06d}"] + [f"x{i}"] * (len(CANONICAL) - 1)
        if i == 10:
            cells[1] = '"Budi'
        elif i == 30_000:
            cells[1] = 'Ani"'
        lines.append(";".join(cells))
    path = tmp_path / "kutip.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_extract(path)
    assert info.value.code == "csv.syntax"
