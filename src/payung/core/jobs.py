"""Background jobs that survive their worker: claim with a lease, heartbeat, reap, retry, cancel.

Imports, screenings and documents run in ``payung worker`` (django-tasks' ``db_worker``). A
worker killed mid-job (SIGKILL, out of memory, a reboot) writes nothing more: its
``DBTaskResult`` stays ``RUNNING`` and so would our job, for ever, refusing the same file
as "already imported" and a new screening as "already running". So every job is claimed
with a *lease* naming the worker process (``host:pid:token``) and keeps a *heartbeat*.
``jobs_reap_dead`` marks a running job failed when its worker is gone: at once when the
worker ran on this machine and its process no longer exists, otherwise when the heartbeat
is older than ``older_than``. The operator then retries or cancels it (``job_retry``,
``job_cancel``), both audited.

A job's rows are written in one transaction with its "done" (``web.bulk``), so a killed
job leaves no partial rows; the store step calls ``job_lease_hold`` under that transaction
so a worker that lost its job (cancelled, or reaped and retried elsewhere) cannot store a
second copy of the rows.

Nothing here holds personal data: audit entries and logs carry ids, codes and counts.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Final

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from payung.core.models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)

#: Shown on a job whose worker died (translated at the edge; stored in Indonesian).
DEAD_WORKER_REASON: Final = gettext_noop(
    "Proses latar belakang berhenti (pekerja mati). Silakan ulangi."
)
#: ``error_code`` of an import failed this way or cancelled (other jobs have no code field).
DEAD_WORKER_CODE: Final = "worker.dead"
CANCELLED_CODE: Final = "job.cancelled"

BUSY: Final = (JobStatus.QUEUED, JobStatus.RUNNING)


def _audit(**entry: Any) -> None:
    """Write an audit entry through the recorder the settings name.

    The audit trail is an app and ``core`` imports none, so the recorder is configured
    (``PAYUNG_AUDIT_RECORDER``, like Django's pluggable backends) instead of imported.
    """
    import_string(settings.PAYUNG_AUDIT_RECORDER)(**entry)


class JobLost(Exception):
    """This worker no longer owns the job: it was cancelled, or reaped and retried.

    Raised by ``job_lease_hold`` inside the store transaction, so the rows are rolled back;
    the task swallows it, since whoever took the job over has already said what happened.
    """


# --- identity and liveness -------------------------------------------------------------------


def worker_identity() -> str:
    """``host:pid`` of this process: what a lease and a db_worker's worker id start with."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    """True unless the process is gone or a zombie (killed, not yet waited for)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def worker_alive(identity: str) -> bool | None:
    """Whether the worker named ``host:pid[:...]`` lives; None when only its host can tell."""
    parts = identity.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    if parts[0] != socket.gethostname()[:40]:
        return None
    return _pid_alive(int(parts[1]))


def job_models() -> list[type[BackgroundJob]]:
    """Every concrete model that is a background job (imports, screenings, documents, ...).

    Found through the app registry so this module imports no later stage.
    """
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob) and not m._meta.abstract]


def heartbeat_seconds() -> float:
    return float(getattr(settings, "PAYUNG_JOB_HEARTBEAT_SECONDS", 10))


def stale_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "PAYUNG_JOB_STALE_SECONDS", 120)))


# --- the worker's side -------------------------------------------------------------------------


def job_claim(*, job: BackgroundJob) -> bool:
    """Take a queued job for this process: QUEUED → RUNNING with a fresh lease, atomically.

    False when the job is no longer queued (done, failed, cancelled, or a repeated delivery
    of a task another worker has taken), so it never runs twice at once.
    """
    lease = f"{worker_identity()}:{uuid.uuid4().hex[:12]}"
    now = timezone.now()
    claimed = (
        type(job)
        .objects.filter(pk=job.pk, status=JobStatus.QUEUED)
        .update(status=JobStatus.RUNNING, lease=lease, heartbeat_at=now)
    )
    if claimed:
        job.status, job.lease, job.heartbeat_at = JobStatus.RUNNING, lease, now
    return bool(claimed)


def _mine(job: BackgroundJob) -> Any:
    """The job's row, if this attempt still owns it; by pk alone for an unleased direct call.

    Services are also called directly (tests, re-running a finished screening): such a call
    has no lease and keeps the old behaviour of writing by primary key.
    """
    rows = type(job).objects.filter(pk=job.pk)
    if job.lease:
        rows = rows.filter(status=JobStatus.RUNNING, lease=job.lease)
    return rows


