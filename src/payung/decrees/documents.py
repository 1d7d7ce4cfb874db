"""Decree documents: the context a decree template reads, and the builders for each file.

Published copies mask the NIK (design §6); the internal copy has it in full and is a
confidential document whose every download is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from payung.decrees import selectors
from payung.decrees.models import Decree
from payung.documents.contexts import DecreeContext, Signatory
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.domain.money import rupiah, terbilang_rupiah
from payung.participants.documents import annex_rows, date_long, team_rows
from payung.programmes.selectors import programme_year_policy


def decree_context(
    decree: Decree, *, masked: bool = True, requested_at: datetime | None = None
) -> DecreeContext:
    """The decree as it stood when the document was asked for: a draft requested before the
    signature is recorded stays a draft (no number, no date) even if the worker builds it
    after the signing."""
    year = decree.programme_year
    policy = programme_year_policy(programme_year=year)
    spec = policy.decree(decree.kind)
    annex = []
    if spec.subject == "participants":
        annex = annex_rows(selectors.participants(programme_year=year), masked=masked)
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


__all__ = ["decree_context"]
