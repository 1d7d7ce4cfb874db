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

import contextlib
import csv
import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import yaml

from payung.engine.columns import ALIASES, CANONICAL, NIK_NUMERIC_CELL, REQUIRED, ROW, header_key

__all__ = ["ColumnMapping", "ReadError", "file_sha256", "read_extract"]

CSV_SUFFIXES: Final = frozenset({".csv", ".txt"})
SPREADSHEET_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
PARQUET_SUFFIXES: Final = frozenset({".parquet"})

#: Column whose spreadsheet date cells become ISO dates (the time part is meaningless there).
_DATE_COLUMN: Final = "tanggal_lahir"

#: Longest pyarrow/calamine reason we echo; beyond that it is noise to a regency officer.
_MAX_REASON: Final = 160
#: How many of the file's own headers ``columns.missing`` lists before summarising.
_MAX_HEADERS_LISTED: Final = 30

_MESSAGES: Final[dict[str, str]] = {
    "file.not_found": "Berkas tidak ditemukan: {path}",
    "file.empty": "Berkas kosong: {path} tidak berisi baris judul kolom.",
    "file.header_only": (
        "Berkas {path} hanya berisi baris judul kolom, tanpa satu pun baris data."
    ),
    "file.unreadable": "Berkas {path} tidak dapat dibaca: {reason}",
    "file.format": (
        "Format berkas tidak didukung: {path} (akhiran '{suffix}'). Gunakan CSV (.csv, .txt), "
        "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods), atau Parquet (.parquet)."
    ),
    "columns.missing": (
        "Kolom wajib tidak ditemukan: {detail}. Judul kolom di berkas: {found}. "
        "Gunakan --columns untuk memetakan nama kolom Anda."
    ),
    "columns.ambiguous": (
        "Lebih dari satu kolom di berkas cocok dengan kolom yang sama: {detail}. "
        "Hapus kolom yang tidak dipakai, atau tentukan kolom yang benar dengan --columns."
    ),
    "mapping.not_found": "Berkas pemetaan kolom (--columns) tidak ditemukan: {path}",
    "mapping.invalid": (
        "Berkas pemetaan kolom {path} tidak valid: {reason}. Format yang diharapkan:\n"
        "columns:\n"
        '  "Judul Kolom Anda": NIK\n'
        '  "Tgl Lhr": TANGGAL_LAHIR'
    ),
    "mapping.unknown_column": (
        "Berkas pemetaan kolom {path}: '{column}' (untuk judul '{header}') bukan kolom DTSEN "
        "yang dikenal. Kolom yang dikenal: {known}."
    ),
}


class ReadError(Exception):
    """A file that cannot be screened; .code is stable, .params for wording, .message is Indonesian.

    The CLI prints ``message`` as is; other front ends (or translations) can re-word the error
    from ``code`` and ``params`` without parsing the Indonesian text.
    """

    code: str
    params: dict[str, str]
    message: str

    def __init__(self, code: str, message: str, params: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str, dict[str, str]]]:
        # Exceptions pickle through ``args`` by default, which would lose code and params when
        # an error crosses a process boundary (parallel screening).
        return (type(self), (self.code, self.message, self.params))


def _error(code: str, **params: str) -> ReadError:
    """Build a ReadError from the message catalogue, so wording lives in one place."""
    return ReadError(code, _MESSAGES[code].format(**params), params)


