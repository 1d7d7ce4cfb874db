"""Writes of the team's reports: a report version, its signed copy, minutes, a monthly recap.

Pasal 12 ayat (3): the team reports to the Regent every six months (or whenever needed) on
optimising the programme; Pasal 10 ayat (2) huruf e-h: it monitors, evaluates and reports.
Each write checks its permission, is audited (counts, periods and hashes only: the reports
hold no person) and asks the documents app for the files, which the background worker
builds from the monitoring figures (``monitoring.documents``) and stores with their SHA-256.

A report is never edited: new recommendations make a new version beside the old, so what the
Regent received can be shown again byte for byte (its documents keep their hashes).
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.formatting import bulan, tanggal
from payung.core.models import JobStatus
from payung.decrees.services import MAX_SCAN_BYTES, pdf_scan_check
from payung.documents.models import Document
from payung.documents.services import document_request, documents_dir
from payung.documents.storage import private_file_write
from payung.monitoring.models import MonitoringMinutes, MonthlyRecap, SemesterReport
from payung.programmes.models import ProgrammeYear

VIEW: Final = "monitoring.view_monitoring"
WRITE: Final = "monitoring.write_report"
UPLOAD_SIGNED: Final = "monitoring.upload_signed_report"

#: ``Document.kind`` of the files made here: the monitoring download serves these only.
REPORT_KIND: Final = "laporan-semester"
MINUTES_KIND: Final = "notulen-monev"
RECAP_KIND: Final = "rekap-bulanan"
KINDS: Final = frozenset({REPORT_KIND, MINUTES_KIND, RECAP_KIND})
#: Longest recommendations text kept (about 15 pages): a report, not an archive.
MAX_RECOMMENDATIONS: Final = 30_000

_BUILDERS: Final = "payung.monitoring.documents"


def half_period(*, year: int, half: int) -> tuple[date, date]:
    """The first and last day of a half-year: 1 January-30 June or 1 July-31 December."""
    if half not in (1, 2):
        raise ValidationError(_("Semester harus 1 atau 2."), code="half")
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )


def month_period(*, year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise ValidationError(_("Bulan harus antara 1 dan 12."), code="month")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _require(actor: Any, *perms: str) -> None:
    if not all(actor.has_perm(p) for p in perms):
        raise PermissionDenied


def _documents_request(
    *,
    subject: Any,
    year: ProgrammeYear,
    kind: str,
    title: str,
    stem: str,
    builders: dict[str, str],
    actor: Any,
) -> dict[str, Document]:
    """One background document per format (``{"pdf": builder, "docx": builder}``) of the
    same subject, title and file stem: a report, minutes and a recap each come in two."""
    return {
        fmt: document_request(
            subject=subject,
            programme_year=year,
            kind=kind,
            title=title,
            fmt=fmt,
            builder=f"{_BUILDERS}.{builder}",
            file_name=f"{stem}.{fmt}",
            actor=actor,
        )
        for fmt, builder in builders.items()
    }


@transaction.atomic
def semester_report_create(
    *, programme_year: ProgrammeYear, half: int, recommendations: str, actor: Any
) -> SemesterReport:
    """A new version of the half-year's report with the team's recommendations (Pasal 12
    ayat (3)); the PDF and the DOCX are built in the background from the figures then.

    The year row is locked so two secretaries saving at once get versions 2 and 3, not two 2s.
    """
    _require(actor, VIEW, WRITE)
    half_period(year=programme_year.year, half=half)
    text = (recommendations or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(
            _("Tuliskan rekomendasi tim sebelum menyimpan laporan."), code="recommendations"
        )
    if len(text) > MAX_RECOMMENDATIONS:
        raise ValidationError(
            _("Rekomendasi terlalu panjang (maksimal %(n)s karakter).")
            % {"n": f"{MAX_RECOMMENDATIONS:,}".replace(",", ".")},
            code="recommendations_long",
        )
    ProgrammeYear.objects.select_for_update().get(pk=programme_year.pk)
    latest = SemesterReport.objects.filter(programme_year=programme_year, half=half).aggregate(
        v=Max("version")
    )["v"]
    report = SemesterReport.objects.create(
        programme_year=programme_year,
        half=half,
        version=(latest or 0) + 1,
        recommendations=text,
        created_by=actor,
    )
    stem = f"laporan-semester-{half}-{programme_year.year}-v{report.version}"
    title = _("Laporan Semester %(half)s Tahun %(year)s (versi %(version)s)") % {
        "half": "I" if half == 1 else "II",
        "year": programme_year.year,
        "version": report.version,
    }
    documents = _documents_request(
        subject=report,
        year=programme_year,
        kind=REPORT_KIND,
        title=title,
        stem=stem,
        builders={"pdf": "semester_report_pdf", "docx": "semester_report_docx"},
        actor=actor,
    )
    report.pdf_document, report.docx_document = documents["pdf"], documents["docx"]
    report.save(update_fields=["pdf_document", "docx_document"])
    audit_entry_create(
        actor=actor,
        action="semester_report_create",
        target=report,
        detail={"year": programme_year.year, "period": half, "number": report.version},
    )
    return report


@transaction.atomic
def semester_report_signed_upload(
    *, report: SemesterReport, scan: Any, actor: Any
) -> SemesterReport:
    """Keep the signed report (a PDF scan) with its SHA-256, like a decree's signed scan.

    A later upload replaces the file of this version (a better scan) and is audited with both
    hashes; the version's generated files are untouched.
    """
    _require(actor, VIEW, UPLOAD_SIGNED)
    if scan is None:
        raise ValidationError(
            _("Unggah pindaian laporan yang telah ditandatangani (PDF)."), code="scan_missing"
        )
    size = getattr(scan, "size", None)
    if size is not None and size > MAX_SCAN_BYTES:
        raise ValidationError(_("Pindaian terlalu besar (maksimal 10 MB)."), code="scan_too_large")
    content = scan.read(MAX_SCAN_BYTES + 1)
    pdf_scan_check(content=content)
    sha256 = hashlib.sha256(content).hexdigest()
    locked = SemesterReport.objects.select_for_update().get(pk=report.pk)
    previous = locked.signed_sha256
    path = private_file_write(
        path=documents_dir() / f"laporan-semester-{locked.pk}-{sha256[:12]}-ttd.pdf",
        content=content,
    )
    locked.signed_path = str(path)
    locked.signed_sha256 = sha256
    locked.signed_size = len(content)
    locked.signed_by = actor
    locked.signed_at = timezone.now()
    locked.save()
    detail: dict[str, Any] = {
        "year": locked.programme_year.year,
        "period": locked.half,
        "number": locked.version,
        "scan_sha256": sha256,
        "size_bytes": len(content),
    }
    if previous:
        detail["previous"] = previous
    audit_entry_create(
        actor=actor, action="semester_report_signed_upload", target=locked, detail=detail
    )
    return locked


@transaction.atomic
def semester_report_signed_open(*, report: SemesterReport, actor: Any) -> Path:
    """The signed copy's path, after recording who took it."""
    _require(actor, VIEW)
    if not report.signed_path:
        raise ValidationError(_("Salinan bertanda tangan belum diunggah."), code="no_scan")
    audit_entry_create(
        actor=actor,
        action="semester_report_signed_download",
        target=report,
        detail={
            "year": report.programme_year.year,
            "period": report.half,
            "number": report.version,
            "scan_sha256": report.signed_sha256,
        },
    )
    return Path(report.signed_path)


