"""The year's candidates: a proposal from a screening run, each person's state and history.

Pasal 7 ayat (3) has Dinas Sosial put forward the result of the pendataan for Disdukcapil to
verify; Pasal 7 ayat (4) has the Regent fix the verified by decree. Between the two, every
eligible person of the year has exactly one current state and an append-only history of how
it got there (design §2). The state changes only through ``services.candidate_transition``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.programmes.models import ProgrammeYear
from payung.registry.models import Person
from payung.screening.models import Decision, ScreeningRun


class CandidateState(models.TextChoices):
    SCREENED = "screened", _("Tersaring")
    PROPOSED = "proposed", _("Diusulkan")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")
    DECREED = "decreed", _("Ditetapkan")


#: States that hold one of the places the pagu pays for (Pasal 6 ayat (2)).
PLACE_HOLDING: frozenset[str] = frozenset(
    {CandidateState.PROPOSED, CandidateState.VERIFIED, CandidateState.DECREED}
)


class Proposal(models.Model):
    """The operator pendataan's proposal of one year, from one screening run.

    Draft while the operator reviews and excludes; a second person approves it (four eyes),
    which freezes it: from then on only verification and decrees change its candidates.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        APPROVED = "approved", _("Disetujui")

    programme_year = models.OneToOneField(
        ProgrammeYear, on_delete=models.PROTECT, related_name="proposal"
    )
    screening_run = models.ForeignKey(
        ScreeningRun, on_delete=models.PROTECT, related_name="proposals"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    quota = models.PositiveIntegerField(_("kuota"))
    budget = models.BigIntegerField(_("pagu (rupiah)"))
    months = models.PositiveSmallIntegerField(_("bulan"))
    place = models.CharField(_("tempat"), max_length=120)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("diusulkan"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)

    class Meta:
        verbose_name = _("usulan calon peserta")
        verbose_name_plural = _("usulan calon peserta")
        permissions = [
            ("propose_candidates", _("Mengusulkan calon peserta dan mengecualikan calon")),
            ("approve_proposal", _("Menyetujui usulan calon peserta (bukan pengusulnya)")),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} #{self.pk}"


class Candidate(models.Model):
    """One eligible person of the year: rank, current state, and the reason for the last
    change when it was a refusal. ``nik`` is copied from the decision so verification
    answers (keyed by NIK) are matched with one indexed lookup."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("peringkat"))
    nik = models.CharField(_("NIK"), max_length=40)
    state = models.CharField(
        _("status"), max_length=12, choices=CandidateState.choices, default=CandidateState.SCREENED
    )
    reason_code = models.CharField(_("kode alasan"), max_length=40, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    #: Fields Disdukcapil corrected (DATA BERBEDA), canonical column -> corrected value.
    corrected = models.JSONField(_("data perbaikan"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calon peserta")
        verbose_name_plural = _("calon peserta")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="one_candidacy_per_person"),
            models.UniqueConstraint(fields=["proposal", "rank"], name="one_candidate_per_rank"),
        ]
        indexes = [
            models.Index(fields=["proposal", "state", "rank"]),
            models.Index(fields=["proposal", "nik"]),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} ({self.get_state_display()})"


class CandidateEvent(models.Model):
    """One transition of one candidate: who, when, why, and the evidence (design §2).

    Append-only: written by ``candidate_transition`` alone, never updated.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, choices=CandidateState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=CandidateState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(auto_now_add=True)
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    #: File SHA-256, decree number, verification batch, … whatever proves the change.
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("riwayat calon")
        verbose_name_plural = _("riwayat calon")
        ordering = ["at", "id"]
