"""A programme year with its pagu, and the DTSEN extracts imported into it.

Persons keep every imported field as the text that arrived (after trimming), so a screening
run over the database sees exactly what the file said and can be reproduced and explained.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.programmes.models import ProgrammeYear


class ColumnMappingProfile(models.Model):
    """A data source's own headers mapped to the canonical DTSEN columns, saved for reuse."""

    name = models.CharField(_("nama sumber"), max_length=120, unique=True)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemetaan kolom")
        verbose_name_plural = _("pemetaan kolom")

    def __str__(self) -> str:
        return self.name


class DtsenImport(BackgroundJob):
    """One uploaded extract. The same file (SHA-256) is imported at most once per year.

    A failed import does not count: the operator fixes the cause (usually a column mapping)
    and uploads the same file again, so the constraint leaves failed rows out.
    """

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="imports"
    )
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.BigIntegerField(_("ukuran (bita)"))
    stored_path = models.CharField(max_length=500)
    mapping = models.ForeignKey(
        ColumnMappingProfile, null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    household_count = models.PositiveIntegerField(null=True, blank=True)
    problems = models.JSONField(_("masalah per baris"), default=list, blank=True)
    #: Rows the data-quality checks make invalid, and those rows' codes counted (all rows,
    #: whereas ``problems`` keeps only the first ones for the page).
    invalid_count = models.PositiveIntegerField(_("baris tidak valid"), null=True, blank=True)
    invalid_by_code = models.JSONField(default=dict, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: People (distinct NIKs) of this file already in the year's earlier imports, out of the
    #: file's distinct NIKs, and per earlier import {pk, file_name, created_at, count}. The
    #: same people in a file with different bytes would be screened and counted twice, so an
    #: import with an overlap waits for an operator's confirmation before it can be screened.
    overlap_count = models.PositiveIntegerField(_("orang pada impor sebelumnya"), default=0)
    overlap_of = models.PositiveIntegerField(_("orang dengan NIK dalam berkas"), default=0)
    overlap_imports = models.JSONField(default=list, blank=True)
    overlap_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    overlap_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impor DTSEN")
        verbose_name_plural = _("impor DTSEN")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "sha256"],
                condition=~models.Q(status="failed"),
                name="same_file_imported_once",
            )
        ]
        permissions = [("import_extract", _("Mengimpor ekstrak DTSEN"))]

    job_task = "payung.registry.tasks.dtsen_import_execute"
    job_task_kwarg = "import_id"
    job_audit_name = "dtsen_import"
    job_permission = "registry.import_extract"

    def __str__(self) -> str:
        return self.file_name

    @property
    def overlap_unconfirmed(self) -> bool:
        """Finished, with people already imported this year, and nobody has confirmed it."""
        return (
            self.status == JobStatus.DONE
            and self.overlap_count > 0
            and self.overlap_confirmed_at is None
        )

    @property
    def overlap_percent(self) -> float:
        return 100 * self.overlap_count / self.overlap_of if self.overlap_of else 0.0

    def job_retry_conflict(self) -> str | None:
        other = (
            DtsenImport.objects.filter(programme_year_id=self.programme_year_id, sha256=self.sha256)
            .exclude(pk=self.pk)
            .exclude(status=JobStatus.FAILED)
            .first()
        )
        if other is None:
            return None
        return _(
            "Berkas yang sama sudah diimpor ulang sebagai impor #%(pk)s; impor ini tidak perlu "
            "diulang."
        ) % {"pk": other.pk}

    def job_reset(self) -> None:
        # The load is one transaction, so a killed attempt leaves nothing; this only guards
        # against a future change of that.
        Person.objects.filter(dtsen_import_id=self.pk).delete()
        Household.objects.filter(dtsen_import_id=self.pk).delete()
        for field in ("row_count", "household_count", "invalid_count"):
            setattr(self, field, None)
        self.problems, self.invalid_by_code = [], {}


class Household(models.Model):
    """A family card (KK) of one import, with its village of domicile."""

    dtsen_import = models.ForeignKey(DtsenImport, on_delete=models.CASCADE, related_name="+")
    no_kk = models.CharField(max_length=40)
    kode_desa = models.CharField(max_length=20, blank=True)
    alamat = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dtsen_import", "no_kk"], name="one_household_per_kk")
        ]


class Person(models.Model):
    """One row of an extract, fields as imported (text), plus the row number in the file.

    A regency loads a million of these at once, so the table carries only the indexes its
    reads use: the unique (import, row) key. The two foreign keys have no database
    constraint (each would queue a trigger per inserted row, halving COPY speed); they are
    written in the import's own transaction from ids read in that transaction.
    """

    dtsen_import = models.ForeignKey(
        DtsenImport,
        on_delete=models.CASCADE,
        related_name="persons",
        db_constraint=False,
        db_index=False,
    )
    household = models.ForeignKey(
        Household,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    row = models.PositiveIntegerField(_("baris"))
    nik = models.CharField(_("NIK"), max_length=40, blank=True)
    no_kk = models.CharField(_("No. KK"), max_length=40, blank=True)
    nama = models.CharField(_("nama"), max_length=200, blank=True)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=20, blank=True)
    tanggal_lahir = models.CharField(_("tanggal lahir"), max_length=40, blank=True)
    status_perkawinan = models.CharField(_("status perkawinan"), max_length=40, blank=True)
    jumlah_tanggungan = models.CharField(_("jumlah tanggungan"), max_length=10, blank=True)
    pekerjaan = models.CharField(_("pekerjaan"), max_length=120, blank=True)
    desil = models.CharField(_("desil"), max_length=10, blank=True)
    disabilitas = models.CharField(_("disabilitas"), max_length=80, blank=True)
    alamat = models.TextField(_("alamat"), blank=True)
    kode_desa = models.CharField(_("kode desa"), max_length=20, blank=True)
    bantuan_iuran = models.CharField(_("bantuan iuran"), max_length=40, blank=True)
    nik_numeric_cell = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        ordering = ["row"]
        constraints = [
            models.UniqueConstraint(fields=["dtsen_import", "row"], name="one_person_per_row")
        ]
