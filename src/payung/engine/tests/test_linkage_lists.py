"""Reading a list to link (engine/linkage/lists.py): another funder's headers, the damage
spreadsheets do to a NIK, and refusals that name the problem without quoting a cell."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from payung.engine import ColumnMapping, ReadError
from payung.engine.linkage.lists import list_read

NIK = "3601015508900002"


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    workbook.close()
    return path


def test_a_bpjs_roster_is_read_by_its_own_headers(tmp_path: Path) -> None:
    src = tmp_path / "bpu.csv"
    src.write_text(
        "\ufeffNIK_PESERTA;NAMA_PESERTA;TGL_LAHIR;KPJ\n"
        f"{NIK};SITI AMINAH;15-08-1990;12345678901\n"
        ";;;\n"
        "3601011508900001;ASEP;;\n",
        encoding="utf-8",
    )
    table = list_read(src)
    assert table["row"].to_pylist() == [1, 3]  # the empty second data row is skipped
    assert table["nik"].to_pylist() == [NIK, "3601011508900001"]
    assert table["nama"].to_pylist() == ["SITI AMINAH", "ASEP"]
    assert table["tanggal_lahir"].to_pylist() == ["15-08-1990", None]
    assert table["jenis_kelamin"].null_count == 2  # no such column: all null


def test_a_mapping_names_the_columns_of_an_unusual_list(tmp_path: Path) -> None:
    src = tmp_path / "apbdes.csv"
    src.write_text(f"No Induk,Nama Warga,Lahir\n{NIK},SITI,1990-08-15\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        'columns:\n  "No Induk": NIK\n  "Nama Warga": NAMA\n  "Lahir": TANGGAL_LAHIR\n'
    )
    table = list_read(src, mapping=ColumnMapping.load(mapping))
    assert table.select(["nik", "nama", "tanggal_lahir"]).to_pylist() == [
        {"nik": NIK, "nama": "SITI", "tanggal_lahir": "1990-08-15"}
    ]


def test_a_spreadsheet_nik_typed_as_a_number_is_flagged(tmp_path: Path) -> None:
    src = write_xlsx(
        tmp_path / "list.xlsx",
        [
            ["NIK", "NAMA", "TANGGAL_LAHIR"],
            [3601015508900000, "SITI", "1990-08-15"],
            [NIK, "ASEP", "1990-08-16"],
        ],
    )
    table = list_read(src)
    assert table["row"].to_pylist() == [1, 2]
    assert table["nik"].to_pylist() == ["3601015508900000", NIK]
    assert table["nik_numeric_cell"].to_pylist() == [True, False]


def test_missing_columns_are_named_and_no_cell_is_quoted(tmp_path: Path) -> None:
    src = tmp_path / "b.csv"
    src.write_text(f"NIK_IBU,ALAMAT\n{NIK},KP. CIKADU\n", encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        list_read(src, mapping_flag="--columns-b")
    message = caught.value.message
    assert "NAMA" in message and "--columns-b" in message
    assert NIK not in message and "CIKADU" not in message


def test_a_name_alone_is_not_enough_to_link(tmp_path: Path) -> None:
    src = tmp_path / "b.csv"
    src.write_text("NAMA,KODE_DESA\nSITI,3601012001\n", encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        list_read(src)
    assert "NIK atau TANGGAL_LAHIR" in caught.value.message


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("b.pdf", b"%PDF-1.4", "file.format"),
        ("b.csv", b"", "file.empty"),
        ("b.csv", b"NIK,NAMA\n", "file.header_only"),
        ("b.xlsx", b"NIK,NAMA\n1,SITI\n", "file.wrong_type"),
    ],
)
def test_bad_files_are_refused_with_a_code(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        list_read(src)
    assert caught.value.code == code


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as caught:
        list_read(tmp_path / "absent.csv")
    assert caught.value.code == "file.not_found"
