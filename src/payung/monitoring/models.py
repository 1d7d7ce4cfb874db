"""The team's reports: the semester report to the Regent, its minutes and the monthly recap.

Pasal 12 ayat (3): the team reports on optimising the programme to the Regent every six
months or whenever needed; Pasal 10 ayat (2) huruf e-h: it monitors and evaluates the
participants, the payments and whether the benefits reach the right people, and reports.

A report is a version: the figures are taken from the monitoring selectors when the version is
made and the recommendations text the team's secretary wrote is kept with it. Editing the
recommendations makes a new version; earlier ones stay, with their files and SHA-256, so what
went to the Regent can always be shown again. The signed copy is uploaded like a decree's
signed scan (a PDF, SHA-256 kept, downloads audited).

The ``Meta.permissions`` of ``SemesterReport`` also carry ``view_monitoring``, the permission
of the monitoring pages (the app has no other model to hold it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.documents.models import Document
from payung.programmes.models import ProgrammeYear


class SemesterReport(models.Model):
    """One version of the semester report of a half-year (Pasal 12 ayat (3))."""

    class Half(models.IntegerChoices):
        FIRST = 1, _("Semester I (Januari-Juni)")
        SECOND = 2, _("Semester II (Juli-Desember)")

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="semester_reports"
    )
    half = models.PositiveSmallIntegerField(_("semester"), choices=Half.choices)
    version = models.PositiveSmallIntegerField(_("versi"))
    #: The team's recommendations, written by the secretary in the page (free text).
    recommendations = models.TextField(_("rekomendasi tim"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pdf_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    docx_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    #: Every figure the documents print, counted once when the first file is built
    #: (``monitoring.documents.semester_report_figures``): the PDF and DOCX agree.
    figures = models.JSONField(null=True, blank=True, editable=False)
    #: The signed copy (PDF scan), kept like a decree's signed scan.
    signed_path = models.CharField(max_length=500, blank=True)
    signed_sha256 = models.CharField(
        _("SHA-256 salinan bertanda tangan"), max_length=64, blank=True
    )
    signed_size = models.PositiveIntegerField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("laporan semester")
        verbose_name_plural = _("laporan semester")
        ordering = ["programme_year", "half", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "half", "version"], name="one_semester_report_version"
            )
        ]
        permissions = [
            ("view_monitoring", _("Melihat monitoring dan evaluasi")),
            ("write_report", _("Menyusun laporan semester, notulen dan rekap bulanan")),
            ("upload_signed_report", _("Mengunggah laporan semester yang telah ditandatangani")),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} S{self.half} v{self.version}"

    @property
    def files(self) -> list[Document]:
        return [d for d in (self.pdf_document, self.docx_document) if d is not None]


class MonitoringMinutes(models.Model):
    """The minutes of one monitoring and evaluation meeting (Pasal 10 ayat (2) huruf e-f).

    What the team saw and decided is typed by its secretary; the figures printed with it come
    from the monitoring selectors on the meeting's date, at the time the document is made.
    """

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="monitoring_minutes"
    )
    held_on = models.DateField(_("tanggal rapat"))
    place = models.CharField(_("tempat"), max_length=200)
    findings = models.TextField(_("hasil monitoring dan evaluasi"))
    decisions = models.TextField(_("kesimpulan dan tindak lanjut"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pdf_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    docx_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("notulen monitoring dan evaluasi")
        verbose_name_plural = _("notulen monitoring dan evaluasi")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme_year} {self.held_on}"

    @property
    def files(self) -> list[Document]:
        return [d for d in (self.pdf_document, self.docx_document) if d is not None]


class MonthlyRecap(models.Model):
    """The recap of one month's participants and payments for Disnakertrans (XLSX and PDF).

    Made again on request: each request is a new row with its own files, the older kept.
    """

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="monthly_recaps"
    )
    month = models.PositiveSmallIntegerField(_("bulan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pdf_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    #: A ``documents.Document`` of format ``xlsx`` (built, stored and hashed like the PDF).
    xlsx_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("rekap bulanan")
        verbose_name_plural = _("rekap bulanan")
        ordering = ["-month", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme_year} {self.month}"

    @property
    def files(self) -> list[Document]:
        return [d for d in (self.xlsx_document, self.pdf_document) if d is not None]

    @property
    def month_label(self) -> str:
        """``Maret 2026``."""
        from payung.domain.calendar import MONTHS

        return f"{MONTHS[self.month - 1]} {self.programme_year.year}"
