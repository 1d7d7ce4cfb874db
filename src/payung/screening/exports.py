"""The decision list as an XLSX workbook, safe to open in Excel.

Officers open exports in Excel, and a cell that starts with ``=``, ``+``, ``-`` or ``@`` is a
formula there: a name typed as ``=HYPERLINK(...)`` into DTSEN would run on the reader's
machine (CSV/formula injection, design §6). Every text cell is therefore written with
``write_string`` (never parsed as a formula, number or URL) and text that would start a
formula is prefixed with an apostrophe (``core.exports``). The NIK is masked unless the
caller asks otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, Any, Final

import xlsxwriter

from payung.core.export_kinds import ExportWritten, export_progress_iter
from payung.core.exports import neutralise
from payung.domain import nik as nik_domain
from payung.screening.selectors import ExportRow

#: Column headers (Indonesian) and the ExportRow field each shows, in sheet order.
COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("Baris", "row"),
    ("NIK", "nik"),
    ("Nama", "nama"),
    ("Kode Kecamatan", "kode_kecamatan"),
    ("Kecamatan", "kecamatan"),
    ("Kode Desa", "kode_desa"),
    ("Desa/Kelurahan", "desa"),
    ("Pekerjaan (KTP/DTSEN)", "pekerjaan"),
    ("Kategori Pekerjaan (Pasal 5 ayat (1))", "occupation_label"),
    ("Kode Kategori Pekerjaan", "occupation_category"),
    ("Desil", "desil"),
    ("Usia", "age"),
    ("Status", "status"),
    ("Kode Status", "status_code"),
    ("Kode Alasan", "reasons"),
    ("Uraian Alasan", "reasons_text"),
    ("Prioritas (Pasal 7 ayat (2))", "priorities_text"),
    ("Kode Prioritas", "priorities"),
    ("Peringkat", "priority_rank"),
    ("Catatan", "flags"),
)
# Issue 9: a code (``pengemudi_ojek``, ``selected``, ``7(2)a``) never stands alone: its words
# come first and the code has its own column, for those who sort or filter on it.


def decisions_xlsx(rows: Iterable[ExportRow], out: IO[bytes], *, full_nik: bool = False) -> int:
    """Write ``rows`` as one sheet into ``out``; returns how many rows were written.

    ``constant_memory`` streams rows to disk, so a regency-sized export does not sit in
    memory; the sheet is written strictly top to bottom for that reason.
    """
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet("Keputusan")
    bold = workbook.add_format({"bold": True})
    for col, (header, _field) in enumerate(COLUMNS):
        sheet.write_string(0, col, header, bold)
    count = 0
    for count, item in enumerate(rows, start=1):
        for col, (_header, field) in enumerate(COLUMNS):
            value = getattr(item, field)
            if field == "nik" and not full_nik:
                value = nik_domain.mask(value)
            if value is None or value == "":
                continue
            if isinstance(value, int):
                sheet.write_number(count, col, value)
            else:
                sheet.write_string(count, col, neutralise(str(value)))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return count


def decisions_write(
    *, params: dict[str, Any], out: IO[bytes], progress: Callable[[int], None]
) -> ExportWritten:
    """The decision list's background export (``core.export_kinds``, kinds ``decisions`` and
    ``decisions_full_nik``): the rows ``services.decision_export`` writes for the same run
    and filters, and the same ``export_personal_data`` detail for the download's entry.

    ``params`` come from the job row: ``run`` (id), ``filters`` (``DecisionFilters`` fields,
    a search term among them, which never reaches a task argument or the audit trail) and
    ``full_nik``.
    """
    from django.utils import timezone

    from payung.screening.models import ScreeningRun
    from payung.screening.selectors import DecisionFilters, decision_export_rows

    run = ScreeningRun.objects.get(pk=params["run"])
    filters = DecisionFilters(**params.get("filters", {}))
    full_nik = bool(params.get("full_nik"))
    count = decisions_xlsx(
        export_progress_iter(decision_export_rows(run=run, filters=filters), progress),
        out,
        full_nik=full_nik,
    )
    stamp = timezone.localdate().isoformat()
    return ExportWritten(
        rows=count,
        file_name=f"penyaringan-{run.pk}-{stamp}.xlsx",
        audit_detail={
            "run_id": run.pk,
            "filters": filters.as_audit_detail(),
            "rows": count,
            "full_nik": full_nik,
            "format": "xlsx",
        },
    )
