"""Verification and validation by Disdukcapil (Pasal 7 ayat (3)): batches and their answers.

A batch is the set of proposed candidates sent together (the first after approval, then the
replacements each round of rejections brings in). Each item holds Disdukcapil's answer for one
candidate, whether it came in a file or was recorded on the page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.candidates.models import Candidate, Proposal


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
