"""A screening run (policy version + as-of date over one import) and one decision per person.

Decisions are the engine's decision file stored as rows (same columns, same values), so the
pages, the XLSX export and ``payung screen`` on the same file always agree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, Person


class ScreeningRun(BackgroundJob):
    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="screening_runs"
    )
    dtsen_import = models.ForeignKey(
        DtsenImport, on_delete=models.PROTECT, related_name="screening_runs"
    )
    policy_id = models.CharField(max_length=60)
    policy_version = models.CharField(max_length=20)
    as_of = models.DateField(_("tanggal acuan"))
    budget = models.BigIntegerField(_("pagu (rupiah)"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("bulan"), default=12)
    quota = models.PositiveIntegerField(_("kuota"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penyaringan")
        verbose_name_plural = _("penyaringan")
        ordering = ["-created_at"]
        permissions = [
            ("run_screening", _("Menjalankan penyaringan")),
            ("view_person_decision", _("Melihat keputusan per orang")),
            ("view_unmasked_nik", _("Melihat NIK lengkap (tercatat di jejak audit)")),
            ("export_personal_data", _("Mengekspor data pribadi (tercatat di jejak audit)")),
        ]

    job_task = "payung.screening.tasks.screening_run_execute"
    job_task_kwarg = "run_id"
    job_audit_name = "screening_run"
    job_permission = "screening.run_screening"

    def __str__(self) -> str:
        return f"{self.policy_id} {self.as_of} #{self.pk}"

    def job_retry_conflict(self) -> str | None:
        busy = (
            ScreeningRun.objects.filter(
                dtsen_import_id=self.dtsen_import_id,
                status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            )
            .exclude(pk=self.pk)
            .exists()
        )
        if busy:
            return _("Penyaringan lain atas impor ini sedang berjalan; tunggu sampai selesai.")
        return None

    def job_reset(self) -> None:
        # Decisions are stored in one transaction with the run's "done", so a killed run has
        # none; deleting guards against a future change of that.
        Decision.objects.filter(run_id=self.pk).delete()
        self.counts, self.quota = {}, None


class Decision(models.Model):
    """The engine's decision for one person. Bulk-loaded like ``Person`` (see its docstring):
    no database constraint on the foreign keys, and the (run, row) key serves run lookups."""

    run = models.ForeignKey(
        ScreeningRun,
        on_delete=models.CASCADE,
        related_name="decisions",
        db_constraint=False,
        db_index=False,
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    row = models.PositiveIntegerField(_("baris"))
    nik = models.CharField(_("NIK"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=12)
    reasons = models.CharField(_("alasan"), max_length=400, blank=True)
    priority_rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    priorities = models.CharField(_("prioritas"), max_length=60, blank=True)
    flags = models.CharField(_("catatan"), max_length=200, blank=True)
    age = models.SmallIntegerField(_("usia"), null=True, blank=True)
    desil = models.SmallIntegerField(_("desil"), null=True, blank=True)
    occupation_category = models.CharField(_("kategori pekerjaan"), max_length=40, blank=True)
    kode_desa = models.CharField(_("kode desa"), max_length=20, blank=True)
    kode_kecamatan = models.CharField(_("kode kecamatan"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("keputusan")
        verbose_name_plural = _("keputusan")
        ordering = ["row"]
        constraints = [models.UniqueConstraint(fields=["run", "row"], name="one_decision_per_row")]
        # Issue 16: each index ends in the list's order (rank, then row), so a filtered page
        # is read in order from the index and stops after one page (keyset pagination),
        # never sorting a million rows; (run, nik) serves the NIK-prefix search as a range
        # and the person page's lookup of one NIK in every year.
        indexes = [
            models.Index(
                fields=["run", "status", "priority_rank", "row"], name="decision_status_order"
            ),
            models.Index(fields=["run", "priority_rank", "row"], name="decision_order"),
            models.Index(
                fields=["run", "kode_kecamatan", "priority_rank", "row"], name="decision_kec_order"
            ),
            models.Index(
                fields=["run", "kode_desa", "priority_rank", "row"], name="decision_desa_order"
            ),
            models.Index(fields=["run", "nik"], name="decision_nik"),
        ]
