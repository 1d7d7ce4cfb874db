"""Background work of the screening stage, run by django-tasks (``db_worker`` or immediate).

A task only looks the run up and calls the service, so the same code runs in a worker, in
tests (immediate backend) and from the CLI.
"""

from __future__ import annotations

from django_tasks import task

from payung.core.jobs import job_heartbeat
from payung.screening import services
from payung.screening.models import ScreeningRun


@task()
def screening_run_execute(run_id: int) -> None:
    """Execute a queued screening run (Pasal 7 ayat (1) pendataan on DTSEN)."""
    run = (
        ScreeningRun.objects.select_related("dtsen_import", "started_by").filter(pk=run_id).first()
    )
    if run is None:  # deleted
        return
    # Only a queued run is claimed, by one worker at a time: a repeated delivery is a no-op.
    with job_heartbeat(job=run) as mine:
        if mine:
            services.screening_run_execute(run=run)
