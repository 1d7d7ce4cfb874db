"""Ends of participation from other agencies' files, and BPJS's claims (issue 12).

Design §2: a participation ends with a date, a reason and evidence. Disdukcapil's death and
move data and BPJS's claims file arrive as files; each is an ``EndImport`` (a background
job: read, checked row by row, matched to the year's participants), whose rows are kept,
matched or not (an unmatched row is reported, never dropped). A second person applies the
import (four eyes): deaths and moves end the participations, claims are recorded as
``Claim`` rows for monitoring (Pasal 10 ayat (2) huruf e and g).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.participants.models import Candidate
from payung.programmes.models import ProgrammeYear


class EndImport(BackgroundJob):
    """One uploaded file of Disdukcapil's deaths and moves, or of BPJS's claims.

    The upload is stored (0600) and read by a worker; ``rows`` holds every row of an
    accepted file with its match. Applied once, by someone other than the uploader.
    """

    class Kind(models.TextChoices):
        DUKCAPIL = "dukcapil", _("Data kematian dan pindah Disdukcapil")
        CLAIMS = "klaim", _("Berkas klaim BPJS Ketenagakerjaan")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="end_imports"
    )
    kind = models.CharField(_("jenis berkas"), max_length=10, choices=Kind.choices)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.BigIntegerField(_("ukuran (bita)"))
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    #: Every row message of a refused file ("Baris N, kolom X: ..."), never a cell's value.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("berkas akhir kepesertaan")
        verbose_name_plural = _("berkas akhir kepesertaan")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_ends", _("Melihat akhir kepesertaan dan klaim tahun program")),
            ("import_dukcapil_ends", _("Mengunggah data kematian dan pindah Disdukcapil")),
            ("import_claims", _("Mengunggah berkas klaim BPJS Ketenagakerjaan")),
        ]

    job_task = "payung.ends.tasks.end_import_execute"
    job_task_kwarg = "end_import_id"
    job_audit_name = "end_import"
    job_permission = "participants.end_participant"

    def __str__(self) -> str:
        return self.file_name

    def job_retry_conflict(self) -> str | None:
        if not self.stored_path:
            return _("Berkas ini sudah tidak disimpan; unggah ulang berkasnya.")
        return None

    def job_reset(self) -> None:
        self.rows.all().delete()


class EndImportRow(models.Model):
    """One row of an accepted file: what it says and whom it matched.

    ``outcome`` is decided when the file is read and shown in the preview; applying the
    import acts on the ``akan_berakhir`` rows (and records the claims). NIK and KPJ are kept
    for an unmatched row so it can be followed up (exported), shown masked.
    """

    class Event(models.TextChoices):
        MENINGGAL = "meninggal", _("Meninggal dunia")
        PINDAH = "pindah", _("Pindah domisili")
        KLAIM_JKK = "klaim_jkk", _("Klaim JKK")
        KLAIM_JKM = "klaim_jkm", _("Klaim JKM")

    class Outcome(models.TextChoices):
        AKAN_BERAKHIR = "akan_berakhir", _("Kepesertaan akan berakhir")
        DICATAT = "dicatat", _("Dicatat (tidak mengakhiri kepesertaan)")
        SUDAH_BERAKHIR = "sudah_berakhir", _("Sudah berakhir")
        TIDAK_COCOK = "tidak_cocok", _("Tidak cocok dengan peserta tahun ini")

    end_import = models.ForeignKey(EndImport, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(_("baris"))
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    nik = models.CharField(_("NIK"), max_length=40, blank=True)
    kpj = models.CharField(_("nomor KPJ"), max_length=20, blank=True)
    event = models.CharField(_("kejadian"), max_length=12, choices=Event.choices)
    event_date = models.DateField(_("tanggal kejadian"))
    #: Akta kematian number (Disdukcapil) or claim status (BPJS: DIBAYAR, PROSES, DITOLAK).
    document_number = models.CharField(_("nomor akta"), max_length=60, blank=True)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    claim_status = models.CharField(_("status klaim"), max_length=10, blank=True)
    amount_paid = models.BigIntegerField(_("nilai dibayar (rupiah)"), default=0)
    outcome = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices)

    class Meta:
        verbose_name = _("baris berkas akhir kepesertaan")
        verbose_name_plural = _("baris berkas akhir kepesertaan")
        ordering = ["end_import", "row"]
        constraints = [
            models.UniqueConstraint(fields=["end_import", "row"], name="one_end_row_per_line")
        ]


class Claim(models.Model):
    """A claim BPJS recorded for a participant (JKK or JKM), from its claims file.

    Kept for the team's monitoring (Pasal 10 ayat (2) huruf e); a JKM claim paid or in
    process also ends the participation (the event date is the death), a JKK claim ends
    nothing.
    """

    class Type(models.TextChoices):
        JKK = "JKK", _("Jaminan Kecelakaan Kerja")
        JKM = "JKM", _("Jaminan Kematian")

    class Status(models.TextChoices):
        DIBAYAR = "DIBAYAR", _("Dibayar")
        PROSES = "PROSES", _("Dalam proses")
        DITOLAK = "DITOLAK", _("Ditolak")

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="claims")
    kpj = models.CharField(_("nomor KPJ"), max_length=20)
    claim_type = models.CharField(_("jenis klaim"), max_length=3, choices=Type.choices)
    event_date = models.DateField(_("tanggal kejadian"))
    amount_paid = models.BigIntegerField(_("nilai dibayar (rupiah)"))
    status = models.CharField(_("status klaim"), max_length=10, choices=Status.choices)
    end_import = models.ForeignKey(EndImport, on_delete=models.PROTECT, related_name="claims")
    row = models.PositiveIntegerField(_("baris"))

    class Meta:
        verbose_name = _("klaim BPJS")
        verbose_name_plural = _("klaim BPJS")
        ordering = ["event_date", "pk"]
