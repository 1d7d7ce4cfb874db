"""Turn a regency's DTSEN extract (CSV, spreadsheet or Parquet) into one canonical Arrow table.

Every later step (screening, ranking, synthesis) reads only the table built here, so this module
absorbs all the mess of real exports in one place: whatever the file calls its columns, whatever
its delimiter or encoding, and whatever Excel did to the cells. The result always has the same
shape — ``row`` (int64), every canonical column from :mod:`payung.engine.columns` as text, and
``nik_numeric_cell`` (bool) — so the screening expressions never meet a surprise.

All values are kept as *text* on purpose: a NIK or KK number read as an integer loses leading
characters or, through a float, its 16th digit; typing is the screening step's job, where a bad
value can be reported instead of silently coerced.

Every failure a user can cause is raised as :class:`ReadError` with a stable ``code`` and an
Indonesian message, so the CLI can print it without a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import yaml

from payung.engine.columns import ALIASES, CANONICAL, NIK_NUMERIC_CELL, REQUIRED, ROW, header_key
from payung.engine.memory import arrow_pool_choose
from payung.engine.read_errors import ReadError, read_error
from payung.engine.upload_guard import (
    EXTRACT_LIMITS,
    ReadLimits,
    SheetScan,
    TextScan,
    parquet_check,
    text_scan,
    workbook_check,
)

__all__ = [
    "COMMAND_LINE_LIMITS",
    "ColumnMapping",
    "FileStamp",
    "ReadError",
    "ReadLimits",
    "file_sha256",
    "file_stamp",
    "read_extract",
]

CSV_SUFFIXES: Final = frozenset({".csv", ".txt"})
SPREADSHEET_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
PARQUET_SUFFIXES: Final = frozenset({".parquet"})

# Every extract is read here first, so the allocator is chosen before its tables exist.
arrow_pool_choose()

#: Column whose spreadsheet date cells become ISO dates (the time part is meaningless there).
_DATE_COLUMN: Final = "tanggal_lahir"

#: Longest text a formula cell becomes (``=`` and the formula's start): it must fit every
#: stored column (DESIL holds 10), and it is evidence for the operator, not a value.
_FORMULA_MARK_CHARS: Final = 10

#: An extract screened from the command line (``payung screen``): the operator's own file on
#: their own machine, so only the row bound of an upload is lifted, to a province's or the
#: nation's size (issue 16: tens to hundreds of millions of rows); every other bound stays.
COMMAND_LINE_LIMITS: Final = replace(EXTRACT_LIMITS, max_rows=500_000_000)

#: What ``file.format`` lists as accepted, for extracts.
_EXTRACT_FORMATS: Final = (
    "CSV (.csv, .txt), Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods), atau Parquet (.parquet)"
)


def _error(code: str, **params: object) -> ReadError:
    """Build a ReadError from the one wording table (:mod:`payung.engine.read_errors`)."""
    return read_error(code, **params)


# --------------------------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------------------------


def _canonical_name(name: str) -> str | None:
    """``NIK``, ``nik`` or ``Tanggal Lahir`` -> the canonical name, or None when unknown."""
    candidate = header_key(name).lower()
    return candidate if candidate in ALIASES else None


def _known_columns() -> str:
    return ", ".join(name.upper() for name in CANONICAL)


@dataclass(frozen=True)
class ColumnMapping:
    """A regency's own header names for canonical columns, from ``--columns mapping.yaml``.

    Exports differ per regency and per year; rather than growing the alias list forever, an
    officer writes down once which of *their* headers is which DTSEN column. Keys are stored as
    :func:`header_key` so the mapping matches headers the same forgiving way aliases do.
    """

    #: header_key(their header) -> canonical column name.
    renames: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        normalised: dict[str, str] = {}
        for header, target in self.renames.items():
            canonical = _canonical_name(target)
            if canonical is None:
                raise ValueError(f"unknown canonical column {target!r} for header {header!r}")
            normalised[header_key(header)] = canonical
        # Read-only view: a mapping shared between reads must not change under them.
        object.__setattr__(self, "renames", MappingProxyType(normalised))

    @classmethod
    def load(cls, path: Path) -> ColumnMapping:
        """Parse ``{"columns": {"Their Header": "NIK", ...}}``; every mistake is a ReadError.

        Being strict here (unknown top-level keys, unknown targets, contradictory entries) is
        deliberate: a typo in the mapping would otherwise surface much later as a confusing
        "missing column" or, worse, a wrong column silently screened.
        """
        shown = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise _error("mapping.not_found", file=shown) from None
        except UnicodeDecodeError:
            raise _error("mapping.invalid", file=shown, reason="berkas bukan teks UTF-8") from None
        except OSError:
            raise _error(
                "mapping.invalid", file=shown, reason="berkas tidak dapat dibaca"
            ) from None

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (baris {mark.line + 1})" if mark is not None else ""
            raise _error("mapping.invalid", file=shown, reason=f"YAML tidak valid{where}") from None

        if not isinstance(document, dict) or "columns" not in document:
            raise _error("mapping.invalid", file=shown, reason="kunci 'columns' tidak ditemukan")
        extra = sorted(str(key) for key in document if key != "columns")
        if extra:
            raise _error(
                "mapping.invalid",
                file=shown,
                reason="kunci tidak dikenal: " + ", ".join(f"'{key}'" for key in extra),
            )
        entries = document["columns"]
        if not isinstance(entries, dict) or not entries:
            raise _error(
                "mapping.invalid",
                file=shown,
                reason="'columns' harus berisi pasangan 'Judul kolom Anda: KOLOM_DTSEN'",
            )

        renames: dict[str, str] = {}
        for header, target in entries.items():
            if not isinstance(header, str) or not header_key(header):
                raise _error(
                    "mapping.invalid",
                    file=shown,
                    reason=f"judul kolom {header!r} harus berupa teks (tulis dalam tanda kutip)",
                )
            if not isinstance(target, str):
                raise _error(
                    "mapping.invalid",
                    file=shown,
                    reason=f"kolom tujuan untuk '{header}' harus berupa nama kolom DTSEN",
                )
            canonical = _canonical_name(target)
            if canonical is None:
                raise _error(
                    "mapping.unknown_column",
                    file=shown,
                    column=target,
                    header=header,
                    known=_known_columns(),
                )
            key = header_key(header)
            if renames.get(key, canonical) != canonical:
                raise _error(
                    "mapping.invalid",
                    file=shown,
                    reason=(
                        f"judul '{header}' dipetakan ke dua kolom berbeda: "
                        f"{renames[key].upper()} dan {canonical.upper()}"
                    ),
                )
            renames[key] = canonical
        return cls(renames=renames)


# --------------------------------------------------------------------------------------------
# Header resolution
# --------------------------------------------------------------------------------------------

#: header_key(alias) -> canonical column.
_ALIAS_INDEX: Final[dict[str, str]] = {
    header_key(alias): canonical for canonical, aliases in ALIASES.items() for alias in aliases
}


def _resolve_columns(
    headers: Sequence[str], mapping: ColumnMapping | None, *, file: str
) -> dict[str, int]:
    """Decide which source column feeds each canonical column: canonical -> source index.

    A mapping entry beats the alias list: if the mapping names a source for NIK, a header that
    merely *looks* like NIK (say a head-of-household ``NIK`` next to the member's ``NIK_ART``)
    is ignored rather than reported as ambiguous — the officer has already chosen.

    Messages name columns by our own vocabulary and by position, never by the file's text: a
    "header" may be a row of NIKs and names when the header row is missing (defect 1).
    """
    renames = mapping.renames if mapping is not None else {}
    by_mapping: dict[str, list[int]] = {}
    by_alias: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        if key in renames:
            by_mapping.setdefault(renames[key], []).append(index)
        elif key in _ALIAS_INDEX:
            by_alias.setdefault(_ALIAS_INDEX[key], []).append(index)

    chosen: dict[str, int] = {}
    clashes: list[str] = []
    for canonical in CANONICAL:
        sources = by_mapping.get(canonical) or by_alias.get(canonical) or []
        if len(sources) > 1:
            # A matched header is an alias or a mapping key: our vocabulary, not data.
            names = ", ".join(f"kolom ke-{i + 1} '{header_key(headers[i])}'" for i in sources)
            clashes.append(f"{canonical.upper()} ({names})")
        elif sources:
            chosen[canonical] = sources[0]
    if clashes:
        raise _error("columns.ambiguous", file=file, detail="; ".join(clashes))

    missing = [name for name in REQUIRED if name not in chosen]
    if missing:
        details = []
        for name in missing:
            aliases = [a for a in ALIASES[name] if header_key(a) != name.upper()]
            suffix = f" (alias: {', '.join(aliases)})" if aliases else ""
            details.append(f"{name.upper()}{suffix}")
        raise _error(
            "columns.missing",
            file=file,
            columns=", ".join(name.upper() for name in missing),
            detail=", ".join(details),
            found=_headers_found(headers, chosen),
        )
    return chosen


#: A header cell that is really a value: 6+ digits (NIK, KK, dates), or too long for a title.
_DATA_LIKE = re.compile(r"\d{6,}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_MAX_HEADER_CHARS: Final = 40


def _headers_found(headers: Sequence[str], chosen: Mapping[str, int]) -> str:
    """What the header row held, without quoting it: recognised columns and a count of others.

    When the first row looks like data, say so: that is the usual cause (a file saved without
    its header row), and the fix is one sentence away.
    """
    texts = [h.strip() for h in headers if h and h.strip()]
    digits_only = sum(1 for h in texts if h.replace(" ", "").isdigit())
    if any(_DATA_LIKE.search(h) or len(h) > _MAX_HEADER_CHARS for h in texts) or (
        texts and digits_only * 2 >= len(texts)
    ):
        return (
            "Baris pertama tampaknya berisi data, bukan judul kolom: tambahkan baris judul "
            f"kolom ({', '.join(name.upper() for name in REQUIRED)}) di atasnya. "
        )
    known = [name.upper() for name in CANONICAL if name in chosen]
    others = len(texts) - len(known)
    if not texts:
        return "Baris judul kolom kosong. "
    listed = (
        f"Kolom yang dikenali: {', '.join(known)}" if known else "Tidak ada kolom yang dikenali"
    )
    return f"{listed}; {others} kolom lain tidak dikenali. " if others else f"{listed}. "


# --------------------------------------------------------------------------------------------
# Shared finishing: trim, nulls, row numbers, canonical shape
# --------------------------------------------------------------------------------------------


def _drop_empty(chunk: pa.Array) -> pa.Array:
    """Null out the empty strings of one (already trimmed) chunk.

    The validity bitmap is rebuilt over the existing buffers instead of going through
    ``if_else``, which would copy every string (a third of the 1M-row time budget).
    """
    valid = pc.and_kleene(chunk.is_valid(), pc.greater(pc.binary_length(chunk), 0))
    if chunk.offset != 0 or valid.offset != 0 or valid.null_count != 0:
        return pc.if_else(valid, chunk, pa.scalar(None, pa.string()))
    _, offsets, data = chunk.buffers()
    return pa.Array.from_buffers(pa.string(), len(chunk), [valid.buffers()[1], offsets, data])


@dataclass(frozen=True)
class _Edges:
    """What the edge bytes of a text chunk's cells say (``_chunk_edges``)."""

    #: Some cell may start or end with whitespace.
    trim: bool
    #: Some present cell is empty.
    empty: bool


#: Bytes an edge of a cell may not be for it to need no trim: ASCII up to the space, DEL,
#: and every byte of a multi-byte character (``_chunk_edges``).
_TRIM_EDGE: Final = np.array([b <= 0x20 or b >= 0x7F for b in range(256)], dtype=bool)


def _chunk_edges(chunk: pa.Array) -> _Edges:
    """Whether a ``string`` chunk may need trimming and whether it holds empty cells.

    Read from the buffers: each cell's length and the first and last byte of every cell.
    Every character ``utf8_trim_whitespace`` removes is either an ASCII byte up to the
    space or a multi-byte character (lead byte 0xC2 or above, continuation bytes 0x80 or
    above), so a cell whose two edge bytes are printable ASCII needs no trim. Trimming
    copies every string and comparing lengths reads them all again (at 10 million rows
    about 0.2 s a column, 13 columns, issue 16); this reads two bytes a cell.
    Conservative: a cell ending in ``é`` sends its column through the real trim, and so
    may a NULL or empty cell, whose "edges" are its neighbours' (the bytes are taken at
    every cell's offsets, clipped to the data, without first leaving those cells out: a
    CSV column comes as one chunk a block (``PLAIN_BLOCK``), and each numpy call costs).
    """
    if len(chunk) == 0:
        return _Edges(trim=False, empty=False)
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        chunk.offset : chunk.offset + len(chunk) + 1
    ]
    zero = offsets[1:] == offsets[:-1]
    if chunk.null_count:
        zero &= np.asarray(chunk.is_valid(), dtype=bool)
    empty = bool(zero.any())
    if data_buffer is None or offsets[-1] == offsets[0]:
        return _Edges(trim=False, empty=empty)
    data = np.frombuffer(data_buffer, dtype=np.uint8)[: offsets[-1]]
    edges = data.take(np.concatenate((offsets[:-1], offsets[1:] - 1)), mode="clip")
    return _Edges(trim=bool(_TRIM_EDGE.take(edges).any()), empty=empty)


