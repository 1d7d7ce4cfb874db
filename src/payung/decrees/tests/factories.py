"""A year with a signed participants decree, and the ends and replacements that make an
amending decree necessary, through the real services (issues 10 and 12).

Shared by the decree tests and by later stages (registration of the additions): every
step is the service a person would use, so the history and the audit trail are real.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from payung.decrees import services
from payung.decrees.models import Decree
from payung.decrees.tests.pdfs import SCAN, pdf_bytes
from payung.participants.models import Candidate, Proposal
from payung.participants.services import participant_end, places_fill, proposal_locked
from payung.participants.tests.factories import approved_proposal
from payung.verification import services as verification
from payung.verification.models import Answer

FIRST_NUMBER = "400.10/Kep.12-Huk/2026"
FIRST_SIGNED_ON = date(2026, 2, 2)


def scan(number: str = "") -> SimpleUploadedFile:
    """The signed scan of the decree ``number``: each decree's own file (one SHA-256 each)."""
    content = pdf_bytes(title=f"SK {number}") if number else SCAN
    return SimpleUploadedFile("sk.pdf", content, content_type="application/pdf")


def verify_all(proposal: Proposal, verifier: Any) -> int:
    """Answer every waiting candidate SESUAI, round after round; return how many."""
    answered = 0
    while True:
        try:
            batch = verification.batch_create(proposal=proposal, actor=proposal.proposed_by)
        except ValidationError:
            return answered
        for item in batch.items.all():
            verification.item_record(item=item, answer=Answer.SESUAI, actor=verifier)
            answered += 1


def decree_sign(decree: Decree, recorder: Any, *, number: str, on: date) -> Decree:
    return services.decree_record_signed(
        decree=decree,
        actor=recorder,
        number=number,
        signed_on=on,
        signer_name="Bupati Sintetis",
        scan=scan(number),
    )


def signed_year(
    *,
    operator: Any,
    approver: Any,
    verifier: Any,
    drafter: Any,
    recorder: Any,
    quota: int = 5,
    rows: int = 200,
) -> tuple[Proposal, Decree]:
    """Screening to the Regent's signed participants decree: ``quota`` people DECREED."""
    proposal = approved_proposal(operator=operator, approver=approver, rows=rows, quota=quota)
    verify_all(proposal, verifier)
    draft = services.decree_draft(
        programme_year=proposal.programme_year, kind="peserta", actor=drafter
    )
    signed = decree_sign(draft, recorder, number=FIRST_NUMBER, on=FIRST_SIGNED_ON)
    return proposal, signed


def participant_ended(
    proposal: Proposal, *, rank: int, actor: Any, reason_code: str, on: date = date(2026, 3, 1)
) -> Candidate:
    """End the participant of ``rank`` (e.g. ``ditolak_bpjs`` when BPJS refused them)."""
    candidate = proposal.candidates.get(rank=rank)
    return participant_end(
        candidate=candidate,
        actor=actor,
        on=on,
        reason_code=reason_code,
        evidence={"sumber": "uji"},
    )


def replacements_verified(proposal: Proposal, *, operator: Any, verifier: Any) -> list[int]:
    """Fill the freed places from the waiting list and have Disdukcapil verify them."""
    with transaction.atomic():
        ids = places_fill(
            proposal=proposal_locked(proposal.pk), actor=operator, cause={"uji": "pengganti"}
        )
    verify_all(proposal, verifier)
    return ids
