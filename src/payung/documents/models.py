"""Generated documents kept as evidence: what was produced, from what, by whom, its SHA-256.

A berita acara or decree draft is a file people sign and file, so the exact bytes handed out
are stored (under the data directory) and hashed, and downloads are served from the store. A
document is generated in the background: a 5 000-row annex takes WeasyPrint ~15 s.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.programmes.models import ProgrammeYear


class Document(BackgroundJob):
    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        PDF = "pdf", "PDF"

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="documents"
    )
    #: What it is about, as ``app_label.model:pk`` (a proposal, a decree).
    subject = models.CharField(max_length=80)
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=300)
    format = models.CharField(max_length=4, choices=Format.choices)
    #: Full NIKs inside: every download is recorded in the audit trail.
    confidential = models.BooleanField(default=False)
    #: Dotted path of the function that builds the bytes from ``subject`` (see services).
    builder = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error_message = models.TextField(blank=True)
    file_name = models.CharField(max_length=200)
    stored_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["subject", "kind", "format"])]

    job_task = "payung.documents.tasks.document_generate"
    job_task_kwarg = "document_id"
    job_audit_name = "document"
    job_permission = "documents.view_document"

    def __str__(self) -> str:
        return self.file_name