def _text_column(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Plain ``string``, surrounding whitespace trimmed, empty or blank cells as null.

    Downstream checks ask "is NIK present?" with ``is_null`` only; a cell holding ``"  "`` must
    not pass as present.
    """
    chunked = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    if chunked.type != pa.string():
        chunked = chunked.cast(pa.string())
    edges = [_chunk_edges(chunk) for chunk in chunked.chunks]
    if any(edge.trim for edge in edges):
        trimmed = pc.utf8_trim_whitespace(chunked)
        if pc.all(pc.equal(pc.binary_length(trimmed), pc.binary_length(chunked))).as_py() is False:
            return _nulls_for_empty(trimmed)
    # Nothing to trim: the cells as read, no copy (at 10 million rows every copy is hundreds
    # of MiB, issue 16).
    return _empty_as_null(chunked) if any(edge.empty for edge in edges) else chunked


def _nulls_for_empty(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` with its empty cells as null, the column itself when it has none."""
    if not pc.any(pc.equal(pc.binary_length(column), 0)).as_py():
        return column
    return _empty_as_null(column)


def _empty_as_null(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pa.chunked_array([_drop_empty(chunk) for chunk in column.chunks], pa.string())


def _finish(
    file: str,
    columns: dict[str, pa.Array | pa.ChunkedArray],
    num_rows: int,
    nik_numeric: pa.Array | None = None,
) -> pa.Table:
    """Give every reader's output the one canonical shape and drop rows with no data at all.

    Wholly empty rows (trailing ``;;;;`` lines, blank lines, formatted-but-empty spreadsheet
    rows) carry nothing to screen and would otherwise surface as bogus "NIK kosong" findings.
    Row numbers are assigned *before* dropping them, so ``row`` still points at the source.
    """
    # cumulative_sum over a run of ones: 1..n in C++, without numpy or a Python range.
    rows = pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), num_rows))
    arrays: list[pa.ChunkedArray] = [pa.chunked_array([rows], pa.int64())]
    names = [ROW]
    # Each raw column is let go as soon as its text is made: with all of them held until
    # the end, reading a 10-million-row extract peaked at 2.5 times its size. Two columns
    # at a time, one a core (Arrow's kernels let go of the GIL): 1.6 s alone at 10 million
    # rows (issue 16).
    with ThreadPoolExecutor(max_workers=2) as pool:
        made = {name: pool.submit(_text_column, columns.pop(name)) for name in list(columns)}
    texts = {name: future.result() for name, future in made.items()}
    for canonical in CANONICAL:
        if canonical in texts:
            arrays.append(texts[canonical])
        else:
            arrays.append(pa.chunked_array([pa.nulls(num_rows, pa.string())], pa.string()))
        names.append(canonical)
    flags = nik_numeric if nik_numeric is not None else pa.repeat(False, num_rows)
    arrays.append(pa.chunked_array([flags], pa.bool_()))
    names.append(NIK_NUMERIC_CELL)
    table = pa.Table.from_arrays(arrays, names=names)

    if num_rows:
        has_data = None
        for canonical in CANONICAL:
            valid = table.column(canonical).is_valid()
            has_data = valid if has_data is None else pc.or_(has_data, valid)
        if not pc.all(has_data).as_py():
            table = table.filter(has_data)
    if table.num_rows == 0:
        raise _error("file.header_only", file=file)
    return table


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

