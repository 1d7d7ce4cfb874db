"""Writes of background exports (``core.export_kinds``): ask for one, build it, hand it out.

Exports of tens of thousands of rows held a request for 10 to 18 seconds with nothing shown
(issue 9). Past ``PAYUNG_EXPORT_BACKGROUND_ROWS`` the list page's export link queues an
:class:`ExportJob` instead; the worker runs the kind's writer into a private file beside the
generated documents (0600, ``documents.storage``), reporting its progress, and the user who
asked downloads it from the job's page. Taking the file out is what the audit trail records
(design §6), with the same action and detail as the immediate export, so an auditor reads
one kind of entry whichever way the file was made.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.export_kinds import export_kind_get, export_write
from payung.core.jobs import JobLost, job_enqueue, job_update
from payung.core.models import JobStatus
from payung.documents.models import ExportJob
from payung.documents.services import documents_dir, job_file_keep
from payung.documents.storage import private_dir_ensure

logger = logging.getLogger(__name__)


def exports_dir() -> Path:
    """The folder of built exports (personal data inside), private like the documents'."""
    return private_dir_ensure(path=documents_dir() / "ekspor")


def export_may_take(*, job: ExportJob, actor: Any) -> bool:
    """Only the user who asked, and only while they still hold the kind's permissions."""
    kind = export_kind_get(job.kind)
    return job.created_by_id == actor.pk and all(actor.has_perm(p) for p in kind.permissions)


@transaction.atomic
def export_job_create(
    *, kind: str, params: dict[str, Any], rows_expected: int, actor: Any
) -> ExportJob:
    """Queue an export of ``kind`` with ``params`` kept on the row (the task gets its id)."""
    export_kind = export_kind_get(kind)
    if not all(actor.has_perm(p) for p in export_kind.permissions):
        raise PermissionDenied
    job = ExportJob.objects.create(
        kind=kind, params=params, rows_expected=max(rows_expected, 0), created_by=actor
    )
    job_enqueue(job=job)
    return job


def export_job_execute(*, job: ExportJob) -> ExportJob:
    """Build the file; a failure is kept on the job in Indonesian, only the exception's class
    name in the log (a writer's message may quote a row)."""
    job_update(job=job, status=JobStatus.RUNNING, progress=0)
    expected = max(job.rows_expected, 1)

    def progress(done: int) -> None:
        job_update(job=job, progress=min(99, done * 100 // expected))

    try:
        with tempfile.TemporaryFile() as buffer:
            written = export_write(kind=job.kind, params=job.params, out=buffer, progress=progress)
            buffer.seek(0)
            content = buffer.read()
        job_file_keep(
            job=job,
            path=exports_dir() / f"{job.pk}-{written.file_name}",
            content=content,
            progress=100,
            row_count=written.rows,
            file_name=written.file_name,
            audit_detail=written.audit_detail,
        )
    except JobLost:
        raise
    except Exception as exc:
        logger.error("export %s failed: %s", job.pk, type(exc).__name__)
        job_update(
            job=job,
            status=JobStatus.FAILED,
            error_message=_(
                "Berkas ekspor gagal dibuat (%(kind)s). Silakan minta ekspor lagi dari "
                "halaman daftarnya; bila gagal lagi, hubungi administrator."
            )
            % {"kind": type(exc).__name__},
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


@transaction.atomic
def export_download(*, job: ExportJob, actor: Any) -> Path:
    """The built file's path, after recording who took it (the kind's audit action)."""
    if not export_may_take(job=job, actor=actor):
        raise PermissionDenied
    if job.status != JobStatus.DONE or not job.stored_path:
        raise ValidationError(_("Berkas ekspor belum selesai dibuat."), code="not_ready")
    personal = export_kind_get(job.kind).audit_action == "export_personal_data"
    audit_entry_create(
        actor=actor,
        # Literal actions, so the audit labels' source scan can check them.
        action="export_personal_data" if personal else "audit_export",
        target=job,
        detail=job.audit_detail,
    )
    return Path(job.stored_path)