def job_update(*, job: BackgroundJob, **fields: Any) -> bool:
    """Write progress (or any field) on a job this attempt owns, refreshing its heartbeat.

    Returns False, writing nothing, when the job was taken away (cancelled or reaped).
    """
    return bool(_mine(job).update(heartbeat_at=timezone.now(), **fields))


def job_write(*, job: BackgroundJob, **fields: Any) -> None:
    """``job_update`` for a worker that must stop when the job is no longer its own: the
    fields (progress and status at once, so the polling page sees them) are written and set
    on ``job``, or nothing is written and ``JobLost`` is raised (cancelled, or reaped after
    a pause)."""
    if not job_update(job=job, **fields):
        raise JobLost
    for key, value in fields.items():
        setattr(job, key, value)


def upload_job_refuse(
    *,
    job: BackgroundJob,
    errors: list[str],
    message: str,
    action: str,
    detail: dict[str, Any] | None = None,
    **fields: Any,
) -> None:
    """Fail an uploaded file's job because the file was refused whole: one bad row refuses
    every row, so nothing of it is applied. Every row problem is kept for the page and its
    download; the audit entry holds the file's SHA-256 and the count, never a row's content.

    For the upload jobs (``uploaded_by``, ``sha256``, ``errors``, ``error_count``,
    ``stored_path``); ``fields`` are any further columns to set at once (a stage).
    """
    with transaction.atomic():
        job_write(
            job=job,
            status=JobStatus.FAILED,
            error_code="refused",
            error_message=message,
            errors=errors,
            error_count=len(errors),
            stored_path="",
            finished_at=timezone.now(),
            **fields,
        )
        _audit(
            actor=job.uploaded_by,
            action=action,
            target=job,
            detail={**(detail or {}), "sha256": job.sha256, "errors": len(errors)},
        )


def upload_job_fail_system(*, job: BackgroundJob, message: str, **fields: Any) -> None:
    """Fail an uploaded file's job on an unexpected error: the stored copy is forgotten and
    the page says nothing was applied; the cause goes to the log as its type alone (the
    message could hold a cell of the file)."""
    job_write(
        job=job,
        status=JobStatus.FAILED,
        error_code="system",
        error_message=message,
        stored_path="",
        finished_at=timezone.now(),
        **fields,
    )


def job_lease_hold(*, job: BackgroundJob) -> None:
    """Inside the store transaction: lock the job row and raise ``JobLost`` if not ours.

    Called before the bulk load, so a worker that lost its job rolls its rows back instead
    of adding a second copy beside the retry's.
    """
    if job.lease and not _mine(job).select_for_update().exists():
        raise JobLost


class _Heartbeat(threading.Thread):
    """Refreshes ``heartbeat_at`` every ``interval`` seconds on its own connection.

    A write it cannot make (SQLite busy while the job's own transaction loads rows) is
    skipped: on this host the lease's process check, not the heartbeat, tells death.
    """

    def __init__(self, job: BackgroundJob, interval: float) -> None:
        super().__init__(name=f"heartbeat-{job._meta.label_lower}-{job.pk}", daemon=True)
        self.model, self.pk, self.lease = type(job), job.pk, job.lease
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    alive = self.model.objects.filter(
                        pk=self.pk, status=JobStatus.RUNNING, lease=self.lease
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError as exc:
                    logger.warning("heartbeat of %s skipped: %s", self.name, type(exc).__name__)
                    continue
                if not alive:
                    return
        finally:
            connection.close()


def _heartbeat_thread_wanted() -> bool:
    """Only in a real worker: with the immediate backend the job runs inside a request or a
    test transaction, where a second connection would wait on the job's own row lock."""
    if heartbeat_seconds() <= 0:
        return False
    from django_tasks import default_task_backend
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(default_task_backend, DatabaseBackend)


@contextmanager
def job_heartbeat(*, job: BackgroundJob) -> Iterator[bool]:
    """Claim ``job`` and keep its heartbeat while the block runs; yields whether claimed.

    Every task uses it: ``with job_heartbeat(job=run) as mine: if mine: execute(...)``.
    ``JobLost`` raised in the block is swallowed: the job was cancelled or reaped, and
    whoever did that recorded why.
    """
    if not job_claim(job=job):
        yield False
        return
    beat = _Heartbeat(job, heartbeat_seconds()) if _heartbeat_thread_wanted() else None
    if beat is not None:
        beat.start()
    try:
        yield True
    except JobLost:
        logger.info("%s %s was taken from this worker", job._meta.label_lower, job.pk)
    finally:
        if beat is not None:
            beat.stopped.set()
            beat.join(timeout=30)
        # The lease only guards a running attempt; a finished job is again written by pk
        # (re-running a done screening directly replaces its decisions).
        type(job).objects.filter(pk=job.pk, lease=job.lease).exclude(
            status=JobStatus.RUNNING
        ).update(lease="")
        job.lease = ""


# --- the reaper ------------------------------------------------------------------------------


def _dead(job: BackgroundJob, *, cutoff: Any) -> bool:
    """A running job's worker is gone: its process is dead here, or its heartbeat stale."""
    if job.lease:
        alive = worker_alive(job.lease)
        if alive is not None:
            return not alive
    if job.heartbeat_at is None:  # never beaten (made running by hand, or before 0004)
        return False
    return job.heartbeat_at < cutoff


def _task_results() -> Any:
    """django-tasks-db's result model (always installed with Payung's settings)."""
    return apps.get_model("django_tasks_database", "DBTaskResult")


def _uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _task_result_fail(task_id: str) -> None:
    """The worker's own record of the task: RUNNING → FAILED, so it stops looking busy."""
    if not task_id or not _uuid(task_id):
        return
    _task_results().objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="payung.core.jobs.WorkerDied",
        traceback="",
    )


