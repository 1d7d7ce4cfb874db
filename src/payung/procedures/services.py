"""Writes of the procedures app: have every agency's SOP made for a year (DOCX and PDF).

The SOPs are Documents like every other generated file (``documents.services``): queued
here, built by the background worker from the workflow's tables (``procedures.documents``),
kept with their SHA-256. Minutes of Pekalongan's facilitation, item 5: an SOP for every
agency (OPD) on the programme's administration.
"""

from __future__ import annotations

from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.documents.models import Document
from payung.documents.services import document_request
from payung.procedures.documents import KIND_PREFIX
from payung.procedures.workflow import AGENCIES, agency_names
from payung.programmes.selectors import programme_year_policy

GENERATE_PERM: Final = "procedures.generate_sop"
FORMATS: Final = ("docx", "pdf")


def sop_documents_request(*, programme_year: Any, actor: Any) -> list[Document]:
    """Queue the SOP of every agency, DOCX and PDF, for ``programme_year`` (audited).

    Made again on request, not kept in step automatically: a signed SOP is a document of
    record, and the newest of each agency is the one the page offers.
    """
    if actor is None or not actor.has_perm(GENERATE_PERM):
        raise PermissionDenied
    names = agency_names(policy=programme_year_policy(programme_year=programme_year))
    with transaction.atomic():
        documents = [
            document_request(
                subject=programme_year,
                programme_year=programme_year,
                kind=f"{KIND_PREFIX}{agency}",
                title=_("SOP %(agency)s Tahun %(year)s")
                % {"agency": names[agency], "year": programme_year.year},
                fmt=fmt,
                builder=f"payung.procedures.documents.sop_{fmt}",
                file_name=f"sop-{agency}-{programme_year.year}.{fmt}",
                actor=actor,
            )
            for agency in AGENCIES
            for fmt in FORMATS
        ]
        audit_entry_create(
            actor=actor,
            action="sop_generate",
            target=programme_year,
            detail={"documents": len(documents)},
        )
    return documents
