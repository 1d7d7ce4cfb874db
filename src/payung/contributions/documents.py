"""The payment request letter of a bill (Surat Permohonan Pembayaran Iuran, Pasal 9).

Pasal 9 ayat (1): Disnakertrans pays BPJS Ketenagakerjaan on BPJS's determination of the
contributions; the letter states, for one billing period, how many participants are paid
for, what each funding source (Pasal 13) pays for JKK and JKM, the corrections of earlier
months and the total in words. It is addressed to the BPJS branch of the year's PKS. It holds
no person: counts and amounts only, so it can travel by e-mail between agencies.

Built here (the bill's own app) as a ``PaymentRequestContext`` for the DOCX template
``permohonan-iuran`` (``scripts/build_doc_templates.py``, editable by the regency, see
docs/documents.md) and the PDF twin ``documents/permohonan-iuran.html``. Amounts are the
stored bill lines: a later rate change or a new end changes nothing in an issued letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payung.contributions import selectors
from payung.contributions.models import Bill
from payung.core.formatting import tanggal
from payung.documents.contexts import Signatory
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.domain.money import rupiah, terbilang_rupiah
from payung.programmes.selectors import cooperation_agreement_get, programme_year_policy

TEMPLATE = "permohonan-iuran"


@dataclass(frozen=True)
class SourceRow:
    """One funding source's share: ``label`` (APBD Kabupaten, ...), participants, JKK, JKM."""

    no: int
    label: str
    participants: int
    jkk: int
    jkk_rupiah: str
    jkm: int
    jkm_rupiah: str
    total: int
    total_rupiah: str


@dataclass(frozen=True)
class CorrectionRow:
    """Corrections of one earlier month: participants added and taken back, net amount."""

    no: int
    month: str  # "Februari 2026"
    added: int
    removed: int
    amount: int
    amount_rupiah: str  # "-Rp16.800" for a month taken back


@dataclass(frozen=True)
class PaymentRequestContext:
    """Surat Permohonan Pembayaran Iuran Jaminan Sosial Ketenagakerjaan (Pasal 9)."""

    region_name: str  # "Kabupaten Pandeglang"
    place: str  # "Pandeglang"
    year: int
    date_long: str  # the day the bill was issued, "5 Januari 2026"
    bill_number: int
    period: str  # "Januari–Maret 2026"
    months: int
    due_date_long: str  # "15 Januari 2026"
    addressee: str  # the BPJS branch of the PKS
    pks_number: str
    pks_date_long: str
    article: str  # "Pasal 9 ayat (2)"
    policy_title: str
    participant_count: int
    sources: list[SourceRow]
    regular_total: int
    regular_total_rupiah: str
    corrections: list[CorrectionRow]
    correction_total: int
    correction_total_rupiah: str
    total: int
    total_rupiah: str
    total_words: str
    signer: Signatory


def payment_request_context(bill: Bill) -> PaymentRequestContext:
    """The letter of ``bill``, from its stored lines and the year's PKS and policy."""
    year = bill.programme_year
    policy = programme_year_policy(programme_year=year)
    summary = selectors.bill_summary(bill=bill)
    agreement = cooperation_agreement_get(programme_year=year)
    region = year.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    sources = [
        SourceRow(
            no=i,
            label=s.label,
            participants=s.participants,
            jkk=s.jkk,
            jkk_rupiah=rupiah(s.jkk),
            jkm=s.jkm,
            jkm_rupiah=rupiah(s.jkm),
            total=s.total,
            total_rupiah=rupiah(s.total),
        )
        for i, s in enumerate(summary.sources, start=1)
    ]
    corrections = [
        CorrectionRow(
            no=i,
            month=c.label,
            added=c.added,
            removed=c.removed,
            amount=c.amount,
            amount_rupiah=rupiah(c.amount),
        )
        for i, c in enumerate(summary.corrections, start=1)
    ]
    return PaymentRequestContext(
        region_name=year.region_name,
        place=region,
        year=year.year,
        date_long=tanggal(bill.issued_at),
        bill_number=bill.number,
        period=selectors.period_label(bill.first_month, bill.last_month),
        months=len(selectors.months_between(bill.first_month, bill.last_month)),
        due_date_long=tanggal(bill.due_on),
        addressee=agreement.branch_office if agreement else "BPJS Ketenagakerjaan",
        pks_number=agreement.number if agreement else "",
        pks_date_long=tanggal(agreement.signed_on) if agreement else "",
        article=policy.contribution.article,
        policy_title=policy.title,
        participant_count=bill.participant_count,
        sources=sources,
        regular_total=summary.regular_total,
        regular_total_rupiah=rupiah(summary.regular_total),
        corrections=corrections,
        correction_total=summary.correction_total,
        correction_total_rupiah=rupiah(summary.correction_total),
        total=bill.total,
        total_rupiah=rupiah(bill.total),
        total_words=terbilang_rupiah(bill.total),
        signer=Signatory(title=f"KEPALA DINAS TENAGA KERJA DAN TRANSMIGRASI {region.upper()}"),
    )


def _bill(document: Any) -> Bill:
    return Bill.objects.select_related("programme_year").get(pk=subject_pk(document))


def payment_request_docx(document: Any) -> bytes:
    return docx_render(TEMPLATE, payment_request_context(_bill(document)))


def payment_request_pdf(document: Any) -> bytes:
    return pdf_render(TEMPLATE, payment_request_context(_bill(document)))


__all__ = ["PaymentRequestContext", "payment_request_context"]
