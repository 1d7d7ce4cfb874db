"""The two files of Pasal 9's money work: the participant roster and BPJS's invoice.

A roster (``NIK``, ``KPJ``, ``NAMA``, ``TANGGAL_MULAI``, ``TANGGAL_BERAKHIR``) is what an
operator keeps in Excel: one row per coverage period, so a participant who ended and came
back has two rows. BPJS Ketenagakerjaan's invoice (``KPJ``, ``NIK``, ``NAMA``, ``BULAN``,
``IURAN_JKK``, ``IURAN_JKM``) is one row per participant and month (Pasal 8 ayat (3): BPJS
determines the contributions; Pasal 9 ayat (1): the regency pays on that determination).

Both are read as text (a NIK or KPJ keeps its leading zeros; a NIK stored in an Excel number
cell has lost its 16th digit and is refused), headers case-insensitively, other headers
through a mapping file like ``payung screen --columns``. Every row is checked and every
problem listed as ``Baris N, kolom X: ...`` without repeating the cell; any problem refuses
the whole file, because a bill or a reconciliation built on half a roster is wrong money.
What the command line writes from them is in ``contribution_outputs``.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from payung.domain import nik as nik_domain
from payung.domain.money import ensure_rupiah
from payung.engine.exchange_files import TextTable, read_text_table
from payung.engine.read_errors import ReadError, read_error
from payung.engine.readers import (
    _UTF8_BOM,
    CSV_SUFFIXES,
    _check_file,
    _csv_error,
    _CsvBody,
    _sniff_delimiter,
)
from payung.engine.reconcile import lines_table
from payung.engine.upload_guard import ReadLimits, text_check

#: Roster and invoice columns, in the order people write them.
ROSTER_COLUMNS: Final = ("NIK", "KPJ", "NAMA", "TANGGAL_MULAI", "TANGGAL_BERAKHIR")
ROSTER_REQUIRED: Final = ("NIK", "KPJ", "TANGGAL_MULAI")
INVOICE_COLUMNS: Final = ("KPJ", "NIK", "NAMA", "BULAN", "IURAN_JKK", "IURAN_JKM")
INVOICE_REQUIRED: Final = ("KPJ", "BULAN", "IURAN_JKK", "IURAN_JKM")

#: A regency's roster is thousands of rows; an invoice for a year of 100 000 participants is
#: 1.2 million. Above that, a file is a mistake, not an invoice.
CONTRIBUTION_LIMITS: Final = ReadLimits(
    max_rows=2_000_000,
    max_columns=100,
    max_line_bytes=256 << 10,
    max_uncompressed_bytes=1 << 30,
)

#: Problems listed before "dan N masalah lain": enough to fix a column in one go.
MAX_LISTED: Final = 50

_KPJ = re.compile(r"[0-9]{1,20}")
_NIK = re.compile(r"[0-9]{16}")
_AMOUNT = re.compile(r"[0-9]{1,15}")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9:.]+)?")
_DMY = re.compile(r"([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_SPREADSHEETS: Final = frozenset({".xlsx", ".xlsm", ".ods"})


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path`` (``mkstemp``: mode 0600, these
    files hold NIK and KPJ), then rename it into place: a crash never leaves half a bill.

    The same as ``engine.decisions.atomic_write``, which would load Ibis for one function.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


class ContributionFileError(Exception):
    """A roster, invoice or mapping that cannot be used; ``problems`` are Indonesian lines
    (``Baris N, kolom X: ...``) that never quote a cell."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_LISTED]
        if len(self.problems) > MAX_LISTED:
            shown.append(f"... dan {len(self.problems) - MAX_LISTED} masalah lain.")
        super().__init__("\n".join(shown))


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One coverage period of one participant (``end`` None = still active)."""

    row: int
    nik: str
    kpj: str
    start: date
    end: date | None
    nama: str = ""


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    """One line of BPJS's invoice: a participant (by KPJ) and a month, in rupiah."""

    row: int
    kpj: str
    month: date
    jkk: int
    jkm: int


