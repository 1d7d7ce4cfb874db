"""Limits checked before a parser touches an uploaded file, and the formulas it holds.

The parsers (pyarrow for CSV, calamine for spreadsheets) are fast but trusting: a 785 KB XLSX
that declares a million rows kept a web request busy for 24 seconds and 1.5 GB, a zip bomb
added 0.8 GB, and a sheet padded with a gigabyte of whitespace was read as one row (issue
17, defect 5). Everything here is decided from what the file says about itself or from one
streaming pass that holds a few megabytes at a time:

- a text file: binary content (NUL), UTF-16, the longest physical line and the line count;
- a zip container (XLSX, ODS): the number of parts, their declared uncompressed sizes, each
  part's compression ratio, and ``DOCTYPE``/``ENTITY`` declarations (XML bombs; Excel never
  writes them); the first sheet's declared dimension and rows, counted while streaming, and
  where its formula cells are (calamine only gives their cached results);
- Parquet: rows, columns and uncompressed size from the footer.

The limits are plain values with defaults (no settings: the engine has no Django); callers
pass their own :class:`ReadLimits` for each kind of upload.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Final

import numpy as np

from payung.engine.read_errors import read_error

__all__ = [
    "EXCHANGE_LIMITS",
    "EXTRACT_LIMITS",
    "ReadLimits",
    "SheetScan",
    "TextScan",
    "parquet_check",
    "text_check",
    "text_scan",
    "workbook_check",
]

_CHUNK: Final = 4 << 20
_OVERLAP: Final = 4096


@dataclass(frozen=True)
class ReadLimits:
    """What one kind of upload may hold; every figure is checked before parsing.

    ``max_ratio`` applies to parts larger than ``ratio_floor_bytes`` (tiny XML parts of a
    real workbook compress well beyond it, and cost nothing).
    """

    max_rows: int = 5_000_000
    max_columns: int = 500
    max_line_bytes: int = 1 << 20
    max_uncompressed_bytes: int = 2 << 30
    max_ratio: int = 100
    ratio_floor_bytes: int = 1 << 20
    max_entries: int = 10_000


#: A regency's DTSEN extract: millions of rows are real (Pasal 7 ayat (1) pendataan).
EXTRACT_LIMITS: Final = ReadLimits()

#: Answer files of another agency: one batch of candidates, thousands of rows.
EXCHANGE_LIMITS: Final = ReadLimits(
    max_rows=100_000,
    max_columns=100,
    max_line_bytes=256 << 10,
    max_uncompressed_bytes=256 << 20,
)

# --------------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------------

_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class TextScan:
    """What ``text_scan`` saw of a text file it let through."""

    #: Physical lines (a quoted address with a line break counts twice).
    lines: int
    #: Whether any byte is a double quote: without one no value can hold a line break.
    quoted: bool
    #: Whether every byte is ASCII: then the file is UTF-8 whatever else it holds.
    ascii: bool = False


def text_check(path: Path, *, file: str, limits: ReadLimits) -> int:
    """Refuse binary, UTF-16, over-long lines and too many lines; return the line count."""
    return text_scan(path, file=file, limits=limits).lines


def text_scan(path: Path, *, file: str, limits: ReadLimits) -> TextScan:
    """``text_check``, also saying whether the file holds a double quote.

    One pass over the bytes, 4 MB at a time: a few memchr calls show no line of a chunk is
    too long (``_inner_lines_within``) and numpy counts its line ends; every line end is
    found only in a chunk where that fails, to name the over-long line. Physical lines are
    counted (a quoted address with a line break counts twice): the limit is a bound, not
    the row count. Looking for a quote is one more memchr a chunk until one is found, and
    for a byte above ASCII one more scan until one is found (0.05 s for 1.37 GB).
    """
    lines = 0
    current = 0  # length of the line still open at the end of the previous chunk
    first = True
    quoted = False
    ascii_only = True
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            quoted = quoted or b'"' in chunk
            ascii_only = ascii_only and chunk.isascii()
            if first:
                first = False
                if chunk.startswith(_UTF16_BOMS) or _looks_utf16(chunk[:4096]):
                    raise read_error("csv.utf16", file=file)
            if b"\x00" in chunk:
                raise read_error("file.binary", file=file)
            first_end = chunk.find(b"\n")
            last_end = chunk.rfind(b"\n")
            if (
                first_end >= 0
                and current + first_end <= limits.max_line_bytes
                and _inner_lines_within(chunk, first_end, last_end, limits.max_line_bytes)
            ):
                # The common case: no line ending here is too long, so they are only counted
                # (numpy's comparison counts ten times faster than ``bytes.count``).
                lines += int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == 10))
                current = len(chunk) - last_end - 1
            else:
                ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
                if ends.size == 0:
                    current += len(chunk)
                else:
                    first_length = current + int(ends[0])
                    gaps = np.diff(ends) - 1 if ends.size > 1 else np.empty(0, dtype=np.int64)
                    chunk_longest = max(first_length, int(gaps.max()) if gaps.size else 0)
                    if chunk_longest > limits.max_line_bytes:
                        at = _long_line(lines, current, ends, limits.max_line_bytes)
                        raise read_error(
                            "csv.line_too_long", file=file, line=at, limit=limits.max_line_bytes
                        )
                    lines += int(ends.size)
                    current = len(chunk) - int(ends[-1]) - 1
            if current > limits.max_line_bytes:
                raise read_error(
                    "csv.line_too_long", file=file, line=lines + 1, limit=limits.max_line_bytes
                )
            if lines > limits.max_rows + 1:
                raise read_error("limits.rows", file=file, limit=limits.max_rows)
    return TextScan(lines=lines + (1 if current else 0), quoted=quoted, ascii=ascii_only)


def _inner_lines_within(chunk: bytes, first_end: int, last_end: int, limit: int) -> bool:
    """Whether no line between the first and the last line end of ``chunk`` (at
    ``first_end`` and ``last_end``) can be longer than ``limit``; False means "count
    exactly" (``text_check``).

    If every stretch of half the limit from the first line end on holds a line end, no line
    there holds a whole stretch, so each is shorter than the limit. Finding the first line
    end of a few stretches is memchr's work; finding every line end with numpy took a
    second at 10 million rows (issue 16).
    """
    step = limit // 2
    if step < 1:
        return False
    start = first_end + 1
    while start + step <= last_end:
        if chunk.find(b"\n", start, start + step) < 0:
            return False
        start += step
    return True


def _long_line(before: int, current: int, ends: np.ndarray, limit: int) -> int:
    """1-based number of the first physical line over ``limit`` bytes in this chunk."""
    starts = np.concatenate(([-1 - current], ends[:-1]))
    over = np.flatnonzero(ends - starts - 1 > limit)
    return before + int(over[0]) + 1 if over.size else before + 1


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is NUL."""
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > len(odd) * 0.7 or even.count(0) > len(even) * 0.7


