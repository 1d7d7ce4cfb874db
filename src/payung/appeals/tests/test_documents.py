"""The answer letter read back: python-docx for the DOCX, pdftotext for the PDF, both made
by the documents worker from an answered appeal; and its download is audited."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from pathlib import Path
from typing import Any

from django.urls import reverse
from docx import Document as DocxDocument

from payung.appeals.models import Appeal
from payung.appeals.services import Correction, appeal_answer, appeal_record
from payung.appeals.tests.factories import appeal_year, refused_person
from payung.audit.models import AuditEntry
from payung.documents.models import Document
from payung.documents.services import document_generate
from payung.domain import nik as nik_domain


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def docx_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return flat(" ".join(parts))


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return flat(out.stdout)


def _answered(operator: Any, approver: Any, *, reasons: str, corrections: dict) -> Appeal:
    proposal = appeal_year(operator=operator, approver=approver)
    person = refused_person(proposal, reasons=reasons)
    appeal = appeal_record(
        person=person,
        actor=operator,
        received_on=datetime.date(2026, 3, 2),
        channel=Appeal.Channel.DESA,
        filed_by="Sekretaris Desa",
        grounds="Data pekerjaan dan desil perlu diperiksa kembali.",
        corrections=corrections,
    )
    return appeal_answer(appeal=appeal, actor=approver, answered_on=datetime.date(2026, 3, 9))


def _texts(appeal: Appeal) -> tuple[str, str]:
    out = {}
    for document in Document.objects.filter(
        kind="jawaban-sanggahan", subject=f"appeals.appeal:{appeal.pk}"
    ):
        done = document_generate(document=document)
        assert done.status == "done", done.error_message
        path = Path(done.stored_path)
        out[done.format] = docx_text(path.read_bytes()) if done.format == "docx" else pdf_text(path)
    return out["docx"], out["pdf"]


def test_granted_letter_names_the_rank_and_every_criterion(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    appeal = _answered(
        operator_dinsos,
        operator_dinsos_2,
        reasons="5(1)",
        corrections={"pekerjaan": Correction("PETANI", "Surat keterangan desa No. 470/12")},
    )
    for text in _texts(appeal):
        _granted_letter_check(appeal, text)


def _granted_letter_check(appeal: Appeal, text: str) -> None:
    person = appeal.person
    assert person.nama in text
    assert nik_domain.mask(person.nik) in text and person.nik not in text
    assert "Surat keterangan desa No. 470/12" in text and "PETANI" in text
    assert "9 Maret 2026" in text and "2 Maret 2026" in text
    for article in ("Pasal 5 ayat (1)", "Pasal 5 ayat (2) huruf a", "Pasal 5 ayat (2) huruf d"):
        assert article in text
    assert "tidak terpenuhi" not in text  # every criterion is met now
    assert f"daftar tunggu pada peringkat {appeal.placed_rank}" in text
    assert "Pasal 6 ayat (2)" in text and "KEPALA DINAS SOSIAL" in text
    # The channel reads as the sentence goes on ("… melalui pemerintah desa"), not as the
    # page's label does ("melalui Melalui desa").
    assert "melalui pemerintah desa dan kami terima" in " ".join(text.split())


def test_refused_letter_names_the_failed_article_and_where_to_correct(
    operator_dinsos: Any, operator_dinsos_2: Any, client: Any
) -> None:
    appeal = _answered(
        operator_dinsos,
        operator_dinsos_2,
        reasons="5(2)d",
        corrections={"desil": Correction("9", "Surat keterangan desa No. 9")},
    )
    docx, pdf = _texts(appeal)
    for text in (docx, pdf):
        assert "Sanggahan DITOLAK" in text
        assert "Pasal 5 ayat (2) huruf d" in text and "tidak terpenuhi" in text
        assert "pemutakhiran DTSEN" in text
    # The download is the documents app's, audited.
    document = Document.objects.get(subject=f"appeals.appeal:{appeal.pk}", format="pdf")
    client.force_login(operator_dinsos)
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="document_download").count() == 1
