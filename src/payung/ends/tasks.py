"""Background work of the ends stage: the task looks the job up by its id and calls the
service; its argument is an id, never a NIK, a KPJ or any other content of the file."""

from __future__ import annotations

from django_tasks import task

from payung.core.jobs import job_heartbeat
from payung.core.models import JobStatus
from payung.ends import services
from payung.ends.models import EndImport


@task()
def end_import_execute(end_import_id: int) -> None:
    """Read Disdukcapil's deaths and moves or BPJS's claims and match them (issue 12)."""
    job = (
        EndImport.objects.select_related("programme_year", "uploaded_by")
        .filter(pk=end_import_id)
        .first()
    )
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    with job_heartbeat(job=job) as mine:
        if mine:
            services.end_import_execute(end_import=job)
