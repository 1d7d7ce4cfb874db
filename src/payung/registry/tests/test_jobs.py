"""Dead-worker recovery (issue 17): reaping, retry and cancel of background jobs.

A worker killed mid-import or mid-screening used to leave the job "Berjalan" for ever: the
same file was then refused as already imported and a new screening as already running.
The real kill (SIGKILL of ``payung worker``) is in ``test_kill_worker.py``; here the dead
worker is a lease naming a process that has exited, as a killed worker's lease does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from payung.audit.models import AuditEntry
from payung.core import jobs
from payung.core.models import JobStatus
from payung.programmes.models import ProgrammeYear
from payung.registry import services
from payung.registry.models import DtsenImport, Person
from payung.registry.tests.conftest import upload
from payung.screening import services as screening_services
from payung.screening.models import ScreeningRun

REASON = "Proses latar belakang berhenti (pekerja mati). Silakan ulangi."


@pytest.fixture(scope="module")
def dead_lease() -> str:
    """The lease of a worker process on this host that has exited (and been waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{socket.gethostname()[:40]}:{process.pid}:{uuid.uuid4().hex[:12]}"


def _queued_import(year: ProgrammeYear, path: Path, operator: Any) -> DtsenImport:
    """Uploaded and stored, its task not yet run (the on-commit enqueue never fires here)."""
    return services.dtsen_import_create(
        programme_year=year, uploaded_file=upload(path), uploaded_by=operator
    )


def _as_if_killed(job: Any, lease: str, *, heartbeat_age: float = 0) -> None:
    """What a worker killed mid-job leaves: RUNNING under its lease, nothing stored."""
    type(job).objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        progress=60,
        lease=lease,
        heartbeat_at=timezone.now() - timedelta(seconds=heartbeat_age),
    )
    job.refresh_from_db()


# --- reaping ---------------------------------------------------------------------------------


def test_an_import_whose_worker_died_fails_with_the_reason_and_the_file_is_accepted_again(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any, dead_lease: str
) -> None:
    stuck = _queued_import(year, synth_csv, operator_dinsos)
    _as_if_killed(stuck, dead_lease)  # heartbeat fresh: the dead process is what tells

    again = services.dtsen_import_create(
        programme_year=year, uploaded_file=upload(synth_csv), uploaded_by=operator_dinsos
    )

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error_code, stuck.error_message) == (
        JobStatus.FAILED,
        "worker.dead",
        REASON,
    )
    assert stuck.lease == ""
    assert again.status == JobStatus.QUEUED
    reap = AuditEntry.objects.get(action="dtsen_import_reap")
    assert reap.object_id == str(stuck.pk)
    assert reap.actor is None


def test_a_job_of_a_live_worker_is_never_reaped(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any
) -> None:
    job = _queued_import(year, synth_csv, operator_dinsos)
    live = f"{jobs.worker_identity()}:{uuid.uuid4().hex[:12]}"
    _as_if_killed(job, live, heartbeat_age=3600)  # a long silent load, but alive

    assert jobs.jobs_reap_dead(older_than=timedelta(seconds=60)) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_a_worker_on_another_host_is_judged_by_its_heartbeat(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any
) -> None:
    job = _queued_import(year, synth_csv, operator_dinsos)
    _as_if_killed(job, "pekerja-lain:4242:abc", heartbeat_age=30)
    assert jobs.jobs_reap_dead(older_than=timedelta(seconds=60)) == 0

    _as_if_killed(job, "pekerja-lain:4242:abc", heartbeat_age=90)
    assert jobs.jobs_reap_dead(older_than=timedelta(seconds=60)) == 1
    job.refresh_from_db()
    assert (job.status, job.error_message) == (JobStatus.FAILED, REASON)


def test_a_queued_job_whose_task_a_dead_worker_took_is_reaped(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any, dead_lease: str
) -> None:
    """Killed after taking the task from the queue, before claiming the job: the task
    record is RUNNING under the dead worker and the job would stay "Menunggu" for ever."""
    job = _queued_import(year, synth_csv, operator_dinsos)
    record = DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {"import_id": job.pk}},
        task_path="payung.registry.tasks.dtsen_import_execute",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=[dead_lease.rsplit(":", 1)[0] + ":worker"],
    )
    DtsenImport.objects.filter(pk=job.pk).update(task_id=str(record.id))

    assert jobs.jobs_reap_dead() == 1
    job.refresh_from_db()
    record.refresh_from_db()
    assert (job.status, job.error_message) == (JobStatus.FAILED, REASON)
    assert record.status == "FAILED"


def test_a_screening_whose_worker_died_no_longer_blocks_a_new_one(
    year: ProgrammeYear, import_file: Any, synth_csv: Path, operator_dinsos: Any, dead_lease: str
) -> None:
    done = import_file(year, synth_csv)
    stuck = screening_services.screening_run_start(
        programme_year=year, dtsen_import=done, started_by=operator_dinsos
    )
    _as_if_killed(stuck, dead_lease)

    fresh = screening_services.screening_run_start(
        programme_year=year, dtsen_import=done, started_by=operator_dinsos
    )

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error_message) == (JobStatus.FAILED, REASON)
    assert fresh.status == JobStatus.QUEUED


# --- retry and cancel ----------------------------------------------------------------------


