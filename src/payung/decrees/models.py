"""The team of Pasal 10 and the decrees of the year (Pasal 7 ayat (4), 10 ayat (2) huruf d, 10
ayat (5)).

A decree is drafted from a DOCX template, signed on paper, then recorded here with its number,
date, signer and the signed scan. A recorded decree is never edited: later changes are
amending decrees, each with its own number and date and an ``amends`` link to the decree it
changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.participants.models import Candidate
from payung.programmes.models import ProgrammeYear


class Decree(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Rancangan")
        SIGNED = "signed", _("Ditandatangani")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="decrees"
    )
    kind = models.CharField(_("jenis"), max_length=40)  # the policy file's decree id
    title = models.CharField(_("judul"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    participant_count = models.PositiveIntegerField(_("jumlah peserta"), default=0)
    total_cost = models.BigIntegerField(_("biaya (rupiah)"), default=0)
    #: The money as decided at drafting (rupiah per participant per month and months): the
    #: decree and its documents render these, never a rate read again from a policy.
    monthly_cost = models.BigIntegerField(_("iuran per peserta per bulan (rupiah)"), default=0)
    months = models.PositiveSmallIntegerField(_("bulan"), default=0)
    #: SHA-256 of the participants' candidate ids at drafting: signing checks the list has
    #: not changed since, so what is recorded is what the Regent signed. For an amending
    #: participants decree, the digest of both its lists (additions and removals).
    participants_digest = models.CharField(max_length=64, blank=True)
    #: The signed decree of the same year and kind this one changes ("Mengubah Keputusan
    #: Nomor …"); empty for the year's first decree of its kind. Additions and removals
    #: after the first decree are amending decrees, never edits of the first.
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="amendments",
        null=True,
        blank=True,
        verbose_name=_("mengubah keputusan"),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    signed_on = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    scan_path = models.CharField(max_length=500, blank=True)
    scan_sha256 = models.CharField(_("SHA-256 pindaian"), max_length=64, blank=True)
    scan_size = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("keputusan")
        verbose_name_plural = _("keputusan")
        ordering = ["-drafted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "kind"],
                condition=models.Q(status="signed", amends__isnull=True),
                name="one_signed_decree_per_kind",
            )
        ]
        permissions = [
            ("draft_decree", _("Menyusun rancangan keputusan")),
            ("record_signed_decree", _("Mencatat keputusan yang telah ditandatangani")),
            ("download_internal_annex", _("Mengunduh lampiran dengan NIK lengkap (tercatat)")),
        ]

    def __str__(self) -> str:
        return self.number or self.title


class DecreeChange(models.Model):
    """One person an amending participants decree adds or removes, fixed when it is drafted.

    Pasal 7 ayat (4) fixes participants by decree; after the first decree, a replacement
    from the waiting list (verified by Disdukcapil, Pasal 7 ayat (3)) is added and an ended
    participant (refused by BPJS under Pasal 8 ayat (3), died, moved, funded twice, ...) is
    removed by an amending decree. The lists are stored at drafting so the signed decree is
    what was drafted (the decree's digest is checked again at signing), and so a person
    removed by one amending decree is never listed again by the next. ``reason`` is the
    public wording printed in the annex (never the free text of the person's history).
    """

    class Change(models.TextChoices):
        ADDITION = "addition", _("Penambahan")
        REMOVAL = "removal", _("Pengurangan")

    decree = models.ForeignKey(Decree, on_delete=models.CASCADE, related_name="changes")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="decree_changes"
    )
    change = models.CharField(_("perubahan"), max_length=10, choices=Change.choices)
    reason_code = models.CharField(_("kode alasan"), max_length=40)
    reason = models.CharField(_("alasan"), max_length=200)

    class Meta:
        verbose_name = _("perubahan peserta")
        verbose_name_plural = _("perubahan peserta")
        ordering = ["decree", "change", "candidate__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["decree", "candidate"], name="one_change_per_decree_and_candidate"
            )
        ]
        indexes = [models.Index(fields=["candidate", "change"])]

    def __str__(self) -> str:
        return f"{self.get_change_display()} #{self.candidate_id}"
