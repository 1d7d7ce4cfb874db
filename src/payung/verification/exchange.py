"""How candidates reach Disdukcapil and its answers come back, behind one interface.

The default is the file exchange of docs/verification.md: an XLSX (or CSV) out with the
candidates' identity fields and an empty HASIL column, the same file back with HASIL filled
and wrong fields corrected in place. An online Dukcapil service can be plugged in later by
naming another class in ``settings.PAYUNG_VERIFICATION_EXCHANGE`` with the same two methods.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Protocol

import xlsxwriter
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payung.core.exports import neutralise, unneutralise
from payung.domain import nik as nik_domain
from payung.engine import EXCHANGE_LIMITS, ReadError, TextTable, csv_bytes, read_text_table
from payung.registry.fields import FieldProblem, field_check, field_problem_text, field_same
from payung.verification.models import Answer

#: Identity columns sent, in order, and the Person field each comes from. These are the
#: fields Disdukcapil may correct (DATA BERBEDA).
IDENTITY_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("NIK", "nik"),
    ("NO_KK", "no_kk"),
    ("NAMA", "nama"),
    ("TANGGAL_LAHIR", "tanggal_lahir"),
    ("JENIS_KELAMIN", "jenis_kelamin"),
    ("ALAMAT", "alamat"),
    ("KODE_DESA", "kode_desa"),
)
CORRECTABLE: Final[tuple[tuple[str, str], ...]] = IDENTITY_COLUMNS[1:]
RESULT_COLUMN: Final = "HASIL"
NOTE_COLUMN: Final = "KETERANGAN"
HEADERS: Final[tuple[str, ...]] = (
    "NO",
    *(name for name, _f in IDENTITY_COLUMNS),
    RESULT_COLUMN,
    NOTE_COLUMN,
)
ALLOWED: Final[tuple[str, ...]] = tuple(a.value for a in Answer)
#: Longest KETERANGAN kept (the item's ``note`` column).
NOTE_MAX_LENGTH: Final = 300
#: Rows an answer file may hold beyond the batch's candidates: at least this many, or a tenth.
ROW_MARGIN_MIN: Final = 50


@dataclass(frozen=True)
class RequestRow:
    """One candidate as sent: identity fields by Person field name."""

    no: int
    fields: dict[str, str]

    @property
    def nik(self) -> str:
        return self.fields["nik"]


@dataclass(frozen=True)
class ReceivedAnswer:
    row_number: int
    nik: str
    answer: str
    corrected: dict[str, str]
    note: str


@dataclass
class ParsedAnswers:
    """Answers that match a sent candidate, rows that match none, and row errors. Any error
    refuses the whole file (nothing applied); unmatched rows are reported, never dropped."""

    answers: list[ReceivedAnswer] = field(default_factory=list)
    unmatched: list[dict[str, str | int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class VerificationExchange(Protocol):
    def request(self, rows: Sequence[RequestRow], fmt: str) -> bytes:
        """The request for these candidates (a file to hand over, for the file exchange)."""
        ...

    def answers(self, rows: Sequence[RequestRow], response: Path | None) -> ParsedAnswers:
        """Disdukcapil's answers for the candidates sent (from ``response`` for files)."""
        ...


@dataclass(frozen=True)
class Corrections:
    """The fields Disdukcapil changed, in their stored form, and the rule each changed value
    breaks (``registry.fields``); a correction with problems is refused, never stored."""

    changes: dict[str, str]
    problems: list[FieldProblem]


def corrections_read(*, sent: Mapping[str, str], answered: Mapping[str, str]) -> Corrections:
    """The correctable fields Disdukcapil changed: filled and different in meaning from what
    was sent. The one rule for an answer file's cells and the verifier's page.

    A value that means what was sent (spacing, a dotted village code, a date written the
    other way) is no correction and is not checked; every changed value must meet the rules
    every way of entering a person's data shares (``registry.fields.field_check``: length,
    no control characters, a date, KK, village code or sex the engine can read).
    """
    correctable = {f for _n, f in CORRECTABLE}
    changes: dict[str, str] = {}
    problems: list[FieldProblem] = []
    for name, value in answered.items():
        if name not in correctable or not value.strip():
            continue
        if field_same(name=name, before=sent.get(name, "") or "", after=value):
            continue
        checked = field_check(name=name, value=value)
        if checked.problems:
            problems.extend(checked.problems)
        else:
            changes[name] = checked.value
    return Corrections(changes=changes, problems=problems)


def column_of(field_name: str) -> str:
    """The exchange file's column for a Person field (``nama`` -> ``NAMA``)."""
    return next((name for name, f in IDENTITY_COLUMNS if f == field_name), field_name.upper())