_DELIMITERS: Final = (",", ";", "\t")  # order breaks ties: comma is the default
_UTF8_BOM: Final = b"\xef\xbb\xbf"
_COLUMN_COUNT = re.compile(r"Expected (\d+) columns, got (\d+)")


def _sniff_delimiter(header_line: str) -> str:
    """Pick the delimiter that occurs most in the header: exports use ``;`` or ``,`` (or tab)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


#: Bytes pyarrow parses as one block of a plain CSV (``_block_size``); pyarrow's default,
#: 1 MiB, for the others. Every block becomes a chunk of every column, and each step after
#: the read pays per chunk: a 10-million-row extract is 1 306 chunks a column at 1 MiB, 82
#: at 16 MiB (issue 16).
PLAIN_BLOCK: Final = 16 << 20


def _block_size(scan: TextScan) -> int | None:
    """``PLAIN_BLOCK`` for a file of ASCII bytes without a double quote, else pyarrow's own.

    A quote: a quote opened by mistake and closed thousands of rows below was read as one
    cell in bigger blocks instead of refused, because the error only shows where a block
    ends inside a quoted value. A byte above ASCII: the file may be Windows-1252, whose first
    attempt as UTF-8 fails; in bigger blocks pyarrow reads several of them ahead before it
    says so (150-280 MB more at the peak of a web upload), and may report a row's column
    count before the encoding (a review, issue 16). Such files are read as before.
    """
    return PLAIN_BLOCK if scan.ascii and not scan.quoted else None


@dataclass(frozen=True)
class _CsvBody:
    """How pyarrow must read the body of one CSV: kept together so it can be re-read."""

    path: Path
    positional: list[str]
    include: list[str]
    delimiter: str
    #: Whether the file holds a double quote (``upload_guard.text_scan``): without one no
    #: value can hold a line break, and pyarrow splits the records faster when told so
    #: (0.7-1 s of 2.8 at 10 million rows, issue 16); the records are the same.
    quoted: bool = True
    #: Bytes a block (``_block_size``); None for pyarrow's default.
    block_size: int | None = None

    def read(
        self,
        *,
        encoding: str,
        use_threads: bool = True,
        on_invalid: Callable[[pa_csv.InvalidRow], str] | None = None,
    ) -> pa.Table:
        return pa_csv.read_csv(
            self.path,
            read_options=pa_csv.ReadOptions(
                column_names=self.positional,
                skip_rows=1,
                encoding=encoding,
                use_threads=use_threads,
                block_size=self.block_size,
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=self.delimiter,
                # Addresses typed with Alt+Enter in Excel end up as quoted multi-line fields.
                newlines_in_values=self.quoted,
                # Blank lines must still count, or ``row`` would drift from the source.
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(self.include, pa.string()),
                include_columns=self.include,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                # Only "" is null: "NA", "-", "NULL" are values screening should see.
                null_values=[""],
            ),
        )

    def first_bad_record(self, encoding: str) -> int | None:
        """1-based record number (header = 1) of the first row with the wrong column count.

        The threaded reader does not know record numbers, so this serial re-read runs on the
        error path only. Python's csv module rather than pyarrow's invalid-row handler, which
        decodes the row as UTF-8 and fails on a Windows-1252 file.
        """
        expected = len(self.positional)
        text_encoding = "utf-8-sig" if encoding == "utf8" else "cp1252"
        previous = csv.field_size_limit(1 << 30)
        try:
            with self.path.open(encoding=text_encoding, errors="replace", newline="") as handle:
                for record, row in enumerate(csv.reader(handle, delimiter=self.delimiter), 1):
                    if record > 1 and row and len(row) != expected:
                        return record
        except csv.Error:
            return None
        finally:
            csv.field_size_limit(previous)
        return None


def _csv_error(exc: Exception, body: _CsvBody, encoding: str, *, file: str) -> ReadError:
    """Code a pyarrow CSV failure, with the row where known, never echoing the row.

    pyarrow's text quotes the offending row (NIKs and names) in English; only the column
    counts are taken from it.
    """
    counts = _COLUMN_COUNT.search(str(exc))
    if counts is None:
        return _error("csv.syntax", file=file)
    expected, got = counts.groups()
    record = body.first_bad_record(encoding)
    if record is None:
        return _error("csv.column_count_somewhere", file=file, expected=expected, got=got)
    return _error("csv.column_count", file=file, row=record - 1, expected=expected, got=got)


def _read_csv(path: Path, mapping: ColumnMapping | None, file: str, limits: ReadLimits) -> pa.Table:
    """Read a delimited text file with pyarrow, every selected column as text.

    The header is parsed here (so we know delimiter, encoding and which columns to keep) and the
    body by pyarrow under positional names: duplicate or odd headers cannot confuse it, and
    unknown columns are never even converted. ``text_scan`` runs first: binary content,
    UTF-16, an over-long line or too many lines are refused before pyarrow sees a byte.
    """
    scan = text_scan(path, file=file, limits=limits)
    with path.open("rb") as handle:
        first = handle.readline(limits.max_line_bytes + 2)
        more_after_header = bool(handle.read(1))
    if first.startswith(_UTF8_BOM):
        first = first[len(_UTF8_BOM) :]
    if not first.strip():
        if more_after_header:
            with path.open("rb") as handle:
                if any(line.strip() for line in handle):
                    raise _error("csv.first_line_blank", file=file)
        raise _error("file.empty", file=file)

    try:
        header_text = first.decode("utf-8")
        encoding = "utf8"
    except UnicodeDecodeError:
        header_text = first.decode("cp1252", errors="replace")
        encoding = "cp1252"
    header_text = header_text.rstrip("\r\n")
    delimiter = _sniff_delimiter(header_text)
    try:
        headers = next(csv.reader([header_text], delimiter=delimiter), [])
    except csv.Error:
        raise _error("csv.syntax", file=file) from None
    if len(headers) > limits.max_columns:
        raise _error("limits.columns", file=file, count=len(headers), limit=limits.max_columns)
    chosen = _resolve_columns(headers, mapping, file=file)
    if not more_after_header:
        raise _error("file.header_only", file=file)

    positional = [f"c{i}" for i in range(len(headers))]
    wanted = {canonical: positional[index] for canonical, index in chosen.items()}
    include = sorted(set(wanted.values()), key=positional.index)

    body = _CsvBody(
        path, positional, include, delimiter, quoted=scan.quoted, block_size=_block_size(scan)
    )
    try:
        try:
            table = body.read(encoding=encoding)
        except pa.ArrowInvalid as exc:
            if encoding != "utf8" or "UTF8" not in str(exc):
                raise
            # Not UTF-8 after all: older Excel "CSV" exports on Windows are Windows-1252.
            encoding = "cp1252"
            table = body.read(encoding=encoding)
    except pa.ArrowInvalid as exc:
        raise _csv_error(exc, body, encoding, file=file) from None
    except UnicodeDecodeError:
        raise _error("csv.encoding", file=file) from None
    except OSError:
        raise _error("file.io", file=file) from None
    except pa.ArrowException:
        raise _error("csv.syntax", file=file) from None
    if table.num_rows > limits.max_rows:
        raise _error("limits.rows", file=file, limit=limits.max_rows)

    columns = {canonical: table.column(name) for canonical, name in wanted.items()}
    num_rows = table.num_rows
    del table  # ``_finish`` lets each raw column go once its text is made
    return _finish(file, columns, num_rows)


# --------------------------------------------------------------------------------------------
# Spreadsheets (calamine)
# --------------------------------------------------------------------------------------------


def _number_text(value: float) -> str:
    """Spreadsheet numbers as people wrote them: ``3.0`` -> ``"3"``, never ``"1e-05"``."""
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text and math.isfinite(value):
        return format(Decimal(text), "f")
    return text


def _cell_text(value: Any, canonical: str) -> tuple[str | None, bool]:
    """One calamine cell -> (text, was_numeric); for NIK the flag is ``nik_numeric_cell``.

    Integral numbers become plain digits, which is what NIK/NO_KK need (``3201234567890123``,
    not ``3.201234567890123e+15``) and what people typed for DESIL (``3``, not ``3.0``).
    """
    if value is None or value == "":
        return None, False
    if isinstance(value, str):
        return value, False
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return _number_text(value), True
    if isinstance(value, dt.datetime):
        if canonical == _DATE_COLUMN or value.time() == dt.time():
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(), False
    return str(value), False


#: What a file's first bytes say it is, for a spreadsheet that is not one.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "dokumen PDF"),
    (b"\xd0\xcf\x11\xe0", "buku kerja Excel 97-2003 (.xls) atau dokumen Office lama"),
    (b"\x89PNG", "gambar PNG"),
    (b"\xff\xd8\xff", "gambar JPEG"),
    (b"PAR1", "berkas Parquet"),
    (b"\x1f\x8b", "arsip gzip"),
    (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf", "arsip 7-Zip"),
)
_ZIP_MAGIC: Final = b"PK\x03\x04"
_ZIP_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".ods"})


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(512)


def _not_a_workbook(path: Path, *, file: str, expected: str) -> ReadError | None:
    """Name what a file that should be a workbook really holds, from its first bytes.

    The classic fake ``.xls`` is an HTML table saved by a web application; CSVs renamed
    ``.xlsx`` and PDFs picked by mistake are the other usual ones.
    """
    head = _head(path)
    probe = head.lstrip(_UTF8_BOM).lstrip().lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return _error("file.html", file=file)
    for magic, actual in _MAGIC:
        if head.startswith(magic):
            return _error("file.wrong_type", file=file, actual=actual, expected=expected)
    if head.startswith(_ZIP_MAGIC):
        return None
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _error("file.wrong_type", file=file, actual="teks biasa", expected=expected)
    return None


def _formula_text(formula: str) -> str:
    """The text a formula cell is read as: ``=`` and the formula's start, never its result.

    calamine gives a formula cell's cached result, which may be empty, stale or computed from
    another sheet; screening must not judge it as if someone had typed it. Starting with
    ``=``, the cell is marked ``cell.formula`` by the data-quality checks (engine.quality).
    """
    text = "=" + " ".join(formula.split())
    return text[:_FORMULA_MARK_CHARS]


def _read_spreadsheet(
    path: Path, mapping: ColumnMapping | None, file: str, limits: ReadLimits
) -> pa.Table:
    """First sheet through calamine; cells converted by hand since calamine types them.

    A zip workbook is checked by ``workbook_check`` first (sizes, ratio, XML entities, rows,
    formula cells); a legacy ``.xls`` only by its dimensions once open.
    """
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    suffix = path.suffix.lower()
    expected = "buku kerja spreadsheet"
    scan = SheetScan()
    if suffix in _ZIP_SUFFIXES:
        wrong = _not_a_workbook(path, file=file, expected=expected)
        if wrong is not None:
            raise wrong
        scan = workbook_check(path, file=file, limits=limits)
        if suffix == ".ods" and scan.has_formulas:
            raise _error("ods.formula", file=file)
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not workbook.sheet_names:
                raise _error("file.empty", file=file)
            sheet = workbook.get_sheet_by_index(0)
            end_row, end_col = sheet.end or (0, 0)
            _start_row, start_col = sheet.start or (0, 0)
            if end_row + 1 > limits.max_rows + 1:
                raise _error("limits.rows", file=file, limit=limits.max_rows)
            if end_col - start_col + 1 > limits.max_columns:
                count = end_col - start_col + 1
                raise _error("limits.columns", file=file, count=count, limit=limits.max_columns)
            # iter_rows yields sheet rows from the first (row 0) and cells from ``start_col``.
            iterator = iter(sheet.iter_rows())
            formulas: dict[int, dict[int, str]] = {}
            for (row_at, col_at), formula in scan.formulas.items():
                formulas.setdefault(row_at, {})[col_at - start_col if col_at >= 0 else -1] = formula
            # Title rows above the table are common; the header is the first non-blank row.
            headers: list[str] = []
            row_at = -1
            for candidate in iterator:
                row_at += 1
                headers = [(_cell_text(cell, "")[0] or "").strip() for cell in candidate]
                if any(headers):
                    break
            if not any(headers):
                raise _error("file.empty", file=file)
            chosen = _resolve_columns(headers, mapping, file=file)
            first_chosen = min(chosen.values())

            values: dict[str, list[str | None]] = {canonical: [] for canonical in chosen}
            nik_numeric: list[bool] = []
            count = 0
            for row in iterator:
                row_at += 1
                count += 1
                width = len(row)
                marks = formulas.get(row_at)
                for canonical, index in chosen.items():
                    if marks is not None and (
                        index in marks or (index == first_chosen and -1 in marks)
                    ):
                        formula = marks.get(index, marks.get(-1, ""))
                        values[canonical].append(_formula_text(formula))
                        if canonical == "nik":
                            nik_numeric.append(False)
                        continue
                    text, numeric = _cell_text(row[index] if index < width else None, canonical)
                    values[canonical].append(text)
                    if canonical == "nik":
                        nik_numeric.append(numeric)
    except ReadError:
        raise
    except PasswordError:
        raise _error("xlsx.password", file=file) from None
    except (CalamineError, OSError, ValueError, UnicodeError, OverflowError):
        wrong = _not_a_workbook(path, file=file, expected=expected)
        raise (wrong or _error("xlsx.unreadable", file=file)) from None

    if count == 0:
        raise _error("file.header_only", file=file)
    columns = {canonical: pa.array(texts, pa.string()) for canonical, texts in values.items()}
    return _finish(file, columns, count, pa.array(nik_numeric, pa.bool_()))


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


def _float_text(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Floats -> text like spreadsheets: integral values as digits (``3.0`` -> ``"3"``)."""
    as_double = values.cast(pa.float64())
    integral = pc.and_(
        pc.and_(pc.is_finite(as_double), pc.equal(pc.trunc(as_double), as_double)),
        pc.less(pc.abs(as_double), 2.0**63),
    )
    integral = pc.fill_null(integral, False)
    digits = pc.if_else(integral, as_double, 0.0).cast(pa.int64()).cast(pa.string())
    return pc.if_else(integral, digits, as_double.cast(pa.string()))


