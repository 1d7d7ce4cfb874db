"""Decree documents: the context a decree template reads, and the builders for each file.

Published copies mask the NIK (design §6); the internal copy has it in full and is a
confidential document whose every download is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from payung.decrees import selectors
from payung.decrees.models import Decree, DecreeChange
from payung.documents.contexts import AmendingDecreeContext, ChangeRow, DecreeContext, Signatory
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.domain.calendar import MONTHS
from payung.domain.money import rupiah, terbilang_rupiah
from payung.domain.policy import SCREENING_SECTIONS, policy_assumption_lines
from payung.participants.documents import annex_rows, date_long, team_rows
from payung.programmes.selectors import programme_year_policy


def decree_context(
    decree: Decree,
    *,
    masked: bool = True,
    requested_at: datetime | None = None,
    with_annex: bool = True,
) -> DecreeContext:
    """The decree as it stood when the document was asked for: a draft requested before the
    signature is recorded stays a draft (no number, no date) even if the worker builds it
    after the signing."""
    year = decree.programme_year
    policy = programme_year_policy(programme_year=year)
    spec = policy.decree(decree.kind)
    annex = []
    carried: list[Any] = []
    new: list[Any] = []
    if spec.subject == "participants" and with_annex:
        named = list(selectors.participants(programme_year=year))
        annex = annex_rows(named, masked=masked)
        if year.carried_from_id is not None:
            # Issue 12: carried-over participants (Candidate.carried_from) and new ones apart.
            carried = annex_rows([c for c in named if c.carried_from_id], masked=masked)
            new = annex_rows([c for c in named if not c.carried_from_id], masked=masked)
    carried_from_year = None
    if spec.subject == "participants" and with_annex and year.carried_from_id is not None:
        carried_from_year = year.year - 1
    # The amounts stored when the decree was drafted: a later edit of a rate changes nothing.
    monthly, months, total = decree.monthly_cost, decree.months, decree.total_cost
    region = year.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    signed = decree.status == Decree.Status.SIGNED and (
        requested_at is None
        or (decree.recorded_at is not None and decree.recorded_at <= requested_at)
    )
    return DecreeContext(
        kind=decree.kind,
        issuer=spec.issuer,
        title=decree.title.upper(),
        article=spec.article,
        number=decree.number if signed else "",
        region_name=year.region_name,
        year=year.year,
        place=region,
        date_long=date_long(decree.signed_on) if signed and decree.signed_on else "",
        legal_bases=list(policy.legal_bases),
        policy_title=policy.title,
        signer=Signatory(title=spec.signer_title, name=decree.signer_name if signed else ""),
        participant_count=len(annex),
        monthly_cost=monthly,
        monthly_cost_rupiah=rupiah(monthly),
        months=months,
        total_cost=total,
        total_cost_rupiah=rupiah(total),
        total_cost_words=terbilang_rupiah(total),
        annex_title=f"LAMPIRAN KEPUTUSAN {spec.issuer}",
        annex=annex,
        nik_masked=masked,
        team=team_rows(year),
        draft=not signed,
        carried_from_year=carried_from_year,
        carried_over=carried,
        new_participants=new,
        policy_assumptions=policy_assumption_lines(policy, sections=SCREENING_SECTIONS),
        signed_on=decree.signed_on if signed else None,
    )


def _decree(document: Any) -> Decree:
    return Decree.objects.select_related("programme_year").get(pk=subject_pk(document))


def _template(decree: Decree) -> str:
    return programme_year_policy(programme_year=decree.programme_year).decree(decree.kind).template


def _context(document: Any, *, masked: bool) -> tuple[Decree, DecreeContext]:
    decree = _decree(document)
    return decree, decree_context(decree, masked=masked, requested_at=document.created_at)


def decree_docx(document: Any) -> bytes:
    decree, context = _context(document, masked=True)
    return docx_render(_template(decree), context)


def annex_pdf(document: Any) -> bytes:
    return pdf_render("lampiran-peserta", _context(document, masked=True)[1])


def internal_docx(document: Any) -> bytes:
    decree, context = _context(document, masked=False)
    return docx_render(_template(decree), context)


def internal_pdf(document: Any) -> bytes:
    return pdf_render("lampiran-peserta", _context(document, masked=False)[1])


# --- amending participants decrees ---------------------------------------------------------

#: The Word template of every amending participants decree, and the HTML of its annex; a
#: regency replaces the Word one in ``<data dir>/templat/`` like any other (docs/documents.md).
AMENDING_TEMPLATE = "keputusan-perubahan-peserta"
AMENDING_ANNEX = "lampiran-perubahan-peserta"


def _change_rows(changes: list[DecreeChange], *, masked: bool) -> list[ChangeRow]:
    rows = annex_rows([c.candidate for c in changes], masked=masked)
    return [
        ChangeRow(
            no=row.no,
            nama=row.nama,
            nik=row.nik,
            pekerjaan=row.pekerjaan,
            desa=row.desa,
            kecamatan=row.kecamatan,
            reason=change.reason,
        )
        for row, change in zip(rows, changes, strict=True)
    ]


def amending_context(
    decree: Decree, *, masked: bool = True, requested_at: datetime | None = None
) -> AmendingDecreeContext:
    """The amending decree as stored at drafting: its two lists (``DecreeChange``), the
    count after the change and the cost of the additions, never recomputed; number and
    date only once signed before the document was asked for (as ``decree_context``)."""
    base = decree_context(decree, masked=masked, requested_at=requested_at, with_annex=False)
    amended = decree.amends
    assert amended is not None, "an amending decree amends a decree"
    first = amended
    while first.amends_id is not None:
        first = Decree.objects.get(pk=first.amends_id)
    additions, removals = selectors.decree_changes(decree=decree)
    first_month = ""
    if decree.months:
        month = 13 - decree.months
        first_month = f"{MONTHS[month - 1]} {decree.programme_year.year}"
    fields = {**base.__dict__}
    fields.update(
        participant_count=decree.participant_count,
        annex=[],
        # Upper case as every decree title, the decree number as it was written.
        title=decree.title.upper().replace(first.number.upper(), first.number),
        base_number=first.number,
        base_date_long=date_long(first.signed_on) if first.signed_on else "",
        base_title=first.title.upper(),
        amends_number=amended.number,
        amends_date_long=date_long(amended.signed_on) if amended.signed_on else "",
        additions=_change_rows(additions, masked=masked),
        removals=_change_rows(removals, masked=masked),
        addition_count=len(additions),
        removal_count=len(removals),
        count_before=decree.participant_count - len(additions) + len(removals),
        first_month=first_month,
    )
    return AmendingDecreeContext(**fields)


def _amending(document: Any, *, masked: bool) -> AmendingDecreeContext:
    decree = Decree.objects.select_related("programme_year", "amends").get(pk=subject_pk(document))
    return amending_context(decree, masked=masked, requested_at=document.created_at)


def amending_decree_docx(document: Any) -> bytes:
    return docx_render(AMENDING_TEMPLATE, _amending(document, masked=True))


def amending_annex_pdf(document: Any) -> bytes:
    return pdf_render(AMENDING_ANNEX, _amending(document, masked=True))


def amending_internal_docx(document: Any) -> bytes:
    return docx_render(AMENDING_TEMPLATE, _amending(document, masked=False))


def amending_internal_pdf(document: Any) -> bytes:
    return pdf_render(AMENDING_ANNEX, _amending(document, masked=False))


__all__ = ["amending_context", "decree_context"]
