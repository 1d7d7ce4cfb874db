"""The payment request letter as its reader sees it: the DOCX text through python-docx and
the PDF through ``pdftotext``, both made from an issued bill with a correction."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document as DocxDocument

from payung.contributions.documents import payment_request_context
from payung.contributions.models import Bill
from payung.contributions.services import bill_issue
from payung.contributions.tests.factories import MONTHLY, contribution_year, participants_add
from payung.documents.render import docx_render, pdf_render
from payung.participants.models import CoveragePeriod
from payung.programmes.models import BudgetLine

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = (date(2026, m, 1) for m in (1, 2, 3))


@pytest.fixture
def bill(bendahara_disnaker: Any) -> Bill:
    """February 2026: 4 participants over two sources; corrections take January back from a
    participant found never covered and add a late replacement's January."""
    year_cost = 12 * MONTHLY
    year, proposal = contribution_year(
        pagu=[(BudgetLine.Source.APBD, 3 * year_cost), (BudgetLine.Source.OTHER, year_cost)]
    )
    people = participants_add(proposal=proposal, periods=[(JAN, None)] * 4)
    bill_issue(programme_year=year, first_month=JAN, last_month=JAN, actor=bendahara_disnaker)
    # BPJS's answer shows the first was never covered: the period is struck out after issue.
    CoveragePeriod.objects.filter(candidate=people[0]).delete()
    participants_add(proposal=proposal, periods=[(date(2026, 1, 25), None)])
    return bill_issue(
        programme_year=year, first_month=FEB, last_month=FEB, actor=bendahara_disnaker
    )


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def docx_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return flat(" ".join(parts))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "surat.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return flat(out.stdout)


def test_the_context_carries_the_stored_amounts(bill: Bill) -> None:
    context = payment_request_context(bill)
    # February: 4 participants (3 left + the replacement); corrections: January −1 +1.
    assert context.participant_count == 4
    assert context.regular_total == 4 * MONTHLY
    assert [(c.month, c.added, c.removed, c.amount) for c in context.corrections] == [
        ("Januari 2026", 1, 1, 0)
    ]
    assert context.total == bill.total == 4 * MONTHLY
    assert context.total_words == "enam puluh tujuh ribu dua ratus rupiah"
    assert [(s.label, s.participants) for s in context.sources] == [
        ("APBD Kabupaten", 4),
        ("Sumber lain yang sah dan tidak mengikat", 1),
    ]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_letter_reads_back_with_totals_and_words(bill: Bill, fmt: str, tmp_path: Path) -> None:
    context = payment_request_context(bill)
    if fmt == "docx":
        text = docx_text(docx_render("permohonan-iuran", context))
    else:
        text = pdf_text(pdf_render("permohonan-iuran", context), tmp_path)
    assert "Permohonan Pembayaran Iuran" in text
    assert "Kepala BPJS Ketenagakerjaan Kantor Cabang Pandeglang" in text
    assert "Tagihan 2 (Februari 2026)" in text
    assert "4 (empat) peserta" in text
    assert "Rp67.200 (enam puluh tujuh ribu dua ratus rupiah)" in text
    assert "Januari 2026" in text  # the month the corrections correct
    assert "15 Februari 2026" in text  # due date
    assert "Perjanjian Kerja Sama Nomor 560/PKS.01-Disnakertrans/2026" in text
    assert "KEPALA DINAS TENAGA KERJA DAN TRANSMIGRASI PANDEGLANG" in text
