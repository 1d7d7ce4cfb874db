"""The data-subject record (UU 27/2022): one PDF of what is held on a person, read back with
pdftotext, audited with the masked NIK and a purpose code; only for the role that exports."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from payung.appeals.models import Appeal
from payung.appeals.services import Correction, appeal_record
from payung.appeals.tests.factories import appeal_year, refused_person
from payung.audit.models import AuditEntry
from payung.domain import nik as nik_domain


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "catatan.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    )
    return re.sub(r"\s+", " ", out.stdout)


@pytest.mark.django_db
def test_record_pdf_holds_identity_decision_criteria_and_appeal_and_is_audited(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    auditor_inspektorat: Any,
    client: Any,
    tmp_path: Path,
) -> None:
    proposal = appeal_year(operator=operator_dinsos, approver=operator_dinsos_2)
    person = refused_person(proposal, reasons="5(1)")
    appeal_record(
        person=person,
        actor=operator_dinsos,
        received_on=datetime.date(2026, 3, 2),
        channel=Appeal.Channel.LOKET,
        filed_by="Yang bersangkutan",
        grounds="Pekerjaan tercatat keliru di DTSEN.",
        corrections={"pekerjaan": Correction("PETANI", "Surat keterangan desa No. 470/12")},
    )
    url = reverse("people:person_record", args=[person.pk])
    client.force_login(auditor_inspektorat)  # reads decisions, exports nothing
    assert client.post(url, {"purpose": "permintaan_ybs"}).status_code == 403
    client.force_login(operator_dinsos)
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert url in page
    refused = client.post(url, {"purpose": "apa saja"})
    assert (
        refused.status_code == 302
        and not AuditEntry.objects.filter(action="person_record_pdf").exists()
    )
    response = client.post(url, {"purpose": "permintaan_ybs"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert person.nama in text and person.nik in text  # the person's own copy
    assert person.pekerjaan in text and "Tidak memenuhi syarat" in text
    assert "Pasal 5 ayat (1)" in text and "tidak terpenuhi" in text
    assert "Surat keterangan desa No. 470/12" in text and "Belum dijawab" in text
    assert "Undang-Undang Nomor 27 Tahun 2022" in text
    entry = AuditEntry.objects.get(action="person_record_pdf")
    assert entry.detail["nik_masked"] == nik_domain.mask(person.nik)
    assert entry.detail["purpose"] == "permintaan_ybs" and entry.detail["years"] == [2026]
    assert person.nik not in str(entry.detail) and person.nama not in str(entry.detail)
