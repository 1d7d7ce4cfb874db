"""The filtered audit trail as an XLSX workbook for the Inspektorat (Pasal 10 ayat (3) huruf a).

The same words as the page (``payung.audit.display``) plus, for each entry, the stored action
code and the stored detail exactly as its MAC covers it, so an auditor can compare the file
with the database or with ``payung audit verify``. Every cell is text (``write_string``),
neutralised against formulas (``core.exports``); ``constant_memory`` streams the rows so a
trail of 50.000 entries does not sit in memory.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Final

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.display import EntryRow, entry_rows
from payung.audit.models import AuditEntry
from payung.core.export_kinds import ExportWritten, export_progress_iter
from payung.core.exports import neutralise
from payung.core.formatting import angka, tanggal

CHUNK: Final[int] = 2000


def _headers() -> list[str]:
    return [
        _("No. entri"),
        _("Tanggal"),
        _("Jam (WIB)"),
        _("Pengguna"),
        _("Instansi"),
        _("Tindakan"),
        _("Kode tindakan"),
        _("Jenis objek"),
        _("Objek"),
        _("Rincian"),
        _("Rincian tersimpan"),
    ]


def _guide(*, filters: str, rows: int) -> list[str]:
    return [
        _("PETUNJUK: JEJAK AUDIT PAYUNG"),
        "",
        _("Saringan: %(filters)s.") % {"filters": filters},
        _("Jumlah entri: %(rows)s, terbaru di atas.") % {"rows": angka(rows)},
        "",
        _("No. entri: nomor urut entri dalam rantai; nomor yang hilang berarti entri dihapus."),
        _("Tanggal dan Jam: waktu Asia/Jakarta (WIB)."),
        _("Pengguna dan Instansi: yang melakukan tindakan; kosong bila dilakukan sistem."),
        _("Tindakan: uraian tindakan; Kode tindakan: kode yang tersimpan di basis data."),
        _(
            "Jenis objek dan Objek: yang dikenai tindakan; objek yang dapat memuat data pribadi "
            "hanya ditulis dengan nomornya (#id)."
        ),
        _(
            "Rincian: isi entri dalam kata-kata; Rincian tersimpan: isi entri persis seperti "
            "tersimpan dan diamankan kode autentikasi (MAC). NIK dan KPJ tetap disamarkan."
        ),
        _(
            "Semua sel berupa teks. Berkas ini bukan bukti keutuhan rantai: jalankan "
            "'payung audit verify' atau tombol 'Periksa keutuhan rantai' di halaman jejak audit."
        ),
    ]


def _chunked_rows(entries: Iterable[AuditEntry]) -> Iterator[EntryRow]:
    iterator = iter(entries)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield from entry_rows(chunk)


def _cells(row: EntryRow) -> list[str]:
    entry = row.entry
    moment = timezone.localtime(entry.created_at)
    return [
        str(entry.pk),
        tanggal(moment),
        f"{moment:%H.%M.%S}",
        row.actor or _("Sistem"),
        row.agency,
        row.action,
        entry.action,
        row.target_kind,
        row.target,
        row.details_text,
        json.dumps(entry.detail, sort_keys=True, ensure_ascii=False) if entry.detail else "",
    ]


def audit_entries_xlsx(*, entries: Iterable[AuditEntry], filters: str, out: IO[bytes]) -> int:
    """Write ``entries`` (sheet JEJAK AUDIT) and the guide (PETUNJUK) into ``out``.

    Returns how many entries were written. The guide is written after the rows because it
    states their count; xlsxwriter keeps sheets in the order they were added regardless.
    """
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("JEJAK AUDIT")
    guide = book.add_worksheet("PETUNJUK")
    for col, width in enumerate((9, 18, 10, 18, 24, 36, 28, 24, 24, 60, 60)):
        sheet.set_column(col, col, width, text)
    for col, header in enumerate(_headers()):
        sheet.write_string(0, col, header, bold)
    count = 0
    for count, row in enumerate(_chunked_rows(entries), start=1):
        for col, value in enumerate(_cells(row)):
            if value:
                sheet.write_string(count, col, neutralise(value))
    sheet.freeze_panes(1, 0)
    guide.set_column(0, 0, 110)
    for i, line in enumerate(_guide(filters=filters, rows=count)):
        if line:
            guide.write_string(i, 0, neutralise(line))
    book.close()
    return count


def audit_entries_write(
    *, params: dict[str, str], out: IO[bytes], progress: Callable[[int], None]
) -> ExportWritten:
    """The audit trail's background export (``core.export_kinds``, kind ``audit_entries``).

    ``params`` are the filters as ``audit_entries_export`` records them (``action``, ``user``
    with ``-`` for the system, ``dari``, ``sampai``); the download's audit entry says what
    the immediate export's says (filters and rows), written when the file is taken.
    """
    from datetime import date

    from payung.audit.selectors import audit_entry_list
    from payung.audit.services import audit_filters_text

    user = params.get("user")
    entries = audit_entry_list(
        action=params.get("action") or None,
        username=None if user is None else ("" if user == "-" else user),
        start=date.fromisoformat(params["dari"]) if params.get("dari") else None,
        end=date.fromisoformat(params["sampai"]) if params.get("sampai") else None,
    )
    rows = audit_entries_xlsx(
        entries=export_progress_iter(entries.iterator(chunk_size=CHUNK), progress),
        filters=audit_filters_text(params),
        out=out,
    )
    day = timezone.localdate().isoformat()
    return ExportWritten(
        rows=rows,
        file_name=f"jejak-audit-{day}.xlsx",
        audit_detail={"filters": dict(params), "rows": rows},
    )
