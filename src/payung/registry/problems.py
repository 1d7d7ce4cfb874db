"""An import's problem rows grouped by problem, with counts, pages and an XLSX (issue 9).

A DTSEN extract damaged by Excel has thousands of rows with the same fault; one long table of
"Baris 17: NIK ... notasi ilmiah" repeated made the few other faults impossible to find. The
page groups them ("NIK rusak oleh Excel (notasi ilmiah) — 1.204 baris"), each group opens
to its rows page by page, and the whole list downloads as XLSX.

What is read: the import's counts per code over *all* rows (``invalid_by_code``) and the
rows it kept (``problems``: the first ``registry.services.MAX_PROBLEMS`` problem rows, row
numbers and codes, never a cell's value). A group whose rows go past what was kept says so.
The rows hold no personal data (row numbers and problem codes), as on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any, Final

import xlsxwriter
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from payung import wording
from payung.core.exports import neutralise
from payung.core.formatting import angka
from payung.registry.models import DtsenImport

#: Rows per page of one problem group.
PAGE_SIZE: Final[int] = 50

#: The extract's column a code's prefix names (DTSEN headers), for the "Kolom" column.
COLUMNS: Final[dict[str, str]] = {
    "nik": "NIK",
    "tanggal_lahir": "TANGGAL_LAHIR",
    "kode_desa": "KODE_DESA",
    "pekerjaan": "PEKERJAAN",
}


@dataclass(frozen=True)
class ProblemGroup:
    """One problem and the rows that have it; ``number`` names it in a URL (not the code)."""

    number: int
    code: str
    title: str
    sentence: str
    #: Rows of the whole file with this problem.
    count: int
    #: Of those, the rows the import kept and the page can list.
    rows: tuple[int, ...]

    @property
    def listed(self) -> int:
        return len(self.rows)

    @property
    def column(self) -> str:
        return problem_column(self.code)


def problem_column(code: str) -> str:
    """The column a problem is about (``NIK``), or '' when it is not one column's."""
    return COLUMNS.get(code.split(".", 1)[0], "")


def import_problem_groups(*, dtsen_import: DtsenImport) -> list[ProblemGroup]:
    """The import's problems, the most frequent first (ties by title), numbered from 1."""
    rows_by_code: dict[str, list[int]] = {}
    for problem in dtsen_import.problems or []:
        for code in problem.get("codes") or []:
            rows_by_code.setdefault(code, []).append(int(problem["row"]))
    counts = dict(dtsen_import.invalid_by_code or {})
    for code, rows in rows_by_code.items():  # an import from before the counts were kept
        counts[code] = max(int(counts.get(code, 0)), len(rows))
    ordered = sorted(
        counts, key=lambda code: (-int(counts[code]), wording.problem_title(code), code)
    )
    return [
        ProblemGroup(
            number=number,
            code=code,
            title=wording.problem_title(code),
            sentence=wording.problem_label(code),
            count=int(counts[code]),
            rows=tuple(sorted(rows_by_code.get(code, []))),
        )
        for number, code in enumerate(ordered, start=1)
    ]


def import_problem_group_page(*, group: ProblemGroup, page: Any) -> Page:
    """One page of a group's row numbers; a bad page number gives the first or the last."""
    return Paginator(group.rows, PAGE_SIZE).get_page(page)


def import_problems_xlsx(
    *, dtsen_import: DtsenImport, groups: list[ProblemGroup], out: IO[bytes]
) -> int:
    """Every kept problem row (MASALAH), the counts per problem (RINGKASAN) and a guide
    (PETUNJUK); returns the rows written. Row, column and problem in Indonesian, the code
    in its own column for whoever fixes the extract with a script."""
    book = xlsxwriter.Workbook(
        out,
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("MASALAH")
    summary = book.add_worksheet("RINGKASAN")
    guide = book.add_worksheet("PETUNJUK")
    headers = [_("Baris"), _("Kolom"), _("Masalah"), _("Uraian"), _("Kode masalah")]
    for col, (header, width) in enumerate(zip(headers, (9, 16, 40, 80, 26), strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, header, bold)
    lines = sorted(
        ((row, group) for group in groups for row in group.rows), key=lambda x: (x[0], x[1].number)
    )
    for i, (row, group) in enumerate(lines, start=1):
        sheet.write_number(i, 0, row)
        for col, value in enumerate(
            (group.column, group.title, group.sentence, group.code), start=1
        ):
            if value:
                sheet.write_string(i, col, neutralise(value))
    sheet.freeze_panes(1, 0)
    for col, (header, width) in enumerate(
        zip(
            (_("Masalah"), _("Baris dalam berkas"), _("Baris tercantum"), _("Kode masalah")),
            (40, 18, 16, 26),
            strict=True,
        )
    ):
        summary.set_column(col, col, width)
        summary.write_string(0, col, header, bold)
    for i, group in enumerate(groups, start=1):
        summary.write_string(i, 0, neutralise(group.title))
        summary.write_number(i, 1, group.count)
        summary.write_number(i, 2, group.listed)
        summary.write_string(i, 3, group.code)
    guide.set_column(0, 0, 110)
    for i, line in enumerate(
        [
            _("PETUNJUK: MASALAH PER BARIS IMPOR DTSEN"),
            "",
            _("Berkas: %(name)s (impor #%(pk)s).")
            % {"name": dtsen_import.file_name, "pk": dtsen_import.pk},
            _("Baris tidak valid: %(n)s; baris tercantum di lembar MASALAH: %(m)s.")
            % {
                "n": angka(int(dtsen_import.invalid_count or 0)),
                "m": angka(len({row for row, _g in lines})),
            },
            "",
            _(
                "Nomor baris dihitung dari baris data pertama (judul kolom tidak dihitung). "
                "Satu baris dapat memiliki lebih dari satu masalah dan muncul sekali untuk "
                "setiap masalahnya."
            ),
            _(
                "Kolom: kolom berkas yang bermasalah; Masalah dan Uraian: apa yang salah dan "
                "cara memperbaikinya; Kode masalah: kode tetap untuk pengolahan otomatis."
            ),
            _(
                "RINGKASAN: jumlah baris per masalah di seluruh berkas. Impor menyimpan "
                "%(max)s baris bermasalah pertama; bila 'Baris dalam berkas' lebih besar "
                "dari 'Baris tercantum', perbaiki berkas lalu impor ulang untuk melihat sisanya."
            )
            % {"max": angka(_max_problems())},
            _("Berkas ini tidak memuat isi sel (NIK, nama): hanya nomor baris dan masalahnya."),
        ]
    ):
        if line:
            guide.write_string(i, 0, neutralise(line))
    book.close()
    return len(lines)


def _max_problems() -> int:
    from payung.registry.services import MAX_PROBLEMS

    return int(MAX_PROBLEMS)