@transaction.atomic
def report_document_download(*, document: Document, actor: Any) -> Path:
    """A report's, minutes' or recap's stored file, after recording who took it.

    Mirrors ``documents.services.document_download`` with the monitoring permission: the
    auditor and the team read these files but only these (``KINDS``) through this door.
    """
    _require(actor, VIEW)
    if document.kind not in KINDS:
        raise PermissionDenied
    if document.status != JobStatus.DONE or not document.stored_path:
        raise ValidationError(_("Dokumen belum selesai dibuat."), code="not_ready")
    audit_entry_create(
        actor=actor,
        action="document_download",
        target=document,
        detail={"kind": document.kind, "format": document.format, "sha256": document.sha256},
    )
    return Path(document.stored_path)


@transaction.atomic
def monitoring_minutes_create(
    *,
    programme_year: ProgrammeYear,
    held_on: date,
    place: str,
    findings: str,
    decisions: str,
    actor: Any,
) -> MonitoringMinutes:
    """The minutes of a monitoring and evaluation meeting (Pasal 10 ayat (2) huruf e-f),
    as DOCX (editable) and PDF, with the figures of the year up to the meeting's date."""
    _require(actor, VIEW, WRITE)
    errors = []
    if not (place or "").strip():
        errors.append(ValidationError(_("Tempat rapat wajib diisi."), code="place"))
    if not (findings or "").strip():
        errors.append(
            ValidationError(_("Hasil monitoring dan evaluasi wajib diisi."), code="findings")
        )
    if not (decisions or "").strip():
        errors.append(
            ValidationError(_("Kesimpulan dan tindak lanjut wajib diisi."), code="decisions")
        )
    if held_on.year != programme_year.year:
        errors.append(
            ValidationError(
                _("Tanggal rapat harus dalam tahun program %(year)s.")
                % {"year": programme_year.year},
                code="held_on",
            )
        )
    if errors:
        raise ValidationError(errors)
    minutes = MonitoringMinutes.objects.create(
        programme_year=programme_year,
        held_on=held_on,
        place=place.strip(),
        findings=findings.replace("\r\n", "\n").strip(),
        decisions=decisions.replace("\r\n", "\n").strip(),
        created_by=actor,
    )
    stem = f"notulen-monev-{held_on.isoformat()}-{minutes.pk}"
    title = _("Notulen Monitoring dan Evaluasi %(date)s") % {"date": tanggal(held_on)}
    documents = _documents_request(
        subject=minutes,
        year=programme_year,
        kind=MINUTES_KIND,
        title=title,
        stem=stem,
        builders={"pdf": "minutes_pdf", "docx": "minutes_docx"},
        actor=actor,
    )
    minutes.pdf_document, minutes.docx_document = documents["pdf"], documents["docx"]
    minutes.save(update_fields=["pdf_document", "docx_document"])
    audit_entry_create(
        actor=actor,
        action="monitoring_minutes_create",
        target=minutes,
        detail={"year": programme_year.year, "date": held_on.isoformat()},
    )
    return minutes


