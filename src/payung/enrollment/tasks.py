"""Background work of BPJS registration, run by django-tasks (``db_worker`` or immediate).

A task looks the job up by its id and calls the service; its argument is an id, never a NIK,
a KPJ, a name or any other content of the file.
"""

from __future__ import annotations

from django_tasks import task

from payung.core.jobs import job_heartbeat
from payung.core.models import JobStatus
from payung.enrollment import services
from payung.enrollment.models import RegistrationAnswer


@task()
def registration_answer_check(answer_id: int) -> None:
    """Read and check one answer file from BPJS Ketenagakerjaan (Pasal 8 ayat (3))."""
    job = (
        RegistrationAnswer.objects.select_related("batch", "batch__programme_year", "uploaded_by")
        .filter(pk=answer_id)
        .first()
    )
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    with job_heartbeat(job=job) as mine:
        if mine:
            services.registration_answer_check(answer=job)


@task()
def registration_answer_apply_run(answer_id: int) -> None:
    """Apply one confirmed BPJS answer (Pasal 8 ayat (3)); confirmed on the page by a second
    person (``services.registration_answer_confirm``)."""
    job = (
        RegistrationAnswer.objects.select_related("batch", "applied_by", "uploaded_by")
        .filter(pk=answer_id, stage=RegistrationAnswer.Stage.AWAITING)
        .first()
    )
    if job is None or job.status != JobStatus.QUEUED:
        return
    with job_heartbeat(job=job) as mine:
        if mine:
            services.registration_answer_apply_job(answer=job)
