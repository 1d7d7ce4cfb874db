"""Test data of the procedures app: a finished SOP document with a file behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from payung.documents.models import Document
from payung.documents.services import subject_label


def sop_document_done(
    *,
    programme_year: Any,
    actor: Any,
    agency: str = "dinsos",
    fmt: str = "pdf",
    content: bytes = b"%PDF-1.4 SOP uji",
) -> Document:
    """An SOP as the worker leaves it (status done, file stored), without rendering it."""
    folder = Path(settings.MEDIA_ROOT) / "uji-sop"
    folder.mkdir(parents=True, exist_ok=True)
    document = Document.objects.create(
        programme_year=programme_year,
        subject=subject_label(programme_year),
        kind=f"sop-{agency}",
        title=f"SOP {agency}",
        format=fmt,
        builder=f"payung.procedures.documents.sop_{fmt}",
        file_name=f"sop-{agency}-{programme_year.year}.{fmt}",
        status="done",
        sha256="0" * 64,
        created_by=actor,
    )
    path = folder / f"{document.pk}-{document.file_name}"
    path.write_bytes(content)
    Document.objects.filter(pk=document.pk).update(stored_path=str(path))
    document.refresh_from_db()
    return document
