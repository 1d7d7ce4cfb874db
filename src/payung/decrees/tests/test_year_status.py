"""The programme year's status follows the work (issue 8: it stayed "Draf" after the
Regent's decree was signed and 5 000 people were decreed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.decrees import services
from payung.decrees.tests.pdfs import pdf_bytes
from payung.participants.tests.factories import approved_proposal
from payung.programmes.models import ProgrammeYear
from payung.programmes.services import programme_year_advance
from payung.verification import services as verification
from payung.verification.models import Answer

pytestmark = pytest.mark.django_db


def test_status_moves_from_verification_to_decreed_and_never_back(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2)
    year = ProgrammeYear.objects.get(pk=proposal.programme_year_id)
    assert year.get_status_display() == "Verifikasi"
    while True:
        try:
            batch = verification.batch_create(proposal=proposal, actor=operator_dinsos)
        except ValidationError:
            break
        for item in batch.items.all():
            verification.item_record(item=item, answer=Answer.SESUAI, actor=verifikator_dukcapil)
    draft = services.decree_draft(programme_year=year, kind="peserta", actor=operator_disnaker)
    services.decree_record_signed(
        decree=draft,
        actor=operator_disnaker_2,
        number="400.10/Kep.13-Huk/2026",
        signed_on=date(2026, 2, 2),
        signer_name="Bupati Sintetis",
        scan=SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    year.refresh_from_db()
    assert year.get_status_display() == "Ditetapkan"
    # A late import finishing does not take the year back to pendataan.
    assert not programme_year_advance(programme_year=year, status=ProgrammeYear.Status.PENDATAAN)
    year.refresh_from_db()
    assert year.status == ProgrammeYear.Status.DITETAPKAN
