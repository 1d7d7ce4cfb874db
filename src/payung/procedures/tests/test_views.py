"""The SOP pages: every agency's SOP of a year for whoever sees the year, generated in the
background as Documents, downloaded as DOCX and PDF."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.documents.models import Document
from payung.procedures.tests.factories import sop_document_done
from payung.procedures.workflow import AGENCIES
from payung.programmes.tests.factories import ProgrammeYearFactory


@pytest.fixture
def year(operator_dinsos: Any) -> Any:
    return ProgrammeYearFactory(year=2026, created_by=operator_dinsos)


def test_page_lists_every_agency_and_opens_on_the_users_own_with_constant_queries(
    year: Any,
    verifikator_dukcapil: Any,
    operator_dinsos: Any,
    client: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(verifikator_dukcapil)
    url = reverse("procedures:year_sops", args=[year.pk])
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil" in body and "BPJS Ketenagakerjaan" in body
    assert "Langkah Dinas Kependudukan dan Pencatatan Sipil" in body  # the user's own agency
    assert "Mengubah status calon dari Diusulkan menjadi Terverifikasi" in body
    assert "Buat SOP" not in body  # Disdukcapil reads, does not generate
    assert "<th>Nomor</th>" in body  # not "No", which the catalogue renders "Tidak"
    for agency in AGENCIES:
        for fmt in ("docx", "pdf"):
            sop_document_done(programme_year=year, actor=operator_dinsos, agency=agency, fmt=fmt)
    with django_assert_max_num_queries(12):
        body = client.get(url, {"instansi": "bpkd"}).content.decode()
    assert body.count("Unduh PDF") == len(AGENCIES) == body.count("Unduh DOCX")
    assert "Langkah Badan Pengelola Keuangan Daerah" in body
    assert "Menerbitkan SP2D pembayaran iuran" in body


def test_generation_makes_every_agencys_sop_in_the_background_for_all_to_download(
    year: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
    client: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Any,
) -> None:
    client.force_login(operator_disnaker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procedures:sop_generate", args=[year.pk]))
    assert response.status_code == 302
    documents = Document.objects.filter(programme_year=year, kind__startswith="sop-")
    assert documents.count() == 2 * len(AGENCIES)
    assert set(documents.values_list("status", flat=True)) == {"done"}
    entry = AuditEntry.objects.filter(action="sop_generate").get()
    assert entry.detail == {"documents": 2 * len(AGENCIES)}
    # BPJS's officer holds no documents permission, yet reads the SOPs of the year.
    client.force_login(petugas_bpjs)
    page = client.get(reverse("procedures:year_sops", args=[year.pk])).content.decode()
    assert "Langkah BPJS Ketenagakerjaan Kantor Cabang" in page
    pdf = documents.get(kind="sop-bpjs", format="pdf")
    response = client.get(reverse("procedures:sop_download", args=[pdf.pk]))
    assert response.status_code == 200
    path = tmp_path / "sop.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "BPJS KETENAGAKERJAAN KANTOR CABANG" in text
    assert "Merekam peserta dan mengirim jawaban pendaftaran" in " ".join(text.split())


def test_roles_that_do_not_run_the_programme_cannot_generate(
    year: Any, verifikator_dukcapil: Any, client: Any
) -> None:
    client.force_login(verifikator_dukcapil)
    response = client.post(reverse("procedures:sop_generate", args=[year.pk]))
    assert response.status_code == 403
    assert not Document.objects.filter(kind__startswith="sop-").exists()


def test_download_serves_sops_only(year: Any, operator_dinsos: Any, client: Any) -> None:
    """Another document (a decree annex may hold full NIKs) is never served by this URL."""
    other = sop_document_done(programme_year=year, actor=operator_dinsos)
    Document.objects.filter(pk=other.pk).update(kind="lampiran-peserta")
    client.force_login(operator_dinsos)
    assert client.get(reverse("procedures:sop_download", args=[other.pk])).status_code == 404
    queued = sop_document_done(programme_year=year, actor=operator_dinsos)
    Document.objects.filter(pk=queued.pk).update(status="queued")
    response = client.get(reverse("procedures:sop_download", args=[queued.pk]))
    assert response.status_code == 302
