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


class ExportJob(BackgroundJob):
    """A big list exported in the background (``core.export_kinds``): its file, once built.

    The filters are kept here, on the row, and the task is given only the row's id: a filter
    can be personal (a name searched in the decision list), and task arguments are stored in
    the queue's table and logged by workers. Only the user who asked may follow and take the
    file; every download is in the audit trail like the immediate export's.
    """

    kind = models.CharField(_("jenis"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    rows_expected = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    stored_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    #: What the download's audit entry says (from the writer: filters and counts only).
    audit_detail = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ekspor")
        verbose_name_plural = _("ekspor")
        ordering = ["-created_at"]

    job_task = "payung.documents.tasks.export_generate"
    job_task_kwarg = "export_id"
    job_audit_name = "export_job"
    #: Retry and cancel are not offered: the user asks for the export again from the list.
    job_permission = ""

    def __str__(self) -> str:
        return self.file_name or self.kind