def _parquet_text(values: pa.ChunkedArray, canonical: str, file: str) -> pa.ChunkedArray:
    """Cast one Parquet column to text the way the spreadsheet reader would have written it."""
    kind = values.type
    try:
        if pa.types.is_dictionary(kind):
            values = values.cast(kind.value_type)
            kind = values.type
        if pa.types.is_floating(kind):
            return _float_text(values)
        if pa.types.is_timestamp(kind) and canonical == _DATE_COLUMN:
            return values.cast(pa.date32()).cast(pa.string())
        return values.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        raise _error(
            "parquet.column_type", file=file, column=canonical.upper(), kind=str(kind)[:40]
        ) from None


def _read_parquet(
    path: Path, mapping: ColumnMapping | None, file: str, limits: ReadLimits
) -> pa.Table:
    """Read only the columns we need, then cast them to text (typed Parquet is common)."""
    if _head(path)[:4] != b"PAR1":
        wrong = _not_a_workbook(path, file=file, expected="berkas Parquet")
        raise wrong or _error("parquet.unreadable", file=file)
    parquet_check(path, file=file, limits=limits)
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError, ValueError):
        raise _error("parquet.unreadable", file=file) from None
    if len(schema.names) == 0:
        raise _error("file.empty", file=file)
    chosen = _resolve_columns(schema.names, mapping, file=file)
    try:
        table = pq.read_table(path, columns=[schema.names[i] for i in chosen.values()])
    except (pa.ArrowException, OSError, ValueError):
        raise _error("parquet.unreadable", file=file) from None
    if table.num_rows == 0:
        raise _error("file.header_only", file=file)
    columns = {
        canonical: _parquet_text(table.column(index), canonical, file)
        for index, canonical in enumerate(chosen)
    }
    num_rows = table.num_rows
    del table  # ``_finish`` lets each raw column go once its text is made
    return _finish(file, columns, num_rows)


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def _check_file(path: Path, *, file: str | None = None) -> int:
    """Existence and size first, so every reader can assume a real, non-empty file."""
    shown = file if file is not None else str(path)
    try:
        size = path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        raise _error("file.not_found", file=shown) from None
    except OSError:
        raise _error("file.io", file=shown) from None
    if path.is_dir():
        raise _error("file.is_folder", file=shown)
    return size


