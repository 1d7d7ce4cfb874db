"""Background generation of documents (django-tasks; immediate in tests)."""

from __future__ import annotations

from django_tasks import task

from payung.documents import services
from payung.documents.models import Document
from payung.registry.models import JobStatus


@task()
def document_generate(document_id: int) -> None:
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status == JobStatus.DONE:
        return
    services.document_generate(document=document)
