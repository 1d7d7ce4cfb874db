"""Answer files are background jobs (issue 17, defect 5): the request only stores and queues,
the task gets an id, an oversized file is refused before its rows are checked, and the page
shows the first row messages with the whole list as an audited download. Only the operator
pendataan starts a verification round (defect 10)."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.engine.exchange_files import csv_bytes, read_text_table
from payung.participants.models import Proposal
from payung.participants.tests.factories import approved_proposal
from payung.verification import services
from payung.verification.exchange import HEADERS, answer_row_limit
from payung.verification.models import AnswerImport, VerificationBatch
from payung.verification.tests.helpers import Importer, importer, request_file

pytestmark = pytest.mark.django_db

QUOTA = 10


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Proposal:
    return approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, quota=QUOTA)


@pytest.fixture
def batch(proposal: Proposal, operator_dinsos: Any) -> VerificationBatch:
    return services.batch_create(proposal=proposal, actor=operator_dinsos)


@pytest.fixture
def answers_import(django_capture_on_commit_callbacks: Any) -> Importer:
    return importer(django_capture_on_commit_callbacks)


def _garbage_rows(path: Path, n: int) -> Path:
    """``n`` rows that each break two rules (no NIK, an unknown HASIL) and hold a name."""
    rows = [[str(i), "", "", "SITI AMINAH", "", "", "", "", "OK", ""] for i in range(1, n + 1)]
    path.write_bytes(csv_bytes(HEADERS, rows))
    return path


def test_the_upload_only_stores_and_queues_the_job_by_its_id(
    client: Client,
    batch: VerificationBatch,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(verifikator_dukcapil)
    request = request_file(batch, verifikator_dukcapil, tmp_path, "csv")
    url = reverse("verification:batch_answers_upload", args=[batch.pk])
    with (
        mock.patch("payung.verification.tasks.answer_import_execute") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        task.enqueue.return_value.id = "task-1"
        response = client.post(
            url, {"file": SimpleUploadedFile("jawaban.csv", request.read_bytes())}
        )
    job = AnswerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:answer_import_detail", args=[job.pk])
    # The task carries the job's id and nothing of the file.
    task.enqueue.assert_called_once_with(answer_import_id=job.pk)
    assert job.status == JobStatus.QUEUED and job.task_id == "task-1"
    stored = Path(settings.MEDIA_ROOT) / job.stored_path
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert stored.read_bytes() == request.read_bytes()
    # While it waits the page polls the progress partial, which htmx refreshes.
    html = client.get(response["Location"]).content.decode()
    progress = reverse("verification:answer_import_progress", args=[job.pk])
    assert f'hx-get="{progress}"' in html and "Menunggu giliran" in html
    partial = client.get(progress).content.decode()
    assert 'id="job-progress"' in partial and "<html" not in partial
    # The batch page links the pending job so it can be found again.
    page = client.get(reverse("verification:batch_detail", args=[batch.pk])).content.decode()
    assert reverse("verification:answer_import_detail", args=[job.pk]) in page


def test_a_file_longer_than_the_batch_is_refused_before_its_rows_are_checked(
    batch: VerificationBatch, verifikator_dukcapil: Any, tmp_path: Path, answers_import: Importer
) -> None:
    limit = answer_row_limit(QUOTA)
    assert limit == QUOTA + 50
    path = _garbage_rows(tmp_path / "jawaban.csv", 5_000)
    folder = Path(settings.MEDIA_ROOT) / services.ANSWER_FOLDER
    before = set(folder.glob("*")) if folder.exists() else set()
    with mock.patch("payung.verification.exchange._parse") as parse:
        job = answers_import(batch, path, verifikator_dukcapil)
    parse.assert_not_called()
    assert job.status == JobStatus.FAILED
    assert job.errors == [
        f"Berkas jawaban berisi lebih dari {limit} baris data (calon tahap ini {QUOTA} "
        "ditambah cadangan). Unggah berkas permintaan tahap ini yang sudah diisi."
    ]
    assert job.stored_path == ""
    assert set(folder.glob("*")) == before  # the upload is gone once processed


def test_the_page_shows_the_first_errors_and_the_whole_list_is_an_audited_download(
    client: Client,
    batch: VerificationBatch,
    verifikator_dukcapil: Any,
    operator_dinsos: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    rows = answer_row_limit(QUOTA)
    job = answers_import(batch, _garbage_rows(tmp_path / "j.csv", rows), verifikator_dukcapil)
    assert job.status == JobStatus.FAILED and job.error_count == 2 * rows
    client.force_login(verifikator_dukcapil)
    page = reverse("verification:answer_import_detail", args=[job.pk])
    html = client.get(page).content.decode()
    assert html.count("<li>Baris ") == 50
    assert f"{2 * rows} masalah ditemukan." in html
    assert "Yang ditampilkan 50 pertama" in html
    assert "SITI" not in html
    for fmt in ("csv", "xlsx"):
        url = reverse("verification:answer_import_errors", args=[job.pk, fmt])
        assert url in html
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        path = tmp_path / f"masalah.{fmt}"
        path.write_bytes(b"".join(response.streaming_content))
        table = read_text_table(path)
        assert table.headers == ["NO", "MASALAH"]
        assert [r[1] for r in table.rows] == job.errors
        assert "SITI" not in path.read_bytes().decode("utf-8", errors="ignore")
    downloads = AuditEntry.objects.filter(action="verification_answer_errors_download")
    assert downloads.count() == 2
    assert downloads.first().detail["errors"] == 2 * rows
    # The operator pendataan sees the page but does not download what the verifier fixes.
    client.force_login(operator_dinsos)
    assert client.get(page).status_code == 200
    assert client.get(url).status_code == 403
    assert downloads.count() == 2


def test_only_the_operator_pendataan_starts_a_verification_round(
    client: Client,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_dinsos: Any,
) -> None:
    url = reverse("verification:batch_create", args=[proposal.pk])
    listing = reverse("verification:batch_list", args=[proposal.programme_year_id])
    client.force_login(verifikator_dukcapil)
    assert "Buat tahap verifikasi berikutnya" not in client.get(listing).content.decode()
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.batch_create(proposal=proposal, actor=verifikator_dukcapil)
    assert not VerificationBatch.objects.exists()
    # The verifier keeps the request file and the answers.
    assert verifikator_dukcapil.has_perm("verification.export_verification")
    assert verifikator_dukcapil.has_perm("verification.record_verification")
    client.force_login(operator_dinsos)
    assert "Buat tahap verifikasi berikutnya" in client.get(listing).content.decode()
    assert client.post(url).status_code == 302
    assert VerificationBatch.objects.count() == 1


def test_a_csv_download_of_errors_has_no_full_nik(
    batch: VerificationBatch, verifikator_dukcapil: Any, tmp_path: Path, answers_import: Importer
) -> None:
    request = request_file(batch, verifikator_dukcapil, tmp_path, "csv")
    table = read_text_table(request)
    rows = [list(r) for r in table.rows]
    for row in rows:
        row[table.headers.index("HASIL")] = "SESUAI"
    rows.append(list(rows[0]))  # the same NIK twice: the message names it masked
    path = tmp_path / "dua-kali.csv"
    path.write_bytes(csv_bytes(table.headers, rows))
    job = answers_import(batch, path, verifikator_dukcapil)
    assert job.status == JobStatus.FAILED
    made = services.answer_errors_file(answer_import=job, fmt="csv", actor=verifikator_dukcapil)
    text = made.content.decode("utf-8-sig")
    assert "sudah ada di baris 2" in text
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text)
    assert next(csv.reader(io.StringIO(text), delimiter=";")) == ["NO", "MASALAH"]


def test_a_job_whose_worker_died_is_failed_with_a_reason_when_its_page_looks(
    client: Client, batch: VerificationBatch, verifikator_dukcapil: Any
) -> None:
    from payung.core.jobs import worker_identity

    host = worker_identity().split(":")[0]
    job = AnswerImport.objects.create(
        batch=batch,
        file_name="jawaban.xlsx",
        sha256="0" * 64,
        size_bytes=1,
        status=JobStatus.RUNNING,
        lease=f"{host}:999999999:dead",
        uploaded_by=verifikator_dukcapil,
    )
    client.force_login(verifikator_dukcapil)
    partial = client.get(reverse("verification:answer_import_progress", args=[job.pk]))
    assert "Proses latar belakang berhenti (pekerja mati)" in partial.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not batch.items.exclude(answer="").exists()


def test_an_upload_over_the_size_cap_is_refused_on_the_page_and_not_kept(
    client: Client,
    batch: VerificationBatch,
    verifikator_dukcapil: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "MAX_RESPONSE_BYTES", 1024)
    folder = Path(settings.MEDIA_ROOT) / services.ANSWER_FOLDER
    before = set(folder.glob("*")) if folder.exists() else set()
    client.force_login(verifikator_dukcapil)
    response = client.post(
        reverse("verification:batch_answers_upload", args=[batch.pk]),
        {"file": SimpleUploadedFile("jawaban.csv", b"NIK;HASIL\n" + b"x" * 2048)},
    )
    assert response.status_code == 200
    assert "Berkas jawaban terlalu besar (maksimal 1,0" in response.content.decode()
    assert not AnswerImport.objects.exists()
    assert set(folder.glob("*")) == before