def _mark_dead(job: BackgroundJob, *, now: Any, expected_status: str) -> bool:
    """FAILED with the dead-worker reason, if still as it was judged; audited in the same go."""
    model = type(job)
    fields: dict[str, Any] = {
        "status": JobStatus.FAILED,
        "error_message": _(DEAD_WORKER_REASON),
        "finished_at": now,
        "lease": "",
    }
    if any(f.name == "error_code" for f in model._meta.fields):
        fields["error_code"] = DEAD_WORKER_CODE
    with transaction.atomic():
        changed = model.objects.filter(pk=job.pk, status=expected_status, lease=job.lease).update(
            **fields
        )
        if not changed:
            return False
        _audit(
            actor=None,
            action=f"{model.job_audit_name}_reap",
            target=job,
            detail={"lease": job.lease, "status_was": expected_status},
        )
    _task_result_fail(job.task_id)
    return True


def _queued_but_taken(job: BackgroundJob, *, cutoff: Any) -> bool:
    """A queued job whose task a worker took and then died before claiming the job.

    The task record says RUNNING under a dead worker, or has ended, while the job never
    left QUEUED: nobody will ever run it.
    """
    if not job.task_id or not _uuid(job.task_id):
        return False
    record = _task_results().objects.filter(id=job.task_id).first()
    if record is None or record.status == "READY":
        return False
    if record.status == "RUNNING":
        workers = record.worker_ids or []
        alive = worker_alive(workers[-1]) if workers else None
        if alive is None:
            return record.started_at is not None and record.started_at < cutoff
        return not alive
    # Ended without the job ever claimed; give a slow commit a moment before judging.
    grace = timezone.now() - timedelta(seconds=5)
    return record.finished_at is not None and record.finished_at < grace


def jobs_reap_dead(*, older_than: timedelta | None = None) -> int:
    """Mark as FAILED every busy job whose worker died; return how many were reaped.

    Runs when a worker starts, every few seconds in a running worker, and when a page or a
    service looks at a busy job. Safe anywhere at any time: a job is changed only if it is
    still in the state it was judged in, so one that finishes meanwhile is kept.
    """
    older_than = stale_after() if older_than is None else older_than
    now = timezone.now()
    cutoff = now - older_than
    reaped = 0
    fields = ("pk", "lease", "heartbeat_at", "task_id", "status")
    for model in job_models():
        for job in model.objects.filter(status=JobStatus.RUNNING).only(*fields):
            if _dead(job, cutoff=cutoff) and _mark_dead(
                job, now=now, expected_status=JobStatus.RUNNING
            ):
                reaped += 1
        queued = model.objects.filter(status=JobStatus.QUEUED).exclude(task_id="")
        for job in queued.only(*fields):
            if _queued_but_taken(job, cutoff=cutoff) and _mark_dead(
                job, now=now, expected_status=JobStatus.QUEUED
            ):
                reaped += 1
    _orphan_task_results_fail()
    if reaped:
        logger.warning("reaped %s background job(s) whose worker died", reaped)
    return reaped


