"""Readers of the two files that end participations (design §4): Disdukcapil's deaths and
moves, BPJS's claims.

Each checks every row and words every problem "Baris N, kolom X: ..." without repeating the
cell (a NIK, a KPJ, a date of death are personal data); a file with any row problem is
refused whole (``core.uploads``). Matching to the year's participants needs the database and
is ``services.end_import_execute``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

from django.utils.translation import gettext as _

from payung.contributions.payments import amount_parse, columns_missing, date_parse
from payung.domain import nik as nik_domain
from payung.engine import read_text_table

#: Disdukcapil's file: NIK, JENIS (MENINGGAL | PINDAH), TANGGAL; NOMOR_AKTA, KETERANGAN optional.
DUKCAPIL_COLUMNS: Final = ("NIK", "JENIS", "TANGGAL", "NOMOR_AKTA", "KETERANGAN")
DUKCAPIL_REQUIRED: Final = ("NIK", "JENIS", "TANGGAL")
#: BPJS's claims file.
CLAIM_COLUMNS: Final = (
    "KPJ",
    "NIK",
    "JENIS_KLAIM",
    "TANGGAL_KEJADIAN",
    "NILAI_DIBAYAR",
    "STATUS",
)
CLAIM_STATUSES: Final = ("DIBAYAR", "PROSES", "DITOLAK")
KPJ_MAX: Final = 20
TEXT_MAX: Final = 60


@dataclass(frozen=True)
class EventRow:
    """One checked row: ``event`` is ``meninggal``, ``pindah``, ``klaim_jkk`` or ``klaim_jkm``."""

    row: int
    nik: str
    event: str
    event_date: date
    kpj: str = ""
    document_number: str = ""
    note: str = ""
    claim_status: str = ""
    amount_paid: int = 0


@dataclass
class EventFile:
    """The rows of a file and every row problem (any problem refuses the whole file)."""

    rows: list[EventRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _at(row: int, column: str, text: str) -> str:
    return _("Baris %(row)s, kolom %(col)s: %(text)s") % {"row": row, "col": column, "text": text}


def dukcapil_event_parse(text: str) -> str | None:
    """``MENINGGAL`` / ``MENINGGAL DUNIA`` → meninggal; ``PINDAH``, ``PINDAH DOMISILI``,
    ``PINDAH KELUAR`` → pindah; any case and spacing; None for anything else."""
    words = " ".join(text.replace("_", " ").split()).upper()
    if words in {"MENINGGAL", "MENINGGAL DUNIA", "MATI", "WAFAT"}:
        return "meninggal"
    if words in {"PINDAH", "PINDAH DOMISILI", "PINDAH KELUAR", "PINDAH KELUAR DAERAH"}:
        return "pindah"
    return None


def _nik(cells_nik: str, row: int, problems: list[str]) -> str:
    value = nik_domain.clean(cells_nik)
    if not value:
        problems.append(_at(row, "NIK", _("NIK wajib diisi.")))
    elif not (value.isascii() and value.isdigit() and len(value) == 16):
        problems.append(_at(row, "NIK", _("NIK harus 16 angka (tulis sebagai teks).")))
    return value


def _date(text: str, row: int, column: str, problems: list[str]) -> date | None:
    day = date_parse(text) if text else None
    if day is None:
        problems.append(
            _at(row, column, _("tanggal wajib diisi sebagai TTTT-BB-HH atau HH-BB-TTTT."))
        )
    return day


def _columns(path: Path, name: str | None, columns: Sequence[str], required: Sequence[str]):
    table = read_text_table(path, name=name)
    where = {c: table.column(c) for c in columns}
    missing = [c for c in required if where[c] is None]
    if missing:
        raise columns_missing(file=name or path.name, missing=missing, mapping=None)

    def cell(cells: Sequence[str], column: str) -> str:
        index = where[column]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    return table, cell


def dukcapil_ends_read(path: Path, *, name: str | None = None) -> EventFile:
    """Disdukcapil's deaths and moves (design §4), checked row by row."""
    table, cell = _columns(path, name, DUKCAPIL_COLUMNS, DUKCAPIL_REQUIRED)
    out = EventFile()
    for cells, row in zip(table.rows, table.row_numbers, strict=True):
        problems: list[str] = []
        nik = _nik(cell(cells, "NIK"), row, problems)
        event = dukcapil_event_parse(cell(cells, "JENIS"))
        if event is None:
            problems.append(_at(row, "JENIS", _("isi dengan MENINGGAL atau PINDAH.")))
        day = _date(cell(cells, "TANGGAL"), row, "TANGGAL", problems)
        number = cell(cells, "NOMOR_AKTA")
        note = cell(cells, "KETERANGAN")
        if len(number) > TEXT_MAX:
            problems.append(
                _at(row, "NOMOR_AKTA", _("paling panjang %(n)s karakter.") % {"n": TEXT_MAX})
            )
        if problems:
            out.errors += problems
            continue
        assert event is not None and day is not None
        out.rows.append(
            EventRow(
                row=row,
                nik=nik,
                event=event,
                event_date=day,
                document_number=number,
                note=note[:200],
            )
        )
    return out


def claims_read(path: Path, *, name: str | None = None) -> EventFile:
    """BPJS's claims file (design §4), checked row by row."""
    table, cell = _columns(path, name, CLAIM_COLUMNS, CLAIM_COLUMNS)
    out = EventFile()
    for cells, row in zip(table.rows, table.row_numbers, strict=True):
        problems: list[str] = []
        kpj = "".join(cell(cells, "KPJ").removeprefix("'").split())
        if not kpj:
            problems.append(_at(row, "KPJ", _("nomor KPJ wajib diisi.")))
        elif not (kpj.isascii() and kpj.isdigit()) or len(kpj) > KPJ_MAX:
            problems.append(
                _at(row, "KPJ", _("nomor KPJ harus angka (paling panjang %(n)s).") % {"n": KPJ_MAX})
            )
        nik = _nik(cell(cells, "NIK"), row, problems)
        kind = cell(cells, "JENIS_KLAIM").upper()
        if kind not in {"JKK", "JKM"}:
            problems.append(_at(row, "JENIS_KLAIM", _("isi dengan JKK atau JKM.")))
        day = _date(cell(cells, "TANGGAL_KEJADIAN"), row, "TANGGAL_KEJADIAN", problems)
        text = cell(cells, "NILAI_DIBAYAR")
        amount = amount_parse(text) if text else 0
        if amount is None:
            problems.append(
                _at(row, "NILAI_DIBAYAR", _("nilai harus bilangan bulat rupiah, misalnya 1500000."))
            )
        status = cell(cells, "STATUS").upper()
        if status not in CLAIM_STATUSES:
            problems.append(_at(row, "STATUS", _("isi dengan DIBAYAR, PROSES atau DITOLAK.")))
        if problems:
            out.errors += problems
            continue
        assert day is not None and amount is not None
        out.rows.append(
            EventRow(
                row=row,
                nik=nik,
                kpj=kpj,
                event="klaim_jkk" if kind == "JKK" else "klaim_jkm",
                event_date=day,
                claim_status=status,
                amount_paid=amount,
            )
        )
    return out