def read_extract(
    path: Path,
    *,
    mapping: ColumnMapping | None = None,
    name: str | None = None,
    limits: ReadLimits = EXTRACT_LIMITS,
) -> pa.Table:
    """Read a DTSEN extract into one canonical table (see module docstring for its shape).

    The format is chosen by suffix, not by sniffing content: officers name their files
    correctly far more often than content sniffing guesses right on a half-broken export
    (content is only looked at to explain a refusal). ``name`` is how messages call the file
    (the uploaded name; the path when None); ``limits`` bound what is parsed at all.
    """
    path = Path(path)
    file = name if name is not None else str(path)
    size = _check_file(path, file=file)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        reader = _read_csv
    elif suffix in SPREADSHEET_SUFFIXES:
        reader = _read_spreadsheet
    elif suffix in PARQUET_SUFFIXES:
        reader = _read_parquet
    else:
        raise _error(
            "file.format",
            file=file,
            suffix=suffix[:12] or "(tanpa akhiran)",
            allowed=_EXTRACT_FORMATS,
        )
    if size == 0:
        raise _error("file.empty", file=file)
    try:
        return reader(path, mapping, file, limits)
    except OSError:  # permissions, I/O errors, a file vanishing mid-read
        raise _error("file.io", file=file) from None


@dataclass(frozen=True)
class FileStamp:
    """Which file a path named at one moment, and its size and last changes then.

    A fingerprint taken apart from the read (beside it, from a second opening of the file)
    is only the read's if the file did not change in between: the stamp taken before the
    read must still hold when the hash is done (``file_sha256``) and after the parse
    (``holds``). The status change time is in it because a copy that keeps the source's
    times (``cp -p``, rsync) rewrites the file and then puts its modification time back.
    """

    device: int
    inode: int
    size: int
    modified_ns: int
    changed_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> FileStamp:
        return cls(
            status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns
        )

    def holds(self, path: Path) -> bool:
        """Whether ``path`` is still the file stamped, unchanged (False when it is gone)."""
        try:
            return FileStamp.of(Path(path).stat()) == self
        except OSError:
            return False


def file_stamp(path: Path) -> FileStamp:
    """The stamp of ``path`` now (``FileStamp``), taken before it is read."""
    path = Path(path)
    _check_file(path)
    try:
        return FileStamp.of(path.stat())
    except OSError:
        raise _error("file.io", file=str(path)) from None


def file_sha256(path: Path, *, stamp: FileStamp | None = None) -> str:
    """Hex SHA-256 of the file's bytes, recorded with results so a run can be tied to its input.

    With ``stamp``, the file must still be the one stamped, unchanged, when the hash is done:
    a file replaced, rewritten or deleted since is refused (``file.changed``) rather than
    recorded under bytes the results were not made from.
    """
    path = Path(path)
    file = str(path)
    if stamp is None:
        _check_file(path)
    try:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
            # Once, after: a file that differed as the hash began still differs at its end.
            if stamp is not None and FileStamp.of(os.fstat(handle.fileno())) != stamp:
                raise _error("file.changed", file=file)
            return digest
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        if stamp is not None:
            raise _error("file.changed", file=file) from None
        raise _error("file.io", file=file) from None
    except OSError:
        raise _error("file.io", file=file) from None