@transaction.atomic
def monthly_recap_create(*, programme_year: ProgrammeYear, month: int, actor: Any) -> MonthlyRecap:
    """The recap of one month's participants and payments for Disnakertrans (XLSX and PDF)."""
    _require(actor, VIEW, WRITE)
    month_period(year=programme_year.year, month=month)
    recap = MonthlyRecap.objects.create(
        programme_year=programme_year, month=month, created_by=actor
    )
    stem = f"rekap-bulanan-{programme_year.year}-{month:02d}-{recap.pk}"
    title = _("Rekap Bulanan Peserta dan Pembayaran %(month)s") % {
        "month": bulan(date(programme_year.year, month, 1))
    }
    documents = _documents_request(
        subject=recap,
        year=programme_year,
        kind=RECAP_KIND,
        title=title,
        stem=stem,
        builders={"pdf": "monthly_recap_pdf", "xlsx": "monthly_recap_xlsx"},
        actor=actor,
    )
    recap.pdf_document, recap.xlsx_document = documents["pdf"], documents["xlsx"]
    recap.save(update_fields=["pdf_document", "xlsx_document"])
    audit_entry_create(
        actor=actor,
        action="monthly_recap_create",
        target=recap,
        detail={"year": programme_year.year, "period": month},
    )
    return recap
