"""Other funders' lists and the people Payung's extract shares with them (Pasal 5 ayat (2)
huruf f; issue 13).

Pasal 5 ayat (2) huruf f excludes workers whose contributions the national, the province's
or the regency's budget already pays. The lists of those budgets reach the regency typed by
other hands, so the linkage engine (Splink) proposes which of the year's people are on a
list, with its evidence; a person decides each match (``ListMatch.decision``). Only the
matched rows of the other list are kept (the fields a reviewer compares side by side); the
uploaded file is deleted once linked, its SHA-256 kept as the evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.core.models import BackgroundJob, JobStatus
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, LinkedPair, Person


class Funder(models.TextChoices):
    """Who pays the contributions of the people on the list: the budgets Pasal 5 ayat (2)
    huruf f names, the village budget and any other programme."""

    APBN = "apbn", _("APBN (pemerintah pusat)")
    APBD_PROVINSI = "apbd_provinsi", _("APBD provinsi")
    APBD_KABUPATEN = "apbd_kabupaten", _("APBD kabupaten (program lain)")
    APBDES = "apbdes", _("APBDes (dana desa)")
    LAINNYA = "lainnya", _("Sumber lain")


class OtherList(BackgroundJob):
    """One list of another funder, uploaded into a programme year and linked in the
    background against the year's extract (the one the proposal was made from, or the
    latest imported)."""

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="other_lists"
    )
    source_name = models.CharField(_("nama daftar"), max_length=200)
    funder = models.CharField(_("sumber dana"), max_length=20, choices=Funder.choices)
    list_date = models.DateField(_("tanggal daftar"))
    #: Canonical linkage column -> the file's header, for a list with other headers.
    mapping = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.BigIntegerField(_("ukuran (bita)"))
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    #: The extract the list was linked against.
    dtsen_import = models.ForeignKey(
        DtsenImport, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    row_count = models.PositiveIntegerField(_("baris daftar"), null=True, blank=True)
    match_count = models.PositiveIntegerField(_("pasangan cocok"), default=0)
    review_count = models.PositiveIntegerField(_("pasangan ragu-ragu"), default=0)
    #: The engine's summary.json (counts, thresholds, model parameters) without file names.
    summary = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("daftar sumber dana lain")
        verbose_name_plural = _("daftar sumber dana lain")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "sha256"],
                condition=~models.Q(status="failed"),
                name="same_other_list_once",
            )
        ]
        permissions = [
            ("import_other_list", _("Mengunggah daftar penerima iuran dari sumber dana lain")),
            ("decide_match", _("Memutuskan kecocokan dengan daftar sumber dana lain")),
        ]

    job_task = "payung.linkage.tasks.other_list_link"
    job_task_kwarg = "other_list_id"
    job_audit_name = "other_list"
    job_permission = "linkage.import_other_list"

    def __str__(self) -> str:
        return self.source_name

    def job_reset(self) -> None:
        # Matches are stored in one transaction with "done"; this guards a future change.
        ListMatch.objects.filter(other_list_id=self.pk).delete()
        self.row_count, self.match_count, self.review_count, self.summary = None, 0, 0, {}


class MatchEffect(models.TextChoices):
    """What a confirmed match did to the person's place in the programme."""

    NONE = "", _("—")
    EXCLUDED = "excluded", _("Dikeluarkan dari usulan (Pasal 5 ayat (2) huruf f)")
    ENDED = "ended", _("Kepesertaan diakhiri: iuran juga dibayar sumber dana lain")
    AWAITING_PROPOSAL = "awaiting", _("Akan dikeluarkan saat usulan calon dibuat")
    NOT_CANDIDATE = "not_candidate", _("Tidak berpengaruh: orang ini bukan calon peserta")
    ALREADY_OUT = "already_out", _("Tidak berpengaruh: sudah ditolak atau berakhir")


class ListMatch(LinkedPair):
    """A person of the year's extract and a row of another funder's list that the engine
    judged to be one person. The other row's fields are kept for the reviewer only."""

    other_list = models.ForeignKey(OtherList, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other_row = models.PositiveIntegerField(_("baris pada daftar lain"))
    other_nik = models.CharField(max_length=40, blank=True)
    other_nama = models.CharField(max_length=200, blank=True)
    other_tanggal_lahir = models.CharField(max_length=40, blank=True)
    other_jenis_kelamin = models.CharField(max_length=20, blank=True)
    other_kode_desa = models.CharField(max_length=20, blank=True)
    other_no_kk = models.CharField(max_length=40, blank=True)
    effect = models.CharField(
        _("akibat"), max_length=20, choices=MatchEffect.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("kecocokan dengan daftar lain")
        verbose_name_plural = _("kecocokan dengan daftar lain")
        ordering = ["other_list", "-probability", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["other_list", "person", "other_row"], name="one_match_per_pair"
            )
        ]
        indexes = [models.Index(fields=["other_list", "decision"])]
