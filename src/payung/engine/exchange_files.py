"""Read the small exchange files that come back from other agencies (Disdukcapil, BPJS).

Unlike a DTSEN extract these have their own columns and are thousands of rows, not millions:
every cell is read as text (spreadsheet numbers and dates as people typed them, through the
DTSEN reader's cell rules) and the caller validates each row with its own messages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from payung.engine.read_errors import ReadError, read_error
from payung.engine.readers import (
    CSV_SUFFIXES,
    _cell_text,
    _check_file,
    _formula_text,
    _not_a_workbook,
    _sniff_delimiter,
)
from payung.engine.upload_guard import (
    EXCHANGE_LIMITS,
    ReadLimits,
    SheetScan,
    text_check,
    workbook_check,
)

EXCHANGE_SUFFIXES: Final = frozenset({".csv", ".txt", ".xlsx", ".xlsm", ".ods"})


@dataclass(frozen=True)
class TextTable:
    """Headers (upper-cased, trimmed) and rows of trimmed text; ``row_numbers`` are the lines
    or sheet rows people see in Excel (header = 1), so messages point at the right row."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]

    def column(self, name: str) -> int | None:
        try:
            return self.headers.index(name)
        except ValueError:
            return None


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """An exchange CSV as Excel in an Indonesian locale opens it: ``;``-separated, UTF-8
    with BOM (without it Excel on Windows reads UTF-8 as ANSI), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_text_table(
    path: Path, *, name: str | None = None, limits: ReadLimits = EXCHANGE_LIMITS
) -> TextTable:
    """CSV (``,`` ``;`` or tab; UTF-8 with or without BOM, else Windows-1252) or a
    spreadsheet's first sheet. Blank rows are skipped. Raises ``ReadError`` (Indonesian)
    naming the file ``name`` (the uploaded name; the file's own name when None). ``limits``
    are checked before parsing: an answer file is a batch, not a regency."""
    path = Path(path)
    file = name if name is not None else path.name
    size = _check_file(path, file=file)
    suffix = path.suffix.lower()
    if suffix not in EXCHANGE_SUFFIXES:
        raise read_error(
            "file.format",
            file=file,
            suffix=suffix[:12] or "(tanpa akhiran)",
            allowed="CSV (.csv, .txt), Excel (.xlsx, .xlsm) atau OpenDocument (.ods)",
        )
    if size == 0:
        raise read_error("file.empty", file=file)
    try:
        if suffix in CSV_SUFFIXES:
            raw = _csv_rows(path, file=file, limits=limits)
        else:
            raw = _sheet_rows(path, file=file, limits=limits)
    except OSError:
        raise read_error("file.io", file=file) from None
    header_at = next((i for i, row in enumerate(raw) if any(c.strip() for c in row)), None)
    if header_at is None:
        raise read_error("file.empty", file=file)
    headers = [" ".join(c.split()).upper() for c in raw[header_at]]
    if len(headers) > limits.max_columns:
        raise read_error("limits.columns", file=file, count=len(headers), limit=limits.max_columns)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for index in range(header_at + 1, len(raw)):
        cells = [c.strip() for c in raw[index]]
        if not any(cells):
            continue
        cells += [""] * (len(headers) - len(cells))
        rows.append(cells)
        numbers.append(index + 1)
    if not rows:
        raise read_error("file.header_only", file=file)
    return TextTable(headers=headers, rows=rows, row_numbers=numbers)


def _csv_rows(path: Path, *, file: str, limits: ReadLimits) -> list[list[str]]:
    """Every row as text; ``text_check`` has bounded lines and their count already."""
    text_check(path, file=file, limits=limits)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise read_error("file.binary", file=file)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(first))
    previous = csv.field_size_limit(limits.max_line_bytes)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > limits.max_rows + 1:
                raise read_error("limits.rows", file=file, limit=limits.max_rows)
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            raise read_error(
                "csv.field_too_long", file=file, line=line, limit=limits.max_line_bytes
            ) from None
        raise read_error("csv.syntax", file=file) from None
    finally:
        csv.field_size_limit(previous)
    return rows


def _sheet_rows(path: Path, *, file: str, limits: ReadLimits) -> list[list[str]]:
    """The first sheet as text, formula cells as their formula (see readers._formula_text)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    wrong = _not_a_workbook(path, file=file, expected="buku kerja spreadsheet")
    if wrong is not None:
        raise wrong
    scan = workbook_check(path, file=file, limits=limits)
    if path.suffix.lower() == ".ods" and scan.has_formulas:
        raise read_error("ods.formula", file=file)
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not workbook.sheet_names:
                raise read_error("file.empty", file=file)
            sheet = workbook.get_sheet_by_index(0)
            end_row, end_col = sheet.end or (0, 0)
            _start_row, start_col = sheet.start or (0, 0)
            if end_row + 1 > limits.max_rows + 1:
                raise read_error("limits.rows", file=file, limit=limits.max_rows)
            if end_col - start_col + 1 > limits.max_columns:
                count = end_col - start_col + 1
                raise read_error("limits.columns", file=file, count=count, limit=limits.max_columns)
            rows = [
                [_cell_text(cell, "tanggal_lahir")[0] or "" for cell in row]
                for row in sheet.iter_rows()
            ]
    except ReadError:
        raise
    except PasswordError:
        raise read_error("xlsx.password", file=file) from None
    except (CalamineError, ValueError, UnicodeError, OverflowError):
        raise read_error("xlsx.unreadable", file=file) from None
    return _with_formulas(rows, scan, start_col)


def _with_formulas(rows: list[list[str]], scan: SheetScan, start_col: int) -> list[list[str]]:
    """Replace each formula cell's cached result by its formula text (``=``...)."""
    for (row_at, col_at), formula in scan.formulas.items():
        if row_at >= len(rows):
            continue
        col = col_at - start_col if col_at >= 0 else 0
        row = rows[row_at]
        if col >= len(row):
            row.extend([""] * (col + 1 - len(row)))
        row[col] = _formula_text(formula)
    return rows
