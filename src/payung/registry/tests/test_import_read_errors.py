"""What an import says when its file cannot be read: coded, in Indonesian, naming the file
as uploaded, never quoting a cell, and nothing stored (issue 17, defects 1, 5, 6, 10)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import xlsxwriter

from payung.core.models import JobStatus
from payung.registry.models import Person

HEADERS = ["NIK", "NAMA", "TANGGAL_LAHIR", "PEKERJAAN", "DESIL", "KODE_DESA"]
ROW = ["3601021808600001", "UDIN SUPRIADI", "1960-08-18", "PETANI", "2", "3601020001"]


def test_a_file_without_header_row_fails_without_personal_data(
    year, import_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tanpa-judul.csv"
    path.write_text(",".join(ROW) + "\n" + ",".join(ROW) + "\n", encoding="utf-8")
    imp = import_file(year, path, name="DTSEN Maret.csv")
    assert imp.status == JobStatus.FAILED
    assert imp.error_code == "columns.missing"
    assert "3601021808600001" not in imp.error_message
    assert "UDIN" not in imp.error_message
    assert "'DTSEN Maret.csv'" in imp.error_message
    assert "Baris pertama tampaknya berisi data" in imp.error_message
    assert not Person.objects.exists()


def test_a_zip_bomb_fails_coded_and_stores_nothing(year, import_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bom.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write_row(0, 0, HEADERS)
    workbook.close()
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/pengisi.bin", b" " * (64 << 20))
    imp = import_file(year, path)
    assert imp.status == JobStatus.FAILED
    assert imp.error_code == "limits.ratio"
    assert "'bom.xlsx'" in imp.error_message
    assert not Person.objects.exists()


def test_a_formula_cell_is_imported_as_an_invalid_row(year, import_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rumus.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    for r in (1, 2):
        sheet.write_row(r, 0, [f"360102180860000{r}", *ROW[1:]])
    sheet.write_formula(2, 1, '=CONCAT("UDIN","S")')
    workbook.close()
    imp = import_file(year, path)
    assert imp.status == JobStatus.DONE
    assert imp.invalid_by_code.get("cell.formula") == 1
    assert Person.objects.get(row=2).nama.startswith("=")
