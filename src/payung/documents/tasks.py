"""Background generation of documents (django-tasks; immediate in tests)."""

from __future__ import annotations

from django_tasks import task

from payung.core.jobs import job_heartbeat
from payung.documents import services
from payung.documents.models import Document, ExportJob


@task()
def document_generate(document_id: int) -> None:
    """Build a queued document; only a queued one is claimed, by one worker at a time."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    with job_heartbeat(job=document) as mine:
        if mine:
            services.document_generate(document=document)


@task()
def export_generate(export_id: int) -> None:
    """Build a queued export (``documents.exports``); its filters are on the row, not here."""
    from payung.documents.exports import export_job_execute

    job = ExportJob.objects.filter(pk=export_id).first()
    if job is None:
        return
    with job_heartbeat(job=job) as mine:
        if mine:
            export_job_execute(job=job)