def exchange_get() -> VerificationExchange:
    path = getattr(
        settings, "PAYUNG_VERIFICATION_EXCHANGE", "payung.verification.exchange.FileExchange"
    )
    return import_string(path)()


class FileExchange:
    """XLSX/CSV out, the same file back (docs/verification.md)."""

    def request(self, rows: Sequence[RequestRow], fmt: str) -> bytes:
        if fmt == "csv":
            return _request_csv(rows)
        if fmt == "xlsx":
            return _request_xlsx(rows)
        raise ValueError(fmt)

    def answers(self, rows: Sequence[RequestRow], response: Path | None) -> ParsedAnswers:
        if response is None:
            raise ValueError("the file exchange needs the answer file")
        limit = answer_row_limit(len(rows))
        # The reader counts rows before it parses any (engine.upload_guard), so a file longer
        # than this batch can answer is refused without reading its rows one by one.
        limits = replace(EXCHANGE_LIMITS, max_rows=min(limit, EXCHANGE_LIMITS.max_rows))
        try:
            table = read_text_table(response, limits=limits)
        except ReadError as exc:
            if exc.code != "limits.rows":
                raise
            return ParsedAnswers(errors=[_too_many_rows(limit, len(rows))])
        if len(table.rows) > limit:
            return ParsedAnswers(errors=[_too_many_rows(limit, len(rows))])
        return _parse(table, {r.nik: r for r in rows})


def _cells(row: RequestRow) -> list[str | int]:
    return [row.no, *(row.fields.get(f, "") for _n, f in IDENTITY_COLUMNS), "", ""]


def _request_csv(rows: Sequence[RequestRow]) -> bytes:
    return csv_bytes(HEADERS, ([neutralise(str(c)) for c in _cells(row)] for row in rows))


