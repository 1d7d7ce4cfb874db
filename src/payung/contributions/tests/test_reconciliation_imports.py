"""BPJS's invoice is compared in the background (Pasal 9 ayat (1); issue 11): the request only
stores and queues, the task gets an id, the page polls, a refused file keeps its row
messages, the stored file goes once processed, and a stopped job can be retried.

What a treasurer relies on: an annual invoice never times out a page; whatever happens to
the worker, the page says so and offers the next step; nothing of a refused or failed file
is half stored.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import stat
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.contributions import reconciliation_imports as imports
from payung.contributions.models import Reconciliation, ReconciliationImport
from payung.contributions.tests import factories as f
from payung.core import jobs
from payung.core.models import JobStatus
from payung.engine import read_text_table

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 1)
HEADERS = ["KPJ", "NIK", "NAMA", "BULAN", "IURAN_JKK", "IURAN_JKM"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """A folder of stored uploads of this test alone, so "nothing left" is this test's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(bendahara_disnaker: Any) -> dict[str, Any]:
    """Two participants billed for January."""
    year, proposal = f.contribution_year()
    people = f.participants_add(proposal=proposal, periods=[(JAN, None)] * 2)
    f.bill_made(
        programme_year=year, issued_by=bendahara_disnaker, lines=f.monthly_lines(people, [JAN])
    )
    return {"year": year, "people": people}


def _invoice(tmp_path: Path, w: dict[str, Any], *, bad: bool = False) -> Path:
    a, b = w["people"]
    rows = [
        [a.kpj, a.nik, "Warga A", "2026-01", "10000", "6800"],  # cocok
        [b.kpj, b.nik, "Warga B", "2026-01", "12000", "6800"],  # selisih
    ]
    if bad:
        rows.append([a.kpj, a.nik, "Warga A", "Januari", "10000", "6800"])
        rows.append([f"{b.kpj}x", b.nik, "Warga B", "2026-01", "10000", "6800"])
    return f.table_file(tmp_path / "tagihan-bpjs.csv", HEADERS, rows)


def _post(client: Client, w: dict[str, Any], path: Path, **extra: str) -> Any:
    with path.open("rb") as handle:
        return client.post(
            reverse("contributions:reconciliation_create", args=[w["year"].pk]),
            {"first_month": "2026-01", "last_month": "2026-01", "file": handle, **extra},
        )


def _stored(job: ReconciliationImport) -> Path:
    return Path(settings.MEDIA_ROOT) / job.stored_path


