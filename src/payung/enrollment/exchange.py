"""How the decreed reach BPJS Ketenagakerjaan and its answer comes back, behind one interface.

Pasal 8 ayat (1)-(2): the decreed are registered with at least name, NIK, occupation and
address; ayat (3): BPJS records them and fixes the contributions. No public template of
BPJS's collective upload exists and branches differ, so the request's columns come from a
registration profile (docs/registration.md). The default is a file exchange: an XLSX (or
CSV) out, BPJS's answer (NIK, STATUS, KPJ, TANGGAL_MULAI, IURAN, ALASAN) back. A future BPJS
web service plugs in by naming another class in ``settings.PAYUNG_REGISTRATION_EXCHANGE``
with the same two methods.

Everything here is about files; what needs the database (a KPJ held by another participant,
the policy's contribution) is the service's check.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Final, Protocol

import xlsxwriter
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payung.core.exports import neutralise, unneutralise
from payung.domain import nik as nik_domain
from payung.domain.calendar import birth_date_read
from payung.engine import EXCHANGE_LIMITS, ReadError, TextTable, csv_bytes, read_text_table

# --- the request: what Payung can fill, and the default columns -----------------------------

#: The values a profile column may name (``field``), with what each holds (docs/registration.md).
FIELDS: Final[dict[str, str]] = {
    "no": "nomor urut baris (1, 2, …)",
    "nik": "NIK 16 angka",
    "no_kk": "nomor KK",
    "nama": "nama lengkap (dengan perbaikan Disdukcapil bila ada)",
    "tempat_lahir": "tempat lahir (kosong: DTSEN tidak memuatnya)",
    "tanggal_lahir": "tanggal lahir",
    "jenis_kelamin": "L atau P",
    "pekerjaan": "pekerjaan menurut DTSEN/KTP",
    "alamat": "alamat domisili",
    "kode_desa": "kode desa 10 angka",
    "desa": "nama desa/kelurahan",
    "kecamatan": "nama kecamatan",
    "no_hp": "nomor HP (kosong: DTSEN tidak memuatnya)",
    "jenis_kepesertaan": "kode jenis kepesertaan (wadah) dari profil, mis. SG",
    "penghasilan": "penghasilan yang dilaporkan dari profil (rupiah, angka saja)",
    "program": "program dari kebijakan tahun ini, mis. JKK, JKM",
    "tanggal_mulai": "mulai kepesertaan menurut PKS (kosong bila belum ada PKS)",
    "kosong": "kolom kosong yang diminta cabang",
}
#: Fields that are dates, and the formats a profile may give them (default first).
DATE_FIELDS: Final = frozenset({"tanggal_lahir", "tanggal_mulai"})
DATE_FORMATS: Final[dict[str, str]] = {
    "DD-MM-YYYY": "%d-%m-%Y",
    "DD/MM/YYYY": "%d/%m/%Y",
    "YYYY-MM-DD": "%Y-%m-%d",
}
DEFAULT_DATE_FORMAT: Final = "DD-MM-YYYY"

#: The default profile's columns: Pasal 8 ayat (2)'s four plus what branches commonly ask.
DEFAULT_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("NO", "no", ""),
    ("NIK", "nik", ""),
    ("NAMA", "nama", ""),
    ("TEMPAT_LAHIR", "tempat_lahir", ""),
    ("TANGGAL_LAHIR", "tanggal_lahir", DEFAULT_DATE_FORMAT),
    ("JENIS_KELAMIN", "jenis_kelamin", ""),
    ("PEKERJAAN", "pekerjaan", ""),
    ("ALAMAT", "alamat", ""),
    ("KODE_DESA", "kode_desa", ""),
    ("DESA", "desa", ""),
    ("KECAMATAN", "kecamatan", ""),
    ("NO_HP", "no_hp", ""),
    ("JENIS_KEPESERTAAN", "jenis_kepesertaan", ""),
    ("PENGHASILAN", "penghasilan", ""),
    ("PROGRAM", "program", ""),
    ("TANGGAL_MULAI", "tanggal_mulai", DEFAULT_DATE_FORMAT),
)
MAX_COLUMNS: Final = 40
#: Written as a workbook's creation time, so the same batch gives the same bytes.
_FIXED_TIME: Final = datetime(2000, 1, 1)
_HEADER = re.compile(r"[A-Za-z0-9_ ./()-]{1,40}")


def default_columns() -> list[dict[str, str]]:
    return [{"header": h, "field": f, "format": fmt} for h, f, fmt in DEFAULT_COLUMNS]


def columns_text(columns: Sequence[Mapping[str, str]]) -> str:
    """A profile's columns as the form shows them: ``HEADER=field[:format]`` per line."""
    lines = []
    for c in columns:
        tail = f":{c['format']}" if c.get("format") else ""
        lines.append(f"{c['header']}={c['field']}{tail}")
    return "\n".join(lines)