# --------------------------------------------------------------------------------------------
# Zip containers: XLSX and ODS
# --------------------------------------------------------------------------------------------


@dataclass
class SheetScan:
    """What the first sheet's XML says before calamine reads it.

    ``formulas`` maps a 0-based (row, column) of the sheet to the formula's text; a cell
    written without its ``r`` reference is placed at column -1 (its row is still known).
    """

    rows: int = 0
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    has_formulas: bool = False


_DOCTYPE: Final = (b"<!DOCTYPE", b"<!ENTITY")
_SHEET_REF = re.compile(rb"<(?:[\w.-]+:)?sheet\b[^>]*?\b(?:[\w.-]+:)?id=\"([^\"]+)\"")
_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"\b([\w.:-]+)=\"([^\"]*)\"")
_DIMENSION = re.compile(
    rb"<(?:[\w.-]+:)?dimension\b[^>]*\bref=\"([A-Za-z]*)(\d*):?([A-Za-z]*)(\d*)\""
)
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f(?=[\s>/])([^>]*?)(/?)>")
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*>")
_ROW_START = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*>")
_CELL_REF = re.compile(rb"\br=\"([A-Za-z]{1,4})(\d{1,8})\"")


def workbook_check(path: Path, *, file: str, limits: ReadLimits) -> SheetScan:
    """Check an XLSX/XLSM/ODS container and scan its first sheet; raise ReadError if unsafe.

    Runs before calamine opens the file. The central directory's declared sizes are checked
    first (nothing decompressed); then each XML part is streamed once, through ``zipfile``,
    which stops at the declared size and checks the CRC, so a part that lies about its size
    is refused as corrupt rather than inflated.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise read_error("xlsx.not_zip", file=file) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise read_error(
                "limits.entries", file=file, count=len(infos), limit=limits.max_entries
            )
        total = 0
        for info in infos:
            total += info.file_size
            if total > limits.max_uncompressed_bytes:
                raise read_error(
                    "limits.uncompressed",
                    file=file,
                    size=total,
                    limit=limits.max_uncompressed_bytes,
                )
            if info.file_size > limits.ratio_floor_bytes:
                ratio = info.file_size // max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise read_error(
                        "limits.ratio",
                        file=file,
                        part=_part_name(info.filename),
                        ratio=ratio,
                        limit=limits.max_ratio,
                    )
        if any(info.flag_bits & 0x1 for info in infos):
            raise read_error("xlsx.password", file=file)
        names = {info.filename for info in infos}
        if "mimetype" in names and "content.xml" in names:
            return _ods_scan(archive, file=file, limits=limits)
        if "EncryptedPackage" in names:
            raise read_error("xlsx.password", file=file)
        for required in ("[Content_Types].xml", "xl/workbook.xml"):
            if required not in names:
                raise read_error("xlsx.missing_part", file=file, part=required)
        sheet = _first_sheet(archive, names, file=file)
        for info in infos:
            if info.filename != sheet and info.filename.endswith((".xml", ".rels", ".vml")):
                for _chunk in _stream(archive, info.filename, file=file):
                    pass
        return _sheet_scan(archive, sheet, file=file, limits=limits)


def _part_name(name: str) -> str:
    """A part's name for a message: printable, short (it is the file's own, not data)."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return clean if len(clean) <= 60 else clean[:59] + "…"


