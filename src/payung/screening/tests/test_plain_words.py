"""Decisions in words (issue 9): no column name, ISO date or category key reaches a person.

The person page, the appeal page and the appeal letter show the age criterion as "usia 45
tahun pada 1 Januari 2026 (tanggal lahir 15 Mei 1980)", not "(TANGGAL_LAHIR: 1980-05-15)";
the decision export gives every code its words beside it, the code in its own column.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from payung.screening import selectors
from payung.screening.exports import COLUMNS, decisions_xlsx
from payung.screening.selectors import DecisionFilters, decision_export_rows
from payung.screening.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("1980-05-15", "(tanggal lahir 15 Mei 1980)"),
        ("04/06/1998", "(tanggal lahir 4 Juni 1998)"),
        ("4-6-1998", "(tanggal lahir 4 Juni 1998)"),
        ("31-02-1998", "(tanggal lahir tertulis \u201c31-02-1998\u201d)"),
        ("", "(tanggal lahir kosong)"),
    ],
)
def test_the_age_criterion_reads_the_birth_date_in_words(typed: str, shown: str) -> None:
    decision = factories.DecisionFactory(person__tanggal_lahir=typed)

    x = selectors.decision_explain(decision=decision)

    age = next(c for c in x.criteria if c.id == "5(2)b")
    assert age.value == f"usia 45 tahun pada 1 Januari 2026 {shown}"
    assert "TANGGAL_LAHIR" not in age.value
    assert x.as_of == "1 Januari 2026"


def _sheet(rows: Any) -> list[dict[str, Any]]:
    out = io.BytesIO()
    decisions_xlsx(rows, out)
    table = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0)
    header, *body = table.to_python()
    return [dict(zip(header, r, strict=True)) for r in body]


def test_the_export_words_every_code_and_keeps_the_code_beside_it() -> None:
    run = factories.ScreeningRunFactory()
    factories.DecisionFactory(run=run, occupation_category="petani", priorities="7(2)c")
    factories.DecisionFactory(
        run=run,
        status="ineligible",
        occupation_category="",
        reasons="5(1)",
        priorities="",
        priority_rank=None,
        flags="pekerjaan.unknown",
    )

    first, second = _sheet(decision_export_rows(run=run, filters=DecisionFilters()))

    assert [h for h, _f in COLUMNS] == list(first)
    assert first["Kategori Pekerjaan (Pasal 5 ayat (1))"] == "a. petani"
    assert first["Kode Kategori Pekerjaan"] == "petani"
    assert first["Status"] == "Terpilih (dalam pagu)" and first["Kode Status"] == "selected"
    assert first["Prioritas (Pasal 7 ayat (2))"].startswith("Pasal 7 ayat (2) huruf c")
    assert first["Kode Prioritas"] == "7(2)c"
    assert second["Kategori Pekerjaan (Pasal 5 ayat (1))"] == ""
    assert second["Status"] == "Tidak memenuhi syarat"
    assert second["Catatan"].startswith("Pekerjaan tidak dikenal dalam kosakata kebijakan")