def columns_parse(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The form's lines as columns, and every problem at once (``Baris N: …``).

    One line per column in file order: ``HEADER=field`` or ``HEADER=field:format``. The
    header is what the branch calls the column; the field is one of ``FIELDS``; a date
    field may name its format (``DD-MM-YYYY`` when none). NIK, NAMA, PEKERJAAN and ALAMAT
    are required by Pasal 8 ayat (2) and must each appear.
    """
    columns: list[dict[str, str]] = []
    errors: list[str] = []
    headers: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        where = _("Baris %(n)s") % {"n": number}
        header, sep, rest = line.partition("=")
        header = " ".join(header.split()).upper()
        name, _colon, fmt = rest.strip().partition(":")
        name, fmt = name.strip().lower(), fmt.strip().upper()
        if not sep or not header or not _HEADER.fullmatch(header):
            errors.append(
                where
                + ": "
                + _("tulis KOLOM=isian, mis. NIK=nik (huruf, angka, spasi, _ . / ( ) -).")
            )
            continue
        if name not in FIELDS:
            errors.append(
                where
                + ": "
                + _("isian tidak dikenal; pilih salah satu: %(f)s.") % {"f": ", ".join(FIELDS)}
            )
            continue
        if fmt and (name not in DATE_FIELDS or fmt not in DATE_FORMATS):
            errors.append(
                where
                + ": "
                + _("format hanya untuk tanggal: %(f)s.") % {"f": ", ".join(DATE_FORMATS)}
            )
            continue
        if header in headers:
            errors.append(where + ": " + _("nama kolom sudah dipakai di baris sebelumnya."))
            continue
        headers.add(header)
        if name in DATE_FIELDS and not fmt:
            fmt = DEFAULT_DATE_FORMAT
        columns.append({"header": header, "field": name, "format": fmt})
    if len(columns) > MAX_COLUMNS:
        errors.append(_("Paling banyak %(n)s kolom.") % {"n": MAX_COLUMNS})
    named = {c["field"] for c in columns}
    missing = [f.upper() for f in ("nik", "nama", "pekerjaan", "alamat") if f not in named]
    if missing and not errors:
        errors.append(
            _("Pasal 8 ayat (2) mewajibkan kolom untuk: %(f)s.") % {"f": ", ".join(missing)}
        )
    return columns, errors


@dataclass(frozen=True)
class RequestRow:
    """One decreed participant as sent: values by field name (``FIELDS``), dates as dates."""

    no: int
    values: Mapping[str, str | date | None]

    @property
    def nik(self) -> str:
        return str(self.values.get("nik") or "")


def cell_text(value: str | date | int | None, fmt: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(DATE_FORMATS.get(fmt or DEFAULT_DATE_FORMAT, "%d-%m-%Y"))
    return str(value)


def request_cells(row: RequestRow, columns: Sequence[Mapping[str, str]]) -> list[str]:
    return [cell_text(row.values.get(c["field"]), c.get("format", "")) for c in columns]


# --- the answer ------------------------------------------------------------------------------

ACCEPTED: Final = "DITERIMA"
REFUSED: Final = "DITOLAK"
STATUSES: Final = (ACCEPTED, REFUSED)
#: The answer's columns, by our name; other headers reach them through a mapping.
ANSWER_COLUMNS: Final = ("NIK", "NAMA", "STATUS", "KPJ", "TANGGAL_MULAI", "IURAN", "ALASAN")
REQUIRED_COLUMNS: Final = ("NIK", "STATUS", "KPJ")
REASON_MAX_LENGTH: Final = 300
ROW_MARGIN_MIN: Final = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class AnswerRules:
    """What a valid answer line must meet, from the batch, its year and its profile."""

    year: int
    pks_cover_start: date | None
    kpj_min_length: int = 10
    kpj_max_length: int = 15
    #: Whether an empty TANGGAL_MULAI means the PKS cover start: only for the participants
    #: of the establishing decree. Additions of an amending decree are covered from when
    #: BPJS records them, so their date must be in the answer.
    empty_start_is_pks: bool = True


@dataclass(frozen=True)
class AnswerLine:
    """One row of BPJS's answer for a participant sent in the batch."""

    row: int
    nik: str
    status: str
    kpj: str = ""
    cover_start: date | None = None
    contribution: int | None = None
    reason: str = ""


@dataclass
class ParsedAnswer:
    """Lines for participants sent, rows matching none (row, masked NIK), and row errors.
    Any error refuses the whole file; unmatched rows are reported, never dropped."""

    lines: list[AnswerLine] = field(default_factory=list)
    unmatched: list[dict[str, str | int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def mapping_parse(text: str) -> tuple[dict[str, str], list[str]]:
    """``Their header=OUR_COLUMN`` per line (``NOMOR KPJ=KPJ``), as the DTSEN import maps its
    columns; returns the mapping (their header upper-cased) and every problem."""
    mapping: dict[str, str] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        theirs, sep, ours = line.partition("=")
        theirs = " ".join(theirs.split()).upper()
        ours = " ".join(ours.split()).upper()
        where = _("Pemetaan baris %(n)s") % {"n": number}
        if not sep or not theirs or len(theirs) > 60:
            errors.append(where + ": " + _("tulis KOLOM_BPJS=KOLOM, mis. NOMOR KPJ=KPJ."))
        elif ours not in ANSWER_COLUMNS:
            errors.append(
                where
                + ": "
                + _("kolom tujuan harus salah satu: %(c)s.") % {"c": ", ".join(ANSWER_COLUMNS)}
            )
        elif ours in mapping.values():
            errors.append(where + ": " + _("kolom tujuan ini sudah dipetakan."))
        else:
            mapping[theirs] = ours
    return mapping, errors


class RegistrationExchange(Protocol):
    def request(
        self, rows: Sequence[RequestRow], columns: Sequence[Mapping[str, str]], fmt: str
    ) -> bytes:
        """The request for these participants (a file to hand over, for the file exchange)."""
        ...

    def answer(
        self,
        rows: Sequence[RequestRow],
        response: Path | None,
        *,
        rules: AnswerRules,
        mapping: Mapping[str, str],
    ) -> ParsedAnswer:
        """BPJS's answer for the participants sent (from ``response`` for files)."""
        ...


def exchange_get() -> RegistrationExchange:
    path = getattr(
        settings, "PAYUNG_REGISTRATION_EXCHANGE", "payung.enrollment.exchange.FileExchange"
    )
    return import_string(path)()


class FileExchange:
    """XLSX/CSV out with the profile's columns, BPJS's answer file back (docs/registration.md)."""

    def request(
        self, rows: Sequence[RequestRow], columns: Sequence[Mapping[str, str]], fmt: str
    ) -> bytes:
        if fmt == "csv":
            return csv_bytes(
                [c["header"] for c in columns],
                ([neutralise(v) for v in request_cells(r, columns)] for r in rows),
            )
        if fmt == "xlsx":
            return request_xlsx(rows, columns)
        raise ValueError(fmt)

    def answer(
        self,
        rows: Sequence[RequestRow],
        response: Path | None,
        *,
        rules: AnswerRules,
        mapping: Mapping[str, str],
    ) -> ParsedAnswer:
        if response is None:
            raise ValueError("the file exchange needs the answer file")
        limit = answer_row_limit(len(rows))
        limits = replace(EXCHANGE_LIMITS, max_rows=min(limit, EXCHANGE_LIMITS.max_rows))
        try:
            table = read_text_table(response, limits=limits)
        except ReadError as exc:
            if exc.code != "limits.rows":
                raise
            return ParsedAnswer(errors=[_too_many_rows(limit, len(rows))])
        if len(table.rows) > limit:
            return ParsedAnswer(errors=[_too_many_rows(limit, len(rows))])
        return answer_parse(table, sent={r.nik for r in rows}, rules=rules, mapping=mapping)


def request_xlsx(rows: Sequence[RequestRow], columns: Sequence[Mapping[str, str]]) -> bytes:
    """One sheet of participants, every cell text (NIKs keep 16 digits, dates stay as the
    branch asked for them), and a PETUNJUK sheet: the columns and how BPJS answers."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"strings_to_numbers": False, "strings_to_formulas": False, "in_memory": True}
    )
    workbook.set_properties({"created": _FIXED_TIME})
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet("PENDAFTARAN")
    sheet.write_row(0, 0, [c["header"] for c in columns], bold)
    for col, c in enumerate(columns):
        width = {"nama": 30, "alamat": 40, "nik": 19, "no_kk": 19, "program": 12}.get(c["field"])
        sheet.set_column(col, col, width or max(8, len(c["header"]) + 2), text)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(request_cells(row, columns)):
            sheet.write_string(r, col, neutralise(value))
    sheet.freeze_panes(1, 0)
    guide = workbook.add_worksheet("PETUNJUK")
    lines = [
        _("Berkas pendaftaran peserta Jaminan Sosial Ketenagakerjaan (Pasal 8 ayat (1)-(2))."),
        _("Setiap sel berformat teks; NIK jangan diubah menjadi angka."),
        "",
        _("Kolom:"),
        *(f"{c['header']} — {FIELDS[c['field']]}" for c in columns),
        "",
        _("Jawaban BPJS Ketenagakerjaan (XLSX atau CSV), satu baris per NIK, dengan kolom:"),
        "NIK — " + _("NIK yang dikirim (16 angka)"),
        "NAMA — " + _("nama (boleh kosong)"),
        "STATUS — " + _("DITERIMA atau DITOLAK"),
        "KPJ — " + _("nomor kartu peserta (angka; wajib bila DITERIMA)"),
        "TANGGAL_MULAI — " + _("mulai kepesertaan DD-MM-YYYY (kosong: tanggal mulai menurut PKS)"),
        "IURAN — " + _("iuran per bulan yang ditetapkan BPJS, rupiah (boleh kosong)"),
        "ALASAN — " + _("alasan penolakan (wajib bila DITOLAK)"),
    ]
    for i, line in enumerate(lines):
        guide.write_string(i, 0, line)
    guide.set_column(0, 0, 110)
    workbook.close()
    return buffer.getvalue()


def _row(number: int, column: str = "") -> str:
    if column:
        return _("Baris %(row)s, kolom %(col)s") % {"row": number, "col": column}
    return _("Baris %(row)s") % {"row": number}


def answer_date_read(text: str) -> date | None:
    """A TANGGAL_MULAI cell: DD-MM-YYYY, DD/MM/YYYY or YYYY-MM-DD (or an Excel date)."""
    return birth_date_read(text) if text else None


def answer_parse(
    table: TextTable, *, sent: set[str], rules: AnswerRules, mapping: Mapping[str, str]
) -> ParsedAnswer:
    """Check every row of BPJS's answer; every problem is a ``Baris N, kolom X`` message that
    never repeats the cell (a NIK at most masked)."""
    parsed = ParsedAnswer()
    headers = [mapping.get(h, h) for h in table.headers]
    at = {name: headers.index(name) for name in ANSWER_COLUMNS if name in headers}
    missing = [name for name in REQUIRED_COLUMNS if name not in at]
    if missing:
        known = [h for h in ANSWER_COLUMNS if h in at]
        parsed.errors.append(
            _(
                "Kolom wajib tidak ada: %(cols)s. Kolom yang dikenali: %(known)s; %(others)s "
                "kolom lain tidak dikenali. Gunakan pemetaan kolom bila BPJS memakai nama lain."
            )
            % {
                "cols": ", ".join(missing),
                "known": ", ".join(known) or "-",
                "others": sum(1 for h in headers if h and h not in ANSWER_COLUMNS),
            }
        )
        return parsed
    seen_nik: dict[str, int] = {}
    seen_kpj: dict[str, int] = {}
    for number, raw in zip(table.row_numbers, table.rows, strict=True):
        cells = {name: unneutralise(raw[i]) for name, i in at.items()}
        errors: list[str] = []
        nik = nik_domain.clean(cells["NIK"]) if cells["NIK"] else ""
        if not nik:
            errors.append(_row(number, "NIK") + ": " + _("NIK kosong."))
        elif not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
            errors.append(
                _row(number, "NIK") + ": " + _("NIK harus 16 angka; jangan mengubah NIK.")
            )
        status = " ".join(cells["STATUS"].split()).upper()
        if status not in STATUSES:
            errors.append(
                _row(number, "STATUS")
                + ": "
                + _("isi tidak dikenal; gunakan DITERIMA atau DITOLAK.")
            )
        kpj = re.sub(r"[\s.\-]", "", cells["KPJ"])
        start = None
        contribution = None
        reason = " ".join(cells.get("ALASAN", "").split())
        if status == ACCEPTED:
            lo, hi = rules.kpj_min_length, rules.kpj_max_length
            if not kpj:
                errors.append(_row(number, "KPJ") + ": " + _("KPJ wajib diisi bila DITERIMA."))
            elif not (kpj.isascii() and kpj.isdigit() and lo <= len(kpj) <= hi):
                errors.append(
                    _row(number, "KPJ")
                    + ": "
                    + _("KPJ harus %(lo)s sampai %(hi)s angka.") % {"lo": lo, "hi": hi}
                )
            elif kpj in seen_kpj:
                errors.append(
                    _row(number, "KPJ")
                    + ": "
                    + _("nomor KPJ sama dengan baris %(first)s; satu KPJ untuk satu peserta.")
                    % {"first": seen_kpj[kpj]}
                )
            else:
                seen_kpj[kpj] = number
            start, problem = _cover_start(cells.get("TANGGAL_MULAI", ""), rules)
            if problem:
                errors.append(_row(number, "TANGGAL_MULAI") + ": " + problem)
            text = re.sub(r"[\s.]|^Rp", "", cells.get("IURAN", ""), flags=re.IGNORECASE)
            if text:
                if text.isascii() and text.isdigit() and len(text) <= 9:
                    contribution = int(text)
                else:
                    errors.append(
                        _row(number, "IURAN")
                        + ": "
                        + _("iuran per bulan dalam rupiah, angka saja (mis. 16800).")
                    )
        elif status == REFUSED:
            if not reason:
                errors.append(_row(number, "ALASAN") + ": " + _("alasan wajib diisi bila DITOLAK."))
            elif len(reason) > REASON_MAX_LENGTH or _CONTROL.search(reason):
                errors.append(
                    _row(number, "ALASAN")
                    + ": "
                    + _("paling panjang %(n)s karakter, tanpa karakter kendali.")
                    % {"n": REASON_MAX_LENGTH}
                )
        if nik and not errors and nik in seen_nik:
            errors.append(
                _row(number, "NIK")
                + ": "
                + _("NIK %(nik)s sudah ada di baris %(first)s.")
                % {"nik": nik_domain.mask(nik), "first": seen_nik[nik]}
            )
        if errors:
            parsed.errors.extend(errors)
            continue
        seen_nik[nik] = number
        if nik not in sent:
            parsed.unmatched.append(
                {"row": number, "nik_masked": nik_domain.mask(nik), "status": status}
            )
            continue
        parsed.lines.append(
            AnswerLine(
                row=number,
                nik=nik,
                status=status,
                kpj=kpj if status == ACCEPTED else "",
                cover_start=start,
                contribution=contribution,
                reason=reason if status == REFUSED else "",
            )
        )
    return parsed


def _cover_start(text: str, rules: AnswerRules) -> tuple[date | None, str]:
    """The cover start BPJS gave, or the PKS's when the cell is empty and the batch is the
    establishing decree's (Pasal 8 ayat (3); the PKS of Pasal 6 ayat (4) may fix it); a
    problem text when neither gives a valid date. A batch of an amending decree's additions
    needs BPJS's date: a PKS start already past cannot cover them backwards."""
    if not text.strip():
        if not rules.empty_start_is_pks:
            return None, _(
                "wajib diisi untuk peserta keputusan perubahan (kepesertaan mulai sejak "
                "dicatat BPJS, bukan tanggal PKS)."
            )
        if rules.pks_cover_start is None:
            return None, _("wajib diisi (belum ada PKS yang menetapkan mulai kepesertaan).")
        return rules.pks_cover_start, ""
    start = answer_date_read(text.strip())
    if start is None:
        return None, _("tanggal tidak terbaca; tulis DD-MM-YYYY.")
    if start.year != rules.year:
        return None, _("harus di dalam tahun program %(y)s.") % {"y": rules.year}
    if rules.pks_cover_start is not None and start < rules.pks_cover_start:
        return None, _("tidak boleh sebelum mulai kepesertaan menurut PKS.")
    return start, ""


def _too_many_rows(limit: int, items: int) -> str:
    return _(
        "Berkas jawaban berisi lebih dari %(limit)s baris data (peserta tahap ini %(items)s "
        "ditambah cadangan). Unggah jawaban untuk tahap ini."
    ) % {"limit": limit, "items": items}


def answer_row_limit(items: int) -> int:
    """Most data rows an answer for ``items`` participants may hold: one each plus a margin
    for rows BPJS adds (reported as unmatched); a bigger file is refused before reading."""
    return items + max(ROW_MARGIN_MIN, items // 10)
