"""Employers, supervision reports (Pasal 12 ayat (1)) and the PP 86/2013 sanction ladder.

Pasal 12 ayat (1) has the results of supervising workers of employers (Pemberi Kerja) reach
the team at least twice a year. A ``SupervisionReport`` is one visit to one ``Employer`` in a
programme year: who inspected, how many workers were found and how many of them are not
registered with BPJS Ketenagakerjaan. A finding that an employer does not register or pay
opens a ``SanctionCase``, which follows PP 86/2013 step by step (``SanctionStep``): BPJS's
written warnings and fine, BPJS's request to withhold public services, the regency's letter
to its licensing office (DPMPTSP) and, on proof of payment and complete registration, the
lifting letter. Whether a regency applies the ladder at all, and its durations, are policy
settings (``Policy.sanctions``); deadlines count working days (``domain.workdays``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.programmes.models import ProgrammeYear


class Employer(models.Model):
    """A Pemberi Kerja in the regency's register (not personal data: a business)."""

    name = models.CharField(_("nama pemberi kerja"), max_length=200)
    #: Nomor Induk Berusaha (OSS): 13 digits; blank when the employer has none yet.
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    #: NPWP: 15 digits (old form) or 16 (NIK-based form since 2024).
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    address = models.CharField(_("alamat"), max_length=300)
    #: Kepmendagri village code (``36.01.01.2001``), from which the kecamatan follows.
    village_code = models.CharField(_("kode desa/kelurahan"), max_length=13)
    sector = models.CharField(_("sektor usaha"), max_length=120)
    workers = models.PositiveIntegerField(_("jumlah pekerja"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemberi kerja")
        verbose_name_plural = _("pemberi kerja")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=~models.Q(nib=""), name="supervision_employer_nib_unique"
            )
        ]
        permissions = [
            ("view_supervision", _("Melihat pemberi kerja, laporan pengawasan dan sanksi")),
            ("manage_employer", _("Mencatat dan mengubah data pemberi kerja")),
            ("record_supervision", _("Mencatat laporan pengawasan dan membuka kasus sanksi")),
            ("record_bpjs_step", _("Mencatat teguran, denda dan permintaan BPJS")),
            ("issue_sanction_letter", _("Membuat surat penghentian dan pencabutan layanan")),
        ]

    def __str__(self) -> str:
        return self.name


class SupervisionReport(models.Model):
    """One supervision visit to one employer (Pasal 12 ayat (1))."""

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="supervision_reports"
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="reports")
    visited_on = models.DateField(_("tanggal kunjungan"))
    inspector = models.CharField(_("pengawas"), max_length=200)
    workers_found = models.PositiveIntegerField(_("pekerja yang ditemukan"))
    workers_unregistered = models.PositiveIntegerField(
        _("pekerja belum terdaftar BPJS Ketenagakerjaan")
    )
    findings = models.TextField(_("temuan"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("laporan pengawasan")
        verbose_name_plural = _("laporan pengawasan")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workers_unregistered__lte=models.F("workers_found")),
                name="supervision_report_unregistered_le_found",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.visited_on}"


class SanctionCase(models.Model):
    """One finding followed along PP 86/2013's ladder; its steps are ``SanctionStep`` rows."""

    class Status(models.TextChoices):
        OPEN = "open", _("Berjalan")
        WITHHELD = "withheld", _("Layanan publik dihentikan")
        LIFTED = "lifted", _("Penghentian layanan dicabut")
        RESOLVED = "resolved", _("Selesai: pemberi kerja memenuhi kewajiban")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="sanction_cases"
    )
    report = models.ForeignKey(
        SupervisionReport, on_delete=models.PROTECT, related_name="sanction_cases"
    )
    finding = models.CharField(_("temuan yang dikenai sanksi"), max_length=500)
    #: Contributions the employer owes, integer rupiah (the base of the fine, PP 86/2013).
    unpaid_contributions = models.PositiveBigIntegerField(_("iuran yang belum dibayar"), default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kasus sanksi")
        verbose_name_plural = _("kasus sanksi")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report.employer}: {self.finding}"


class SanctionStep(models.Model):
    """One step of the ladder with its letter, its deadline and its evidence."""

    class Kind(models.TextChoices):
        WARNING_1 = "teguran_1", _("Teguran tertulis pertama (BPJS)")
        WARNING_2 = "teguran_2", _("Teguran tertulis kedua (BPJS)")
        FINE = "denda", _("Denda (BPJS)")
        REQUEST = "permintaan", _("Permintaan penghentian layanan publik (BPJS)")
        WITHHOLD = "penghentian", _("Surat penghentian layanan publik kepada DPMPTSP")
        LIFT = "pencabutan", _("Surat pencabutan penghentian layanan publik")
        RESOLVED = "selesai", _("Kewajiban dipenuhi sebelum penghentian layanan")

    case = models.ForeignKey(SanctionCase, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("langkah"), max_length=12, choices=Kind.choices)
    letter_number = models.CharField(_("nomor surat"), max_length=100, blank=True)
    letter_date = models.DateField(_("tanggal surat"))
    #: Last day the employer has to comply (warnings: working days; fine: days), or None.
    deadline = models.DateField(_("batas waktu"), null=True, blank=True)
    fine_amount = models.PositiveBigIntegerField(_("denda"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    evidence_name = models.CharField(_("nama berkas bukti"), max_length=255, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256 bukti"), max_length=64, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_path = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("langkah sanksi")
        verbose_name_plural = _("langkah sanksi")
        ordering = ["letter_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="supervision_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.letter_date}"
