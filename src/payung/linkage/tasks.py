"""Background work of the linkage stage, run by django-tasks (``db_worker`` or immediate).

The task's only argument is the list's id, never a NIK, a name or any content of the file.
"""

from __future__ import annotations

from django_tasks import task

from payung.core.jobs import job_heartbeat
from payung.core.models import JobStatus
from payung.linkage import services
from payung.linkage.models import OtherList


@task()
def other_list_link(other_list_id: int) -> None:
    """Link another funder's list to the year's extract (Pasal 5 ayat (2) huruf f)."""
    job = (
        OtherList.objects.select_related("programme_year", "uploaded_by")
        .filter(pk=other_list_id)
        .first()
    )
    # Deleted, or a repeated delivery of a task that already ran: linking twice would
    # store every pair twice.
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    with job_heartbeat(job=job) as mine:
        if mine:
            services.other_list_execute(other_list=job)