def _request_xlsx(rows: Sequence[RequestRow]) -> bytes:
    """One sheet of candidates (every cell text, so NIKs keep 16 digits) with a drop-down of
    the allowed answers on HASIL, and a second sheet explaining them."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "in_memory": True})
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet("VERIFIKASI")
    sheet.write_row(0, 0, HEADERS, bold)
    widths = [6, 19, 19, 30, 14, 14, 40, 13, 18, 30]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width, text if col else None)
    for i, row in enumerate(rows, start=1):
        sheet.write_number(i, 0, row.no)
        for col, value in enumerate(_cells(row)[1:], start=1):
            sheet.write_string(i, col, neutralise(str(value)))
    if rows:
        sheet.data_validation(
            1,
            len(HEADERS) - 2,
            len(rows),
            len(HEADERS) - 2,
            {
                "validate": "list",
                "source": list(ALLOWED),
                "error_title": _("Hasil tidak dikenal"),
                "error_message": _("Pilih salah satu: %(v)s") % {"v": ", ".join(ALLOWED)},
            },
        )
    sheet.freeze_panes(1, 0)
    guide = workbook.add_worksheet("PETUNJUK")
    lines = [
        _("Isi kolom HASIL untuk setiap baris dengan salah satu nilai berikut:"),
        "SESUAI — " + _("data sesuai dengan data kependudukan"),
        "TIDAK DITEMUKAN — " + _("NIK tidak ditemukan dalam database kependudukan"),
        "MENINGGAL — " + _("penduduk telah meninggal dunia"),
        "PINDAH — " + _("penduduk telah pindah ke luar daerah"),
        "DATA BERBEDA — "
        + _("perbaiki langsung sel yang berbeda (NO_KK, NAMA, TANGGAL_LAHIR, JENIS_KELAMIN, "),
        _("ALAMAT, KODE_DESA); NIK jangan diubah. Kolom KETERANGAN boleh diisi."),
        _("Format TANGGAL_LAHIR: YYYY-MM-DD. Kirim kembali berkas ini (XLSX atau CSV)."),
    ]
    for i, line in enumerate(lines):
        guide.write_string(i, 0, line)
    guide.set_column(0, 0, 110)
    workbook.close()
    return buffer.getvalue()


def _parse(table: TextTable, sent: dict[str, RequestRow]) -> ParsedAnswers:
    parsed = ParsedAnswers()
    nik_col = table.column("NIK")
    result_col = table.column(RESULT_COLUMN)
    missing = [name for name, col in (("NIK", nik_col), (RESULT_COLUMN, result_col)) if col is None]
    if missing:
        # Never quote the header row: without its headers the first row is a candidate's
        # NIK and name (issue 17, defect 1). Our own column names only, and a count.
        known = [h for h in HEADERS if h in table.headers]
        parsed.errors.append(
            _(
                "Kolom wajib tidak ada: %(cols)s. Kolom yang dikenali: %(known)s; %(others)s "
                "kolom lain tidak dikenali. Bila baris pertama berisi data, tambahkan baris "
                "judul kolom dari berkas permintaan."
            )
            % {
                "cols": ", ".join(missing),
                "known": ", ".join(known) or "-",
                "others": sum(1 for h in table.headers if h and h not in HEADERS),
            }
        )
        return parsed
    assert nik_col is not None and result_col is not None
    note_col = table.column(NOTE_COLUMN)
    correct_cols = {f: table.column(name) for name, f in CORRECTABLE}
    seen: dict[str, int] = {}
    for number, raw_cells in zip(table.row_numbers, table.rows, strict=True):
        # The request neutralised cells that start like a formula; what comes back unchanged
        # must read as it went out (a NAMA "+1+2", an ALAMAT "-"), or it looks corrected.
        cells = [unneutralise(c) for c in raw_cells]
        row_errors = _row_problems(number, cells, nik_col=nik_col, result_col=result_col)
        if row_errors:
            parsed.errors.extend(row_errors)
            continue
        nik = nik_domain.clean(cells[nik_col])
        answer = " ".join(cells[result_col].split()).upper()
        if nik in seen:
            parsed.errors.append(
                _row(number)
                + ": "
                + _("NIK %(nik)s sudah ada di baris %(first)s.")
                % {"nik": nik_domain.mask(nik), "first": seen[nik]}
            )
            continue
        seen[nik] = number
        request = sent.get(nik)
        if request is None:
            parsed.unmatched.append(
                {"row": number, "nik_masked": nik_domain.mask(nik), "answer": answer}
            )
            continue
        corrected: dict[str, str] = {}
        if answer == Answer.DATA_BERBEDA:
            answered = {name: cells[col] for name, col in correct_cols.items() if col is not None}
            found = corrections_read(sent=request.fields, answered=answered)
            if found.problems:
                parsed.errors.extend(
                    _row(number, column_of(p.field)) + ": " + field_problem_text(p)
                    for p in found.problems
                )
                continue
            corrected = found.changes
            if not corrected:
                parsed.errors.append(
                    _row(number)
                    + ": "
                    + _(
                        "HASIL DATA BERBEDA tetapi tidak ada sel yang diperbaiki; perbaiki "
                        "sel yang berbeda atau pilih hasil lain."
                    )
                )
                continue
        note = _words(cells[note_col]) if note_col is not None else ""
        if note_col is not None and (len(note) > NOTE_MAX_LENGTH or _has_control(note)):
            parsed.errors.append(
                _row(number, NOTE_COLUMN)
                + ": "
                + _("Isi paling panjang %(limit)s karakter, tanpa karakter kendali.")
                % {"limit": NOTE_MAX_LENGTH}
            )
            continue
        parsed.answers.append(
            ReceivedAnswer(
                row_number=number, nik=nik, answer=answer, corrected=corrected, note=note
            )
        )
    return parsed


def _row(number: int, column: str = "") -> str:
    """Where a message points: the row people see in Excel, and the column when there is one."""
    if column:
        return _("Baris %(row)s, kolom %(col)s") % {"row": number, "col": column}
    return _("Baris %(row)s") % {"row": number}


def _row_problems(number: int, cells: list[str], *, nik_col: int, result_col: int) -> list[str]:
    """A row's NIK and HASIL checked before anything else; the messages never hold the cell."""
    out: list[str] = []
    raw_nik = cells[nik_col]
    nik = nik_domain.clean(raw_nik) if raw_nik else ""
    if not nik:
        out.append(_row(number) + ": " + _("NIK kosong."))
    elif not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
        out.append(
            _row(number, "NIK") + ": " + _("NIK harus 16 angka; jangan mengubah NIK yang dikirim.")
        )
    answer = " ".join(cells[result_col].split()).upper()
    if answer not in ALLOWED:
        out.append(
            _row(number, RESULT_COLUMN)
            + ": "
            + _("Isi tidak dikenal; gunakan salah satu: %(allowed)s.")
            % {"allowed": ", ".join(ALLOWED)}
        )
    return out


def _words(value: str) -> str:
    return " ".join(value.split())


def _has_control(value: str) -> bool:
    return bool(field_check(name="keterangan", value=value).problems)


def _too_many_rows(limit: int, items: int) -> str:
    return _(
        "Berkas jawaban berisi lebih dari %(limit)s baris data (calon tahap ini %(items)s "
        "ditambah cadangan). Unggah berkas permintaan tahap ini yang sudah diisi."
    ) % {"limit": limit, "items": items}


def answer_row_limit(items: int) -> int:
    """Most data rows an answer file for a batch of ``items`` candidates may hold: one per
    candidate plus a margin for rows Disdukcapil adds (reported as unmatched, never applied).
    Anything bigger is not an answer to this batch, and is refused before its rows are read
    one by one (issue 17, defect 5: a million-row file must not cost a million checks)."""
    return items + max(ROW_MARGIN_MIN, items // 10)
