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
    reads use: the unique (import, row) key and the NIK. The two foreign keys have no database
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
        # The person page and the header search find every year's row of one NIK (issue 16:
        # without it a lookup read all of a million-row import).
        indexes = [models.Index(fields=["nik"], name="person_nik")]


class PairDecision(models.TextChoices):
    """A person's answer on a pair the linkage model proposed (issue 13): the model
    proposes, a person decides."""

    PENDING = "pending", _("Perlu ditinjau")
    CONFIRMED = "confirmed", _("Orang yang sama")
    REJECTED = "rejected", _("Bukan orang yang sama")


class LinkedPair(models.Model):
    """Two records the linkage engine judged to be one person, with its evidence, waiting
    for a person's decision (Pasal 5 ayat (2) huruf f; issue 13).

    Shared by the duplicates found within one extract (``registry.DuplicatePair``) and the
    matches against another funder's list (``linkage.ListMatch``). ``evidence`` holds the
    engine's level per comparison (``nik``, ``nama``, ``tanggal_lahir``, ``jenis_kelamin``,
    ``wilayah``, ``no_kk``: codes, never a value; ``registry.pairs`` words them), so the
    decision can be explained without the file.
    """

    class Band(models.TextChoices):
        MATCH = "match", _("Cocok")
        REVIEW = "review", _("Ragu-ragu")

    #: Splink's match probability, six decimals as the engine writes it.
    probability = models.DecimalField(_("peluang sama orang"), max_digits=7, decimal_places=6)
    band = models.CharField(_("kelompok"), max_length=8, choices=Band.choices)
    evidence = models.JSONField(_("bukti per perbandingan"), default=dict)
    decision = models.CharField(
        _("keputusan"), max_length=10, choices=PairDecision.choices, default=PairDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        abstract = True


class DuplicateCheck(BackgroundJob):
    """One search for the same person twice within one extract (issue 13), run in the
    background after every import and again on an operator's request.

    A person under two NIKs would be screened, proposed and paid for twice (Pasal 9 ayat
    (1)); the linkage engine proposes the pairs, an operator decides each one. The latest
    check of an import is the one its page shows; the counts come from the engine's summary
    (pairs matched, in review, held apart by the family and other-person guards).
    """

    dtsen_import = models.ForeignKey(
        DtsenImport, on_delete=models.CASCADE, related_name="duplicate_checks"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    match_count = models.PositiveIntegerField(_("pasangan cocok"), default=0)
    review_count = models.PositiveIntegerField(_("pasangan ragu-ragu"), default=0)
    #: Pairs the engine scored high but its guards held apart: relatives on one KK, and two
    #: well-formed NIKs whose names or villages say two people.
    guarded_family_count = models.PositiveIntegerField(default=0)
    guarded_other_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pemeriksaan data ganda")
        verbose_name_plural = _("pemeriksaan data ganda")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_duplicates", _("Meninjau data ganda dalam ekstrak"))]

    job_task = "payung.registry.tasks.duplicate_check_execute"
    job_task_kwarg = "duplicate_check_id"
    job_audit_name = "duplicate_check"
    job_permission = "registry.review_duplicates"

    def __str__(self) -> str:
        return f"{self.dtsen_import_id}/{self.pk}"

    def job_retry_conflict(self) -> str | None:
        """Another search of the same import waits or runs: it will store the pairs."""
        busy = (
            DuplicateCheck.objects.filter(
                dtsen_import_id=self.dtsen_import_id,
                status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
            )
            .exclude(pk=self.pk)
            .exists()
        )
        if busy:
            return _("Pemeriksaan data ganda impor ini sedang berjalan; tunggu sampai selesai.")
        return None

    def job_reset(self) -> None:
        # Pairs are stored in one transaction with "done"; this guards a future change.
        DuplicatePair.objects.filter(duplicate_check_id=self.pk).delete()
        self.match_count = self.review_count = 0
        self.guarded_family_count = self.guarded_other_count = 0


class DuplicatePair(LinkedPair):
    """Two rows of one extract the engine judged to be one person (``person_1.row`` <
    ``person_2.row``). Deciding it records a person's judgement only: both rows stay as
    imported, and Disdukcapil's verification (Pasal 7 ayat (3)) says which NIK is real."""

    duplicate_check = models.ForeignKey(
        DuplicateCheck, on_delete=models.CASCADE, related_name="pairs"
    )
    person_1 = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_2 = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("pasangan data ganda")
        verbose_name_plural = _("pasangan data ganda")
        ordering = ["duplicate_check", "-probability", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["duplicate_check", "person_1", "person_2"], name="one_duplicate_pair"
            )
        ]
        indexes = [models.Index(fields=["duplicate_check", "decision"])]
