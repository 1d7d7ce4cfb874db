"""An import's problem rows grouped by problem (issue 9): counts over the whole file, the
most frequent first, each group paged, and an XLSX with row, column, problem in words and
the code in its own column; no cell value anywhere."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung import wording
from payung.registry.problems import import_problem_groups
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db

SCIENTIFIC, BIRTH = "nik.excel_scientific", "tanggal_lahir.missing"


def _import(year: Any) -> Any:
    """1.204 rows with Excel's notation (the first 120 kept) and 3 without a birth date,
    one of them with both problems."""
    problems = [{"row": r, "codes": [SCIENTIFIC], "message": "x"} for r in range(1, 120)]
    problems.append({"row": 200, "codes": [SCIENTIFIC, BIRTH], "message": "x"})
    problems += [{"row": r, "codes": [BIRTH], "message": "x"} for r in (300, 301)]
    return factories.DtsenImportFactory(
        programme_year=year,
        problems=problems,
        invalid_count=1206,
        invalid_by_code={SCIENTIFIC: 1204, BIRTH: 3},
    )


def test_groups_count_the_whole_file_and_list_the_rows_kept(year: Any) -> None:
    groups = import_problem_groups(dtsen_import=_import(year))

    assert [(g.number, g.code, g.count, g.listed) for g in groups] == [
        (1, SCIENTIFIC, 1204, 120),
        (2, BIRTH, 3, 3),
    ]
    assert groups[1].rows == (200, 300, 301)
    assert groups[0].title == wording.problem_title(SCIENTIFIC)
    assert groups[0].column == "NIK" and groups[1].column == "TANGGAL_LAHIR"


def test_the_import_page_shows_each_problem_with_its_count_in_words(
    client: Client, operator_dinsos: Any, year: Any
) -> None:
    imp = _import(year)
    client.force_login(operator_dinsos)

    page = client.get(reverse("registry:import_detail", args=[imp.pk])).content.decode()

    assert "1.204 baris" in page and "3 baris" in page
    assert SCIENTIFIC not in page and BIRTH not in page  # codes stay out of the page
    assert reverse("registry:import_problems_xlsx", args=[imp.pk]) in page
    assert page.index("1.204 baris") < page.index("3 baris")  # most frequent first


def test_a_group_pages_its_rows_and_a_bad_page_or_group_is_no_error(
    client: Client, operator_dinsos: Any, year: Any
) -> None:
    imp = _import(year)
    client.force_login(operator_dinsos)
    url = reverse("registry:import_problems", args=[imp.pk])

    third = client.get(url, {"masalah": "1", "page": "3"})
    html = third.content.decode()
    assert list(third.context["page"].object_list) == [*range(101, 120), 200]
    assert "Halaman 3 dari 3" in html
    assert 'href="?masalah=1&amp;page=2" rel="prev"' in html
    assert "Nomor baris tercantum untuk 120 di antaranya" in html

    assert client.get(url, {"masalah": "1", "page": "999"}).context["page"].number == 3
    assert client.get(url, {"masalah": "1", "page": "abc"}).context["page"].number == 1
    assert client.get(url, {"masalah": "x"}).context["group"].code == SCIENTIFIC


def test_the_xlsx_lists_every_kept_row_with_words_and_code(
    client: Client, auditor_inspektorat: Any, year: Any
) -> None:
    imp = _import(year)
    client.force_login(auditor_inspektorat)

    response = client.get(reverse("registry:import_problems_xlsx", args=[imp.pk]))

    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("MASALAH").to_python()
    assert rows[0] == ["Baris", "Kolom", "Masalah", "Uraian", "Kode masalah"]
    assert len(rows) - 1 == 119 + 2 + 2
    both = [r for r in rows[1:] if int(r[0]) == 200]
    assert [(r[1], r[4]) for r in both] == [("NIK", SCIENTIFIC), ("TANGGAL_LAHIR", BIRTH)]
    assert both[1][2] == wording.problem_title(BIRTH)
    summary = book.get_sheet_by_name("RINGKASAN").to_python()
    assert [int(r[1]) for r in summary[1:]] == [1204, 3]
    assert "PETUNJUK" in str(book.get_sheet_by_name("PETUNJUK").to_python()[0])


def test_other_roles_may_not_read_the_problems(
    client: Client, petugas_bpjs: Any, year: Any
) -> None:
    imp = _import(year)
    client.force_login(petugas_bpjs)
    assert client.get(reverse("registry:import_problems", args=[imp.pk])).status_code == 403
    assert client.get(reverse("registry:import_problems_xlsx", args=[imp.pk])).status_code == 403
