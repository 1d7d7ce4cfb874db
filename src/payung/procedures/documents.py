"""One agency's standard operating procedure (SOP) as DOCX and PDF (Pekalongan minutes item 5).

Everything in it comes from ``procedures.workflow`` (the transition table, the roles, the
documents, the pinned policy's deadlines and articles) and ``procedures.flowchart`` (the same
steps drawn): change the workflow and the next SOP changes with it. No person is in it.
The Word template ``sop`` is built by ``scripts/build_doc_templates.py``; the flowcharts go
into it as PNG pictures where the template prints their markers. The PDF is
``documents/sop.html`` (this app's templates) with the flowcharts as SVG.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _

from payung.core.formatting import tanggal
from payung.documents.render import docx_freeze, docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.procedures.flowchart import SHORT_NAMES, agency_flowcharts, svg_png
from payung.procedures.workflow import (
    AGENCIES,
    DEFAULT_AGENCY_NAMES,
    agency_names,
    agency_roles,
    agency_steps,
    sop_assumptions,
    workflow_steps,
)
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy

TEMPLATE: Final = "sop"
KIND_PREFIX: Final = "sop-"
#: Width of a flowchart in the Word file, in cm (the text width of the house template).
DOCX_CHART_CM: Final = 16.0


@dataclass(frozen=True)
class SopStep:
    no: int
    stage: str
    title: str
    performers: str
    input: str
    output: str
    deadline: str
    article: str
    documents: str


@dataclass(frozen=True)
class SopChart:
    no: int
    title: str
    #: ``data:image/svg+xml`` URI for the PDF.
    svg: str
    #: The paragraph text the DOCX builder replaces by the PNG.
    marker: str


@dataclass(frozen=True)
class SopContext:
    """Standar Operasional Prosedur of one agency for one programme year."""

    region_name: str
    year: int
    agency: str
    agency_name: str
    title: str
    policy_title: str
    legal_bases: list[str]
    date_long: str
    roles: list[str]
    steps: list[SopStep]
    step_count: int
    charts: list[SopChart]
    assumptions: list[str]
    agencies: list[str]


def chart_marker(no: int) -> str:
    return f"[[BAGAN-ALIR-{no}]]"


def sop_context(*, programme_year: Any, agency: str, policy: Any = None) -> SopContext:
    """The SOP of ``agency`` under the year's pinned policy (or ``policy``, for the CLI)."""
    if agency not in AGENCIES:
        raise KeyError(agency)
    if policy is None:
        policy = programme_year_policy(programme_year=programme_year)
    names = agency_names(policy=policy)
    steps = workflow_steps(policy=policy)
    own = agency_steps(steps=steps, agency=agency)
    # Lane headers: the short names, unless the policy renames an agency (Pekalongan).
    short = {
        code: name
        for code, name in names.items()
        if name != str(DEFAULT_AGENCY_NAMES[code]) or code not in SHORT_NAMES
    }
    charts = agency_flowcharts(steps=steps, agency=agency, short_names=short)
    year = programme_year.year if programme_year is not None else timezone.localdate().year
    region = programme_year.region_name if programme_year is not None else policy.region.name
    return SopContext(
        region_name=region,
        year=year,
        agency=agency,
        agency_name=names[agency],
        title=_("Standar Operasional Prosedur Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan"),
        policy_title=policy.title,
        legal_bases=list(policy.legal_bases),
        date_long=tanggal(timezone.localdate()),
        roles=agency_roles(agency=agency),
        steps=[
            SopStep(
                no=s.no,
                stage=s.stage_label,
                title=s.title,
                performers=s.performers,
                input=s.input,
                output=s.output,
                deadline=s.deadline,
                article=s.article,
                documents=", ".join(s.documents),
            )
            for s in own
        ],
        step_count=len(steps),
        charts=[
            SopChart(
                no=i,
                title=c.title,
                svg="data:image/svg+xml;base64," + base64.b64encode(c.svg.encode()).decode(),
                marker=chart_marker(i),
            )
            for i, c in enumerate(charts, start=1)
        ],
        assumptions=sop_assumptions(policy=policy),
        agencies=[names[a] for a in AGENCIES],
    )


def _chart_pngs(context: SopContext) -> dict[str, bytes]:
    pngs = {}
    for chart in context.charts:
        svg = base64.b64decode(chart.svg.split(",", 1)[1]).decode()
        pngs[chart.marker] = svg_png(svg)
    return pngs


def sop_docx_bytes(context: SopContext) -> bytes:
    """The Word file: the template filled in, each flowchart marker replaced by its PNG."""
    from docx import Document as open_docx
    from docx.shared import Cm

    filled = docx_render(TEMPLATE, context)
    pngs = _chart_pngs(context)
    doc = open_docx(io.BytesIO(filled))
    for paragraph in doc.paragraphs:
        png = pngs.get(paragraph.text.strip())
        if png is None:
            continue
        for run in paragraph.runs:
            run.text = ""
        paragraph.runs[0].add_picture(io.BytesIO(png), width=Cm(DOCX_CHART_CM))
    out = io.BytesIO()
    doc.save(out)
    return docx_freeze(out.getvalue())


def sop_pdf_bytes(context: SopContext) -> bytes:
    return pdf_render(TEMPLATE, context)


def _document_context(document: Any) -> SopContext:
    year = ProgrammeYear.objects.get(pk=subject_pk(document))
    return sop_context(programme_year=year, agency=document.kind.removeprefix(KIND_PREFIX))


def sop_docx(document: Any) -> bytes:
    """Builder of the background Document (``documents.services.document_generate``)."""
    return sop_docx_bytes(_document_context(document))


def sop_pdf(document: Any) -> bytes:
    """Builder of the background Document (``documents.services.document_generate``)."""
    return sop_pdf_bytes(_document_context(document))


def sop_files_write(*, programme_year: Any, policy: Any, out: Any) -> list[Any]:
    """Every agency's SOP, DOCX and PDF, written to the folder ``out`` (``payung sop``):
    ``sop-<agency>-<year>.docx|pdf``; returns the paths written."""
    from pathlib import Path

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for agency in AGENCIES:
        context = sop_context(programme_year=programme_year, agency=agency, policy=policy)
        for fmt, make in (("docx", sop_docx_bytes), ("pdf", sop_pdf_bytes)):
            path = folder / f"sop-{agency}-{context.year}.{fmt}"
            path.write_bytes(make(context))
            written.append(path)
    return written