def _stream(archive: zipfile.ZipFile, name: str, *, file: str) -> Iterator[bytes]:
    """Decompressed chunks of one part, refusing XML entity declarations on the way."""
    tail = b""
    try:
        with archive.open(name) as part:
            first = True
            while chunk := part.read(_CHUNK):
                if first:
                    first = False
                    if chunk.startswith(_UTF16_BOMS):
                        raise read_error("xlsx.unreadable", file=file)
                window = tail + chunk
                if any(marker in window for marker in _DOCTYPE):
                    raise read_error("xlsx.xml_entities", file=file, part=_part_name(name))
                tail = chunk[-16:]
                yield chunk
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        OSError,
        NotImplementedError,
        RuntimeError,
    ):
        # CRC mismatch, truncated data, unsupported compression or encryption.
        raise read_error("xlsx.corrupt_part", file=file, part=_part_name(name)) from None


def _read_small(archive: zipfile.ZipFile, name: str, *, file: str) -> bytes:
    return b"".join(_stream(archive, name, file=file))


def _first_sheet(archive: zipfile.ZipFile, names: set[str], *, file: str) -> str:
    """The part calamine reads as sheet 0: the first ``<sheet>`` of the workbook."""
    workbook = _read_small(archive, "xl/workbook.xml", file=file)
    match = _SHEET_REF.search(workbook)
    rels_name = "xl/_rels/workbook.xml.rels"
    if match is None or rels_name not in names:
        raise read_error("xlsx.missing_part", file=file, part="xl/worksheets")
    wanted = match.group(1)
    for rel in _REL.finditer(_read_small(archive, rels_name, file=file)):
        attrs = dict(_ATTR.findall(rel.group(0)))
        if attrs.get(b"Id") == wanted:
            target = attrs.get(b"Target", b"").decode("utf-8", "replace")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                parts: list[str] = ["xl"]
                for piece in PurePosixPath(target).parts:
                    if piece == "..":
                        if parts:
                            parts.pop()
                    elif piece != ".":
                        parts.append(piece)
                resolved = "/".join(parts)
            if resolved in names:
                return resolved
    raise read_error("xlsx.missing_part", file=file, part="xl/worksheets")