def _short(reason: object) -> str:
    """First line of a library error, trimmed: enough to diagnose, never a wall of text."""
    text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


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
            raise _error("mapping.not_found", path=shown) from None
        except UnicodeDecodeError:
            raise _error("mapping.invalid", path=shown, reason="berkas bukan teks UTF-8") from None
        except OSError as exc:
            raise _error("mapping.invalid", path=shown, reason=_short(exc)) from None

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (baris {mark.line + 1})" if mark is not None else ""
            raise _error("mapping.invalid", path=shown, reason=f"YAML tidak valid{where}") from None

        if not isinstance(document, dict) or "columns" not in document:
            raise _error("mapping.invalid", path=shown, reason="kunci 'columns' tidak ditemukan")
        extra = sorted(str(key) for key in document if key != "columns")
        if extra:
            raise _error(
                "mapping.invalid",
                path=shown,
                reason="kunci tidak dikenal: " + ", ".join(f"'{key}'" for key in extra),
            )
        entries = document["columns"]
        if not isinstance(entries, dict) or not entries:
            raise _error(
                "mapping.invalid",
                path=shown,
                reason="'columns' harus berisi pasangan 'Judul kolom Anda: KOLOM_DTSEN'",
            )

        renames: dict[str, str] = {}
        for header, target in entries.items():
            if not isinstance(header, str) or not header_key(header):
                raise _error(
                    "mapping.invalid",
                    path=shown,
                    reason=f"judul kolom {header!r} harus berupa teks (tulis dalam tanda kutip)",
                )
            if not isinstance(target, str):
                raise _error(
                    "mapping.invalid",
                    path=shown,
                    reason=f"kolom tujuan untuk '{header}' harus berupa nama kolom DTSEN",
                )
            canonical = _canonical_name(target)
            if canonical is None:
                raise _error(
                    "mapping.unknown_column",
                    path=shown,
                    column=target,
                    header=header,
                    known=_known_columns(),
                )
            key = header_key(header)
            if renames.get(key, canonical) != canonical:
                raise _error(
                    "mapping.invalid",
                    path=shown,
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


def _resolve_columns(headers: Sequence[str], mapping: ColumnMapping | None) -> dict[str, int]:
    """Decide which source column feeds each canonical column: canonical -> source index.

    A mapping entry beats the alias list: if the mapping names a source for NIK, a header that
    merely *looks* like NIK (say a head-of-household ``NIK`` next to the member's ``NIK_ART``)
    is ignored rather than reported as ambiguous — the officer has already chosen.
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
            names = ", ".join(f"'{headers[i].strip()}'" for i in sources)
            clashes.append(f"{canonical.upper()} ({names})")
        elif sources:
            chosen[canonical] = sources[0]
    if clashes:
        raise _error("columns.ambiguous", detail="; ".join(clashes))

    missing = [name for name in REQUIRED if name not in chosen]
    if missing:
        details = []
        for name in missing:
            aliases = [a for a in ALIASES[name] if header_key(a) != name.upper()]
            suffix = f" (alias: {', '.join(aliases)})" if aliases else ""
            details.append(f"{name.upper()}{suffix}")
        shown = [h.strip() for h in headers if h.strip()]
        found = ", ".join(shown[:_MAX_HEADERS_LISTED]) or "(tidak ada)"
        if len(shown) > _MAX_HEADERS_LISTED:
            found += f", dan {len(shown) - _MAX_HEADERS_LISTED} lainnya"
        raise _error(
            "columns.missing",
            columns=", ".join(name.upper() for name in missing),
            detail=", ".join(details),
            found=found,
        )
    return chosen


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


def _text_column(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Plain ``string``, surrounding whitespace trimmed, empty or blank cells as null.

    Downstream checks ask "is NIK present?" with ``is_null`` only; a cell holding ``"  "`` must
    not pass as present.
    """
    chunked = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    if chunked.type != pa.string():
        chunked = chunked.cast(pa.string())
    trimmed = pc.utf8_trim_whitespace(chunked)
    if not pc.any(pc.equal(pc.binary_length(trimmed), 0)).as_py():
        return trimmed
    return pa.chunked_array([_drop_empty(chunk) for chunk in trimmed.chunks], pa.string())


def _finish(
    path: Path,
    columns: Mapping[str, pa.Array | pa.ChunkedArray],
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
    texts = {name: _text_column(values) for name, values in columns.items()}
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
        raise _error("file.header_only", path=str(path))
    return table


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

_DELIMITERS: Final = (",", ";", "\t")  # order breaks ties: comma is the default
_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_COLUMN_COUNT = re.compile(r"Expected (\d+) columns, got (\d+)")


def _sniff_delimiter(header_line: str) -> str:
    """Pick the delimiter that occurs most in the header: exports use ``;`` or ``,`` (or tab)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass(frozen=True)
class _CsvBody:
    """How pyarrow must read the body of one CSV: kept together so it can be re-read."""

    path: Path
    positional: list[str]
    include: list[str]
    delimiter: str

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
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=self.delimiter,
                # Addresses typed with Alt+Enter in Excel end up as quoted multi-line fields.
                newlines_in_values=True,
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
        """1-based record number (header = 1) of the first malformed row, or None.

        The threaded reader does not know record numbers, so this serial re-read runs on the
        error path only.
        """
        bad: list[int] = []

        def remember(row: pa_csv.InvalidRow) -> str:
            if row.number is not None:
                bad.append(row.number)
            return "error"

        with contextlib.suppress(pa.ArrowException, UnicodeDecodeError):
            self.read(encoding=encoding, use_threads=False, on_invalid=remember)
        return bad[0] if bad else None


def _csv_reason(exc: Exception, body: _CsvBody, encoding: str) -> str:
    """Explain a pyarrow CSV failure without echoing the row (it holds NIKs and names)."""
    message = str(exc)
    counts = _COLUMN_COUNT.search(message)
    if counts is None:
        return _short(re.sub(r"^CSV parse error:\s*", "", message).split(": ", 1)[0])
    expected, got = counts.groups()
    record = body.first_bad_record(encoding)
    where = f"baris data ke-{record - 1} " if record is not None else "sebuah baris data "
    return (
        f"{where}berisi {got} kolom, padahal baris judul berisi {expected} kolom "
        "(periksa pemisah kolom dan tanda kutip)"
    )


def _read_csv(path: Path, mapping: ColumnMapping | None) -> pa.Table:
    """Read a delimited text file with pyarrow, every selected column as text.

    The header is parsed here (so we know delimiter, encoding and which columns to keep) and the
    body by pyarrow under positional names: duplicate or odd headers cannot confuse it, and
    unknown columns are never even converted.
    """
    shown = str(path)
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
        more_after_header = bool(handle.read(1))
    if first.startswith(_UTF16_BOMS):
        raise _error(
            "file.unreadable",
            path=shown,
            reason="berkas berformat UTF-16; simpan ulang sebagai CSV UTF-8",
        )
    if first.startswith(_UTF8_BOM):
        first = first[len(_UTF8_BOM) :]
    if not first.strip():
        if more_after_header:
            with path.open("rb") as handle:
                if any(line.strip() for line in handle):
                    raise _error(
                        "file.unreadable",
                        path=shown,
                        reason="baris pertama kosong; judul kolom harus berada di baris pertama",
                    )
        raise _error("file.empty", path=shown)

    try:
        header_text = first.decode("utf-8")
        encoding = "utf8"
    except UnicodeDecodeError:
        header_text = first.decode("cp1252", errors="replace")
        encoding = "cp1252"
    header_text = header_text.rstrip("\r\n")
    delimiter = _sniff_delimiter(header_text)
    headers = next(csv.reader([header_text], delimiter=delimiter), [])
    chosen = _resolve_columns(headers, mapping)
    if not more_after_header:
        raise _error("file.header_only", path=shown)

    positional = [f"c{i}" for i in range(len(headers))]
    wanted = {canonical: positional[index] for canonical, index in chosen.items()}
    include = sorted(set(wanted.values()), key=positional.index)

    body = _CsvBody(path, positional, include, delimiter)
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
        reason = _csv_reason(exc, body, encoding)
        raise _error("file.unreadable", path=shown, reason=reason) from None
    except UnicodeDecodeError:
        raise _error(
            "file.unreadable",
            path=shown,
            reason="karakter tidak dikenali (bukan UTF-8 maupun Windows-1252)",
        ) from None
    except (pa.ArrowException, OSError) as exc:
        raise _error("file.unreadable", path=shown, reason=_short(exc)) from None

    columns = {canonical: table.column(name) for canonical, name in wanted.items()}
    return _finish(path, columns, table.num_rows)


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


def _spreadsheet_reason(path: Path, exc: Exception) -> str:
    """Recognise the classic fake ``.xls``: an HTML table saved by a web application."""
    with path.open("rb") as handle:
        head = handle.read(512).lstrip(_UTF8_BOM).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return (
            "isinya halaman HTML/XML, bukan buku kerja Excel; buka di Excel lalu simpan ulang "
            "sebagai .xlsx atau CSV"
        )
    return _short(exc)


def _read_spreadsheet(path: Path, mapping: ColumnMapping | None) -> pa.Table:
    """First sheet through calamine; cells converted by hand since calamine types them."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    shown = str(path)
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not workbook.sheet_names:
                raise _error("file.empty", path=shown)
            rows: Iterable[list[Any]] = workbook.get_sheet_by_index(0).iter_rows()
            iterator = iter(rows)
            # Title rows above the table are common; the header is the first non-blank row.
            headers: list[str] = []
            for candidate in iterator:
                headers = [(_cell_text(cell, "")[0] or "").strip() for cell in candidate]
                if any(headers):
                    break
            if not any(headers):
                raise _error("file.empty", path=shown)
            chosen = _resolve_columns(headers, mapping)

            values: dict[str, list[str | None]] = {canonical: [] for canonical in chosen}
            nik_numeric: list[bool] = []
            count = 0
            for row in iterator:
                count += 1
                width = len(row)
                for canonical, index in chosen.items():
                    text, numeric = _cell_text(row[index] if index < width else None, canonical)
                    values[canonical].append(text)
                    if canonical == "nik":
                        nik_numeric.append(numeric)
    except ReadError:
        raise
    except PasswordError:
        raise _error("file.unreadable", path=shown, reason="berkas dilindungi kata sandi") from None
    except (CalamineError, OSError, ValueError) as exc:
        raise _error("file.unreadable", path=shown, reason=_spreadsheet_reason(path, exc)) from None

    if count == 0:
        raise _error("file.header_only", path=shown)
    columns = {canonical: pa.array(texts, pa.string()) for canonical, texts in values.items()}
    return _finish(path, columns, count, pa.array(nik_numeric, pa.bool_()))


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


def _parquet_text(
    values: pa.ChunkedArray, canonical: str, name: str, path: Path
) -> pa.ChunkedArray:
    """Cast one Parquet column to text the way the spreadsheet reader would have written it."""
    kind = values.type
    if pa.types.is_dictionary(kind):
        values = values.cast(kind.value_type)
        kind = values.type
    if pa.types.is_floating(kind):
        return _float_text(values)
    if pa.types.is_timestamp(kind) and canonical == _DATE_COLUMN:
        return values.cast(pa.date32()).cast(pa.string())
    try:
        return values.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        raise _error(
            "file.unreadable",
            path=str(path),
            reason=f"kolom '{name}' bertipe {kind} tidak dapat dibaca sebagai teks",
        ) from None


def _read_parquet(path: Path, mapping: ColumnMapping | None) -> pa.Table:
    """Read only the columns we need, then cast them to text (typed Parquet is common)."""
    shown = str(path)
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise _error("file.unreadable", path=shown, reason=_short(exc)) from None
    if len(schema.names) == 0:
        raise _error("file.empty", path=shown)
    chosen = _resolve_columns(schema.names, mapping)
    try:
        table = pq.read_table(path, columns=[schema.names[i] for i in chosen.values()])
    except (pa.ArrowException, OSError) as exc:
        raise _error("file.unreadable", path=shown, reason=_short(exc)) from None
    if table.num_rows == 0:
        raise _error("file.header_only", path=shown)
    columns = {
        canonical: _parquet_text(table.column(index), canonical, schema.names[source], path)
        for index, (canonical, source) in enumerate(chosen.items())
    }
    return _finish(path, columns, table.num_rows)


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def _check_file(path: Path) -> int:
    """Existence and size first, so every reader can assume a real, non-empty file."""
    try:
        size = path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        raise _error("file.not_found", path=str(path)) from None
    except OSError as exc:
        raise _error("file.unreadable", path=str(path), reason=_short(exc)) from None
    if path.is_dir():
        raise _error("file.unreadable", path=str(path), reason="ini sebuah folder, bukan berkas")
    return size


def read_extract(path: Path, *, mapping: ColumnMapping | None = None) -> pa.Table:
    """Read a DTSEN extract into one canonical table (see module docstring for its shape).

    The format is chosen by suffix, not by sniffing content: officers name their files
    correctly far more often than content sniffing guesses right on a half-broken export.
    """
    path = Path(path)
    size = _check_file(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        reader = _read_csv
    elif suffix in SPREADSHEET_SUFFIXES:
        reader = _read_spreadsheet
    elif suffix in PARQUET_SUFFIXES:
        reader = _read_parquet
    else:
        raise _error("file.format", path=str(path), suffix=suffix or "(tanpa akhiran)")
    if size == 0:
        raise _error("file.empty", path=str(path))
    try:
        return reader(path, mapping)
    except OSError as exc:  # permissions, I/O errors, a file vanishing mid-read
        raise _error("file.unreadable", path=str(path), reason=_short(exc)) from None


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes, recorded with results so a run can be tied to its input."""
    path = Path(path)
    _check_file(path)
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise _error("file.unreadable", path=str(path), reason=_short(exc)) from None
