"""The regency's letters of the sanction ladder and the record sheet of BPJS's steps.

PP 86/2013 Pasal 8-9: at BPJS's request the regency withholds specific public services from
an employer that ignored the warnings and the fine; in the regency that is a letter to its
licensing office (DPMPTSP) naming the services, and a second letter lifts it once the
employer proves payment and the registration of every worker. The record sheet lists BPJS's
warnings, fine and request with their numbers, dates and deadlines, so the letter's reader
sees the ladder was followed. Built from the stored case: ``scripts/build_doc_templates.py``
makes the DOCX templates, ``documents/<name>.html`` the PDFs. No personal data: the subject
is a business, and workers are counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payung.core.formatting import tanggal
from payung.core.places import village_label
from payung.documents.contexts import Signatory
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.domain.money import rupiah
from payung.domain.policy import policy_assumption_lines
from payung.domain.wilayah import dotted_code
from payung.programmes.selectors import programme_year_policy
from payung.supervision.models import SanctionCase, SanctionStep

K = SanctionStep.Kind


@dataclass(frozen=True)
class EmployerFields:
    name: str
    nib: str
    npwp: str
    address: str
    village: str
    sector: str
    workers: int


@dataclass(frozen=True)
class StepLine:
    no: int
    label: str
    number: str
    date_long: str
    deadline_long: str
    amount: str
    evidence: str


@dataclass(frozen=True)
class SanctionLetterContext:
    """Surat penghentian / pencabutan penghentian layanan publik, and the record sheet."""

    region_name: str
    place: str
    year: int
    number: str
    date_long: str
    addressee: str
    basis: str
    article: str
    policy_title: str
    employer: EmployerFields
    finding: str
    report_date_long: str
    workers_found: int
    workers_unregistered: int
    unpaid_rupiah: str
    steps: list[StepLine]
    request_number: str
    request_date_long: str
    withhold_number: str
    withhold_date_long: str
    services: list[str]
    lifted_on: list[str]
    evidence_sha256: str
    assumptions: list[str]
    signer: Signatory


def _signer_title(region_name: str) -> str:
    """BUPATI PEKALONGAN, or WALI KOTA ... for a city: who signs a regency's letters."""
    if region_name.startswith("Kota "):
        return f"WALI KOTA {region_name.removeprefix('Kota ').upper()}"
    return f"BUPATI {region_name.removeprefix('Kabupaten ').upper()}"


def sanction_context(case: SanctionCase, step: SanctionStep | None = None) -> SanctionLetterContext:
    """Everything the three documents print, from the stored case and its steps."""
    year = case.programme_year
    policy = programme_year_policy(programme_year=year)
    sanctions = policy.sanctions
    steps = list(case.steps.all())
    by_kind = {s.kind: s for s in steps}
    employer = case.report.employer
    lines = [
        StepLine(
            no=i,
            label=str(s.get_kind_display()),
            number=s.letter_number or "—",
            date_long=tanggal(s.letter_date),
            deadline_long=tanggal(s.deadline) if s.deadline else "—",
            amount=rupiah(s.fine_amount) if s.fine_amount is not None else "—",
            evidence=s.evidence_sha256[:16] if s.evidence_sha256 else "—",
        )
        for i, s in enumerate(steps, start=1)
    ]
    request = by_kind.get(K.REQUEST)
    withhold = by_kind.get(K.WITHHOLD)
    lift = by_kind.get(K.LIFT)
    current = step or lift or withhold
    place = year.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    return SanctionLetterContext(
        region_name=year.region_name,
        place=place,
        year=year.year,
        number=current.letter_number if current else "",
        date_long=tanggal(current.letter_date) if current else "",
        addressee=sanctions.licensing_office,
        basis=sanctions.basis,
        article=sanctions.article,
        policy_title=policy.title,
        employer=EmployerFields(
            name=employer.name,
            nib=employer.nib or "—",
            npwp=employer.npwp or "—",
            address=employer.address,
            village=village_label(employer.village_code) or dotted_code(employer.village_code),
            sector=employer.sector,
            workers=employer.workers,
        ),
        finding=case.finding,
        report_date_long=tanggal(case.report.visited_on),
        workers_found=case.report.workers_found,
        workers_unregistered=case.report.workers_unregistered,
        unpaid_rupiah=rupiah(case.unpaid_contributions),
        steps=lines,
        request_number=request.letter_number if request else "",
        request_date_long=tanggal(request.letter_date) if request else "",
        withhold_number=withhold.letter_number if withhold else "",
        withhold_date_long=tanggal(withhold.letter_date) if withhold else "",
        services=list(sanctions.withheld_services),
        lifted_on=list(sanctions.lifted_on),
        evidence_sha256=lift.evidence_sha256 if lift else "",
        assumptions=policy_assumption_lines(policy, sections=frozenset({"sanctions"})),
        signer=Signatory(title=_signer_title(year.region_name)),
    )


TEMPLATES = {
    K.WITHHOLD: "surat-penghentian-layanan",
    K.LIFT: "surat-pencabutan-penghentian",
}
SHEET = "catatan-teguran-bpjs"


def _step(document: Any) -> SanctionStep:
    step = SanctionStep.objects.select_related(
        "case__report__employer", "case__programme_year"
    ).get(pk=subject_pk(document))
    return step


def _case(document: Any) -> SanctionCase:
    return SanctionCase.objects.select_related("report__employer", "programme_year").get(
        pk=subject_pk(document)
    )


def letter_docx(document: Any) -> bytes:
    step = _step(document)
    return docx_render(TEMPLATES[step.kind], sanction_context(step.case, step))


def letter_pdf(document: Any) -> bytes:
    step = _step(document)
    return pdf_render(TEMPLATES[step.kind], sanction_context(step.case, step))


def sheet_docx(document: Any) -> bytes:
    return docx_render(SHEET, sanction_context(_case(document)))


def sheet_pdf(document: Any) -> bytes:
    return pdf_render(SHEET, sanction_context(_case(document)))


__all__ = ["SanctionLetterContext", "sanction_context"]
