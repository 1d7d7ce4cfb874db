"""The SOP files read back with real readers: pdftotext for the PDF, python-docx for Word."""

from __future__ import annotations

import io
import subprocess
from types import SimpleNamespace
from typing import Any

import pytest

from payung.domain.policy import policy_get
from payung.procedures.documents import sop_context, sop_docx_bytes, sop_pdf_bytes


def _pdf_text(data: bytes, tmp_path: Any) -> str:
    path = tmp_path / "sop.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def _has(text: str, phrase: str, window: int = 30) -> bool:
    """``phrase``'s words in order within ``window`` words: a table cell's wrapped lines come
    out of pdftotext interleaved with the neighbouring cells' lines."""
    # pdftotext joins a word broken after a hyphen at a line end ("e-" / "g" -> "eg").
    words, wanted = text.replace("-", "").split(), phrase.replace("-", "").split()
    for start, word in enumerate(words):
        if word != wanted[0]:
            continue
        found, k = 1, start + 1
        while found < len(wanted) and k < min(len(words), start + window):
            if words[k] == wanted[found]:
                found += 1
            k += 1
        if found == len(wanted):
            return True
    return False


def _context(policy_id: str, agency: str) -> Any:
    policy = policy_get(policy_id)
    year = SimpleNamespace(year=2026, region_name=policy.region.name)
    return sop_context(programme_year=year, agency=agency, policy=policy)


def test_pdf_lists_the_agency_steps_performers_deadlines_and_articles(tmp_path: Any) -> None:
    context = _context("pandeglang-2025", "dinsos")
    text = _pdf_text(sop_pdf_bytes(context), tmp_path)
    assert "DINAS SOSIAL" in text and "KABUPATEN PANDEGLANG" in text
    assert "Mengimpor ekstrak DTSEN" in text
    assert "Menjawab sanggahan dengan surat" in text
    assert _has(text, "14 hari sejak sanggahan diterima")
    assert _has(text, "Pasal 7 ayat (1)") and _has(text, "Pasal 10 ayat (2) huruf c")
    assert "Operator Pendataan" in text  # the role of roles.py that does the steps
    # Not Dinas Sosial's: Disdukcapil's verification is shown only in the flowchart.
    assert "Menerbitkan SP2D" not in text
    assert "Bagan alir" in text
    # Each step of the agency is in the table once, numbered as in the whole workflow.
    for step in context.steps:
        assert _has(text, step.article), step.article


def test_pdf_of_pekalongan_prints_sanctions_and_assumptions(tmp_path: Any) -> None:
    context = _context("pekalongan-2025", "bpjs")
    text = _pdf_text(sop_pdf_bytes(context), tmp_path)
    assert "KABUPATEN PEKALONGAN" in text
    assert _has(text, "Menerbitkan teguran tertulis kepada pemberi kerja")
    assert "Peraturan Pemerintah Nomor 86 Tahun 2013" in text
    assert context.assumptions
    assert "Asumsi yang belum dikonfirmasi" in text
    assert "Isi perubahan Pasal 14 ayat (3) belum kami terima" in text


def test_docx_holds_the_steps_table_and_one_picture_per_flowchart() -> None:
    from docx import Document

    context = _context("pandeglang-2025", "disnakertrans")
    doc = Document(io.BytesIO(sop_docx_bytes(context)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "DINAS TENAGA KERJA DAN TRANSMIGRASI" in body
    assert "[[BAGAN-ALIR" not in body  # every marker became a picture
    assert len(doc.inline_shapes) == len(context.charts) >= 5
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("Menerbitkan tagihan dan surat permohonan pembayaran iuran" in c for c in cells)
    assert any("Surat Permohonan Pembayaran Iuran" in c for c in cells)  # its document
    assert "setiap periode tagihan (bulanan), jatuh tempo tanggal 15 bulan pertama" in cells
    assert "Pasal 9 ayat (1)-(3)" in cells


def test_same_workflow_gives_the_same_docx_bytes() -> None:
    context = _context("pandeglang-2025", "hukum")
    assert sop_docx_bytes(context) == sop_docx_bytes(context)


@pytest.mark.parametrize("agency", ["bpkd", "bapperida", "inspektorat", "hukum"])
def test_team_agencies_have_their_own_steps(agency: str) -> None:
    context = _context("pandeglang-2025", agency)
    titles = [s.title for s in context.steps]
    assert "Melaporkan hasil pemantauan dan evaluasi kepada Bupati" in titles
    assert len(titles) >= 2 and context.charts