def header_key(header: str) -> str:
    """``Tanggal Mulai`` / ``tanggal-mulai`` / ``TANGGAL_MULAI`` -> ``TANGGAL_MULAI``."""
    return re.sub(r"[\s\-.]+", "_", header.strip().upper()).strip("_")


def mapping_load(path: Path, *, columns: Sequence[str]) -> dict[str, str]:
    """``{"columns": {"Their Header": "KPJ", ...}}`` -> header_key(their header) -> column.

    Strict like ``payung screen --columns``: a typo in a mapping would otherwise surface as a
    confusing missing column, or a wrong column read as money.
    """
    shown = path.name
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ContributionFileError(
            [f"Berkas pemetaan kolom tidak ditemukan: '{shown}'."]
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise ContributionFileError(
            [f"Berkas pemetaan kolom '{shown}' tidak dapat dibaca sebagai YAML UTF-8."]
        ) from None
    entries = document.get("columns") if isinstance(document, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ContributionFileError(
            [
                f"Berkas pemetaan kolom '{shown}' tidak valid: harus berisi 'columns:' dengan "
                "pasangan 'Judul kolom Anda: KOLOM'."
            ]
        )
    renames: dict[str, str] = {}
    problems = []
    for header, target in entries.items():
        column = header_key(str(target)) if isinstance(target, str) else ""
        if column not in columns:
            problems.append(
                f"Berkas pemetaan kolom '{shown}': tujuan untuk salah satu judul bukan kolom "
                f"yang dikenal. Kolom yang dikenal: {', '.join(columns)}."
            )
            continue
        renames[header_key(str(header))] = column
    if problems:
        raise ContributionFileError(problems[:1])
    return renames


def _columns(
    headers: Sequence[str],
    *,
    file: str,
    known: Sequence[str],
    required: Sequence[str],
    renames: dict[str, str],
    mapping_option: str,
) -> dict[str, int]:
    """Known column -> index; a mapping entry beats a header of the same name."""
    by_mapping: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in renames:
            by_mapping.setdefault(renames[key], []).append(index)
        elif key in known:
            by_name.setdefault(key, []).append(index)
    chosen: dict[str, int] = {}
    problems = []
    for column in known:
        sources = by_mapping.get(column) or by_name.get(column) or []
        if len(sources) > 1:
            where = ", ".join(f"kolom ke-{i + 1}" for i in sources)
            problems.append(
                f"Lebih dari satu kolom di berkas '{file}' cocok dengan {column} ({where})."
            )
        elif sources:
            chosen[column] = sources[0]
    missing = [c for c in required if c not in chosen]
    if missing:
        problems.append(
            f"Kolom wajib tidak ditemukan di berkas '{file}': {', '.join(missing)}. "
            f"Gunakan {mapping_option} untuk memetakan nama kolom Anda."
        )
    if problems:
        raise ContributionFileError(problems)
    return chosen


def _numeric_cells(path: Path, columns: Sequence[int]) -> set[tuple[int, int]]:
    """(sheet row number, column index) of number cells in ``columns`` of the first sheet.

    ``read_text_table`` gives every cell as text; whether a NIK or KPJ was typed into a number
    cell is only in the workbook, and it matters: Excel keeps 15 significant digits.
    """
    from python_calamine import CalamineWorkbook

    found: set[tuple[int, int]] = set()
    with CalamineWorkbook.from_path(str(path)) as workbook:
        sheet = workbook.get_sheet_by_index(0)
        for number, row in enumerate(sheet.iter_rows(), start=1):
            for col in columns:
                if (
                    col < len(row)
                    and isinstance(row[col], int | float)
                    and not isinstance(row[col], bool)
                ):
                    found.add((number, col))
    return found


def _table(path: Path, name: str | None) -> TextTable:
    from payung.engine.read_errors import ReadError

    try:
        return read_text_table(path, name=name, limits=CONTRIBUTION_LIMITS)
    except ReadError as exc:
        raise ContributionFileError([exc.message]) from None


_DATES: dict[str, date | None] = {}


def _date(text: str) -> date | None:
    """YYYY-MM-DD (an Excel date cell arrives so), DD-MM-YYYY or DD/MM/YYYY.

    A roster repeats a few dozen dates over thousands of rows: each text is parsed once.
    """
    found = _DATES.get(text, date.min)
    if found is date.min:
        if len(_DATES) > 100_000:
            _DATES.clear()
        found = _DATES[text] = _date_parse(text)
    return found


def _date_parse(text: str) -> date | None:
    if (match := _ISO.fullmatch(text)) is not None:
        y, m, d = (int(g) for g in match.groups())
    elif (match := _DMY.fullmatch(text)) is not None:
        d, m, y = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month(text: str) -> date | None:
    """YYYY-MM, or the first day of a month (Excel turns a typed 2026-01 into 2026-01-01)."""
    if (match := _MONTH.fullmatch(text)) is not None:
        y, m = (int(g) for g in match.groups())
        return date(y, m, 1) if 1 <= m <= 12 and y >= 1900 else None
    day = _date(text)
    return day if day is not None and day.day == 1 else None


_NIK_WORDS: Final = {
    "nik.numeric_cell": "tersimpan sebagai angka di Excel (digit ke-16 hilang); format kolom "
    "sebagai Teks lalu ketik ulang",
    "nik.excel_scientific": "tertulis dalam notasi ilmiah Excel; format kolom sebagai Teks lalu "
    "ketik ulang",
    "nik.excel_decimal": "tertulis sebagai angka desimal Excel; format kolom sebagai Teks lalu "
    "ketik ulang",
    "nik.empty": "kosong",
}


def _nik_problem(text: str, *, numeric: bool) -> str | None:
    """What is wrong with a roster's NIK, in words that do not repeat it: Excel damage first
    (``nik.parse``), then anything but 16 digits. A roster lists people BPJS already covers,
    so the NIK's inner structure (region, birth date) is not judged here."""
    if not numeric and _NIK.fullmatch(text):
        return None  # the common case, without nik.parse's full check
    result = nik_domain.parse(text, numeric_cell=numeric)
    codes = [p.code for p in result.problems]
    for code in codes:
        if code in _NIK_WORDS:
            return _NIK_WORDS[code]
    if any(code in ("nik.non_digit", "nik.length") for code in codes):
        return "harus 16 angka"
    return None


def _kpj_problem(text: str, *, numeric: bool) -> str | None:
    if not text:
        return "kosong"
    if numeric:
        return (
            "tersimpan sebagai angka di Excel (nol di depan bisa hilang); format kolom sebagai "
            "Teks lalu ketik ulang"
        )
    if not _KPJ.fullmatch(text):
        return "harus berisi angka saja"
    return None


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def roster_read(
    path: Path, *, mapping: Path | None = None, name: str | None = None
) -> list[RosterRow]:
    """Every row of a roster, checked; raises ``ContributionFileError`` listing every bad row.

    A NIK with two rows is one participant with two coverage periods (both rows must give
    the same KPJ); a period must not end before it starts.
    """
    path = Path(path)
    file = name if name is not None else path.name
    renames = mapping_load(mapping, columns=ROSTER_COLUMNS) if mapping else {}
    table = _table(path, name)
    at = _columns(
        table.headers,
        file=file,
        known=ROSTER_COLUMNS,
        required=ROSTER_REQUIRED,
        renames=renames,
        mapping_option="--columns",
    )
    numeric: set[tuple[int, int]] = set()
    if path.suffix.lower() in _SPREADSHEETS:
        numeric = _numeric_cells(path, [at["NIK"], at["KPJ"]])
    end_at = at.get("TANGGAL_BERAKHIR")
    nama_at = at.get("NAMA")
    problems: list[str] = []
    rows: list[RosterRow] = []
    kpj_of: dict[str, tuple[str, int]] = {}
    nik_of: dict[str, tuple[str, int]] = {}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        bad = []
        nik = cells[at["NIK"]]
        kpj = cells[at["KPJ"]]
        nik_word = _nik_problem(nik, numeric=(number, at["NIK"]) in numeric)
        kpj_word = _kpj_problem(kpj, numeric=(number, at["KPJ"]) in numeric)
        if nik_word is not None:
            bad.append(("NIK", nik_word))
        if kpj_word is not None:
            bad.append(("KPJ", kpj_word))
        if nik_word is None and kpj_word is None:
            # One participant, one KPJ: a reconciliation by KPJ would merge two people.
            seen = kpj_of.setdefault(nik, (kpj, number))
            owner = nik_of.setdefault(kpj, (nik, number))
            if seen[0] != kpj:
                bad.append(("KPJ", f"berbeda dengan baris {seen[1]} untuk NIK yang sama"))
            elif owner[0] != nik:
                bad.append(("KPJ", f"sama dengan baris {owner[1]} yang NIK-nya berbeda"))
        start_text = cells[at["TANGGAL_MULAI"]]
        start = _date(start_text)
        if start is None:
            bad.append(("TANGGAL_MULAI", "kosong" if not start_text else _DATE_WORDS))
        end_text = _cell(cells, end_at)
        end = _date(end_text) if end_text else None
        if end_text and end is None:
            bad.append(("TANGGAL_BERAKHIR", _DATE_WORDS))
        if start is not None and end is not None and end < start:
            bad.append(("TANGGAL_BERAKHIR", "sebelum TANGGAL_MULAI"))
        if bad:
            problems.extend(f"Baris {number}, kolom {column}: {word}." for column, word in bad)
            continue
        assert start is not None
        rows.append(RosterRow(number, nik, kpj, start, end, _cell(cells, nama_at)))
    if problems:
        raise ContributionFileError(
            [f"Berkas '{file}' ditolak; tidak ada baris yang dipakai.", *problems]
        )
    return rows


_DATE_WORDS: Final = "tanggal tidak sah; gunakan YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY"


def invoice_read(
    path: Path,
    *,
    first: date,
    last: date,
    mapping: Path | None = None,
    name: str | None = None,
) -> list[InvoiceRow]:
    """Every line of BPJS's invoice for the months ``first``..``last`` (first days), checked;
    raises ``ContributionFileError`` listing every bad row. A month outside the period is a
    row problem: an invoice is reconciled against the bill of its own period.
    """
    path = Path(path)
    file = name if name is not None else path.name
    renames = mapping_load(mapping, columns=INVOICE_COLUMNS) if mapping else {}
    table = _table(path, name)
    at = _columns(
        table.headers,
        file=file,
        known=INVOICE_COLUMNS,
        required=INVOICE_REQUIRED,
        renames=renames,
        mapping_option="--columns-invoice",
    )
    numeric: set[tuple[int, int]] = set()
    if path.suffix.lower() in _SPREADSHEETS:
        numeric = _numeric_cells(path, [at["KPJ"]])
    kpj_at, month_at, jkk_at, jkm_at = at["KPJ"], at["BULAN"], at["IURAN_JKK"], at["IURAN_JKM"]
    problems: list[str] = []
    rows: list[InvoiceRow] = []
    append = rows.append
    months: dict[str, date | None] = {}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        kpj = cells[kpj_at]
        month_text = cells[month_at]
        jkk_text = cells[jkk_at]
        jkm_text = cells[jkm_at]
        month = months.get(month_text, date.min)
        if month is date.min:
            month = months[month_text] = _month(month_text)
        if (
            _KPJ.fullmatch(kpj)
            and not numeric
            and month is not None
            and first <= month <= last
            and _AMOUNT.fullmatch(jkk_text)
            and _AMOUNT.fullmatch(jkm_text)
        ):
            # The common case, checked cheaply: 1.2 million lines must not crawl.
            append(InvoiceRow(number, kpj, month, int(jkk_text), int(jkm_text)))
            continue
        line, bad = _invoice_row_check(
            kpj,
            month_text,
            jkk_text,
            jkm_text,
            first=first,
            last=last,
            numeric=(number, kpj_at) in numeric,
        )
        if bad or line is None:
            problems.extend(f"Baris {number}, kolom {column}: {word}." for column, word in bad)
            continue
        append(InvoiceRow(number, kpj, line[1], *_split_amounts(jkk_text, jkm_text)))
    if problems:
        raise ContributionFileError(
            [f"Berkas '{file}' ditolak; tidak ada baris yang dipakai.", *problems]
        )
    return rows


def _split_amounts(jkk_text: str, jkm_text: str) -> tuple[int, int]:
    return _amount(jkk_text)[1], _amount(jkm_text)[1]


def _amount(text: str) -> tuple[str | None, int]:
    """Integer rupiah (``16800``, ``16.800``, ``Rp16.800``), never negative."""
    if not text:
        return "kosong", 0
    try:
        value = ensure_rupiah(text)
    except ValueError:
        return "bukan bilangan bulat rupiah (contoh: 10000 atau 10.000)", 0
    if value < 0:
        return "tidak boleh negatif", 0
    return None, value


# --------------------------------------------------------------------------------------------
# A large invoice in CSV: columns, not rows
# --------------------------------------------------------------------------------------------


def invoice_table(
    path: Path,
    *,
    first: date,
    last: date,
    mapping: Path | None = None,
) -> tuple[pa.Table, int]:
    """BPJS's invoice as the Arrow table ``reconcile_table`` reads (``kpj``, ``month``,
    ``amount`` = JKK + JKM) and its number of lines; the same checks and messages as
    ``invoice_read``.

    An invoice for a year of 100 000 participants is 1.2 million lines: a CSV is read by
    pyarrow and checked column by column, and only the rows that fail the quick checks
    (or are written another accepted way, ``10.000``) go through ``invoice_read``'s row
    checks. A spreadsheet goes through ``invoice_read``.
    """
    path = Path(path)
    if path.suffix.lower() not in CSV_SUFFIXES:
        rows = invoice_read(path, first=first, last=last, mapping=mapping)
        table = lines_table([(r.kpj, r.month, r.jkk + r.jkm) for r in rows])
        return table, len(rows)
    renames = mapping_load(mapping, columns=INVOICE_COLUMNS) if mapping else {}
    file = path.name
    columns = _csv_columns(path, file=file, renames=renames)
    kpj, month, jkk, jkm = (columns[c] for c in ("KPJ", "BULAN", "IURAN_JKK", "IURAN_JKM"))
    digits = pc.match_substring_regex(kpj, r"^[0-9]{1,20}$")
    in_period = pc.and_(
        pc.match_substring_regex(month, r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
        pc.and_(
            pc.greater_equal(month, first.strftime("%Y-%m")),
            pc.less_equal(month, last.strftime("%Y-%m")),
        ),
    )
    amounts = pc.and_(
        pc.match_substring_regex(jkk, r"^[0-9]{1,15}$"),
        pc.match_substring_regex(jkm, r"^[0-9]{1,15}$"),
    )
    quick = pc.and_(pc.and_(digits, in_period), amounts)
    blank = pc.and_(
        pc.and_(pc.equal(kpj, ""), pc.equal(month, "")),
        pc.and_(pc.equal(jkk, ""), pc.equal(jkm, "")),
    )
    slow_at = pc.indices_nonzero(pc.invert(pc.or_(quick, blank))).to_pylist()
    problems: list[str] = []
    slow_lines: list[tuple[str, date, int]] = []
    for index in slow_at:
        number = index + 2  # the header is line 1
        line, bad = _invoice_row_check(
            kpj[index].as_py(),
            month[index].as_py(),
            jkk[index].as_py(),
            jkm[index].as_py(),
            first=first,
            last=last,
            numeric=False,
        )
        if bad:
            problems.extend(f"Baris {number}, kolom {column}: {word}." for column, word in bad)
        elif line is not None:
            slow_lines.append(line)
    if problems:
        raise ContributionFileError(
            [f"Berkas '{file}' ditolak; tidak ada baris yang dipakai.", *problems]
        )
    fast = pa.table({"kpj": kpj, "month": month, "jkk": jkk, "jkm": jkm}).filter(quick)
    table = pa.table(
        {
            "kpj": fast["kpj"],
            "month": _months_of(fast["month"]),
            "amount": pc.add(pc.cast(fast["jkk"], pa.int64()), pc.cast(fast["jkm"], pa.int64())),
        }
    )
    if slow_lines:
        table = pa.concat_tables([table, lines_table(slow_lines)])
    if table.num_rows == 0:
        raise ContributionFileError([read_error("file.header_only", file=file).message])
    return table, table.num_rows


def _months_of(texts: pa.ChunkedArray) -> pa.Array:
    """``YYYY-MM`` texts (already checked) as first days, parsed once per distinct month."""
    encoded = pc.dictionary_encode(texts.combine_chunks())
    firsts = pc.binary_join_element_wise(encoded.dictionary, "01", "-")
    parsed = pc.cast(pc.strptime(firsts, "%Y-%m-%d", "s"), pa.date32())
    return pc.take(parsed, encoded.indices)


def _invoice_row_check(
    kpj: str,
    month_text: str,
    jkk_text: str,
    jkm_text: str,
    *,
    first: date,
    last: date,
    numeric: bool,
) -> tuple[tuple[str, date, int] | None, list[tuple[str, str]]]:
    """One invoice line's problems (column, words), or the line as (KPJ, month, rupiah)."""
    bad = []
    if (word := _kpj_problem(kpj, numeric=numeric)) is not None:
        bad.append(("KPJ", word))
    month = _month(month_text)
    if month is None:
        bad.append(("BULAN", "kosong" if not month_text else "bulan tidak sah; gunakan YYYY-MM"))
    elif not first <= month <= last:
        bad.append(("BULAN", "di luar periode rekonsiliasi"))
    amounts = []
    for column, text in (("IURAN_JKK", jkk_text), ("IURAN_JKM", jkm_text)):
        word, amount = _amount(text)
        if word is not None:
            bad.append((column, word))
        amounts.append(amount)
    if bad or month is None:
        return None, bad
    return (kpj, month, amounts[0] + amounts[1]), []


def _csv_columns(path: Path, *, file: str, renames: dict[str, str]) -> dict[str, pa.ChunkedArray]:
    """The invoice columns of a CSV as trimmed text ("" for empty), read by pyarrow with the
    DTSEN reader's guards (size, binary, UTF-16, line lengths, encodings, column counts)."""
    limits = CONTRIBUTION_LIMITS
    size = _check_file_wrapped(path, file)
    if size == 0:
        raise ContributionFileError([read_error("file.empty", file=file).message])
    try:
        text_check(path, file=file, limits=limits)
        with path.open("rb") as handle:
            first_line = handle.readline(limits.max_line_bytes + 2)
    except ReadError as exc:
        raise ContributionFileError([exc.message]) from None
    except OSError:
        raise ContributionFileError([read_error("file.io", file=file).message]) from None
    first_line = first_line.removeprefix(_UTF8_BOM)
    try:
        header_text = first_line.decode("utf-8")
        encoding = "utf8"
    except UnicodeDecodeError:
        header_text = first_line.decode("cp1252", errors="replace")
        encoding = "cp1252"
    header_text = header_text.rstrip("\r\n")
    if not header_text.strip():
        raise ContributionFileError([read_error("csv.first_line_blank", file=file).message])
    delimiter = _sniff_delimiter(header_text)
    headers = next(csv.reader([header_text], delimiter=delimiter), [])
    at = _columns(
        headers,
        file=file,
        known=INVOICE_COLUMNS,
        required=INVOICE_REQUIRED,
        renames=renames,
        mapping_option="--columns-invoice",
    )
    positional = [f"c{i}" for i in range(len(headers))]
    wanted = {column: positional[at[column]] for column in INVOICE_REQUIRED}
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
        raise ContributionFileError([_csv_error(exc, body, encoding, file=file).message]) from None
    except (UnicodeDecodeError, OSError, pa.ArrowException):
        raise ContributionFileError([read_error("csv.syntax", file=file).message]) from None
    if table.num_rows == 0:
        raise ContributionFileError([read_error("file.header_only", file=file).message])
    if table.num_rows > limits.max_rows:
        raise ContributionFileError(
            [read_error("limits.rows", file=file, limit=limits.max_rows).message]
        )
    columns = {
        column: pc.fill_null(pc.utf8_trim_whitespace(table.column(name)), "")
        for column, name in wanted.items()
    }
    return columns


def _check_file_wrapped(path: Path, file: str) -> int:
    try:
        return _check_file(path, file=file)
    except ReadError as exc:
        raise ContributionFileError([exc.message]) from None