def test_the_upload_only_stores_and_queues_the_job_by_its_id(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(bendahara_disnaker)
    path = _invoice(tmp_path, world)
    with (
        mock.patch("payung.contributions.tasks.reconciliation_import_execute") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        task.enqueue.return_value.id = "task-1"
        response = _post(client, world, path)
    job = ReconciliationImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "contributions:reconciliation_import_detail", args=[job.pk]
    )
    # The task carries the job's id and nothing of the file.
    task.enqueue.assert_called_once_with(reconciliation_import_id=job.pk)
    assert job.status == JobStatus.QUEUED and job.task_id == "task-1"
    assert not Reconciliation.objects.exists()  # nothing compared inside the request
    stored = _stored(job)
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert stored.read_bytes() == path.read_bytes()
    assert job.file_name == "tagihan-bpjs.csv" and job.size_bytes == len(path.read_bytes())
    upload = AuditEntry.objects.get(action="reconciliation_import_upload")
    assert upload.detail["sha256"] == job.sha256
    assert not any(
        p.kpj in str(upload.detail) or p.nik in str(upload.detail) for p in world["people"]
    )

    # While it waits the page polls the progress partial, which htmx refreshes.
    html = client.get(response["Location"]).content.decode()
    progress = reverse("contributions:reconciliation_import_progress", args=[job.pk])
    assert f'hx-get="{progress}"' in html and "Menunggu giliran" in html
    assert reverse("contributions:reconciliation_import_cancel", args=[job.pk]) in html
    partial = client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="job-progress"' in partial and "<html" not in partial
    assert "Menunggu giliran" in partial
    # The year's page lists the upload still without a reconciliation, so it is found again.
    listing = client.get(reverse("contributions:reconciliation_list", args=[world["year"].pk]))
    assert response["Location"] in listing.content.decode()


def test_the_worker_compares_the_invoice_and_the_page_leads_to_the_reconciliation(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    auditor_inspektorat: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(bendahara_disnaker)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate task queue runs it
        response = _post(client, world, _invoice(tmp_path, world))
    job = ReconciliationImport.objects.get()
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.stored_path == "" and job.finished_at is not None
    folder = Path(settings.MEDIA_ROOT) / imports.INVOICE_FOLDER
    assert list(folder.glob("*")) == []  # the upload is gone once processed
    rec = job.reconciliation
    assert rec is not None and rec.sha256 == job.sha256
    assert rec.summary["cocok"]["count"] == 1 and rec.summary["selisih"]["count"] == 1
    assert rec.created_by == bendahara_disnaker

    detail = reverse("contributions:reconciliation_detail", args=[rec.pk])
    assert client.get(response["Location"])["Location"] == detail
    # The polling partial sends the browser to the reconciliation once it is done.
    progress = reverse("contributions:reconciliation_import_progress", args=[job.pk])
    polled = client.get(progress, HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == detail
    # The auditor reads it too; the year's page no longer lists it as unfinished.
    client.force_login(auditor_inspektorat)
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Selisih jumlah" in page and "Rp18.800" in page
    listing = client.get(reverse("contributions:reconciliation_list", args=[world["year"].pk]))
    assert response["Location"] not in listing.content.decode()


def test_a_refused_file_keeps_its_row_messages_and_nothing_of_it(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(bendahara_disnaker)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, world, _invoice(tmp_path, world, bad=True))
    job = ReconciliationImport.objects.get()
    assert job.status == JobStatus.FAILED and job.error_code == "refused"
    assert job.errors == [
        "Baris 4, kolom BULAN: bulan harus ditulis TTTT-BB, misalnya 2026-01.",
        "Baris 5, kolom KPJ: nomor KPJ harus angka (paling panjang 20).",
    ]
    assert job.error_count == 2 and job.stored_path == ""
    assert not Reconciliation.objects.exists()
    assert list((Path(settings.MEDIA_ROOT) / imports.INVOICE_FOLDER).glob("*")) == []
    assert AuditEntry.objects.get(action="reconciliation_import_refused").detail["errors"] == 2

    page = client.get(response["Location"]).content.decode()
    assert "ditolak seluruhnya" in page and "2 masalah ditemukan" in page
    assert "Baris 5, kolom KPJ: nomor KPJ harus angka" in page
    assert "hx-get" not in page  # nothing more to wait for
    for person in world["people"]:
        assert person.kpj not in page and person.nik not in page  # never a cell's value

    # Its file is gone: retrying needs it uploaded again, and says so.
    retry = reverse("contributions:reconciliation_import_retry", args=[job.pk])
    answer = client.post(retry, follow=True).content.decode()
    assert "unggah ulang berkasnya" in answer
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_cancelled_job_keeps_its_file_and_runs_again_on_retry(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    auditor_inspektorat: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = imports.reconciliation_import_create(
        programme_year=world["year"],
        first_month=JAN,
        last_month=JAN,
        uploaded=SimpleUploadedFile("tagihan.csv", _invoice(tmp_path, world).read_bytes()),
        actor=bendahara_disnaker,
    )  # queued; the test's transaction never commits, so no worker has taken it
    cancel = reverse("contributions:reconciliation_import_cancel", args=[job.pk])
    retry = reverse("contributions:reconciliation_import_retry", args=[job.pk])
    client.force_login(auditor_inspektorat)
    assert client.post(cancel).status_code == 403  # the auditor reads, never acts
    client.force_login(bendahara_disnaker)
    page = client.post(cancel, follow=True).content.decode()
    assert "Perbandingan dibatalkan" in page and "Dibatalkan oleh pengguna" in page
    assert retry in page  # a failed job offers "Ulangi"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and _stored(job).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.reconciliation is not None
    assert not _stored(job).is_file() and job.stored_path == ""
    assert response["Location"] == reverse(
        "contributions:reconciliation_import_detail", args=[job.pk]
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"reconciliation_import_cancel", "reconciliation_import_retry"} <= actions


def test_a_job_whose_worker_died_is_failed_by_the_page_and_offers_a_retry(
    world: dict[str, Any], tmp_path: Path, bendahara_disnaker: Any, client: Client
) -> None:
    job = imports.reconciliation_import_create(
        programme_year=world["year"],
        first_month=JAN,
        last_month=JAN,
        uploaded=SimpleUploadedFile("tagihan.csv", _invoice(tmp_path, world).read_bytes()),
        actor=bendahara_disnaker,
    )
    dead = f"{socket.gethostname()[:40]}:{2**22 + 7}:abc"  # above pid_max: never alive
    ReconciliationImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, lease=dead)
    client.force_login(bendahara_disnaker)
    progress = reverse("contributions:reconciliation_import_progress", args=[job.pk])
    partial = client.get(progress).content.decode()
    assert "pekerja mati" in partial
    assert reverse("contributions:reconciliation_import_retry", args=[job.pk]) in partial
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error_code == jobs.DEAD_WORKER_CODE


def test_a_system_error_fails_the_job_without_storing_or_logging_the_file(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    a = world["people"][0]
    with (
        mock.patch(
            "payung.contributions.reconciliation.reconcile_compute",
            side_effect=RuntimeError(f"cannot parse {a.kpj}"),
        ),
        caplog.at_level(logging.ERROR),
    ):
        job = f.invoice_compared(
            programme_year=world["year"],
            first_month=JAN,
            last_month=JAN,
            path=_invoice(tmp_path, world),
            actor=bendahara_disnaker,
        )
    assert job.status == JobStatus.FAILED and job.error_code == "system"
    assert "kesalahan sistem" in job.error_message
    assert not Reconciliation.objects.exists() and job.stored_path == ""
    assert "RuntimeError" in caplog.text and a.kpj not in caplog.text


def test_an_oversized_file_or_a_reversed_period_is_refused_before_anything_is_kept(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    auditor_inspektorat: Any,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _invoice(tmp_path, world)
    with pytest.raises(PermissionDenied):
        imports.reconciliation_import_create(
            programme_year=world["year"],
            first_month=JAN,
            last_month=JAN,
            uploaded=SimpleUploadedFile("t.csv", path.read_bytes()),
            actor=auditor_inspektorat,
        )
    with pytest.raises(ValidationError, match="Bulan terakhir tidak boleh sebelum"):
        imports.reconciliation_import_create(
            programme_year=world["year"],
            first_month=date(2026, 2, 1),
            last_month=JAN,
            uploaded=SimpleUploadedFile("t.csv", path.read_bytes()),
            actor=bendahara_disnaker,
        )
    monkeypatch.setattr(imports, "MAX_INVOICE_BYTES", 64)
    client.force_login(bendahara_disnaker)
    response = _post(client, world, path)
    assert response.status_code == 400
    assert "Berkas tagihan terlalu besar (maksimal 64" in response.content.decode()
    assert not ReconciliationImport.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / imports.INVOICE_FOLDER
    assert list(folder.glob("*")) == []


def test_the_page_shows_the_first_problems_and_the_whole_list_is_an_audited_download(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    auditor_inspektorat: Any,
    client: Client,
) -> None:
    a = world["people"][0]
    rows = [[a.kpj, a.nik, "Warga A", "=1+1", "10000", "6800"] for _ in range(60)]
    path = f.table_file(tmp_path / "tagihan.xlsx", HEADERS, rows)
    job = f.invoice_compared(
        programme_year=world["year"],
        first_month=JAN,
        last_month=JAN,
        path=path,
        actor=bendahara_disnaker,
    )
    assert job.error_count == 60 and len(job.errors) == 60
    client.force_login(bendahara_disnaker)
    page = client.get(
        reverse("contributions:reconciliation_import_detail", args=[job.pk])
    ).content.decode()
    assert "60 masalah ditemukan" in page and "Yang ditampilkan 50 pertama" in page
    assert "Baris 51, kolom BULAN" in page and "Baris 52, kolom BULAN" not in page
    xlsx = reverse("contributions:reconciliation_import_errors", args=[job.pk, "xlsx"])
    csv_url = reverse("contributions:reconciliation_import_errors", args=[job.pk, "csv"])
    assert xlsx in page and csv_url in page

    response = client.get(csv_url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == "NO;MASALAH" and len(lines) == 61
    assert lines[60].startswith("60;Baris 61, kolom BULAN: bulan harus ditulis")
    assert a.kpj not in text and a.nik not in text and "=1+1" not in text

    content = b"".join(client.get(xlsx).streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        workbook = book.read("xl/workbook.xml").decode()
    assert workbook.index('name="MASALAH"') < workbook.index('name="PETUNJUK"')
    saved = tmp_path / "masalah.xlsx"
    saved.write_bytes(content)
    table = read_text_table(saved)
    assert table.headers == ["NO", "MASALAH"] and len(table.rows) == 60
    assert (
        table.rows[0][1] == "Baris 2, kolom BULAN: bulan harus ditulis TTTT-BB, misalnya 2026-01."
    )
    entries = AuditEntry.objects.filter(action="reconciliation_import_errors_download")
    assert [e.detail for e in entries.order_by("pk")] == [
        {"errors": 60, "format": "csv"},
        {"errors": 60, "format": "xlsx"},
    ]
    client.force_login(auditor_inspektorat)
    assert client.get(csv_url).status_code == 403  # the bendahara fixes the file, not the auditor
