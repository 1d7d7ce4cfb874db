"""Amending decrees: once a decree is signed, a change is a new decree with its own number
and date that amends it (issue 8); the amended decree is never edited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.decrees import services
from payung.decrees.models import Decree
from payung.decrees.tests.pdfs import pdf_bytes
from payung.participants.models import CandidateState
from payung.participants.tests.documents_stub import fixed_documents  # noqa: F401
from payung.participants.tests.factories import approved_proposal
from payung.programmes.models import ProgrammeYear, TeamMember
from payung.screening.tests.factories import ProgrammeYearFactory
from payung.verification import services as verification
from payung.verification.models import Answer

pytestmark = pytest.mark.django_db

SCAN = pdf_bytes()


def _sign(decree: Decree, actor: Any, *, number: str, on: date) -> Decree:
    return services.decree_record_signed(
        decree=decree,
        actor=actor,
        number=number,
        signed_on=on,
        signer_name="Bupati Sintetis",
        scan=SimpleUploadedFile(
            "sk.pdf", pdf_bytes(title=f"SK {number}"), content_type="application/pdf"
        ),
    )


@pytest.fixture
def year() -> ProgrammeYear:
    year = ProgrammeYearFactory(year=2026)
    TeamMember.objects.create(
        programme_year=year, position="ketua", name="Ketua Sintetis", agency="Setda"
    )
    return year


@pytest.fixture
def signed_team(year: ProgrammeYear, operator_disnaker: Any, operator_disnaker_2: Any) -> Decree:
    draft = services.decree_draft(programme_year=year, kind="tim", actor=operator_disnaker)
    return _sign(draft, operator_disnaker_2, number="100.3/Kep.1-Huk/2026", on=date(2026, 1, 5))


def test_an_amending_decree_has_its_own_number_and_date_and_leaves_the_first_as_signed(
    year: ProgrammeYear, signed_team: Decree, operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    before = Decree.objects.filter(pk=signed_team.pk).values().get()
    with pytest.raises(ValidationError, match="dengan keputusan perubahan"):
        services.decree_draft(programme_year=year, kind="tim", actor=operator_disnaker)

    draft = services.decree_draft(
        programme_year=year, kind="tim", actor=operator_disnaker, amends=signed_team
    )
    assert (draft.status, draft.amends) == (Decree.Status.DRAFT, signed_team)
    assert draft.title == f"Perubahan atas {signed_team.title}"
    audit = AuditEntry.objects.filter(action="decree_draft").latest("id")
    assert audit.detail["amends_number"] == "100.3/Kep.1-Huk/2026"
    # Its own number: the amended decree's is taken.
    with pytest.raises(ValidationError, match="sudah dipakai"):
        _sign(draft, operator_disnaker_2, number="100.3/Kep.1-Huk/2026", on=date(2026, 5, 4))

    signed = _sign(draft, operator_disnaker_2, number="100.3/Kep.7-Huk/2026", on=date(2026, 5, 4))

    assert (signed.status, signed.number, signed.signed_on) == (
        Decree.Status.SIGNED,
        "100.3/Kep.7-Huk/2026",
        date(2026, 5, 4),
    )
    assert Decree.objects.filter(pk=signed_team.pk).values().get() == before
    # An amendment can itself be amended: each links to the decree it changes.
    again = services.decree_draft(
        programme_year=year, kind="tim", actor=operator_disnaker, amends=signed
    )
    assert again.amends == signed


def test_only_a_signed_decree_of_the_same_year_and_kind_can_be_amended(
    year: ProgrammeYear, signed_team: Decree, operator_disnaker: Any
) -> None:
    draft = services.decree_draft(
        programme_year=year, kind="tim", actor=operator_disnaker, amends=signed_team
    )
    with pytest.raises(ValidationError, match="sudah ditetapkan yang dapat diubah"):
        services.decree_draft(
            programme_year=year, kind="tim", actor=operator_disnaker, amends=draft
        )
    other_kind = Decree.objects.create(
        programme_year=year,
        kind="peserta",
        title="Penetapan Peserta",
        status=Decree.Status.SIGNED,
        number="400/1/2026",
        drafted_by=operator_disnaker,
    )
    with pytest.raises(ValidationError, match="jenis yang sama pada tahun ini"):
        services.decree_draft(
            programme_year=year, kind="tim", actor=operator_disnaker, amends=other_kind
        )
    other_year = ProgrammeYearFactory(year=2027)
    with pytest.raises(ValidationError, match="jenis yang sama pada tahun ini"):
        services.decree_draft(
            programme_year=other_year, kind="tim", actor=operator_disnaker, amends=signed_team
        )
    assert Decree.objects.filter(amends__isnull=False).count() == 1


def test_the_page_names_the_amended_decree_and_offers_to_record_the_amendment(
    client: Client,
    year: ProgrammeYear,
    signed_team: Decree,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    # A first draft left over from before the signature (two drafts of one kind can exist).
    stale = Decree.objects.create(
        programme_year=year, kind="tim", title=signed_team.title, drafted_by=operator_disnaker
    )
    draft = services.decree_draft(
        programme_year=year, kind="tim", actor=operator_disnaker, amends=signed_team
    )
    client.force_login(operator_disnaker_2)
    html = client.get(reverse("decrees:year_detail", args=[year.pk])).content.decode()
    assert "Mengubah Keputusan Nomor 100.3/Kep.1-Huk/2026 tanggal 5 Januari 2026" in html
    assert reverse("decrees:decree_record_signed", args=[draft.pk]) in html
    assert reverse("decrees:decree_record_signed", args=[stale.pk]) not in html
    assert "Rancangan ini tidak dapat dicatat" in html


def test_an_amending_participants_draft_without_lists_cannot_be_signed(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    """Amending drafts made before the lists existed (migration 0002) were links alone: one
    of them is refused at signing instead of being recorded as changing nobody, and the
    participants the first decree made stay as they are."""
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, quota=5)
    while True:
        try:
            batch = verification.batch_create(proposal=proposal, actor=operator_dinsos)
        except ValidationError:
            break
        for item in batch.items.all():
            verification.item_record(item=item, answer=Answer.SESUAI, actor=verifikator_dukcapil)
    year = proposal.programme_year
    first = services.decree_draft(programme_year=year, kind="peserta", actor=operator_disnaker)
    first = _sign(first, operator_disnaker_2, number="400.10/Kep.12-Huk/2026", on=date(2026, 2, 2))
    decreed = set(proposal.candidates.filter(state=CandidateState.DECREED).values_list("pk"))
    assert len(decreed) == 5
    legacy = Decree.objects.create(
        programme_year=year,
        kind="peserta",
        title=f"Perubahan atas {first.title}",
        amends=first,
        drafted_by=operator_disnaker,
    )

    with pytest.raises(ValidationError, match="berubah sejak rancangan keputusan perubahan"):
        _sign(legacy, operator_disnaker_2, number="400.10/Kep.30-Huk/2026", on=date(2026, 6, 1))

    assert set(proposal.candidates.filter(state=CandidateState.DECREED).values_list("pk")) == (
        decreed
    )
    legacy.refresh_from_db()
    assert legacy.status == Decree.Status.DRAFT