def _orphan_task_results_fail() -> None:
    """Task records still RUNNING under a worker process of this host that is gone."""
    for record in _task_results().objects.filter(status="RUNNING").only("id", "worker_ids"):
        workers = record.worker_ids or []
        if workers and worker_alive(workers[-1]) is False:
            _task_result_fail(str(record.id))


def job_reap_if_dead(*, job: BackgroundJob) -> BackgroundJob:
    """For a page showing one busy job: reap it if its worker died, and return it fresh."""
    if job.status in BUSY:
        now = timezone.now()
        cutoff = now - stale_after()
        dead = (
            _dead(job, cutoff=cutoff)
            if job.status == JobStatus.RUNNING
            else _queued_but_taken(job, cutoff=cutoff)
        )
        if dead and _mark_dead(job, now=now, expected_status=job.status):
            job.refresh_from_db()
    return job


# --- the operator's side -----------------------------------------------------------------------


def _check_permission(job: BackgroundJob, actor: Any) -> None:
    if not actor.has_perm(type(job).job_permission):
        raise PermissionDenied


def job_enqueue(*, job: BackgroundJob) -> None:
    """Hand the job to its task once the caller's transaction commits; keep the task id."""
    model, pk = type(job), job.pk

    def enqueue() -> None:
        task = import_string(model.job_task)
        result = task.enqueue(**{model.job_task_kwarg: pk})
        # update(), not save(): an immediate backend has already run the task.
        model.objects.filter(pk=pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


@transaction.atomic
def job_retry(*, job: BackgroundJob, actor: Any) -> BackgroundJob:
    """Queue a failed job again (after a dead worker, a cancel, or an error fixed since).

    Whatever an earlier attempt left is removed first (``job_reset``). Refused, in
    Indonesian, when the job has not failed or another job now does its work.
    """
    _check_permission(job, actor)
    model = type(job)
    locked = model.objects.select_for_update().get(pk=job.pk)
    if locked.status != JobStatus.FAILED:
        raise ValidationError(
            _("Hanya pekerjaan yang gagal yang dapat diulang (status: %(status)s).")
            % {"status": locked.get_status_display()},
            code="not_failed",
        )
    conflict = locked.job_retry_conflict()
    if conflict:
        raise ValidationError(conflict, code="conflict")
    locked.job_reset()
    locked.status = JobStatus.QUEUED
    if hasattr(locked, "progress"):
        locked.progress = 0
    if hasattr(locked, "error_code"):
        locked.error_code = ""
    locked.error_message = ""
    locked.finished_at = None
    locked.lease = ""
    locked.heartbeat_at = None
    locked.task_id = ""
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:  # the same file queued again meanwhile (the imports' constraint)
        raise ValidationError(
            _("Pekerjaan yang sama sedang diproses; tunggu sampai selesai."), code="conflict"
        ) from None
    _audit(
        actor=actor,
        action=f"{model.job_audit_name}_retry",
        target=locked,
        detail={"id": locked.pk},
    )
    job_enqueue(job=locked)
    return locked


@transaction.atomic
def job_cancel(*, job: BackgroundJob, actor: Any) -> BackgroundJob:
    """Stop waiting for a queued or running job: it becomes FAILED, "dibatalkan".

    A live worker still busy with it finds out at its next write (``job_update``) or at the
    store (``job_lease_hold``) and stores nothing; the operator may retry it later.
    """
    _check_permission(job, actor)
    model = type(job)
    locked = model.objects.select_for_update().get(pk=job.pk)
    if locked.status not in BUSY:
        raise ValidationError(
            _("Pekerjaan ini sudah berhenti (status: %(status)s); tidak ada yang dibatalkan.")
            % {"status": locked.get_status_display()},
            code="not_busy",
        )
    was = locked.status
    fields: dict[str, Any] = {
        "status": JobStatus.FAILED,
        "error_message": _("Dibatalkan oleh pengguna. Silakan ulangi bila masih diperlukan."),
        "finished_at": timezone.now(),
        "lease": "",
    }
    if hasattr(locked, "error_code"):
        fields["error_code"] = CANCELLED_CODE
    model.objects.filter(pk=locked.pk).update(**fields)
    _audit(
        actor=actor,
        action=f"{model.job_audit_name}_cancel",
        target=locked,
        detail={"id": locked.pk, "status_was": was},
    )
    _task_result_fail(locked.task_id)
    locked.refresh_from_db()
    return locked
