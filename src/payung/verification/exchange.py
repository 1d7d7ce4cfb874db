"""How candidates reach Disdukcapil and its answers come back, behind one interface.

The default is the file exchange of docs/verification.md: an XLSX (or CSV) out with the
candidates' identity fields and an empty HASIL column, the same file back with HASIL filled
and wrong fields corrected in place. An online Dukcapil service can be plugged in later by
naming another class in ``settings.PAYUNG_VERIFICATION_EXCHANGE`` with the same two methods.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol

import xlsxwriter
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payung.domain import nik as nik_domain
from payung.engine.exchange_files import TextTable, csv_bytes, read_text_table
from payung.screening.exports import neutralise
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


def _same_words(value: str) -> str:
    return " ".join(value.split())


def corrections(sent: dict[str, str], answered: dict[str, str]) -> dict[str, str]:
    """The correctable fields Disdukcapil changed: filled and different from what was sent
    (spacing aside). The one rule for an answer file's cells and the verifier's page."""
    correctable = {f for _n, f in CORRECTABLE}
    out: dict[str, str] = {}
    for name, value in answered.items():
        value = _same_words(value)
        if name in correctable and value and value != _same_words(sent.get(name, "")):
            out[name] = value
    return out


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
        return _parse(read_text_table(response), {r.nik: r for r in rows})


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
        parsed.errors.append(
            _("Kolom wajib tidak ada: %(cols)s. Judul kolom di berkas: %(found)s.")
            % {"cols": ", ".join(missing), "found": ", ".join(h for h in table.headers if h)}
        )
        return parsed
    assert nik_col is not None and result_col is not None
    note_col = table.column(NOTE_COLUMN)
    correct_cols = {f: table.column(name) for name, f in CORRECTABLE}
    seen: dict[str, int] = {}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        nik = nik_domain.clean(cells[nik_col]) if cells[nik_col] else ""
        answer = " ".join(cells[result_col].split()).upper()
        where = _("Baris %(row)s") % {"row": number}
        if not nik:
            parsed.errors.append(where + ": " + _("NIK kosong."))
            continue
        if nik in seen:
            parsed.errors.append(
                where
                + ": "
                + _("NIK %(nik)s sudah ada di baris %(first)s.")
                % {"nik": nik_domain.mask(nik), "first": seen[nik]}
            )
            continue
        seen[nik] = number
        if answer not in ALLOWED:
            parsed.errors.append(
                where
                + ": "
                + _("HASIL '%(value)s' tidak dikenal; gunakan salah satu: %(allowed)s.")
                % {"value": answer[:30], "allowed": ", ".join(ALLOWED)}
            )
            continue
        request = sent.get(nik)
        if request is None:
            parsed.unmatched.append(
                {"row": number, "nik_masked": nik_domain.mask(nik), "answer": answer}
            )
            continue
        corrected: dict[str, str] = {}
        if answer == Answer.DATA_BERBEDA:
            answered = {name: cells[col] for name, col in correct_cols.items() if col is not None}
            corrected = corrections(request.fields, answered)
            if not corrected:
                parsed.errors.append(
                    where
                    + ": "
                    + _(
                        "HASIL DATA BERBEDA tetapi tidak ada sel yang diperbaiki; perbaiki "
                        "sel yang berbeda atau pilih hasil lain."
                    )
                )
                continue
        note = cells[note_col][:300] if note_col is not None else ""
        parsed.answers.append(
            ReceivedAnswer(
                row_number=number, nik=nik, answer=answer, corrected=corrected, note=note
            )
        )
    return parsed
