"""Background work of the verification stage, run by django-tasks (``db_worker`` or immediate).

A task only looks the job up by its id and calls the service, so the same code runs in a
worker, in tests (immediate backend) and from the demo; its argument is an id, never a NIK,
a name or any other content of the file.
"""

from __future__ import annotations

from django_tasks import task

from payung.core.jobs import job_heartbeat
from payung.core.models import JobStatus
from payung.verification import services
from payung.verification.models import AnswerImport


@task()
def answer_import_execute(answer_import_id: int) -> None:
    """Read, check and apply one answer file from Disdukcapil (Pasal 7 ayat (3))."""
    job = (
        AnswerImport.objects.select_related("batch", "batch__proposal", "uploaded_by")
        .filter(pk=answer_import_id)
        .first()
    )
    # Deleted, or a repeated delivery of a task that already ran: applying twice is harmless
    # (answered items are skipped) but would report every row as already answered.
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    # Claimed with a lease and a heartbeat, so a worker that dies mid-file is seen and the
    # job failed with a reason instead of "Berjalan" for ever (registry.jobs).
    with job_heartbeat(job=job) as mine:
        if mine:
            services.answer_import_execute(answer_import=job)
