"""An appeal (sanggahan) of a refused person: what was asked, the evidence, the answer.

A person refused in a programme year (not eligible, eligible but outside the pagu of Pasal 6
ayat (2), or rejected in Disdukcapil's verification of Pasal 7 ayat (3)) may object at Dinas
Sosial's counter or through the desa. The appeal keeps the corrected values with the document
each comes from, the result of screening the corrected row again under the year's pinned
policy and as-of date, and the answer: a place on the waiting list, or a refusal with every
failed article. The answer letter is a generated document (``documents.Document``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.participants.models import Candidate
from payung.programmes.models import ProgrammeYear
from payung.registry.models import Person
from payung.screening.models import Decision


class Appeal(models.Model):
    class Channel(models.TextChoices):
        LOKET = "loket", _("Loket Dinas Sosial")
        DESA = "desa", _("Melalui desa")

    class Refusal(models.TextChoices):
        """What the person objects to: the refusal as it stood when the appeal came in."""

        INELIGIBLE = "ineligible", _("Tidak memenuhi syarat")
        INVALID = "invalid", _("Data tidak dapat dinilai")
        WAITLISTED = "waitlisted", _("Memenuhi syarat, di luar pagu (daftar tunggu)")
        REJECTED = "rejected", _("Ditolak pada verifikasi atau sebelum penetapan")

    class Status(models.TextChoices):
        OPEN = "open", _("Belum dijawab")
        ANSWERED = "answered", _("Sudah dijawab")

    class Outcome(models.TextChoices):
        WAITING_LIST = "waiting_list", _("Diterima: masuk daftar tunggu")
        REPLACEMENT_ROUND = "replacement_round", _("Diterima: masuk putaran pengganti berikutnya")
        REFUSED = "refused", _("Ditolak: tetap tidak memenuhi syarat")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="appeals"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appeals")
    #: The screening decision appealed against (the year's proposal run).
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    #: The person's candidacy: when the appeal came in, or the one the answer created.
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="appeals", null=True, blank=True
    )
    refusal = models.CharField(_("yang disanggah"), max_length=12, choices=Refusal.choices)
    received_on = models.DateField(_("tanggal diterima"))
    due_on = models.DateField(_("batas jawaban"))
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices)
    filed_by = models.CharField(_("diajukan oleh"), max_length=200)
    grounds = models.TextField(_("alasan sanggahan"))
    #: Canonical column -> {"value": corrected text, "source": the document it comes from}.
    corrections = models.JSONField(_("data perbaikan"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    # The re-screening under the year's pinned policy and as-of date (the engine's columns).
    result_status = models.CharField(_("hasil penyaringan ulang"), max_length=12, blank=True)
    result_reasons = models.CharField(max_length=400, blank=True)
    result_priorities = models.CharField(max_length=60, blank=True)
    result_age = models.SmallIntegerField(null=True, blank=True)
    result_desil = models.SmallIntegerField(null=True, blank=True)
    result_occupation_category = models.CharField(max_length=40, blank=True)
    result_kode_desa = models.CharField(max_length=20, blank=True)
    #: SHA-256 of the row the result was computed from: an answer screens again only when
    #: the row changed since (Disdukcapil corrected the candidate meanwhile).
    result_row_sha256 = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices, blank=True)
    #: The rank the answer gave on the proposal's list (waiting list or replacement round).
    placed_rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    answered_on = models.DateField(_("tanggal jawaban"), null=True, blank=True)

    class Meta:
        verbose_name = _("sanggahan")
        verbose_name_plural = _("sanggahan")
        ordering = ["received_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="open"),
                name="one_open_appeal_per_person",
            )
        ]
        indexes = [models.Index(fields=["programme_year", "status", "due_on"])]
        permissions = [
            ("record_appeal", _("Mencatat sanggahan dan bukti perbaikan data")),
            ("answer_appeal", _("Menjawab sanggahan (bukan pencatatnya)")),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} #{self.pk}"
