"""Verification and validation by Disdukcapil (Pasal 7 ayat (3)): batches and their answers.

A batch is the set of proposed candidates sent together (the first after approval, then the
replacements each round of rejections brings in). Each item holds Disdukcapil's answer for one
candidate, whether it came in a file or was recorded on the page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.participants.models import Candidate, Proposal


class Answer(models.TextChoices):
    """The five answers of the exchange format (docs/verification.md), as written in it."""

    SESUAI = "SESUAI", _("Sesuai")
    TIDAK_DITEMUKAN = "TIDAK DITEMUKAN", _("Tidak ditemukan")
    MENINGGAL = "MENINGGAL", _("Meninggal")
    PINDAH = "PINDAH", _("Pindah ke luar daerah")
    DATA_BERBEDA = "DATA BERBEDA", _("Data berbeda (dengan perbaikan)")


class VerificationBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu jawaban")
        ANSWERED = "answered", _("Terjawab")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveSmallIntegerField(_("tahap"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: Every answer file imported into this batch, in order: name, SHA-256, counts, and the
    #: rows that matched no candidate (row number and a masked NIK only).
    responses = models.JSONField(default=list, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tahap verifikasi")
        verbose_name_plural = _("tahap verifikasi")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_batch_per_number")
        ]
        permissions = [
            # Starting a round (a new batch) belongs to the operator pendataan who proposed
            # the candidates; the verifier answers, and may download the file, but does not
            # decide who is sent (issue 17, defect 10).
            ("start_verification_round", _("Memulai tahap verifikasi baru")),
            ("export_verification", _("Membuat dan mengunduh berkas verifikasi")),
            ("record_verification", _("Mencatat hasil verifikasi Disdukcapil")),
        ]

    def __str__(self) -> str:
        return _("Tahap %(n)s") % {"n": self.number}


class VerificationItem(models.Model):
    batch = models.ForeignKey(VerificationBatch, on_delete=models.CASCADE, related_name="items")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="verification_items"
    )
    answer = models.CharField(_("hasil"), max_length=20, choices=Answer.choices, blank=True)
    corrected = models.JSONField(_("data perbaikan"), default=dict, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    #: Failed rule ids when corrected data was screened again and failed.
    rescreen_reasons = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=10, blank=True)  # "berkas" | "halaman"
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hasil verifikasi")
        verbose_name_plural = _("hasil verifikasi")
        constraints = [
            models.UniqueConstraint(fields=["batch", "candidate"], name="one_item_per_candidate")
        ]


class AnswerImport(BackgroundJob):
    """One answer file uploaded for a batch, read and applied in the background.

    A file of a million rows must not hold a web request (issue 17, defect 5): the upload is
    stored (0600) and queued, a worker reads, checks and applies it all or nothing, and the
    page polls the progress. A refused file keeps every row message (``errors``; row, column
    and masked NIK only, never a cell's value) so the page can show the first ones and offer
    the whole list for download; the stored upload is deleted once it has been processed.
    """

    batch = models.ForeignKey(
        VerificationBatch, on_delete=models.CASCADE, related_name="answer_imports"
    )
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.BigIntegerField(_("ukuran (bita)"))
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    #: Every row message of a refused file, in file order.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    #: What an applied file did: counts per answer, re-screening rejections, replacements,
    #: and the rows that matched no candidate (row number and masked NIK only).
    report = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unggahan jawaban Disdukcapil")
        verbose_name_plural = _("unggahan jawaban Disdukcapil")
        ordering = ["-created_at", "-pk"]

    job_task = "payung.verification.tasks.answer_import_execute"
    job_task_kwarg = "answer_import_id"
    job_audit_name = "verification_answers"
    job_permission = "verification.record_verification"

    def __str__(self) -> str:
        return self.file_name

    def job_retry_conflict(self) -> str | None:
        """A processed file is deleted; running the job again needs the file uploaded again."""
        if not self.stored_path:
            return _("Berkas jawaban ini sudah tidak disimpan; unggah ulang berkasnya.")
        return None
