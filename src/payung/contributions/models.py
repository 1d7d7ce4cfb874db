"""Contributions (Pasal 9) and the money behind them (Pasal 13): bills, SP2D payments and the
reconciliation with BPJS Ketenagakerjaan's invoice.

Pasal 9 ayat (1)-(4): the regency pays each active participant's contribution every month or
per the period agreed with BPJS. A participant is billed for every calendar month in which
they are covered on at least one day, at the rates of the year's pinned policy in force in
that month (``payung.engine.billing``). A bill once issued is never changed: what changes
later (a late replacement, an end recorded after issue) goes into a later bill as correction
lines that name the month they correct. Amounts are integer rupiah, stored when decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.participants.models import Candidate
from payung.programmes.models import BudgetLine, ProgrammeYear


class Bill(models.Model):
    """The contributions of one billing period (months ``first_month``..``last_month``)."""

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="bills"
    )
    number = models.PositiveIntegerField(_("nomor tagihan"))
    #: First day of the first and of the last billed month.
    first_month = models.DateField(_("bulan pertama"))
    last_month = models.DateField(_("bulan terakhir"))
    #: BPU contributions are due by the 15th of the (first) covered month itself.
    due_on = models.DateField(_("jatuh tempo"))
    participant_count = models.PositiveIntegerField(_("jumlah peserta"), default=0)
    #: Net total of the lines (regular plus corrections), integer rupiah.
    total = models.BigIntegerField(_("jumlah tagihan (rupiah)"), default=0)
    policy_sha256 = models.CharField(_("SHA-256 kebijakan"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)

    class Meta:
        verbose_name = _("tagihan iuran")
        verbose_name_plural = _("tagihan iuran")
        ordering = ["programme_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme_year", "number"], name="one_bill_number"),
            models.CheckConstraint(
                condition=models.Q(last_month__gte=models.F("first_month")),
                name="bill_months_in_order",
            ),
        ]
        permissions = [
            ("issue_bill", _("Menerbitkan tagihan iuran")),
            ("view_contributions", _("Melihat iuran, pembayaran dan realisasi anggaran")),
        ]

    def __str__(self) -> str:
        return _("Tagihan %(n)s") % {"n": self.number}


class BillLine(models.Model):
    """One participant and one month of a bill, or a correction of an earlier bill's month
    (``correction``; negative amounts take a month back)."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="bill_lines")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="bill_lines")
    month = models.DateField(_("bulan"))
    jkk = models.BigIntegerField(_("iuran JKK (rupiah)"))
    jkm = models.BigIntegerField(_("iuran JKM (rupiah)"))
    correction = models.BooleanField(_("koreksi"), default=False)

    class Meta:
        verbose_name = _("baris tagihan")
        verbose_name_plural = _("baris tagihan")
        ordering = ["bill", "candidate", "month", "pk"]
        indexes = [models.Index(fields=["candidate", "month"])]

    @property
    def total(self) -> int:
        return self.jkk + self.jkm


