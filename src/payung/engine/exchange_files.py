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

from payung.engine.readers import (
    CSV_SUFFIXES,
    ReadError,
    _cell_text,
    _check_file,
    _error,
    _sniff_delimiter,
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


def read_text_table(path: Path) -> TextTable:
    """CSV (``,`` ``;`` or tab; UTF-8 with or without BOM, else Windows-1252) or a
    spreadsheet's first sheet. Blank rows are skipped. Raises ``ReadError`` (Indonesian)."""
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix not in EXCHANGE_SUFFIXES:
        raise _error("file.format", path=path.name, suffix=suffix)
    raw = _csv_rows(path) if suffix in CSV_SUFFIXES else _sheet_rows(path)
    header_at = next((i for i, row in enumerate(raw) if any(c.strip() for c in row)), None)
    if header_at is None:
        raise _error("file.empty", path=path.name)
    headers = [" ".join(c.split()).upper() for c in raw[header_at]]
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
        raise _error("file.header_only", path=path.name)
    return TextTable(headers=headers, rows=rows, row_numbers=numbers)


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    try:
        return list(csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(first)))
    except csv.Error as exc:
        raise _error("file.unreadable", path=path.name, reason=str(exc)[:160]) from None


def _sheet_rows(path: Path) -> list[list[str]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not workbook.sheet_names:
                raise _error("file.empty", path=path.name)
            sheet = workbook.get_sheet_by_index(0)
            return [
                [_cell_text(cell, "tanggal_lahir")[0] or "" for cell in row]
                for row in sheet.iter_rows()
            ]
    except ReadError:
        raise
    except (CalamineError, OSError, ValueError):
        raise _error(
            "file.unreadable", path=path.name, reason="bukan berkas spreadsheet yang sah"
        ) from None
