"""A budget simulation, kept for traceability (issue 14, Pasal 6 ayat (2)).

The budget office (BPKD) and planning (Bapperida) ask what full coverage costs and how fast a
pagu reaches it. A figure quoted in a budget meeting must be shown again later exactly as it
was: who ran it, when, with which inputs, from which extract (SHA-256 of the imported file)
and under which regulation (SHA-256 of the year's pinned policy text). So every simulation
run in the page is a row, with its figures as the JSON ``payung simulate`` writes; it holds
aggregates only (counts per kecamatan and priority group, rupiah), never a person.

``Meta.permissions`` carries ``run_simulation``, the permission of the planning pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.programmes.models import ProgrammeYear
from payung.screening.models import ScreeningRun


class Simulation(models.Model):
    """One run of the budget simulator on a programme year's screening."""

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="simulations"
    )
    #: The screening run whose eligible were counted (the year's import, its pinned policy).
    screening_run = models.ForeignKey(
        ScreeningRun, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    pagu = models.BigIntegerField(_("pagu (rupiah)"))
    #: Percent a year, exact text ("0", "5", "2.5"): never a float.
    growth_pct = models.CharField(_("pertumbuhan pagu (% per tahun)"), max_length=8, default="0")
    months = models.PositiveSmallIntegerField(_("bulan kepesertaan"))
    as_of = models.DateField(_("tanggal acuan usia"))
    policy_id = models.CharField(_("kebijakan"), max_length=60)
    policy_version = models.CharField(_("versi kebijakan"), max_length=20)
    policy_sha256 = models.CharField(_("SHA-256 kebijakan"), max_length=64)
    input_sha256 = models.CharField(_("SHA-256 berkas DTSEN"), max_length=64)
    #: The figures, as ``payung simulate`` writes ``simulation.json`` (sorted keys).
    result = models.JSONField(_("hasil"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("simulasi anggaran")
        verbose_name_plural = _("simulasi anggaran")
        permissions = [
            ("run_simulation", _("Menjalankan dan membaca simulasi anggaran (Pasal 6 ayat (2))"))
        ]

    def __str__(self) -> str:
        return f"Simulasi {self.programme_year.year} #{self.pk}"
