"""Background work of the contributions stage, run by django-tasks (``db_worker`` or immediate).

A task only looks the job up by its id and calls the service, so the same code runs in a
worker, in tests (immediate backend) and from the demo; its argument is an id, never a KPJ,
a NIK or any other content of the file.
"""

from __future__ import annotations

from django_tasks import task

from payung.contributions import reconciliation_imports
from payung.contributions.models import ReconciliationImport
from payung.core.jobs import job_heartbeat
from payung.core.models import JobStatus


@task()
def reconciliation_import_execute(reconciliation_import_id: int) -> None:
    """Check BPJS's invoice and compare it with Payung's bills (Pasal 9 ayat (1))."""
    job = (
        ReconciliationImport.objects.select_related("programme_year", "uploaded_by")
        .filter(pk=reconciliation_import_id)
        .first()
    )
    # Deleted, or a repeated delivery of a task that already ran: comparing twice would
    # make a second reconciliation of the same file.
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    # Claimed with a lease and a heartbeat, so a worker that dies mid-file is seen and the
    # job failed with a reason instead of "Berjalan" for ever (core.jobs).
    with job_heartbeat(job=job) as mine:
        if mine:
            reconciliation_imports.reconciliation_import_execute(reconciliation_import=job)
