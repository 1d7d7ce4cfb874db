"""Verification pages: who may open and do what, the audited request file, answer files
refused with every row's message or applied with their report, one answer on the page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.conftest import PERSONAS
from payung.engine.exchange_files import read_text_table
from payung.engine.synth_dukcapil import dukcapil_response_write
from payung.participants.models import CandidateState, Proposal
from payung.participants.tests.factories import approved_proposal, states
from payung.verification import services
from payung.verification.models import Answer, AnswerImport, VerificationBatch

pytestmark = pytest.mark.django_db

QUOTA = 10
BATCH_READERS = {
    "operator_dinsos",
    "operator_dinsos_2",
    "verifikator_dukcapil",
    "operator_disnaker",
    "operator_disnaker_2",
    "auditor_inspektorat",
}


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Proposal:
    return approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, quota=QUOTA)


@pytest.fixture
def batch(proposal: Proposal, operator_dinsos: Any) -> VerificationBatch:
    return services.batch_create(proposal=proposal, actor=operator_dinsos)


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _request_file(client: Client, batch: VerificationBatch, fmt: str, folder: Path) -> Path:
    response = client.get(reverse("verification:batch_request_file", args=[batch.pk, fmt]))
    assert response.status_code == 200, response.status_code
    path = folder / f"permintaan.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def _answers_csv(request: Path, edits: dict[int, dict[str, str]]) -> SimpleUploadedFile:
    """The request answered SESUAI throughout, except ``edits`` (data row index -> cells)."""
    table = read_text_table(request)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(table.headers)
    for index, row in enumerate(table.rows):
        cells = list(row)
        cells[table.headers.index("HASIL")] = "SESUAI"
        for name, value in edits.get(index, {}).items():
            cells[table.headers.index(name)] = value
        writer.writerow(cells)
    return SimpleUploadedFile("jawaban.csv", out.getvalue().encode("utf-8"))


def test_each_role_opens_only_its_pages(
    batch: VerificationBatch, request: pytest.FixtureRequest
) -> None:
    item = batch.items.first()
    year_pk = batch.proposal.programme_year_id
    pages = {
        "batch_list": (reverse("verification:batch_list", args=[year_pk]), BATCH_READERS),
        "batch_detail": (reverse("verification:batch_detail", args=[batch.pk]), BATCH_READERS),
        "item_record": (
            reverse("verification:item_record", args=[item.pk]),
            {"verifikator_dukcapil"},
        ),
    }
    for persona in PERSONAS:
        client = Client()
        client.force_login(request.getfixturevalue(persona))
        for name, (url, allowed) in pages.items():
            expected = 200 if persona in allowed else 403
            assert client.get(url).status_code == expected, (persona, name)


def test_who_may_export_and_record(
    batch: VerificationBatch,
    proposal: Proposal,
    auditor_inspektorat: Any,
    operator_disnaker: Any,
    operator_dinsos: Any,
) -> None:
    item = batch.items.first()
    upload = SimpleUploadedFile("jawaban.csv", b"NIK;HASIL\n")
    for persona in (auditor_inspektorat, operator_disnaker):
        client = Client()
        client.force_login(persona)
        for url in (reverse("verification:batch_request_file", args=[batch.pk, "xlsx"]),):
            assert client.get(url).status_code == 403
        assert (
            client.post(reverse("verification:batch_create", args=[proposal.pk])).status_code == 403
        )
        response = client.post(
            reverse("verification:batch_answers_upload", args=[batch.pk]), {"file": upload}
        )
        assert response.status_code == 403
        response = client.post(
            reverse("verification:item_record", args=[item.pk]), {"answer": Answer.SESUAI}
        )
        assert response.status_code == 403
    # The operator pendataan sends files but does not record Disdukcapil's answers.
    client = Client()
    client.force_login(operator_dinsos)
    html = client.get(reverse("verification:batch_detail", args=[batch.pk])).content.decode()
    assert "Unduh XLSX" in html and "Unggah jawaban" not in html and "Catat hasil" not in html
    response = client.post(
        reverse("verification:item_record", args=[item.pk]), {"answer": Answer.SESUAI}
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export_personal_data").exists()
    item.refresh_from_db()
    assert item.answer == ""


def test_the_first_batch_is_made_from_the_approved_proposal(
    client: Client, proposal: Proposal, operator_dinsos: Any
) -> None:
    client.force_login(operator_dinsos)
    year_pk = proposal.programme_year_id
    html = client.get(reverse("verification:batch_list", args=[year_pk])).content.decode()
    assert "10 calon diusulkan belum dikirim" in html
    response = client.post(reverse("verification:batch_create", args=[proposal.pk]))
    batch = VerificationBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:batch_detail", args=[batch.pk])
    assert any("Tahap 1 dibuat dengan 10 calon" in m for m in _messages(response))
    # Nobody left to send: the refusal is the service's message, back on the list.
    response = client.post(reverse("verification:batch_create", args=[proposal.pk]))
    assert response["Location"] == reverse("verification:batch_list", args=[year_pk])
    assert "Tidak ada calon yang menunggu dikirim untuk verifikasi." in _messages(response)
    html = client.get(reverse("verification:batch_list", args=[year_pk])).content.decode()
    assert "Tahap 1" in html and "Tidak ada calon yang menunggu" in html


def test_the_batch_page_masks_niks_and_the_request_file_is_audited(
    client: Client, batch: VerificationBatch, verifikator_dukcapil: Any, tmp_path: Path
) -> None:
    client.force_login(verifikator_dukcapil)
    html = client.get(reverse("verification:batch_detail", args=[batch.pk])).content.decode()
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", html)
    niks = list(batch.items.values_list("candidate__nik", flat=True))
    for nik in niks:
        assert f"{nik[:4]}********{nik[-4:]}" in html
    for fmt, content_type in (
        ("xlsx", "application/vnd.openxmlformats"),
        ("csv", "text/csv"),
    ):
        url = reverse("verification:batch_request_file", args=[batch.pk, fmt])
        response = client.get(url)
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"] == (
            f'attachment; filename="verifikasi-dukcapil-2026-tahap-1.{fmt}"'
        )
        assert "no-store" in response["Cache-Control"]
        path = tmp_path / f"r.{fmt}"
        path.write_bytes(b"".join(response.streaming_content))
        assert sorted(r[1] for r in read_text_table(path).rows) == sorted(niks)
    entries = AuditEntry.objects.filter(action="export_personal_data")
    assert entries.count() == 2
    assert {e.actor_id for e in entries} == {verifikator_dukcapil.pk}
    # An unknown format is a message, not a file and not an export.
    response = client.get(reverse("verification:batch_request_file", args=[batch.pk, "pdf"]))
    assert response.status_code == 302
    assert _messages(response) == ["Format harus XLSX atau CSV."]
    assert entries.count() == 2


def _post_answers(client: Client, batch: VerificationBatch, upload: Any, capture: Any) -> Any:
    """POST an answer file as the page does, run the queued job, and follow to its page."""
    with capture(execute=True):
        response = client.post(
            reverse("verification:batch_answers_upload", args=[batch.pk]), {"file": upload}
        )
    assert response.status_code == 302, response.status_code
    job = AnswerImport.objects.latest("pk")
    assert response["Location"] == reverse("verification:answer_import_detail", args=[job.pk])
    return client.get(response["Location"])


def test_a_refused_answer_file_lists_every_row_message(
    client: Client,
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(verifikator_dukcapil)
    request = _request_file(client, batch, "csv", tmp_path)
    upload = _answers_csv(request, {2: {"HASIL": "OK"}, 4: {"HASIL": "DATA BERBEDA"}})
    response = _post_answers(client, batch, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Berkas ditolak; tidak ada jawaban yang diterapkan." in html
    assert "Baris 4, kolom HASIL: Isi tidak dikenal" in html
    assert "Baris 6: HASIL DATA BERBEDA tetapi tidak ada sel yang diperbaiki" in html
    assert html.count("<li>Baris ") == 2
    assert states(proposal)[CandidateState.PROPOSED] == list(range(1, QUOTA + 1))
    # A file that is not a table at all, and a wrong kind of file.
    for name, content, expected in (
        ("jawaban.csv", b"", "Berkas yang diunggah kosong."),
        ("jawaban.pdf", b"%PDF-1.4", "Berkas jawaban harus XLSX atau CSV"),
    ):
        response = client.post(
            reverse("verification:batch_answers_upload", args=[batch.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 200
        assert expected in response.content.decode(), name
    response = _post_answers(
        client,
        batch,
        SimpleUploadedFile("jawaban.xlsx", b"bukan spreadsheet"),
        django_capture_on_commit_callbacks,
    )
    assert "Berkas ditolak" in response.content.decode()
    response = client.post(reverse("verification:batch_answers_upload", args=[batch.pk]), {})
    assert "Pilih berkas jawaban yang akan diunggah." in response.content.decode()
    response = _post_answers(
        client,
        batch,
        SimpleUploadedFile("jawaban.csv", b"NIK;NAMA\n3601010101010001;X\n"),
        django_capture_on_commit_callbacks,
    )
    assert "Kolom wajib tidak ada: HASIL" in response.content.decode()


def test_an_applied_answer_file_reports_counts_replacements_and_unmatched_rows(
    client: Client,
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(verifikator_dukcapil)
    request = _request_file(client, batch, "xlsx", tmp_path)
    answer, counts = dukcapil_response_write(
        request=request, out=tmp_path / "jawaban.xlsx", seed=7, unmatched=2
    )
    upload = SimpleUploadedFile("jawaban.xlsx", answer.read_bytes())
    response = _post_answers(client, batch, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert "Jawaban diterapkan." in html
    assert report["applied"] == {k: v for k, v in counts.items() if k != "tidak_cocok"}
    for code, n in report["applied"].items():
        assert f"<td>{code} — " in html and f"<td>{n}</td>" in html
    assert f"Pengganti dari daftar tunggu: {report['replacements']} calon" in html
    assert report["replacements"] > 0
    assert len(report["unmatched"]) == 2
    for row in report["unmatched"]:
        assert f"<td>{row['row']}</td>" in html
        assert row["nik_masked"] in html
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", html)
    assert len(states(proposal)[CandidateState.PROPOSED]) == report["replacements"]
    # The batch page keeps the file's SHA-256 and shows the answers per candidate.
    batch.refresh_from_db()
    sha256 = batch.responses[0]["sha256"]
    page = client.get(reverse("verification:batch_detail", args=[batch.pk])).content.decode()
    assert sha256 in page and "jawaban.xlsx" in page
    assert "Terjawab" in page


def test_the_verifier_records_one_answer_on_the_page(
    client: Client, batch: VerificationBatch, proposal: Proposal, verifikator_dukcapil: Any
) -> None:
    client.force_login(verifikator_dukcapil)
    item = batch.items.get(candidate__rank=2)
    url = reverse("verification:item_record", args=[item.pk])
    html = client.get(url).content.decode()
    assert "Hasil verifikasi (HASIL)" in html and "Tanggal lahir (TANGGAL_LAHIR)" in html
    assert item.candidate.nik not in html
    bad = [
        ({}, "Pilih hasil verifikasi."),
        ({"answer": "OK"}, "Hasil verifikasi tidak dikenal; pilih dari daftar."),
        ({"answer": Answer.DATA_BERBEDA}, "isi paling sedikit satu data yang diperbaiki"),
        (
            {"answer": Answer.DATA_BERBEDA, "tanggal_lahir": "31-02-1980"},
            "format YYYY-MM-DD",
        ),
        ({"answer": Answer.DATA_BERBEDA, "no_kk": "123"}, "Nomor KK harus 16 angka."),
        ({"answer": Answer.DATA_BERBEDA, "kode_desa": "3601"}, "Kode desa harus 10 angka"),
        ({"answer": Answer.DATA_BERBEDA, "jenis_kelamin": "X"}, "Jenis kelamin harus L atau P."),
        ({"answer": Answer.SESUAI, "nama": "Lain"}, "hanya diisi untuk hasil DATA BERBEDA"),
        # The DTSEN import's rules, shared (registry.fields): length and control characters.
        ({"answer": Answer.DATA_BERBEDA, "nama": "A" * 10_000}, "Isi lebih dari 200 karakter."),
        ({"answer": Answer.DATA_BERBEDA, "alamat": "J" * 10_000}, "Isi lebih dari 300 karakter."),
        ({"answer": Answer.DATA_BERBEDA, "nama": "SITI\x1b[2J"}, "karakter kendali"),
        ({"answer": Answer.DATA_BERBEDA, "nama": "SITI\u202eAMINAH"}, "karakter tak terlihat"),
    ]
    for data, expected in bad:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert expected in response.content.decode(), data
    item.refresh_from_db()
    assert item.answer == ""

    response = client.post(
        url, {"answer": Answer.DATA_BERBEDA, "nama": "NAMA DIPERBAIKI", "note": "Sesuai KTP-el"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:batch_detail", args=[batch.pk])
    assert any("peringkat 2 dicatat: DATA BERBEDA" in m for m in _messages(response))
    candidate = proposal.candidates.get(rank=2)
    assert candidate.state == CandidateState.VERIFIED
    assert candidate.corrected == {"nama": "NAMA DIPERBAIKI"}
    # Answered: the page says so, and a second answer is refused with a message.
    assert "Calon ini sudah dijawab: DATA BERBEDA." in client.get(url).content.decode()
    response = client.post(url, {"answer": Answer.MENINGGAL})
    assert response.status_code == 200
    assert "sudah diverifikasi" in response.content.decode()
    # Its page shows the correction; the rejection of another pulls a replacement.
    detail = reverse("participants:candidate_detail", args=[candidate.pk])
    html = client.get(detail).content.decode()
    assert "NAMA DIPERBAIKI" in html and "Data yang diperbaiki Disdukcapil" in html
    other = batch.items.get(candidate__rank=3)
    response = client.post(
        reverse("verification:item_record", args=[other.pk]), {"answer": Answer.PINDAH}
    )
    assert any("1 calon dari daftar tunggu menggantikan" in m for m in _messages(response))
    assert proposal.candidates.get(rank=QUOTA + 1).state == CandidateState.PROPOSED


def test_unknown_objects_are_404(client: Client, verifikator_dukcapil: Any) -> None:
    client.force_login(verifikator_dukcapil)
    assert client.get(reverse("verification:batch_detail", args=[999])).status_code == 404
    assert client.get(reverse("verification:batch_list", args=[999])).status_code == 404
    assert client.get(reverse("verification:item_record", args=[999])).status_code == 404
    for name in ("answer_import_detail", "answer_import_progress"):
        assert client.get(reverse(f"verification:{name}", args=[999])).status_code == 404
    url = reverse("verification:answer_import_errors", args=[999, "csv"])
    assert client.get(url).status_code == 404


def test_an_unknown_proposal_is_404_for_who_may_start_a_round(
    client: Client, operator_dinsos: Any
) -> None:
    client.force_login(operator_dinsos)
    assert client.post(reverse("verification:batch_create", args=[999])).status_code == 404
