"""Background work of the pendataan stage, run by django-tasks (``db_worker`` or immediate).

A task only looks the import up and calls the service, so the same code runs in a worker, in
tests (immediate backend) and from the CLI.
"""

from __future__ import annotations

from django_tasks import task

from payung.registry import services
from payung.registry.models import DtsenImport, JobStatus


@task()
def dtsen_import_execute(import_id: int) -> None:
    """Load a queued DTSEN extract into its programme year (Pasal 7 ayat (1) pendataan)."""
    dtsen_import = (
        DtsenImport.objects.select_related("programme_year", "mapping", "uploaded_by")
        .filter(pk=import_id)
        .first()
    )
    # Deleted, or a repeated delivery of a task that already ran: loading twice would
    # duplicate every person.
    if dtsen_import is None or dtsen_import.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    services.dtsen_import_execute(dtsen_import=dtsen_import)
