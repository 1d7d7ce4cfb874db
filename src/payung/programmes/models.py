"""The programme year at the root of the workflow: its pinned policy, its pagu per funding
source (Pasal 13), its team (Pasal 10 ayat (3)-(4)), its cooperation agreement with BPJS
Ketenagakerjaan (Pasal 6 ayat (4)-(5), 9 ayat (3)) and where its work stands.

Every later stage hangs off a programme year, so these models sit below all stage apps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeYear(models.Model):
    """Tahun Anggaran: policy version, as-of date for age, pagu per source, coverage months."""

    class Status(models.TextChoices):
        """Where the year's work stands, in workflow order; services move it forward."""

        DRAFT = "draft", _("Draf")
        PENDATAAN = "pendataan", _("Pendataan")
        VERIFIKASI = "verifikasi", _("Verifikasi")
        DITETAPKAN = "ditetapkan", _("Ditetapkan")
        ACTIVE = "active", _("Berjalan")
        CLOSED = "closed", _("Ditutup")

    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    region_code = models.CharField(_("kode wilayah"), max_length=4)
    region_name = models.CharField(_("nama wilayah"), max_length=120)
    policy_id = models.CharField(_("kebijakan"), max_length=60)
    policy_version = models.CharField(_("versi kebijakan"), max_length=20)
    # The policy file's exact text and SHA-256 when the year was created: every stage of the
    # year reads this snapshot, so editing the shipped YAML never changes a started year.
    policy_text = models.TextField(_("teks kebijakan"), editable=False)
    policy_sha256 = models.CharField(_("SHA-256 kebijakan"), max_length=64, editable=False)
    as_of = models.DateField(_("tanggal acuan usia"))
    coverage_months = models.PositiveSmallIntegerField(_("bulan kepesertaan"), default=12)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    #: The year whose participants this one carries over (issue 12, "the next programme
    #: year"): they are re-screened here and, while they still qualify, keep their KPJ.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("melanjutkan peserta tahun"),
    )

    class Meta:
        verbose_name = _("tahun program")
        verbose_name_plural = _("tahun program")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="one_year_per_region")
        ]
        permissions = [("manage_programmeyear", _("Mengelola tahun program"))]

    def __str__(self) -> str:
        return f"{self.region_name} {self.year}"


class BudgetLine(models.Model):
    """Pagu from one funding source (Pasal 13: APBD, or another lawful, non-binding source).

    Which sources a regency may use is its regulation's (issue 15: Pekalongan's Pasal 14
    ayat (3) as changed in facilitation names a provincial grant), so ``source`` is a code
    from the year's pinned policy (``funding_sources``), not a fixed choice; ``name`` keeps
    the policy's words for it. ``Source`` stays for the two codes every policy has by default.
    """

    class Source(models.TextChoices):
        APBD = "apbd", _("APBD Kabupaten")
        OTHER = "lainnya", _("Sumber lain yang sah dan tidak mengikat")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.CASCADE, related_name="budget_lines"
    )
    source = models.CharField(_("sumber dana"), max_length=10)
    name = models.CharField(_("nama sumber dana"), max_length=200, blank=True, default="")
    amount = models.BigIntegerField(_("pagu (rupiah)"))

    def get_source_display(self) -> str:
        """The source as the policy names it (lines written before issue 15: the old label)."""
        if self.name:
            return self.name
        return str(dict(self.Source.choices).get(self.source, self.source))

    class Meta:
        verbose_name = _("pagu")
        verbose_name_plural = _("pagu")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "source"], name="one_line_per_source"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="pagu_not_negative"),
        ]


class TeamMember(models.Model):
    """A member of the team (Pasal 10 ayat (3) agencies, ayat (4) positions)."""

    class Position(models.TextChoices):
        PEMBINA = "pembina", _("Pembina")
        PENGARAH = "pengarah", _("Pengarah")
        KETUA = "ketua", _("Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        ANGGOTA = "anggota", _("Anggota")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="team_members"
    )
    position = models.CharField(_("kedudukan dalam tim"), max_length=12, choices=Position.choices)
    name = models.CharField(_("nama"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    agency = models.CharField(_("unsur / perangkat daerah"), max_length=150)
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("anggota tim")
        verbose_name_plural = _("anggota tim")
        ordering = ["id"]
        permissions = [("manage_team", _("Mengelola susunan tim"))]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.name}"


class CooperationAgreement(models.Model):
    """The year's perjanjian kerja sama (PKS) with the BPJS Ketenagakerjaan branch office.

    Pasal 6 ayat (4)-(5): cover for the year's workers is arranged in a cooperation agreement
    between the regency and BPJS Ketenagakerjaan; Pasal 9 ayat (3): contributions are paid by
    the billing period it sets. One per year: a new record replaces the terms of the last
    (the audit trail keeps every version).
    """

    class BillingPeriod(models.TextChoices):
        MONTHLY = "bulanan", _("Bulanan")
        QUARTERLY = "triwulanan", _("Triwulanan")
        SEMIANNUAL = "semesteran", _("Semesteran")
        ANNUAL = "tahunan", _("Tahunan")

    programme_year = models.OneToOneField(
        ProgrammeYear, on_delete=models.PROTECT, related_name="cooperation_agreement"
    )
    number = models.CharField(_("nomor PKS"), max_length=120)
    signed_on = models.DateField(_("tanggal PKS"))
    branch_office = models.CharField(_("kantor cabang BPJS Ketenagakerjaan"), max_length=150)
    period_start = models.DateField(_("berlaku mulai"))
    period_end = models.DateField(_("berlaku sampai"))
    coverage_start = models.DateField(_("mulai kepesertaan yang disepakati"))
    billing_period = models.CharField(
        _("periode tagihan iuran"), max_length=12, choices=BillingPeriod.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now=True)

    class Meta:
        verbose_name = _("perjanjian kerja sama")
        verbose_name_plural = _("perjanjian kerja sama")
        permissions = [("record_cooperation_agreement", _("Mencatat perjanjian kerja sama"))]

    def __str__(self) -> str:
        return f"PKS {self.number}"
