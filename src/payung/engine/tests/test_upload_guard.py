"""Uploads are refused before parsing when they are unsafe, and every refusal is a coded,
Indonesian message that names the user's file and never quotes a cell (issue 17, defects
1, 5, 6 and part of 10)."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.engine.exchange_files import read_text_table
from payung.engine.read_errors import MESSAGES, ReadError
from payung.engine.readers import read_extract
from payung.engine.screening import screen
from payung.engine.upload_guard import EXCHANGE_LIMITS, ReadLimits

HEADERS = ["NIK", "NAMA", "TANGGAL_LAHIR", "PEKERJAAN", "DESIL", "KODE_DESA"]
ROW = ["3601021808600001", "UDIN SUPRIADI", "1960-08-18", "PETANI", "2", "3601020001"]
ENGLISH = ("invalid", "zip", "EOCD", "worksheet", "File not found", "new-line", "Error")


def _refused(path: Path, **kwargs: object) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_extract(path, **kwargs)  # type: ignore[arg-type]
    return info.value


def _xlsx(
    path: Path, rows: list[list[object]], *, formulas: dict[tuple[int, int], str] | None = None
) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    for (r, c), formula in (formulas or {}).items():
        sheet.write_formula(r, c, formula)
    workbook.close()
    return path


# --- defect 1: personal data in an import error -------------------------------------------


def test_csv_without_header_row_names_no_cell_and_says_the_first_row_is_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tanpa-judul.csv"
    path.write_text(",".join(ROW) + "\n" + ",".join(ROW) + "\n", encoding="utf-8")
    error = _refused(path, name="tanpa-judul.csv")
    assert error.code == "columns.missing"
    assert "3601021808600001" not in error.message and "UDIN" not in error.message
    assert "1960" not in error.message
    assert "Baris pertama tampaknya berisi data" in error.message
    assert "'tanpa-judul.csv'" in error.message


def test_xlsx_without_header_row_names_no_cell(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "tanpa-judul.xlsx", [ROW, ROW])
    error = _refused(path)
    assert error.code == "columns.missing"
    assert "3601021808600001" not in error.message and "UDIN" not in error.message


def test_unrecognised_headers_are_counted_not_quoted(tmp_path: Path) -> None:
    path = tmp_path / "lain.csv"
    path.write_text("NIK,Catatan Rahasia Budi\n1,2\n", encoding="utf-8")
    error = _refused(path)
    assert "Budi" not in error.message
    assert "Kolom yang dikenali: NIK; 1 kolom lain tidak dikenali." in error.message


# --- defect 6: coded Indonesian messages naming the user's file ---------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.xlsx", b"PK\x05\x06" + b"\x00" * 18, "xlsx.missing_part"),
        ("a.xlsx", b"\x00\x01garbage" * 50, "xlsx.not_zip"),
        ("a.xlsx", b"NIK,NAMA\n1,2\n", "file.wrong_type"),
        ("a.xlsx", b"%PDF-1.4\n", "file.wrong_type"),
        ("a.csv", "NIK;NAMA\n1;2\n".encode("utf-16-le"), "csv.utf16"),
        ("a.csv", b"NIK,NAMA\n\x00\x01\x02\x03", "file.binary"),
        ("a.csv", b'NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n"1,2,3,4,5\n', "csv.column_count"),
        ("a.parquet", b"PAR1 not really", "parquet.unreadable"),
    ],
)
def test_library_failures_become_coded_indonesian_messages(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / "5f2c9e-simpanan"
    path.mkdir()
    path = path / name
    path.write_bytes(content)
    error = _refused(path, name="data-desa.xlsx")
    assert error.code == code
    assert error.code in MESSAGES
    assert "'data-desa.xlsx'" in error.message
    assert "5f2c9e" not in error.message  # the stored path never shows
    assert not any(word in error.message for word in ENGLISH), error.message


def test_worded_renames_the_file_for_the_web(tmp_path: Path) -> None:
    error = _refused(tmp_path / "hilang.csv")
    assert error.worded(file="dtsen-2026.csv") == "Berkas tidak ditemukan: 'dtsen-2026.csv'."


def test_exchange_file_errors_name_the_uploaded_file_not_the_temporary_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jawaban.xlsx"
    path.write_bytes(b"bukan spreadsheet")
    with pytest.raises(ReadError) as info:
        read_text_table(path, name="jawaban-dukcapil-maret.xlsx")
    assert "'jawaban-dukcapil-maret.xlsx'" in info.value.message
    assert "'jawaban.xlsx'" not in info.value.message


def test_exchange_csv_giant_field_is_coded(tmp_path: Path) -> None:
    path = tmp_path / "jawaban.csv"
    path.write_bytes(b'NIK;HASIL\n"' + (b"x" * 1000 + b"\n") * 300 + b'";SESUAI\n')
    with pytest.raises(ReadError) as info:
        read_text_table(path, limits=ReadLimits(max_line_bytes=200_000))
    assert info.value.code == "csv.field_too_long"
    assert "field" not in info.value.message


# --- defect 5: limits checked before parsing ----------------------------------------------


_NS = "http://schemas.openxmlformats.org"
_CONTENT_TYPES = (
    f'<?xml version="1.0"?><Types xmlns="{_NS}/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
).encode()
_ROOT_RELS = (
    f'<?xml version="1.0"?><Relationships xmlns="{_NS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
).encode()
_WORKBOOK = (
    f'<?xml version="1.0"?><workbook xmlns="{_NS}/spreadsheetml/2006/main" '
    f'xmlns:r="{_NS}/officeDocument/2006/relationships"><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
_WORKBOOK_RELS = (
    f'<?xml version="1.0"?><Relationships xmlns="{_NS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
).encode()


def _zip_workbook(path: Path, sheet_xml: bytes, *, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal XLSX written by hand, so the sheet XML can be anything."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet_xml,
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _sheet(rows: str, *, head: str = "") -> bytes:
    return (
        '<?xml version="1.0"?>' + head + '<worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>' + rows + "</sheetData></worksheet>"
    ).encode()


def _inline_row(r: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{r}">{cells}</row>'


def test_hand_written_workbook_is_read(tmp_path: Path) -> None:
    """Guard the fixture: the minimal workbook is a valid one."""
    path = _zip_workbook(
        tmp_path / "ok.xlsx", _sheet(_inline_row(1, HEADERS) + _inline_row(2, ROW))
    )
    assert read_extract(path).column("nik").to_pylist() == [ROW[0]]


def test_sheet_padded_with_whitespace_is_refused_by_its_ratio(tmp_path: Path) -> None:
    padding = " " * (50 << 20)
    xml = _sheet(_inline_row(1, HEADERS) + padding + _inline_row(2, ROW))
    path = _zip_workbook(tmp_path / "padded.xlsx", xml)
    assert path.stat().st_size < 1 << 20
    started = time.perf_counter()
    error = _refused(path)
    assert error.code == "limits.ratio"
    assert time.perf_counter() - started < 2
    assert error.params["part"] == "xl/worksheets/sheet1.xml"
    assert "worksheet" not in error.message


def test_declared_uncompressed_size_is_capped(tmp_path: Path) -> None:
    path = _zip_workbook(tmp_path / "big.xlsx", _sheet(_inline_row(1, HEADERS)))
    error = _refused(path, limits=ReadLimits(max_uncompressed_bytes=500))
    assert error.code == "limits.uncompressed"


def test_dimension_claiming_a_million_rows_is_refused_before_parsing(tmp_path: Path) -> None:
    xml = _sheet(_inline_row(1, HEADERS), head="").replace(
        b"<sheetData>", b'<dimension ref="A1:F1000001"/><sheetData>'
    )
    path = _zip_workbook(tmp_path / "claims.xlsx", xml)
    with pytest.raises(ReadError) as info:
        read_text_table(path, limits=EXCHANGE_LIMITS)
    assert info.value.code == "limits.rows"


def test_rows_are_counted_while_streaming_when_no_dimension_is_given(tmp_path: Path) -> None:
    rows = _inline_row(1, HEADERS) + "".join(f'<row r="{r}"/>' for r in range(2, 2000))
    path = _zip_workbook(tmp_path / "rows.xlsx", _sheet(rows))
    error = _refused(path, limits=ReadLimits(max_rows=1000))
    assert error.code == "limits.rows"
    assert "1000 baris" in error.message


def test_wide_sheet_is_refused(tmp_path: Path) -> None:
    xml = _sheet(_inline_row(1, HEADERS)).replace(
        b"<sheetData>", b'<dimension ref="A1:XFD2"/><sheetData>'
    )
    error = _refused(_zip_workbook(tmp_path / "wide.xlsx", xml))
    assert error.code == "limits.columns"


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_billion_laughs_is_refused(tmp_path: Path, part: str) -> None:
    bomb = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    sheet = _sheet(
        _inline_row(1, HEADERS) + _inline_row(2, ROW), head=bomb if "sheet1" in part else ""
    )
    extra = {}
    if "shared" in part:
        extra[part] = (
            '<?xml version="1.0"?>' + bomb + "<sst><si><t>&lol3;</t></si></sst>"
        ).encode()
    error = _refused(_zip_workbook(tmp_path / "lol.xlsx", sheet, extra=extra))
    assert error.code == "xlsx.xml_entities"


def test_part_lying_about_its_size_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = _zip_workbook(
        tmp_path / "lies.xlsx", _sheet(_inline_row(1, HEADERS) + _inline_row(2, ROW))
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Flip a byte inside the compressed sheet: the CRC no longer matches.
    at = info.header_offset + 30 + len(info.filename) + 5
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    error = _refused(path)
    assert error.code in {"xlsx.corrupt_part", "xlsx.unreadable"}


def test_csv_line_longer_than_the_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "panjang.csv"
    path.write_text(
        ",".join(HEADERS) + "\n" + ",".join(ROW) + "\n" + "x" * 5000 + "\n", encoding="utf-8"
    )
    error = _refused(path, limits=ReadLimits(max_line_bytes=1000))
    assert error.code == "csv.line_too_long"
    assert error.params["line"] == "3"
    assert "xxxx" not in error.message


def test_csv_with_too_many_lines_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "banyak.csv"
    path.write_text(",".join(HEADERS) + "\n" + (",".join(ROW) + "\n") * 50, encoding="utf-8")
    error = _refused(path, limits=ReadLimits(max_rows=10))
    assert error.code == "limits.rows"


def test_parquet_rows_checked_from_the_footer(tmp_path: Path) -> None:
    table = pa.table({name: [value] * 20 for name, value in zip(HEADERS, ROW, strict=True)})
    pq.write_table(table, tmp_path / "x.parquet")
    error = _refused(tmp_path / "x.parquet", limits=ReadLimits(max_rows=10))
    assert error.code == "limits.rows"


def test_a_legal_extract_is_still_read_under_the_default_limits(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "ok.xlsx", [HEADERS, ROW])
    assert read_extract(path).num_rows == 1


# --- defect 10 (part): formula cells ------------------------------------------------------


def test_formula_cell_is_read_as_its_formula_not_its_cached_result(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "rumus.xlsx",
        [HEADERS, ROW, ["3601021808600002", "", *ROW[2:]]],
        formulas={(2, 1): '=CONCAT("UDIN","S")'},
    )
    table = read_extract(path)
    assert table.column("nama").to_pylist() == ["UDIN SUPRIADI", '=CONCAT("U']


def test_formula_cell_is_invalid_with_its_code(tmp_path: Path, policy, duckdb_backend) -> None:  # type: ignore[no-untyped-def]
    path = _xlsx(
        tmp_path / "rumus.xlsx",
        [HEADERS, ROW, ["3601021808600002", "", *ROW[2:]]],
        formulas={(2, 1): "=A2"},
    )
    result = screen(
        read_extract(path), policy=policy, as_of=date(2026, 1, 1), backend=duckdb_backend
    )
    decisions = result.decisions.to_pylist()
    assert decisions[1]["status"] == "invalid"
    assert "cell.formula" in decisions[1]["reasons"].split(";")
    assert "cell.formula" not in (decisions[0]["reasons"] or "")


def test_formula_typed_into_a_csv_is_invalid_too(tmp_path: Path, policy, duckdb_backend) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rumus.csv"
    path.write_text(
        ",".join(HEADERS) + "\n" + ",".join([ROW[0], "=HYPERLINK(1)", *ROW[2:]]) + "\n",
        encoding="utf-8",
    )
    result = screen(
        read_extract(path), policy=policy, as_of=date(2026, 1, 1), backend=duckdb_backend
    )
    assert "cell.formula" in result.decisions.to_pylist()[0]["reasons"]


def test_formula_in_an_answer_file_is_read_as_its_formula(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "jawaban.xlsx",
        [["NIK", "HASIL"], [ROW[0], "SESUAI"]],
        formulas={(1, 1): '="SES"&"UAI"'},
    )
    assert read_text_table(path).rows == [[ROW[0], '="SES"&"UA']]


def test_ragged_windows_1252_csv_still_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes(
        (",".join(HEADERS) + "\r\n" + ",".join(ROW) + "\r\n" + "Ren\xe9,x\r\n").encode("cp1252")
    )
    error = _refused(path)
    assert error.code == "csv.column_count"
    assert error.params["row"] == "2"


def test_ods_with_a_formula_cell_is_refused(tmp_path: Path) -> None:
    """ODS repeats rows by attribute, so formula cells are not placed: the file is refused."""
    content = (
        '<?xml version="1.0"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body>'
        "<table:table><table:table-row><table:table-cell "
        'table:formula="of:=1+1"/></table:table-row></table:table></office:body>'
        "</office:document-content>"
    )
    path = tmp_path / "rumus.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    error = _refused(path)
    assert error.code == "ods.formula"


def _lines_reference(data: bytes, limit: int) -> int | str:
    """What ``text_check`` must answer, worked out line by line: the line count, or the
    1-based number of the first line longer than ``limit`` (as text, like the error)."""
    pieces = data.split(b"\n")
    for number, piece in enumerate(pieces, 1):
        if len(piece) > limit:
            return str(number)
    return len(pieces) - 1 + (1 if pieces[-1] else 0)


@settings(max_examples=400, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=30),
    final_newline=st.booleans(),
    limit=st.integers(min_value=1, max_value=25),
    chunk=st.sampled_from([7, 16, 64, 1 << 20]),
)
def test_text_check_counts_lines_and_names_the_first_too_long(
    tmp_path_factory: pytest.TempPathFactory,
    lengths: list[int],
    final_newline: bool,
    limit: int,
    chunk: int,
) -> None:
    """Lines are shown short enough a stretch at a time, not line end by line end (issue
    16); the answer must stay what counting every line gives, wherever the chunks end."""
    from payung.engine import upload_guard

    data = b"\n".join(b"x" * n for n in lengths) + (b"\n" if final_newline else b"")
    path = tmp_path_factory.mktemp("lines") / "lines.csv"
    path.write_bytes(data)
    expected = _lines_reference(data, limit)
    limits = ReadLimits(max_line_bytes=limit)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(upload_guard, "_CHUNK", chunk)
        if isinstance(expected, str):
            with pytest.raises(ReadError) as info:
                upload_guard.text_check(path, file="lines.csv", limits=limits)
            assert info.value.code == "csv.line_too_long"
            assert info.value.params["line"] == expected
        else:
            assert upload_guard.text_check(path, file="lines.csv", limits=limits) == expected


@pytest.mark.parametrize(
    ("data", "quoted", "ascii_only"),
    [
        (b"NIK,ALAMAT\n1,Dusun Krajan\n", False, True),
        (b'NIK,ALAMAT\n1,"Dusun\nKrajan"\n', True, True),
        (b"NIK,ALAMAT\n" + b"1,Dusun\n" * 20 + b'2,"x"\n', True, True),
        (b"NIK,NAMA\n" + b"1,DEDE\n" * 20 + "2,Dédé\n".encode(), False, False),
        (b"NIK,NAMA\n" + b"1,DEDE\n" * 20 + "2,Dédé\n".encode("cp1252"), False, False),
    ],
)
def test_text_scan_sees_a_quote_or_a_letter_above_ascii_in_any_chunk(
    tmp_path: Path, data: bytes, quoted: bool, ascii_only: bool
) -> None:
    """Whether a file holds a double quote decides whether pyarrow may take every line
    break as a record's end, and with whether every byte is ASCII, whether it may read in
    bigger blocks (``readers._block_size``): a quote or a Windows-1252 or UTF-8 letter in a
    later chunk must be seen."""
    from payung.engine import upload_guard

    path = tmp_path / "kutip.csv"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(upload_guard, "_CHUNK", 16)
        scan = upload_guard.text_scan(path, file="kutip.csv", limits=ReadLimits())
    assert scan.quoted is quoted
    assert scan.ascii is ascii_only
    assert scan.lines == data.count(b"\n")
