"""The year's candidates: a proposal from a screening run, each person's state and history.

Pasal 7 ayat (3) has Dinas Sosial put forward the result of the pendataan for Disdukcapil to
verify; Pasal 7 ayat (4) has the Regent fix the verified by decree. Between the two, every
eligible person of the year has exactly one current state and an append-only history of how
it got there (design §2). The state changes only through ``transitions.candidates_transition``.

Past the decree the same candidate is registered with BPJS (Pasal 8), active from the cover
start BPJS gives, and ended (death, move, double funding, …); each active stretch is a
``CoveragePeriod``, which is what billing and monitoring read.
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
    REGISTERED = "registered", _("Terdaftar di BPJS")
    ACTIVE = "active", _("Aktif")
    ENDED = "ended", _("Berakhir")


class EndReason(models.TextChoices):
    """Why a participant's cover ends (design §2, "ends"): stored as the code, shown in words."""

    MENINGGAL = "meninggal", _("Meninggal dunia")
    PINDAH = "pindah", _("Pindah domisili")
    DANA_GANDA = "dana_ganda", _("Iuran juga dibayar sumber dana lain")
    TIDAK_MEMENUHI_SYARAT = "tidak_memenuhi_syarat", _("Tidak lagi memenuhi syarat")
    MENGUNDURKAN_DIRI = "mengundurkan_diri", _("Mengundurkan diri")
    #: Pasal 8 ayat (3): BPJS records the participants; one it refuses leaves the year.
    DITOLAK_BPJS = "ditolak_bpjs", _("Pendaftaran ditolak BPJS Ketenagakerjaan")


#: States that hold one of the places the pagu pays for (Pasal 6 ayat (2)). An ended
#: participant's place is free again (its replacement is the amending decree's work).
PLACE_HOLDING: frozenset[str] = frozenset(
    {
        CandidateState.PROPOSED,
        CandidateState.VERIFIED,
        CandidateState.DECREED,
        CandidateState.REGISTERED,
        CandidateState.ACTIVE,
    }
)

#: States reached only through the signed decree: the participants it named.
DECREED_OR_LATER: frozenset[str] = frozenset(
    {
        CandidateState.DECREED,
        CandidateState.REGISTERED,
        CandidateState.ACTIVE,
        CandidateState.ENDED,
    }
)


class Proposal(models.Model):
    """The operator pendataan's proposal of one year, from one screening run.

    Draft while the operator reviews and excludes; a second person approves it (four eyes),
    which freezes it: from then on only verification and decrees change its candidates.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        APPROVED = "approved", _("Disetujui")

    class Origin(models.TextChoices):
        """Where the year's candidates came from: Payung's own screening, or the roster of
        participants a regency already had when it started using Payung (kept in Excel)."""

        SCREENING = "screening", _("Penyaringan DTSEN")
        ROSTER = "roster", _("Data peserta lama")

    programme_year = models.OneToOneField(
        ProgrammeYear, on_delete=models.PROTECT, related_name="proposal"
    )
    #: Empty only for a roster proposal: those participants were chosen before Payung.
    screening_run = models.ForeignKey(
        ScreeningRun, on_delete=models.PROTECT, related_name="proposals", null=True, blank=True
    )
    origin = models.CharField(
        _("asal data"), max_length=10, choices=Origin.choices, default=Origin.SCREENING
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
    #: The screening decision that made the person a candidate; empty for a participant
    #: moved in from the regency's earlier roster ("dipindahkan dari data lama").
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("peringkat"))
    nik = models.CharField(_("NIK"), max_length=40)
    state = models.CharField(
        _("status"), max_length=12, choices=CandidateState.choices, default=CandidateState.SCREENED
    )
    reason_code = models.CharField(_("kode alasan"), max_length=40, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    #: Fields Disdukcapil corrected (DATA BERBEDA), canonical column -> corrected value.
    corrected = models.JSONField(_("data perbaikan"), default=dict, blank=True)
    #: BPJS participant card number, from BPJS's registration answer (Pasal 8 ayat (3)).
    #: Masked like a NIK wherever it is shown or logged (design §6).
    kpj = models.CharField(_("nomor KPJ"), max_length=20, blank=True)
    #: Last year's candidacy of the same person when the year carried its participants over
    #: (issue 12): set by the renewal stage's proposal hook; such a participant keeps the KPJ
    #: and is registered by continuity, not by a new BPJS registration.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("lanjutan dari"),
    )
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
        permissions = [
            ("register_participant", _("Mencatat pendaftaran peserta di BPJS (nomor KPJ)")),
            ("activate_participant", _("Mencatat mulai kepesertaan dari jawaban BPJS")),
            ("end_participant", _("Mengakhiri kepesertaan dengan tanggal dan alasan")),
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


class CoveragePeriod(models.Model):
    """One stretch of a participant's cover: from ``start`` through ``end`` (both days
    covered), ``end`` empty while the participant is active.

    Billing asks "who was active on which days" (Pasal 9): it reads these rows, not the
    history. Periods of one candidate never overlap: the services check it, and the
    database allows at most one open period per candidate (a partial unique index, which
    SQLite and PostgreSQL both enforce; a full no-overlap rule would need PostgreSQL's
    exclusion constraints).
    """

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="coverage_periods"
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("berakhir"), null=True, blank=True)
    end_reason = models.CharField(
        _("alasan berakhir"), max_length=40, choices=EndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("masa kepesertaan")
        verbose_name_plural = _("masa kepesertaan")
        ordering = ["candidate", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=models.Q(end__isnull=True),
                name="one_open_coverage_per_candidate",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="coverage_end_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self) -> str:
        return f"{self.start} – {self.end or '…'}"