def _column_index(letters: bytes) -> int:
    """``A`` -> 0, ``AB`` -> 27."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ch - 64)
    return index - 1


def _sheet_scan(archive: zipfile.ZipFile, name: str, *, file: str, limits: ReadLimits) -> SheetScan:
    """Rows and formula cells of one sheet, in one streaming pass.

    Rows are counted with ``bytes.count`` (fast, C); only the rare formula element is looked
    at with a regular expression, and its cell found by searching back for the ``<c`` that
    opens it. The declared ``<dimension>`` is checked on the first chunk, so a sheet claiming
    a million rows is refused before the rest is even inflated.
    """
    scan = SheetScan()
    tail = b""
    last_row = -1
    first = True
    for chunk in _stream(archive, name, file=file):
        window = tail + chunk
        if first:
            first = False
            dimension = _DIMENSION.search(window)
            if dimension is not None:
                _check_dimension(dimension.groups(), file=file, limits=limits)
        scan.rows += (
            window.count(b"<row")
            + window.count(b":row")
            - tail.count(b"<row")
            - (tail.count(b":row"))
        )
        if scan.rows > limits.max_rows + 1:
            raise read_error("limits.rows", file=file, limit=limits.max_rows)
        for match in _FORMULA.finditer(window):
            if match.end() <= len(tail):
                continue  # wholly inside the overlap: found in the previous window
            scan.has_formulas = True
            row, column = _formula_cell(window, match.start(), last_row)
            last_row = row
            text = b""
            if not match.group(2):
                close = window.find(b"</", match.end())
                text = window[match.end() : close] if close != -1 else b""
            formula = unescape(text.decode("utf-8", "replace"))
            scan.formulas.setdefault((row, column), formula)
        tail = window[-_OVERLAP:]
    return scan


def _formula_cell(window: bytes, at: int, last_row: int) -> tuple[int, int]:
    """0-based (row, column) of the cell holding the formula element at ``at``."""
    cell_at = max((m for m in _cell_starts(window, at)), default=None)
    if cell_at is not None:
        ref = _CELL_REF.search(cell_at)
        if ref is not None:
            return int(ref.group(2)) - 1, _column_index(ref.group(1))
    row_at = max((m for m in _row_starts(window, at)), default=None)
    if row_at is not None:
        ref = re.search(rb"\br=\"(\d{1,8})\"", row_at)
        if ref is not None:
            return int(ref.group(1)) - 1, -1
    return max(last_row, 0), -1


def _cell_starts(window: bytes, at: int) -> list[bytes]:
    start = max(0, at - _OVERLAP)
    found = list(_CELL_START.finditer(window, start, at))
    return [found[-1].group(0)] if found else []


def _row_starts(window: bytes, at: int) -> list[bytes]:
    start = max(0, at - 64 * _OVERLAP)
    found = list(_ROW_START.finditer(window, start, at))
    return [found[-1].group(0)] if found else []


def _check_dimension(groups: tuple[bytes, ...], *, file: str, limits: ReadLimits) -> None:
    """``A1:M1000001`` -> refuse more rows or columns than the limits allow."""
    first_col, first_row, last_col, last_row = groups
    end_row = last_row or first_row
    end_col = last_col or first_col
    if end_row and int(end_row) > limits.max_rows + 1:
        raise read_error("limits.rows", file=file, limit=limits.max_rows)
    if end_col:
        width = _column_index(end_col) - (_column_index(first_col) if first_col else 0) + 1
        if width > limits.max_columns:
            raise read_error("limits.columns", file=file, count=width, limit=limits.max_columns)


def _ods_scan(archive: zipfile.ZipFile, *, file: str, limits: ReadLimits) -> SheetScan:
    """An OpenDocument sheet: every XML part streamed (entities refused), rows counted.

    ODS repeats rows and cells by attribute, so formula positions are not mapped here:
    ``has_formulas`` alone is reported and the spreadsheet reader refuses such a file.
    """
    scan = SheetScan()
    for info in archive.infolist():
        if not info.filename.endswith(".xml"):
            continue
        tail = b""
        for chunk in _stream(archive, info.filename, file=file):
            if info.filename == "content.xml":
                window = tail + chunk
                scan.rows += window.count(b"<table:table-row") - tail.count(b"<table:table-row")
                if b"table:formula=" in window:
                    scan.has_formulas = True
                if scan.rows > limits.max_rows + 1:
                    raise read_error("limits.rows", file=file, limit=limits.max_rows)
                tail = window[-64:]
    return scan


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


def parquet_check(path: Path, *, file: str, limits: ReadLimits) -> None:
    """Rows, columns and uncompressed size from the footer, before any column is read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError, ValueError, IndexError):
        raise read_error("parquet.unreadable", file=file) from None
    if metadata.num_columns > limits.max_columns:
        raise read_error(
            "limits.columns", file=file, count=metadata.num_columns, limit=limits.max_columns
        )
    if metadata.num_rows > limits.max_rows:
        raise read_error("limits.rows", file=file, limit=limits.max_rows)
    size = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if size > limits.max_uncompressed_bytes:
        raise read_error(
            "limits.uncompressed", file=file, size=size, limit=limits.max_uncompressed_bytes
        )
