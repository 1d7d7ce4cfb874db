"""The regency's letters and BPJS's record sheet, rendered through the documents app and read
back with real readers: python-docx for the DOCX, pdftotext for the PDF."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document as DocxDocument

from payung.documents.models import Document
from payung.documents.services import document_generate
from payung.domain.policy import policy_assumptions, policy_get
from payung.supervision import services
from payung.supervision.tests import factories as f

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    doc = DocxDocument(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


def _pdf_text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


@pytest.fixture
def withheld(operator_disnaker, petugas_bpjs, settings, tmp_path):
    """A Pekalongan case up to the withholding letter, its documents built in-process."""
    settings.DATA_DIR = tmp_path
    year = f.supervision_year(policy_id="pekalongan-2025")
    employer = f.employer_add(
        actor=operator_disnaker,
        name="PT Batik Kajen Sejahtera",
        nib="9120001234567",
        village_code=f.VILLAGE_PEKALONGAN,
    )
    report = f.report_add(year=year, employer=employer, actor=operator_disnaker)
    case = services.sanction_case_open(
        report=report,
        actor=operator_disnaker,
        finding="12 pekerja belum didaftarkan",
        unpaid_contributions=12_500_000,
    )
    return f.case_to(case=case, bpjs=petugas_bpjs, disnaker=operator_disnaker, until="penghentian")


def _built(kind: str, fmt: str) -> bytes:
    document = Document.objects.filter(kind=kind, format=fmt).latest("pk")
    document = document_generate(document=document)
    assert document.status == "done", document.error_message
    with open(document.stored_path, "rb") as fh:
        return fh.read()


def test_the_withholding_letter_reads_back_in_docx_and_pdf(withheld) -> None:
    for text in (
        _docx_text(_built("surat-penghentian-layanan", "docx")),
        _pdf_text(_built("surat-penghentian-layanan", "pdf")),
    ):
        assert "PEMERINTAH KABUPATEN PEKALONGAN" in text
        assert "Penghentian Layanan Publik Tertentu kepada Pemberi Kerja" in text
        assert "PT Batik Kajen Sejahtera" in text and "9120001234567" in text
        assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in text
        # BPJS's request is cited by its number and date; the letter's own number too.
        assert "B/4/2026" in text and "25 Mei 2026" in text
        assert "B/5/2026" in text and "26 Mei 2026" in text
        assert "izin dalam mengikuti tender proyek" in text
        assert "Peraturan Pemerintah Nomor 86 Tahun 2013" in text
        assert "BUPATI PEKALONGAN" in text


def test_letters_print_the_policy_assumptions_they_depend_on(withheld) -> None:
    policy = policy_get("pekalongan-2025")
    expected = [e.why for path, e in policy_assumptions(policy) if path.startswith("sanctions")]
    assert expected, "the Pekalongan policy marks the sanctions article as an assumption"
    text = " ".join(_pdf_text(_built("surat-penghentian-layanan", "pdf")).split())

    assert "masih asumsi" in text
    for why in expected:
        # named in words ("Sanksi administratif: ..."), never by the file's dotted path
        assert f"Sanksi administratif: {why}" in text
    assert "sanctions." not in text


def test_the_record_sheet_lists_every_bpjs_step_with_deadlines(withheld) -> None:
    for text in (
        _docx_text(_built("catatan-teguran-bpjs", "docx")),
        _pdf_text(_built("catatan-teguran-bpjs", "pdf")),
    ):
        # (the PDF's table wraps a long step name inside its cell: read the words)
        assert "LEMBAR CATATAN TEGURAN DAN SANKSI BPJS KETENAGAKERJAAN" in text
        assert "Teguran tertulis pertama" in text and "B/1/2026 13 Maret 2026" in text
        assert "13 Maret 2026 6 April 2026" in text  # its deadline, holidays excluded
        assert "Teguran tertulis kedua (BPJS)" in text and "7 April 2026 21 April 2026" in text
        assert "22 April 2026 22 Mei 2026" in text  # the fine's 30 days
        assert "Rp12.500" in text  # the fine
        assert "Rp12.500.000" in text  # what is owed


def test_the_lifting_letter_names_the_withholding_and_the_proof(
    withheld, petugas_bpjs, operator_disnaker
) -> None:
    services.sanction_step_record(
        case=withheld,
        actor=operator_disnaker,
        kind="pencabutan",
        letter_date=f.LIFT,
        letter_number="B/6/2026",
        paid_proof=True,
        registered_proof=True,
        evidence=f.pdf_upload(),
    )
    sha = withheld.steps.get(kind="pencabutan").evidence_sha256
    for text in (
        _docx_text(_built("surat-pencabutan-penghentian", "docx")),
        _pdf_text(_built("surat-pencabutan-penghentian", "pdf")),
    ):
        assert "Pencabutan Penghentian Layanan Publik Tertentu" in text
        assert "B/5/2026" in text and "26 Mei 2026" in text
        assert "bukti pembayaran iuran dan bukti pendaftaran seluruh pekerja" in text
        assert sha[:20] in text.replace(" ", "")
