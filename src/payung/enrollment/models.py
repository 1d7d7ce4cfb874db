"""Registration with BPJS Ketenagakerjaan (Pasal 8): batches, BPJS's answers, cards, rosters.

Pasal 8 ayat (1)-(2): the decreed are registered with BPJS Ketenagakerjaan with at least name,
NIK, occupation and address; ayat (3): BPJS records them and fixes the contributions; ayat
(4): BPJS issues the cards, which must reach the people; ayat (5): the recorded data goes to
Disnakertrans. The columns BPJS wants differ by branch, so a batch is written through a
registration profile; BPJS's answer is uploaded, checked all or nothing, then applied by a
second person (four eyes) because it changes many people's state at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.decrees.models import Decree
from payung.participants.models import Candidate
from payung.programmes.models import ProgrammeYear


class RegistrationProfile(models.Model):
    """One BPJS branch's collective registration format: the columns, their header names and
    value formats, and the branch's codes (wadah participation type, declared income band).

    ``columns`` is a list of ``{"header": "NIK", "field": "nik", "format": ""}`` in file
    order; ``field`` names one of the values Payung can fill (docs/registration.md).
    """

    name = models.CharField(_("nama profil"), max_length=120, unique=True)
    branch_office = models.CharField(_("kantor cabang BPJS Ketenagakerjaan"), max_length=150)
    columns = models.JSONField(_("kolom berkas pendaftaran"), default=list)
    #: BPJS's participation type for government-funded vulnerable workers (commonly SG).
    participation_type = models.CharField(_("kode jenis kepesertaan"), max_length=10)
    #: The declared income band the JKK rate is 1 % of (Rp1.000.000 → Rp10.000).
    declared_income = models.BigIntegerField(_("penghasilan yang dilaporkan (rupiah)"))
    kpj_min_length = models.PositiveSmallIntegerField(_("panjang KPJ paling sedikit"), default=10)
    kpj_max_length = models.PositiveSmallIntegerField(_("panjang KPJ paling banyak"), default=15)
    is_default = models.BooleanField(_("profil bawaan"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profil pendaftaran")
        verbose_name_plural = _("profil pendaftaran")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kpj_min_length__lte=models.F("kpj_max_length")),
                name="kpj_length_range",
            )
        ]
        permissions = [("manage_registration_profile", _("Mengelola profil pendaftaran BPJS"))]

    def __str__(self) -> str:
        return self.name


class RegistrationBatch(models.Model):
    """The decreed of one signed decree (or amending decree) not yet registered, sent to BPJS
    as one collective file. Its items are fixed when it is made."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Disiapkan")
        ANSWERED = "answered", _("Dijawab BPJS")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="registration_batches"
    )
    decree = models.ForeignKey(
        Decree, on_delete=models.PROTECT, related_name="registration_batches"
    )
    profile = models.ForeignKey(RegistrationProfile, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("nomor tahap"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARED
    )
    #: The profile's columns and codes as they were when the batch was made: the file sent
    #: can be written again byte for byte after the profile is edited.
    profile_snapshot = models.JSONField(default=dict)
    #: The cover start the PKS fixes, if any, when the batch was made.
    pks_cover_start = models.DateField(_("mulai kepesertaan menurut PKS"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tahap pendaftaran BPJS")
        verbose_name_plural = _("tahap pendaftaran BPJS")
        ordering = ["programme_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "number"], name="one_registration_batch_number"
            )
        ]
        permissions = [
            ("prepare_registration", _("Menyiapkan dan mengunduh berkas pendaftaran BPJS")),
            ("upload_registration_answer", _("Mengunggah jawaban pendaftaran BPJS")),
            ("apply_registration_answer", _("Menerapkan jawaban pendaftaran BPJS (empat mata)")),
        ]

    def __str__(self) -> str:
        return _("Tahap pendaftaran %(n)s") % {"n": self.number}


class RegistrationItem(models.Model):
    """One decreed participant in one batch, and what BPJS answered for them."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Belum dijawab")
        ACCEPTED = "accepted", _("Diterima")
        REFUSED = "refused", _("Ditolak")

    batch = models.ForeignKey(RegistrationBatch, on_delete=models.CASCADE, related_name="items")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="registration_items"
    )
    #: Row number in the request file (1 = first data row).
    row = models.PositiveIntegerField(_("baris"))
    outcome = models.CharField(
        _("hasil"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    kpj = models.CharField(_("nomor KPJ"), max_length=20, blank=True)
    cover_start = models.DateField(_("mulai kepesertaan"), null=True, blank=True)
    #: The monthly contribution BPJS determined (Pasal 8 ayat (3)), compared with the policy's.
    bpjs_contribution = models.BigIntegerField(_("iuran menurut BPJS (rupiah)"), null=True)
    policy_contribution = models.BigIntegerField(_("iuran menurut kebijakan (rupiah)"), null=True)
    refusal_reason = models.CharField(_("alasan penolakan BPJS"), max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peserta dalam tahap pendaftaran")
        verbose_name_plural = _("peserta dalam tahap pendaftaran")
        ordering = ["batch", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "candidate"], name="one_registration_item_per_candidate"
            )
        ]


class RegistrationAnswer(BackgroundJob):
    """One BPJS answer file for a batch: stored, read and checked in the background, then
    applied only when a second person confirms it (four eyes: the uploader cannot).

    A refused file keeps every row message (row, column, masked NIK; never a cell's value).
    A checked file keeps what applying it would do (``report``) so the confirmer sees it.
    """

    class Stage(models.TextChoices):
        CHECKING = "checking", _("Sedang diperiksa")
        REFUSED = "refused", _("Ditolak (ada kesalahan baris)")
        AWAITING = "awaiting", _("Menunggu penerapan")
        APPLIED = "applied", _("Diterapkan")
        DISCARDED = "discarded", _("Dibatalkan")

    batch = models.ForeignKey(RegistrationBatch, on_delete=models.CASCADE, related_name="answers")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.BigIntegerField(_("ukuran (bita)"))
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(
        _("tahap"), max_length=10, choices=Stage.choices, default=Stage.CHECKING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    #: Accepted, refused, contribution differences and unmatched rows (row, masked NIK).
    report = models.JSONField(default=dict, blank=True)
    #: The parsed answer lines, kept until applied (no file needed to apply).
    lines = models.JSONField(default=list, blank=True)
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
        verbose_name = _("jawaban pendaftaran BPJS")
        verbose_name_plural = _("jawaban pendaftaran BPJS")
        ordering = ["-created_at", "-pk"]

    job_task = "payung.enrollment.tasks.registration_answer_check"
    job_task_kwarg = "answer_id"
    job_audit_name = "registration_answer"
    job_permission = "enrollment.upload_registration_answer"

    def __str__(self) -> str:
        return self.file_name

    def job_retry_conflict(self) -> str | None:
        if not self.stored_path:
            return _("Berkas jawaban ini sudah tidak disimpan; unggah ulang berkasnya.")
        return None


class Card(models.Model):
    """A participant's BPJS card (Pasal 8 ayat (4)): received from BPJS, then handed to the
    person through a channel. The list of the undistributed is what the team chases."""

    class Channel(models.TextChoices):
        BPJS = "bpjs", _("BPJS Ketenagakerjaan")
        DESA = "desa", _("Pemerintah desa")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DISNAKERTRANS = "disnakertrans", _("Disnakertrans")

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="card")
    received_on = models.DateField(_("diterima dari BPJS"), null=True, blank=True)
    delivered_on = models.DateField(_("diserahkan kepada peserta"), null=True, blank=True)
    channel = models.CharField(_("melalui"), max_length=14, choices=Channel.choices, blank=True)
    delivered_by = models.CharField(_("petugas yang menyerahkan"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kartu peserta")
        verbose_name_plural = _("kartu peserta")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivered_on__isnull=True)
                | (models.Q(received_on__isnull=False) & ~models.Q(channel="")),
                name="card_delivered_needs_receipt_and_channel",
            )
        ]
        permissions = [
            ("record_card", _("Mencatat penerimaan dan penyerahan kartu")),
            # Pasal 8 ayat (5): the register of participants handed to Disnakertrans.
            ("export_register", _("Mengunduh register peserta (tercatat di jejak audit)")),
        ]


class RosterImport(models.Model):
    """A roster of participants the regency already had before Payung (kept in Excel),
    moved into a programme year as active participants ("dipindahkan dari data lama")."""

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="roster_imports"
    )
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    imported = models.PositiveIntegerField(_("peserta dipindahkan"), default=0)
    report = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("impor data peserta lama")
        verbose_name_plural = _("impor data peserta lama")
        ordering = ["-created_at"]
        permissions = [("import_roster", _("Memindahkan data peserta lama"))]
