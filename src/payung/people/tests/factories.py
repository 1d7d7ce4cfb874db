"""A whole year's cycle through the real services, for tests that need every kind of row.

Screening, a proposal approved by a second operator, Disdukcapil answering every batch (one
rank rejected), the participants decree drafted by one operator kepesertaan and recorded as
signed by another: every table that holds something about a person then has rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.decrees import services as decree_services
from payung.decrees.models import Decree
from payung.participants.models import Candidate, CandidateState, Proposal
from payung.participants.tests.factories import approved_proposal
from payung.verification import services as verification
from payung.verification.models import Answer, VerificationBatch, VerificationItem

#: One user per role, plus the second person four eyes need: persona -> (role, agency kind).
USERS: dict[str, tuple[str, str]] = {
    "operator_pendataan": ("operator_pendataan", "dinsos"),
    "operator_pendataan_2": ("operator_pendataan", "dinsos"),
    "verifikator": ("verifikator", "disdukcapil"),
    "operator_kepesertaan": ("operator_kepesertaan", "disnakertrans"),
    "operator_kepesertaan_2": ("operator_kepesertaan", "disnakertrans"),
    "bendahara": ("bendahara", "disnakertrans"),
    "petugas_bpjs": ("petugas_bpjs", "bpjs"),
    "anggota_tim": ("anggota_tim", "bapperida"),
    "auditor": ("auditor", "inspektorat"),
    "admin": ("admin", "diskominfo"),
}
PASSWORD = "rahasia-uji-123"
SIGNED_NUMBER = "400.10/Kep.7-Huk/2026"


@dataclass
class Cycle:
    users: dict[str, Any]
    proposal: Proposal
    batch: VerificationBatch
    item: VerificationItem
    decree: Decree
    rejected: Candidate
    decreed: Candidate
    extra: dict[str, Any] = field(default_factory=dict)


def users_create() -> dict[str, Any]:
    from payung.accounts.services import agency_get_or_create, user_create

    users = {}
    for name, (role, kind) in USERS.items():
        agency = agency_get_or_create(kind=kind, name=kind.capitalize())
        users[name] = user_create(username=name, password=PASSWORD, role=role, agency=agency)
    return users


def scan_pdf() -> bytes:
    """A real one-page PDF: the signed-scan check parses what it is given."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cycle_build(
    *, rows: int = 200, quota: int = 5, signed: bool = True, rejection: str = Answer.PINDAH
) -> Cycle:
    users = users_create()
    proposal = approved_proposal(
        operator=users["operator_pendataan"],
        approver=users["operator_pendataan_2"],
        rows=rows,
        quota=quota,
    )
    verifier = users["verifikator"]
    first_batch = None
    while True:
        try:
            batch = verification.batch_create(proposal=proposal, actor=users["operator_pendataan"])
        except ValidationError:
            break
        first_batch = first_batch or batch
        for item in batch.items.select_related("candidate").order_by("candidate__rank"):
            answer = rejection if item.candidate.rank == 2 else Answer.SESUAI
            verification.item_record(item=item, answer=answer, actor=verifier)
    assert first_batch is not None
    decree = decree_services.decree_draft(
        programme_year=proposal.programme_year,
        kind="peserta",
        actor=users["operator_kepesertaan"],
    )
    if signed:
        from datetime import date

        decree = decree_services.decree_record_signed(
            decree=decree,
            actor=users["operator_kepesertaan_2"],
            number=SIGNED_NUMBER,
            signed_on=date(2026, 2, 2),
            signer_name="Bupati Sintetis",
            scan=SimpleUploadedFile("sk.pdf", scan_pdf(), content_type="application/pdf"),
        )
    decreed_state = CandidateState.DECREED if signed else CandidateState.VERIFIED
    return Cycle(
        users=users,
        proposal=proposal,
        batch=first_batch,
        item=first_batch.items.order_by("candidate__rank").first(),
        decree=decree,
        rejected=proposal.candidates.get(rank=2),
        decreed=proposal.candidates.filter(state=decreed_state).order_by("rank").first(),
    )
