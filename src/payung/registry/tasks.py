"""Background work of the pendataan stage, run by django-tasks (``db_worker`` or immediate).

A task only looks the import up and calls the service, so the same code runs in a worker, in
tests (immediate backend) and from the CLI.
"""

from __future__ import annotations

from django_tasks import task

from payung.core.jobs import job_heartbeat
from payung.registry import services
from payung.registry.models import DtsenImport


@task()
def dtsen_import_execute(import_id: int) -> None:
    """Load a queued DTSEN extract into its programme year (Pasal 7 ayat (1) pendataan)."""
    dtsen_import = (
        DtsenImport.objects.select_related("programme_year", "mapping", "uploaded_by")
        .filter(pk=import_id)
        .first()
    )
    # Deleted, or a repeated delivery of a task that already ran (loading twice would
    # duplicate every person): only a queued import is claimed, by one worker at a time.
    if dtsen_import is None:
        return
    with job_heartbeat(job=dtsen_import) as mine:
        if mine:
            services.dtsen_import_execute(dtsen_import=dtsen_import)


@task()
def duplicate_check_execute(duplicate_check_id: int) -> None:
    """Search one import for the same person under two NIKs (issue 13); the id is the only
    argument, never a NIK or a name."""
    from payung.registry import duplicates
    from payung.registry.models import DuplicateCheck

    check = (
        DuplicateCheck.objects.select_related("dtsen_import", "requested_by")
        .filter(pk=duplicate_check_id)
        .first()
    )
    # Deleted, or a repeated delivery of a task that already ran: only a queued check is
    # claimed, by one worker at a time (core.jobs).
    if check is None:
        return
    with job_heartbeat(job=check) as mine:
        if mine:
            duplicates.duplicate_check_execute(duplicate_check=check)
