"""Reads of the procedures app: the SOP list of a year and one agency's SOP on screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payung.documents.models import Document
from payung.procedures.documents import KIND_PREFIX, SopContext, sop_context
from payung.procedures.workflow import AGENCIES, agency_names, agency_steps, workflow_steps
from payung.programmes.selectors import programme_year_policy


@dataclass(frozen=True)
class SopRow:
    agency: str
    name: str
    step_count: int
    docx: Document | None
    pdf: Document | None


def sop_rows(*, programme_year: Any) -> list[SopRow]:
    """Every agency with its number of steps and its newest DOCX and PDF (one query for the
    documents, whatever the number of agencies)."""
    policy = programme_year_policy(programme_year=programme_year)
    names = agency_names(policy=policy)
    steps = workflow_steps(policy=policy)
    newest: dict[tuple[str, str], Document] = {}
    for document in Document.objects.filter(
        programme_year=programme_year, kind__startswith=KIND_PREFIX
    ).order_by("-created_at", "-pk"):
        newest.setdefault((document.kind, document.format), document)
    return [
        SopRow(
            agency=agency,
            name=names[agency],
            step_count=len(agency_steps(steps=steps, agency=agency)),
            docx=newest.get((f"{KIND_PREFIX}{agency}", "docx")),
            pdf=newest.get((f"{KIND_PREFIX}{agency}", "pdf")),
        )
        for agency in AGENCIES
    ]


def sop_preview(*, programme_year: Any, agency: str) -> SopContext:
    """The SOP of one agency as the documents print it, for the page."""
    return sop_context(programme_year=programme_year, agency=agency)


def sop_document_get(*, pk: int) -> Document | None:
    """A generated SOP (never another kind of document: those have their own rules)."""
    return Document.objects.filter(pk=pk, kind__startswith=KIND_PREFIX).first()


def agency_valid(code: str) -> bool:
    return code in AGENCIES
