"""Writes of documents: ask for one (generated in the background), build it, hand it out.

The bytes are built by a *builder*: a function named by dotted path that takes the Document
and returns the file, defined by the app whose record the document is about (a proposal's
berita acara, a decree and its annex). The file is kept under the data directory with its
SHA-256, so what was signed can be shown again byte for byte; every download is in the audit
trail (names are personal data; a confidential copy also has full NIKs).
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.jobs import JobLost, job_lease_hold, job_update
from payung.core.models import JobStatus
from payung.documents.models import Document
from payung.documents.storage import data_dir_protect, private_dir_ensure, private_file_write

logger = logging.getLogger(__name__)

#: Permission needed to download a confidential copy (full NIKs).
CONFIDENTIAL_PERM = "decrees.download_internal_annex"


def subject_label(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def document_request(
    *,
    subject: models.Model,
    programme_year: Any,
    kind: str,
    title: str,
    fmt: str,
    builder: str,
    file_name: str,
    actor: Any,
    confidential: bool = False,
) -> Document:
    """Queue a document's generation (once the caller's transaction commits)."""
    document = Document.objects.create(
        programme_year=programme_year,
        subject=subject_label(subject),
        kind=kind,
        title=title,
        format=fmt,
        builder=builder,
        file_name=file_name,
        confidential=confidential,
        created_by=actor,
    )
    transaction.on_commit(partial(_enqueue, document.pk))
    return document


def _enqueue(document_id: int) -> None:
    from payung.documents.tasks import document_generate as task

    result = task.enqueue(document_id=document_id)
    Document.objects.filter(pk=document_id).update(task_id=str(result.id))


def documents_dir() -> Path:
    """The folder of generated documents and signed scans, private (0700) like its parent."""
    data_dir_protect()
    return private_dir_ensure(path=Path(settings.DATA_DIR) / "dokumen")


def job_file_keep(*, job: Any, path: Path, content: bytes, **fields: Any) -> None:
    """Write a job's built file (0600, atomically) and mark the job done with its SHA-256
    and size, plus ``fields``: one way for documents and exports, so both say DONE only if
    this attempt still owns the job (a worker that lost it writes nothing)."""
    stored = private_file_write(path=path, content=content)
    with transaction.atomic():
        job_lease_hold(job=job)
        job_update(
            job=job,
            status=JobStatus.DONE,
            stored_path=str(stored),
            sha256=hashlib.sha256(content).hexdigest(),
            size_bytes=len(content),
            finished_at=timezone.now(),
            **fields,
        )


def document_generate(*, document: Document) -> Document:
    """Build and store the file; a failure is kept on the document in Indonesian, with only
    the exception's class name in the log (messages may quote personal data).

    The row says DONE only if this attempt still owns the document (a worker that lost it
    to a cancel or the dead-worker reaper writes nothing); the file is written atomically.
    """
    job_update(job=document, status=JobStatus.RUNNING)
    try:
        content: bytes = import_string(document.builder)(document)
        job_file_keep(
            job=document,
            path=documents_dir() / f"{document.pk}-{document.file_name}",
            content=content,
        )
    except JobLost:  # cancelled or reaped meanwhile: whoever did that said why
        raise
    except Exception as exc:
        logger.error("document %s failed: %s", document.pk, type(exc).__name__)
        job_update(
            job=document,
            status=JobStatus.FAILED,
            error_message=_("Dokumen gagal dibuat (%(kind)s). Hubungi administrator.")
            % {"kind": type(exc).__name__},
            finished_at=timezone.now(),
        )
    document.refresh_from_db()
    return document


@transaction.atomic
def document_download(*, document: Document, actor: Any) -> Path:
    """The stored file's path, after recording who took it."""
    if not actor.has_perm("documents.view_document"):
        raise PermissionDenied
    if document.confidential and not actor.has_perm(CONFIDENTIAL_PERM):
        raise PermissionDenied
    if document.status != JobStatus.DONE or not document.stored_path:
        raise ValidationError(_("Dokumen belum selesai dibuat."), code="not_ready")
    audit_entry_create(
        actor=actor,
        action="document_download",
        target=document,
        detail={
            "kind": document.kind,
            "format": document.format,
            "sha256": document.sha256,
            "confidential": document.confidential,
        },
    )
    return Path(document.stored_path)


def subject_pk(document: Document) -> int:
    return int(document.subject.rsplit(":", 1)[1])
