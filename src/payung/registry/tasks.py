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
