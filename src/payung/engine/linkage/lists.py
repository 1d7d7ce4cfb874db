"""Read a list to link: a DTSEN extract or another funder's list, CSV, spreadsheet or Parquet.

Other funders' lists (the province's APBD-paid BPU participants, BPJS's roster, a village's
APBDes list) carry only a few of the DTSEN columns and call them their own way
(``NAMA_PESERTA``, ``TGL_LAHIR``). The DTSEN reader insists on the columns screening needs;
linkage needs only a name and a NIK or a birth date, so this reader resolves headers with
the DTSEN aliases plus the roster spellings below, or with a mapping file written exactly
like the DTSEN import's (``columns: {"Their header": NIK}``).

The checks before parsing (size, rows, zip bombs, formulas) and every refusal are the DTSEN
reader's own (:mod:`payung.engine.readers`, :mod:`payung.engine.upload_guard`): a
:class:`ReadError` with an Indonesian message that never quotes a cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from payung.engine.columns import ALIASES, header_key
from payung.engine.exchange_files import _sheet_rows
from payung.engine.linkage.features import LINK_COLUMNS
from payung.engine.read_errors import ReadError, read_error
from payung.engine.readers import (
    CSV_SUFFIXES,
    PARQUET_SUFFIXES,
    ColumnMapping,
    _check_file,
    _csv_error,
    _CsvBody,
    _head,
    _not_a_workbook,
    _parquet_text,
    _sniff_delimiter,
    _text_column,
)
from payung.engine.upload_guard import EXTRACT_LIMITS, ReadLimits, parquet_check, text_check

__all__ = ["LIST_SUFFIXES", "list_read"]

LIST_SUFFIXES: Final = frozenset({".csv", ".txt", ".xlsx", ".xlsm", ".ods", ".parquet"})

#: Header spellings of BPJS rosters and funders' lists, beyond the DTSEN aliases.
EXTRA_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "nik": ("NIK_PESERTA", "NO_KTP", "NOMOR_KTP", "NIK_KTP"),
    "nama": ("NAMA_PESERTA", "NAMA_TENAGA_KERJA", "NAMA_TK", "NAMA_PEKERJA"),
    "tanggal_lahir": ("TGL_LHR", "TANGGAL_LAHIR_PESERTA", "TGL_LAHIR_PESERTA"),
    "jenis_kelamin": ("JNS_KELAMIN", "L_P", "GENDER"),
    "kode_desa": ("KODE_DESA_KELURAHAN", "KODE_KEL"),
    "no_kk": ("NOMOR_KARTU_KELUARGA", "NO_KARTU_KELUARGA"),
}

_ALIAS_INDEX: Final[dict[str, str]] = {
    header_key(alias): column
    for column in LINK_COLUMNS
    for alias in (*ALIASES[column], *EXTRA_ALIASES.get(column, ()))
}

_FORMATS: Final = (
    "CSV (.csv, .txt), Excel (.xlsx, .xlsm), OpenDocument (.ods), atau Parquet (.parquet)"
)


def _resolve(
    headers: Sequence[str], mapping: ColumnMapping | None, *, file: str, mapping_flag: str
) -> dict[str, int]:
    """Linkage column -> source index; a mapping entry beats an alias, as in the DTSEN reader.

    Needed: NAMA, and NIK or TANGGAL_LAHIR (two records cannot be judged on a name alone).
    """
    renames = mapping.renames if mapping is not None else {}
    by_mapping: dict[str, list[int]] = {}
    by_alias: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        if key in renames:
            if renames[key] in LINK_COLUMNS:
                by_mapping.setdefault(renames[key], []).append(index)
        elif key in _ALIAS_INDEX:
            by_alias.setdefault(_ALIAS_INDEX[key], []).append(index)
    chosen: dict[str, int] = {}
    clashes: list[str] = []
    for column in LINK_COLUMNS:
        sources = by_mapping.get(column) or by_alias.get(column) or []
        if len(sources) > 1:
            names = ", ".join(f"kolom ke-{i + 1} '{header_key(headers[i])}'" for i in sources)
            clashes.append(f"{column.upper()} ({names})")
        elif sources:
            chosen[column] = sources[0]
    if clashes:
        raise read_error(
            "columns.ambiguous", file=file, detail="; ".join(clashes), mapping=mapping_flag
        )
    missing = []
    if "nama" not in chosen:
        missing.append("NAMA (alias: NAMA_PESERTA, NAMA_LENGKAP)")
    if "nik" not in chosen and "tanggal_lahir" not in chosen:
        missing.append("NIK atau TANGGAL_LAHIR (alias: TGL_LAHIR)")
    if missing:
        known = [c.upper() for c in LINK_COLUMNS if c in chosen]
        found = (
            f"Kolom yang dikenali: {', '.join(known)}. "
            if known
            else "Tidak ada kolom yang dikenali. "
        )
        raise read_error(
            "columns.missing",
            file=file,
            columns=", ".join(missing),
            detail="; ".join(missing),
            found=found,
            mapping=mapping_flag,
        )
    return chosen


def _finish(columns: dict[str, pa.ChunkedArray], num_rows: int, file: str) -> pa.Table:
    """``row`` (1 = first data row) and the linkage columns as trimmed text; wholly empty
    rows are dropped after numbering, so ``row`` still points at the source line."""
    rows = pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), num_rows))
    arrays = {"row": pa.chunked_array([rows], pa.int64())}
    for column in LINK_COLUMNS:
        if column in columns:
            arrays[column] = _text_column(columns[column])
        else:
            arrays[column] = pa.chunked_array([pa.nulls(num_rows, pa.string())], pa.string())
    table = pa.table(arrays)
    has_data = None
    for column in LINK_COLUMNS:
        valid = table.column(column).is_valid()
        has_data = valid if has_data is None else pc.or_(has_data, valid)
    if has_data is not None and not pc.all(has_data).as_py():
        table = table.filter(has_data)
    if table.num_rows == 0:
        raise read_error("file.header_only", file=file)
    return table


def _read_csv(path: Path, mapping: ColumnMapping | None, file: str, flag: str, limits: ReadLimits):
    text_check(path, file=file, limits=limits)
    with path.open("rb") as handle:
        first = handle.readline(limits.max_line_bytes + 2)
        more = bool(handle.read(1))
    first = first.removeprefix(b"\xef\xbb\xbf")
    if not first.strip():
        raise read_error("csv.first_line_blank" if more else "file.empty", file=file)
    try:
        header_text, encoding = first.decode("utf-8"), "utf8"
    except UnicodeDecodeError:
        header_text, encoding = first.decode("cp1252", errors="replace"), "cp1252"
    header_text = header_text.rstrip("\r\n")
    delimiter = _sniff_delimiter(header_text)
    import csv

    try:
        headers = next(csv.reader([header_text], delimiter=delimiter), [])
    except csv.Error:
        raise read_error("csv.syntax", file=file) from None
    if len(headers) > limits.max_columns:
        raise read_error("limits.columns", file=file, count=len(headers), limit=limits.max_columns)
    chosen = _resolve(headers, mapping, file=file, mapping_flag=flag)
    if not more:
        raise read_error("file.header_only", file=file)
    positional = [f"c{i}" for i in range(len(headers))]
    wanted = {column: positional[index] for column, index in chosen.items()}
    include = sorted(set(wanted.values()), key=positional.index)
    body = _CsvBody(path, positional, include, delimiter)
    try:
        try:
            table = body.read(encoding=encoding)
        except pa.ArrowInvalid as exc:
            if encoding != "utf8" or "UTF8" not in str(exc):
                raise
            encoding = "cp1252"
            table = body.read(encoding=encoding)
    except pa.ArrowInvalid as exc:
        raise _csv_error(exc, body, encoding, file=file) from None
    except UnicodeDecodeError:
        raise read_error("csv.encoding", file=file) from None
    except pa.ArrowException:
        raise read_error("csv.syntax", file=file) from None
    if table.num_rows > limits.max_rows:
        raise read_error("limits.rows", file=file, limit=limits.max_rows)
    return _finish({c: table.column(n) for c, n in wanted.items()}, table.num_rows, file)


def _read_sheet(
    path: Path, mapping: ColumnMapping | None, file: str, flag: str, limits: ReadLimits
) -> pa.Table:
    """First sheet, every cell as text the way the DTSEN reader sees it (a NIK typed into a
    number cell comes back as its digits, the 16th lost: ``nik_numeric_cell`` says so)."""
    wrong = _not_a_workbook(path, file=file, expected="buku kerja spreadsheet")
    if wrong is not None:
        raise wrong
    raw = _sheet_rows(path, file=file, limits=limits)
    header_at = next((i for i, row in enumerate(raw) if any(c.strip() for c in row)), None)
    if header_at is None:
        raise read_error("file.empty", file=file)
    headers = [c.strip() for c in raw[header_at]]
    chosen = _resolve(headers, mapping, file=file, mapping_flag=flag)
    body = raw[header_at + 1 :]
    if not body:
        raise read_error("file.header_only", file=file)
    columns = {
        column: pa.chunked_array(
            [pa.array([row[i] if i < len(row) else None for row in body], pa.string())]
        )
        for column, i in chosen.items()
    }
    table = _finish(columns, len(body), file)
    numeric = _numeric_nik_cells(path, header_at, chosen.get("nik"), len(body))
    if numeric is not None:
        table = table.append_column(
            "nik_numeric_cell", pa.array(numeric, pa.bool_()).take(pc.subtract(table["row"], 1))
        )
    return table


def _numeric_nik_cells(path: Path, header_at: int, nik_col: int | None, count: int):
    """Which NIK cells were numbers (Excel kept only 15 digits), per data row."""
    if nik_col is None:
        return None
    from python_calamine import CalamineWorkbook

    flags = [False] * count
    with CalamineWorkbook.from_path(str(path)) as workbook:
        sheet = workbook.get_sheet_by_index(0)
        for index, row in enumerate(sheet.iter_rows()):
            at = index - header_at - 1
            if 0 <= at < count and nik_col < len(row):
                value = row[nik_col]
                flags[at] = isinstance(value, int | float) and not isinstance(value, bool)
    return flags


def _read_parquet(
    path: Path, mapping: ColumnMapping | None, file: str, flag: str, limits: ReadLimits
) -> pa.Table:
    if _head(path)[:4] != b"PAR1":
        raise _not_a_workbook(path, file=file, expected="berkas Parquet") or read_error(
            "parquet.unreadable", file=file
        )
    parquet_check(path, file=file, limits=limits)
    try:
        schema = pq.read_schema(path)
        chosen = _resolve(schema.names, mapping, file=file, mapping_flag=flag)
        table = pq.read_table(path, columns=[schema.names[i] for i in chosen.values()])
    except ReadError:
        raise
    except (pa.ArrowException, OSError, ValueError):
        raise read_error("parquet.unreadable", file=file) from None
    columns = {
        column: _parquet_text(table.column(index), column, file)
        for index, column in enumerate(chosen)
    }
    return _finish(columns, table.num_rows, file)


def list_read(
    path: Path,
    *,
    mapping: ColumnMapping | None = None,
    name: str | None = None,
    mapping_flag: str = "--columns",
    limits: ReadLimits = EXTRACT_LIMITS,
) -> pa.Table:
    """Read one list into ``row`` + :data:`LINK_COLUMNS` (text, null when absent).

    ``name`` is how messages call the file; ``mapping_flag`` how they tell the user to map
    columns (the CLI's ``--columns-a``/``--columns-b``, the web form's words).
    """
    path = Path(path)
    file = name if name is not None else str(path)
    size = _check_file(path, file=file)
    suffix = path.suffix.lower()
    if suffix not in LIST_SUFFIXES:
        raise read_error(
            "file.format", file=file, suffix=suffix[:12] or "(tanpa akhiran)", allowed=_FORMATS
        )
    if size == 0:
        raise read_error("file.empty", file=file)
    reader = (
        _read_csv
        if suffix in CSV_SUFFIXES
        else _read_parquet
        if suffix in PARQUET_SUFFIXES
        else _read_sheet
    )
    try:
        return reader(path, mapping, file, mapping_flag, limits)
    except OSError:
        raise read_error("file.io", file=file) from None
