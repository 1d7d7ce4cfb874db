"""BPJS's invoice as a background job (Pasal 9 ayat (1)): stored and queued by the web request,
checked and compared by a worker, the page polling the progress.

Reading, checking and comparing an annual invoice of a regency (tens of thousands of lines)
takes some 20 seconds: too long for a web request, which a proxy cuts and a user reloads.
Like every other upload (Disdukcapil's answers, DTSEN extracts) the request only stores the
bytes (streamed, hashed, capped at ``MAX_INVOICE_BYTES`` whatever the declared size says,
written 0600 in a 0700 folder) and hands the job's id, never any of the file's content, to
the task. The worker reads and checks every row (``reconciliation.invoice_check``), refuses
the whole file on any row problem keeping every message (row and column, never a cell's
value), or compares it with Payung's bills and stores the reconciliation in one transaction
with the job's "done" (``reconciliation.reconciliation_create``). The stored upload is
deleted once processed; its SHA-256 stays as the evidence. Retry and cancel are
``payung.core.jobs``'.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.contributions import reconciliation as recon
from payung.contributions.models import ReconciliationImport
from payung.core.exports import neutralise
from payung.core.jobs import (
    JobLost,
    job_enqueue,
    job_lease_hold,
    job_write,
    upload_job_fail_system,
    upload_job_refuse,
)
from payung.core.models import JobStatus
from payung.core.uploads import upload_store
from payung.engine import csv_bytes
from payung.programmes.models import ProgrammeYear

logger = logging.getLogger(__name__)

#: Largest invoice accepted: an annual invoice of 60 000 lines is about 5 MB as CSV.
MAX_INVOICE_BYTES: Final = 50 * 1024 * 1024
#: Folder under MEDIA_ROOT where an invoice waits for its background job (0600 files).
INVOICE_FOLDER: Final = "rekonsiliasi-tagihan"
#: Row messages shown on the page; the job keeps them all.
ERRORS_SHOWN: Final = 50
#: Unfinished uploads listed on the year's reconciliation page.
PENDING_SHOWN: Final = 10


def reconciliation_import_create(
    *,
    programme_year: ProgrammeYear,
    first_month: date,
    last_month: date,
    uploaded: Any,
    actor: Any,
    mapping: Mapping[str, str] | None = None,
) -> ReconciliationImport:
    """Store BPJS's invoice for a period and queue its comparison; the worker does the rest.

    The period is checked here (a reversed period needs no worker to be refused); the rows
    are the worker's. Audited with the file's name, size and SHA-256 only.
    """
    if not actor.has_perm(recon.RECONCILE):
        raise PermissionDenied
    first, last = first_month.replace(day=1), last_month.replace(day=1)
    if last < first:
        raise ValidationError(_("Bulan terakhir tidak boleh sebelum bulan pertama."), code="period")
    upload = upload_store(
        uploaded=uploaded,
        folder=INVOICE_FOLDER,
        max_bytes=MAX_INVOICE_BYTES,
        default_name="tagihan.xlsx",
        too_large=_("Berkas tagihan terlalu besar (maksimal %(limit)s)."),
    )
    with transaction.atomic():
        job = ReconciliationImport.objects.create(
            programme_year=programme_year,
            first_month=first,
            last_month=last,
            mapping={str(k): str(v) for k, v in (mapping or {}).items()},
            file_name=upload.name,
            sha256=upload.sha256,
            size_bytes=upload.size,
            stored_path=upload.stored_path,
            uploaded_by=actor,
        )
        audit_entry_create(
            actor=actor,
            action="reconciliation_import_upload",
            target=job,
            detail={
                "months": [first.isoformat()[:7], last.isoformat()[:7]],
                "file_name": upload.name,
                "sha256": job.sha256,
                "size_bytes": upload.size,
            },
        )
        job_enqueue(job=job)
    return job


def reconciliation_import_execute(*, reconciliation_import: ReconciliationImport) -> Any:
    """Check a queued invoice row by row and compare it with Payung's bills, all or nothing.

    Any row problem refuses the whole file and the job keeps every message. The
    reconciliation and the job's "done" are one transaction, so a worker killed mid-way
    leaves nothing (the reaper of ``core.jobs`` then fails the job, which may be retried
    while its file is kept). Any other error fails the job with a generic message; only the
    exception's class name reaches the log (a library message may quote the file).
    """
    job = reconciliation_import
    job_write(job=job, status=JobStatus.RUNNING, progress=0)
    path = Path(settings.MEDIA_ROOT) / job.stored_path
    try:
        try:
            invoice = recon.invoice_check(
                first_month=job.first_month,
                last_month=job.last_month,
                path=path,
                name=job.file_name,
                mapping=job.mapping or {},
            )
        except ValidationError as exc:
            _job_refused(job, list(exc.messages))
            path.unlink(missing_ok=True)
            return job
        job_write(job=job, progress=50)
        with transaction.atomic():
            job_lease_hold(job=job)
            made = recon.reconciliation_create(
                programme_year=job.programme_year,
                first_month=job.first_month,
                last_month=job.last_month,
                invoice=invoice,
                file_name=job.file_name,
                sha256=job.sha256,
                actor=job.uploaded_by,
            )
            job_write(
                job=job,
                status=JobStatus.DONE,
                progress=100,
                reconciliation=made,
                stored_path="",
                finished_at=timezone.now(),
            )
    except JobLost:
        raise  # whoever took the job over owns its file and says what happened
    except PermissionDenied:
        job_write(
            job=job,
            status=JobStatus.FAILED,
            error_code="permission",
            error_message=_(
                "Pengunggah tidak lagi berhak merekonsiliasi iuran; tidak ada yang disimpan."
            ),
            stored_path="",
            finished_at=timezone.now(),
        )
    except Exception as exc:
        logger.error("reconciliation import %s failed: %s", job.pk, type(exc).__name__)
        upload_job_fail_system(
            job=job,
            message=_(
                "Berkas tagihan tidak dapat diproses karena kesalahan sistem; tidak ada yang "
                "disimpan. Hubungi administrator."
            ),
        )
    path.unlink(missing_ok=True)
    return job


def _job_refused(job: ReconciliationImport, errors: list[str]) -> None:
    upload_job_refuse(
        job=job,
        errors=errors,
        message=_("Berkas ditolak seluruhnya; %(n)s masalah ditemukan.") % {"n": len(errors)},
        action="reconciliation_import_refused",
    )


#: What the PETUNJUK sheet of the problems file says (the file holds no personal data).
ERRORS_GUIDE: Final[tuple[str, ...]] = (
    "Daftar masalah berkas tagihan BPJS yang ditolak seluruhnya oleh Payung.",
    "Setiap baris menyebut nomor baris dan kolom berkas tagihan; isi sel tidak diulang.",
    "Perbaiki semua baris yang disebut, lalu unggah ulang berkas tagihan di halaman rekonsiliasi.",
)


def reconciliation_import_errors_file(
    *, reconciliation_import: ReconciliationImport, fmt: str, actor: Any
) -> tuple[bytes, str]:
    """Every row message of a refused invoice, as XLSX (with PETUNJUK) or CSV: the page
    shows only the first ``ERRORS_SHOWN``, and an annual invoice can have thousands.

    Messages name row and column, never a cell's value; the download is audited all the
    same, as every download of the stage is. Returns the content and the file name.
    """
    if not actor.has_perm(recon.RECONCILE):
        raise PermissionDenied
    if fmt not in {"xlsx", "csv"}:
        raise ValidationError(_("Format harus XLSX atau CSV."), code="format")
    errors = list(reconciliation_import.errors or [])
    if not errors:
        raise ValidationError(_("Berkas ini tidak mempunyai daftar masalah."), code="empty")
    headers = ("NO", "MASALAH")
    rows = [(i, neutralise(str(text))) for i, text in enumerate(errors, start=1)]
    content = csv_bytes(headers, rows) if fmt == "csv" else _errors_xlsx(headers, rows)
    with transaction.atomic():
        audit_entry_create(
            actor=actor,
            action="reconciliation_import_errors_download",
            target=reconciliation_import,
            detail={"errors": len(errors), "format": fmt},
        )
    return content, f"masalah-tagihan-bpjs-{reconciliation_import.pk}.{fmt}"


def _errors_xlsx(headers: tuple[str, ...], rows: list[tuple[int, str]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"strings_to_numbers": False, "strings_to_formulas": False, "in_memory": True}
    )
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("MASALAH")
    sheet.write_row(0, 0, headers, bold)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 120)
    for r, (number, text) in enumerate(rows, start=1):
        sheet.write_number(r, 0, number)
        sheet.write_string(r, 1, text)
    guide = workbook.add_worksheet("PETUNJUK")
    guide.set_column(0, 0, 110)
    for r, text in enumerate(ERRORS_GUIDE):
        guide.write_string(r, 0, text)
    workbook.close()
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------


def reconciliation_import_get(*, pk: int) -> ReconciliationImport | None:
    return (
        ReconciliationImport.objects.select_related("programme_year", "uploaded_by")
        .filter(pk=pk)
        .first()
    )


def reconciliation_imports_pending(*, programme_year: ProgrammeYear) -> list[ReconciliationImport]:
    """The year's uploads without a reconciliation yet (waiting, running or failed), newest
    first, so a page left while the worker ran can be found again."""
    return list(
        programme_year.reconciliation_imports.exclude(status=JobStatus.DONE)
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")[:PENDING_SHOWN]
    )


__all__ = [
    "ERRORS_SHOWN",
    "MAX_INVOICE_BYTES",
    "reconciliation_import_create",
    "reconciliation_import_errors_file",
    "reconciliation_import_execute",
    "reconciliation_import_get",
    "reconciliation_imports_pending",
]