def test_retry_after_a_dead_worker_imports_every_row_once(
    year: ProgrammeYear,
    synth_csv: Path,
    operator_dinsos: Any,
    dead_lease: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = _queued_import(year, synth_csv, operator_dinsos)
    _as_if_killed(job, dead_lease)
    jobs.jobs_reap_dead()

    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_retry(job=job, actor=operator_dinsos)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Person.objects.filter(dtsen_import=job).count() == job.row_count == 300
    assert job.lease == ""
    assert AuditEntry.objects.filter(action="dtsen_import_retry", actor=operator_dinsos).exists()


def test_a_worker_that_lost_its_import_stores_nothing(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any
) -> None:
    """Cancelled while a live worker loads it: the worker's rows are rolled back."""
    job = _queued_import(year, synth_csv, operator_dinsos)
    assert jobs.job_claim(job=job)
    jobs.job_cancel(job=DtsenImport.objects.get(pk=job.pk), actor=operator_dinsos)

    with pytest.raises(jobs.JobLost):
        services.dtsen_import_execute(dtsen_import=job)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_code == jobs.CANCELLED_CODE
    assert not Person.objects.filter(dtsen_import=job).exists()
    assert AuditEntry.objects.filter(action="dtsen_import_cancel").count() == 1
    assert not AuditEntry.objects.filter(action="dtsen_import_fail").exists()


def test_the_task_runs_a_queued_job_once(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any
) -> None:
    """A repeated delivery finds the job no longer queued and loads nothing twice."""
    from payung.registry.tasks import dtsen_import_execute

    job = _queued_import(year, synth_csv, operator_dinsos)
    dtsen_import_execute.call(job.pk)
    dtsen_import_execute.call(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Person.objects.filter(dtsen_import=job).count() == 300
    assert AuditEntry.objects.filter(action="dtsen_import_finish").count() == 1


def test_retry_and_cancel_are_refused_in_the_wrong_state_or_without_the_permission(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any, auditor_inspektorat: Any
) -> None:
    job = _queued_import(year, synth_csv, operator_dinsos)
    with pytest.raises(ValidationError) as refused:
        jobs.job_retry(job=job, actor=operator_dinsos)
    assert refused.value.code == "not_failed"
    with pytest.raises(PermissionDenied):
        jobs.job_cancel(job=job, actor=auditor_inspektorat)

    jobs.job_cancel(job=job, actor=operator_dinsos)
    with pytest.raises(ValidationError) as refused:
        jobs.job_cancel(job=job, actor=operator_dinsos)
    assert refused.value.code == "not_busy"
    with pytest.raises(PermissionDenied):
        jobs.job_retry(job=job, actor=auditor_inspektorat)


def test_retry_is_refused_once_the_same_file_was_imported_again(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any, dead_lease: str
) -> None:
    first = _queued_import(year, synth_csv, operator_dinsos)
    _as_if_killed(first, dead_lease)
    _queued_import(year, synth_csv, operator_dinsos)  # reaps the first, queues a second

    with pytest.raises(ValidationError) as refused:
        jobs.job_retry(job=first, actor=operator_dinsos)
    assert refused.value.code == "conflict"


# --- pages ---------------------------------------------------------------------------------


def test_the_import_page_reaps_a_dead_job_and_offers_retry(
    client: Any,
    year: ProgrammeYear,
    synth_csv: Path,
    operator_dinsos: Any,
    auditor_inspektorat: Any,
    dead_lease: str,
) -> None:
    job = _queued_import(year, synth_csv, operator_dinsos)
    _as_if_killed(job, dead_lease)
    retry = reverse("registry:import_retry", args=[job.pk])

    client.force_login(auditor_inspektorat)  # may look, may not act
    page = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    assert "pekerja mati" in page
    assert retry not in page

    client.force_login(operator_dinsos)
    page = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    assert retry in page
    response = client.post(retry)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert AuditEntry.objects.filter(action="dtsen_import_retry").count() == 1


def test_retry_and_cancel_pages_need_post_and_the_permission(
    client: Any,
    year: ProgrammeYear,
    synth_csv: Path,
    operator_dinsos: Any,
    auditor_inspektorat: Any,
) -> None:
    job = _queued_import(year, synth_csv, operator_dinsos)
    cancel = reverse("registry:import_cancel", args=[job.pk])
    client.force_login(auditor_inspektorat)
    assert client.post(cancel).status_code == 403
    client.force_login(operator_dinsos)
    assert client.get(cancel).status_code == 405
    assert client.post(cancel).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_screening_can_be_cancelled_and_retried_from_its_page(
    client: Any,
    year: ProgrammeYear,
    import_file: Any,
    synth_csv: Path,
    operator_dinsos: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    done = import_file(year, synth_csv)
    run = screening_services.screening_run_start(
        programme_year=year, dtsen_import=done, started_by=operator_dinsos
    )
    client.force_login(operator_dinsos)
    page = client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()
    assert reverse("screening:run_cancel", args=[run.pk]) in page

    client.post(reverse("screening:run_cancel", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("screening:run_retry", args=[run.pk]))

    run = ScreeningRun.objects.get(pk=run.pk)
    assert run.status == JobStatus.DONE
    assert run.decisions.count() == 300
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="screening_run_")] == [
        "screening_run_start",
        "screening_run_cancel",
        "screening_run_retry",
        "screening_run_finish",
    ]


def test_worker_identity_names_this_process() -> None:
    assert jobs.worker_identity().endswith(f":{os.getpid()}")
    assert jobs.worker_alive(jobs.worker_identity()) is True
    assert jobs.worker_alive("pekerja-lain:1:x") is None