class Payment(models.Model):
    """An SP2D (surat perintah pencairan dana) paying a bill, recorded by the bendahara and
    confirmed by a second person. An amount other than the bill's must be explained."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Dicatat")
        CONFIRMED = "confirmed", _("Dikonfirmasi")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    sp2d_number = models.CharField(_("nomor SP2D"), max_length=120)
    paid_on = models.DateField(_("tanggal SP2D"))
    amount = models.BigIntegerField(_("nilai (rupiah)"))
    kind = models.CharField(_("jenis"), max_length=10, default="LS")
    account_code = models.CharField(_("kode rekening belanja"), max_length=120, blank=True)
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="payments", null=True, blank=True
    )
    note = models.CharField(_("keterangan"), max_length=500, blank=True)
    #: Why the amount differs from what remains due (a partial payment), and by when the rest
    #: will be paid; required when it differs.
    explanation = models.TextField(_("penjelasan selisih"), blank=True)
    remainder_due_on = models.DateField(_("sisa dibayar paling lambat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECORDED
    )
    source = models.CharField(max_length=10, blank=True)  # "halaman" | "berkas"
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pembayaran (SP2D)")
        verbose_name_plural = _("pembayaran (SP2D)")
        ordering = ["bill", "paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sp2d_number"], name="one_payment_per_sp2d"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]
        permissions = [
            ("record_payment", _("Mencatat pembayaran SP2D")),
            ("confirm_payment", _("Mengonfirmasi pembayaran SP2D (bukan pencatatnya)")),
        ]


class Reconciliation(models.Model):
    """BPJS's invoice (or statement of contributions received) for some months, compared
    line by line with what Payung billed. Closed only when every difference has a decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        CLOSED = "closed", _("Ditutup")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="reconciliations"
    )
    first_month = models.DateField(_("bulan pertama"))
    last_month = models.DateField(_("bulan terakhir"))
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    #: Counts and rupiah per category (cocok, selisih, hanya_bpjs, hanya_payung).
    summary = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rekonsiliasi iuran")
        verbose_name_plural = _("rekonsiliasi iuran")
        ordering = ["programme_year", "-first_month", "-pk"]
        permissions = [("reconcile", _("Merekonsiliasi iuran dengan tagihan BPJS"))]


class ReconciliationImport(BackgroundJob):
    """BPJS's invoice for some months, uploaded and compared in the background.

    An annual invoice of a regency is tens of thousands of lines, some 20 s of reading,
    checking and comparing: too long for a web request. The upload is stored (0600, capped)
    and queued; a worker checks every row, compares it with Payung's bills (Pasal 9 ayat
    (1)) and, all or nothing, creates the ``Reconciliation`` with its lines. The page polls
    the progress. A refused file keeps every row message (``errors``: row and column, never
    a cell's value); the stored upload is deleted once processed (the SHA-256 is kept).
    """

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="reconciliation_imports"
    )
    first_month = models.DateField(_("bulan pertama"))
    last_month = models.DateField(_("bulan terakhir"))
    #: Canonical column -> the file's header, for an invoice with other headers.
    mapping = models.JSONField(default=dict, blank=True)
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
    #: The reconciliation this file made, once done.
    reconciliation = models.OneToOneField(
        Reconciliation,
        on_delete=models.PROTECT,
        related_name="upload",
        null=True,
        blank=True,
    )
    task_id = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unggahan tagihan BPJS")
        verbose_name_plural = _("unggahan tagihan BPJS")
        ordering = ["-created_at", "-pk"]

    job_task = "payung.contributions.tasks.reconciliation_import_execute"
    job_task_kwarg = "reconciliation_import_id"
    job_audit_name = "reconciliation_import"
    job_permission = "contributions.reconcile"

    def __str__(self) -> str:
        return self.file_name

    def job_retry_conflict(self) -> str | None:
        """A processed file is deleted; running the job again needs the file uploaded again."""
        if not self.stored_path:
            return _("Berkas tagihan ini sudah tidak disimpan; unggah ulang berkasnya.")
        return None


class ReconciliationLine(models.Model):
    """One (KPJ, month) on either side, its category and, for a difference, the decision."""

    class Category(models.TextChoices):
        COCOK = "cocok", _("Cocok")
        SELISIH = "selisih", _("Selisih jumlah")
        HANYA_BPJS = "hanya_bpjs", _("Hanya ditagih BPJS")
        HANYA_PAYUNG = "hanya_payung", _("Hanya ditagih Payung")

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="lines"
    )
    kpj = models.CharField(_("nomor KPJ"), max_length=20)
    month = models.DateField(_("bulan"))
    category = models.CharField(_("kategori"), max_length=14, choices=Category.choices)
    payung_amount = models.BigIntegerField(_("menurut Payung (rupiah)"), default=0)
    bpjs_amount = models.BigIntegerField(_("menurut BPJS (rupiah)"), default=0)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision = models.CharField(_("keputusan"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("baris rekonsiliasi")
        verbose_name_plural = _("baris rekonsiliasi")
        ordering = ["reconciliation", "kpj", "month"]
        indexes = [models.Index(fields=["reconciliation", "category"])]
