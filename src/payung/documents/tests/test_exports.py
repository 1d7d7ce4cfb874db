"""Background exports (issue 9): past the threshold an export becomes a job with a progress
page, its file downloads once built (audited like the immediate export), only its owner may
take it, and the task is handed the job's id only (a searched name stays on the row)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.audit.tests.factories import entries_create
from payung.core.export_kinds import export_in_background
from payung.core.models import JobStatus
from payung.documents.models import ExportJob

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _sheet(content: bytes, name: str) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python()


@pytest.fixture
def auditor_client(client: Client, auditor_inspektorat) -> Client:
    client.force_login(auditor_inspektorat)
    return client


@pytest.fixture
def low_threshold(settings) -> None:
    settings.PAYUNG_EXPORT_BACKGROUND_ROWS = 10


def test_the_threshold_decides_which_exports_go_to_the_background(settings) -> None:
    settings.PAYUNG_EXPORT_BACKGROUND_ROWS = 5000
    assert not export_in_background(rows=5000)
    assert export_in_background(rows=5001)


def test_a_big_audit_export_runs_as_a_job_with_a_progress_page_and_an_audited_download(
    auditor_client: Client,
    low_threshold: None,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from payung.documents import tasks

    entries_create(at=datetime(2026, 3, 2, 9, tzinfo=WIB), count=30, actions=["user_login"])
    sent: list[dict[str, object]] = []
    real = tasks.export_generate

    class Spy:  # what the queue is handed, then the real task
        @staticmethod
        def enqueue(**kwargs: object) -> object:
            sent.append(kwargs)
            return real.enqueue(**kwargs)

    monkeypatch.setattr(tasks, "export_generate", Spy)
    total = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = auditor_client.get(reverse("audit:entry_export"), {"action": "user_login"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:export_detail", args=[job.pk])
    assert sent == [{"export_id": job.pk}]
    assert job.params == {"action": "user_login"}
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.row_count == total
    assert not AuditEntry.objects.filter(action="audit_export").exists()  # not taken yet

    page = auditor_client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Selesai." in html
    assert reverse("documents:export_download", args=[job.pk]) in html

    download = auditor_client.get(reverse("documents:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    rows = _sheet(b"".join(download.streaming_content), "JEJAK AUDIT")
    assert len(rows) == 1 + total
    assert {r[6] for r in rows[1:]} == {"user_login"}
    assert "PETUNJUK: JEJAK AUDIT PAYUNG" in str(
        _sheet(
            open(job.stored_path, "rb").read(),  # noqa: SIM115
            "PETUNJUK",
        )[0]
    )
    taken = AuditEntry.objects.get(action="audit_export")
    assert taken.actor.username == "auditor_inspektorat"
    assert taken.detail == {"filters": {"action": "user_login"}, "rows": total}


def test_a_small_audit_export_is_still_immediate(auditor_client: Client) -> None:
    response = auditor_client.get(reverse("audit:entry_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_the_progress_partial_shows_a_bar_while_the_job_waits(
    auditor_client: Client, auditor_inspektorat
) -> None:
    job = ExportJob.objects.create(
        kind="audit_entries", rows_expected=60000, created_by=auditor_inspektorat
    )
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=42)

    page = auditor_client.get(reverse("documents:export_detail", args=[job.pk]))
    partial = auditor_client.get(reverse("documents:export_progress", args=[job.pk]))

    assert "60.000 baris" in page.content.decode()
    assert '<progress value="42" max="100">' in partial.content.decode()
    assert "export-download" not in page.content.decode()
    refused = auditor_client.get(reverse("documents:export_download", args=[job.pk]))
    assert refused.status_code == 302
    assert not AuditEntry.objects.filter(action="audit_export").exists()


def test_another_user_may_not_see_or_take_someone_elses_export(
    client: Client, auditor_inspektorat, operator_dinsos
) -> None:
    from payung.accounts.services import agency_get_or_create, user_create

    job = ExportJob.objects.create(
        kind="audit_entries", status=JobStatus.DONE, created_by=auditor_inspektorat
    )
    other = user_create(
        username="auditor_2",
        password="rahasia-uji-123",
        role="auditor",
        agency=agency_get_or_create(kind="inspektorat", name="Inspektorat"),
    )
    client.force_login(other)
    assert client.get(reverse("documents:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("documents:export_download", args=[job.pk])).status_code == 404
    client.force_login(operator_dinsos)  # no right to the audit trail at all
    assert client.get(reverse("documents:export_detail", args=[job.pk])).status_code == 403
