"""Answer files as Disdukcapil makes them from Payung's request file, and their upload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.engine.exchange_files import csv_bytes, read_text_table
from payung.verification import services
from payung.verification.models import AnswerImport, VerificationBatch


def request_file(batch: VerificationBatch, actor: Any, folder: Path, fmt: str = "xlsx") -> Path:
    made = services.batch_request_file(batch=batch, fmt=fmt, actor=actor)
    path = folder / f"permintaan-{batch.number}.{fmt}"
    path.write_bytes(made.content)
    return path


def answer_file(
    request: Path,
    folder: Path,
    edits: dict[int, dict[str, str]],
    *,
    fmt: str = "csv",
    default: str = "SESUAI",
) -> Path:
    """The request as downloaded, HASIL ``default`` on every row except ``edits`` (data row
    index -> cells); every other cell left exactly as the request had it."""
    table = read_text_table(request)
    rows = [list(r) for r in table.rows]
    result = table.headers.index("HASIL")
    for row in rows:
        row[result] = default
    for index, cells in edits.items():
        for name, value in cells.items():
            rows[index][table.headers.index(name)] = value
    out = folder / f"jawaban.{fmt}"
    if fmt == "csv":
        out.write_bytes(csv_bytes(table.headers, rows))
    else:
        workbook = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False})
        sheet = workbook.add_worksheet("VERIFIKASI")
        sheet.write_row(0, 0, table.headers)
        for r, cells in enumerate(rows, start=1):
            for c, value in enumerate(cells):
                sheet.write_string(r, c, value)
        workbook.close()
    return out


Importer = Callable[[VerificationBatch, Path, Any], AnswerImport]


def importer(capture: Any) -> Importer:
    """Upload an answer file as the page does and let the (immediate) task queue run it;
    ``capture`` is pytest-django's ``django_capture_on_commit_callbacks``."""

    def run(batch: VerificationBatch, path: Path, actor: Any) -> AnswerImport:
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        with capture(execute=True):
            job = services.answer_import_create(batch=batch, uploaded=upload, actor=actor)
        job.refresh_from_db()
        return job

    return run
