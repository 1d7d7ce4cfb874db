"""The amending participants decree (Pasal 7 ayat (4); issues 10 and 12): BPJS refusals and
other ends are removed, verified replacements added, by a decree of its own.

The year is built through the real services: screening, proposal, Disdukcapil, the Regent's
first decree; then ends (``participant_end``) and replacements (``places_fill`` and a new
verification round), as the registration and the year's monitoring make them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from payung.audit.models import AuditEntry
from payung.decrees import selectors, services
from payung.decrees.models import Decree, DecreeChange
from payung.decrees.tests.factories import (
    FIRST_NUMBER,
    decree_sign,
    participant_ended,
    replacements_verified,
    signed_year,
)
from payung.documents.models import Document
from payung.participants.models import Candidate, CandidateEvent, CandidateState, Proposal
from payung.participants.tests.factories import states
from payung.programmes.models import BudgetLine

pytestmark = pytest.mark.django_db

DRAFTED_ON = date(2026, 6, 10)  # additions paid July to December: 6 months
AMENDING_NUMBER = "400.10/Kep.30-Huk/2026"


@pytest.fixture
def year(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> tuple[Proposal, Decree]:
    return signed_year(
        operator=operator_dinsos,
        approver=operator_dinsos_2,
        verifier=verifikator_dukcapil,
        drafter=operator_disnaker,
        recorder=operator_disnaker_2,
    )


@pytest.fixture
def changed(
    year: tuple[Proposal, Decree],
    operator_dinsos: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
) -> tuple[Proposal, Decree]:
    """BPJS refused rank 1, rank 3 died; ranks 6 and 7 replace them, verified."""
    proposal, first = year
    participant_ended(proposal, rank=1, actor=operator_disnaker, reason_code="ditolak_bpjs")
    participant_ended(proposal, rank=3, actor=operator_disnaker, reason_code="meninggal")
    ids = replacements_verified(proposal, operator=operator_dinsos, verifier=verifikator_dukcapil)
    assert sorted(Candidate.objects.filter(pk__in=ids).values_list("rank", flat=True)) == [6, 7]
    return proposal, first


def _ranks(changes: list[DecreeChange]) -> list[tuple[int, str, str]]:
    return [(c.candidate.rank, c.reason_code, c.reason) for c in changes]


def test_the_plan_adds_the_verified_replacements_and_removes_the_ended(
    changed: tuple[Proposal, Decree],
) -> None:
    proposal, _first = changed
    plan = selectors.amendment_plan(programme_year=proposal.programme_year)

    assert [(p.candidate.rank, p.reason_code) for p in plan.additions] == [
        (6, "pengganti"),
        (7, "pengganti"),
    ]
    assert [(p.candidate.rank, p.reason_code, p.reason) for p in plan.removals] == [
        (1, "ditolak_bpjs", "Pendaftaran ditolak BPJS Ketenagakerjaan"),
        (3, "meninggal", "Meninggal dunia"),
    ]
    assert (plan.count_before, plan.count_after) == (5, 5)


def test_drafting_stores_both_lists_the_money_and_the_digest(
    changed: tuple[Proposal, Decree], operator_disnaker: Any
) -> None:
    proposal, first = changed
    year = proposal.programme_year

    draft = services.decree_amendment_draft(
        programme_year=year, actor=operator_disnaker, on=DRAFTED_ON
    )

    assert draft.amends == first
    assert draft.status == Decree.Status.DRAFT
    assert draft.title.startswith(
        f"Perubahan atas Keputusan Bupati Pandeglang Nomor {FIRST_NUMBER} tentang Penetapan"
    )
    additions, removals = selectors.decree_changes(decree=draft)
    assert _ranks(additions) == [
        (6, "pengganti", "Pengganti dari daftar tunggu, terverifikasi Disdukcapil"),
        (7, "pengganti", "Pengganti dari daftar tunggu, terverifikasi Disdukcapil"),
    ]
    assert [r for r, *_ in _ranks(removals)] == [1, 3]
    # July to December: 6 months at Rp16.800 for each of the two additions.
    assert (draft.monthly_cost, draft.months, draft.total_cost) == (16_800, 6, 2 * 16_800 * 6)
    assert draft.participant_count == 5
    assert draft.participants_digest == selectors.changes_digest(
        additions=[c.candidate_id for c in additions], removals=[c.candidate_id for c in removals]
    )
    kinds = sorted(
        Document.objects.filter(subject=f"decrees.decree:{draft.pk}").values_list(
            "kind", "format", "builder"
        )
    )
    assert kinds == [
        ("keputusan", "docx", "payung.decrees.documents.amending_decree_docx"),
        ("lampiran", "pdf", "payung.decrees.documents.amending_annex_pdf"),
        ("lampiran_internal", "docx", "payung.decrees.documents.amending_internal_docx"),
        ("lampiran_internal", "pdf", "payung.decrees.documents.amending_internal_pdf"),
    ]
    audit = AuditEntry.objects.filter(action="decree_draft").latest("id")
    assert audit.detail["additions"] == 2 and audit.detail["removals"] == 2
    assert all(c.nik not in str(audit.detail) for c in proposal.candidates.all())


def test_recording_the_signed_amendment_decrees_the_additions_and_records_the_removals(
    changed: tuple[Proposal, Decree], operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    proposal, _first = changed
    draft = services.decree_amendment_draft(
        programme_year=proposal.programme_year, actor=operator_disnaker, on=DRAFTED_ON
    )
    ended_events = CandidateEvent.objects.filter(candidate__rank__in=[1, 3]).count()
    with pytest.raises(ValidationError, match="empat mata"):
        decree_sign(draft, operator_disnaker, number=AMENDING_NUMBER, on=date(2026, 6, 20))
    assert states(proposal)[CandidateState.VERIFIED] == [6, 7]

    signed = decree_sign(draft, operator_disnaker_2, number=AMENDING_NUMBER, on=date(2026, 6, 20))

    assert signed.status == Decree.Status.SIGNED
    now = states(proposal)
    assert now[CandidateState.DECREED] == [2, 4, 5, 6, 7]
    assert now[CandidateState.ENDED] == [1, 3]
    event = CandidateEvent.objects.filter(candidate__rank=6).latest("id")
    assert (event.from_state, event.to_state, event.reason_code) == (
        CandidateState.VERIFIED,
        CandidateState.DECREED,
        "keputusan_perubahan",
    )
    assert event.evidence["number"] == AMENDING_NUMBER
    assert event.evidence["decree"] == signed.pk
    assert event.actor == operator_disnaker_2
    # The removed keep their ENDED state and history; the decree lists them.
    assert CandidateEvent.objects.filter(candidate__rank__in=[1, 3]).count() == ended_events
    audit = AuditEntry.objects.filter(action="decree_record_signed").latest("id")
    assert (audit.detail["decreed"], audit.detail["removed"]) == (2, 2)
    removed = AuditEntry.objects.filter(action="decree_removal").order_by("id")
    ended = {c.pk: c for c in Candidate.objects.filter(proposal=proposal, rank__in=[1, 3])}
    assert [(e.detail["reason_code"], e.detail["number"]) for e in removed] == [
        ("ditolak_bpjs", AMENDING_NUMBER),
        ("meninggal", AMENDING_NUMBER),
    ]
    for entry in removed:
        assert ended[int(entry.object_id)].nik not in str(entry.detail)


def test_a_person_removed_by_an_earlier_amendment_is_not_listed_again(
    changed: tuple[Proposal, Decree], operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    proposal, _first = changed
    year = proposal.programme_year
    draft = services.decree_amendment_draft(
        programme_year=year, actor=operator_disnaker, on=DRAFTED_ON
    )
    first_amendment = decree_sign(
        draft, operator_disnaker_2, number=AMENDING_NUMBER, on=date(2026, 6, 20)
    )
    with pytest.raises(ValidationError, match="Tidak ada yang perlu diubah"):
        services.decree_amendment_draft(programme_year=year, actor=operator_disnaker, on=DRAFTED_ON)

    participant_ended(
        proposal, rank=6, actor=operator_disnaker, reason_code="pindah", on=date(2026, 8, 1)
    )
    second = services.decree_amendment_draft(
        programme_year=year, actor=operator_disnaker, on=date(2026, 8, 5)
    )

    additions, removals = selectors.decree_changes(decree=second)
    assert additions == []
    assert _ranks(removals) == [(6, "pindah", "Pindah domisili")]
    assert second.amends == first_amendment
    assert second.title.startswith(
        f"Perubahan Kedua atas Keputusan Bupati Pandeglang Nomor {FIRST_NUMBER}"
    )
    # Five decreed after the first amendment, one removed now; removals cost nothing.
    assert (second.participant_count, second.total_cost, second.months) == (4, 0, 0)


def test_signing_is_refused_when_the_lists_changed_since_drafting(
    changed: tuple[Proposal, Decree], operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    proposal, _first = changed
    draft = services.decree_amendment_draft(
        programme_year=proposal.programme_year, actor=operator_disnaker, on=DRAFTED_ON
    )
    participant_ended(proposal, rank=2, actor=operator_disnaker, reason_code="dana_ganda")

    with pytest.raises(ValidationError, match="berubah sejak rancangan keputusan perubahan"):
        decree_sign(draft, operator_disnaker_2, number=AMENDING_NUMBER, on=date(2026, 6, 20))

    draft.refresh_from_db()
    assert draft.status == Decree.Status.DRAFT
    assert states(proposal)[CandidateState.VERIFIED] == [6, 7]


def test_nothing_to_amend_and_no_signed_decree_are_refused_in_words(
    year: tuple[Proposal, Decree], operator_disnaker: Any
) -> None:
    proposal, first = year
    with pytest.raises(ValidationError, match="Tidak ada yang perlu diubah"):
        services.decree_amendment_draft(
            programme_year=proposal.programme_year, actor=operator_disnaker, on=DRAFTED_ON
        )
    Decree.objects.filter(pk=first.pk).update(status=Decree.Status.DRAFT)
    with pytest.raises(ValidationError, match="Belum ada keputusan penetapan peserta"):
        services.decree_amendment_draft(
            programme_year=proposal.programme_year, actor=operator_disnaker, on=DRAFTED_ON
        )
    assert not Decree.objects.filter(amends__isnull=False).exists()


def test_only_the_latest_signed_decree_is_amended(
    changed: tuple[Proposal, Decree], operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    proposal, first = changed
    year = proposal.programme_year
    draft = services.decree_amendment_draft(
        programme_year=year, actor=operator_disnaker, on=DRAFTED_ON
    )
    decree_sign(draft, operator_disnaker_2, number=AMENDING_NUMBER, on=date(2026, 6, 20))
    participant_ended(proposal, rank=2, actor=operator_disnaker, reason_code="pindah")

    with pytest.raises(ValidationError, match="terakhir ditetapkan"):
        services.decree_draft(
            programme_year=year,
            kind="peserta",
            actor=operator_disnaker,
            amends=first,
            on=DRAFTED_ON,
        )


def test_additions_need_months_left_in_the_year(
    changed: tuple[Proposal, Decree], operator_disnaker: Any
) -> None:
    proposal, _first = changed
    with pytest.raises(ValidationError, match="Tidak ada lagi bulan kepesertaan tersisa"):
        services.decree_amendment_draft(
            programme_year=proposal.programme_year, actor=operator_disnaker, on=date(2026, 12, 3)
        )


def test_additions_the_remaining_pagu_cannot_pay_for_are_refused_with_the_number(
    changed: tuple[Proposal, Decree], operator_disnaker: Any
) -> None:
    """Pasal 6 ayat (2): the forecast (participants.forecast) says what the rest pays."""
    proposal, _first = changed
    year = proposal.programme_year
    # Five places held from July (three decreed not yet covered, two additions) cost
    # 5 × 6 × Rp16.800; a pagu Rp1 short of that pays for one addition fewer.
    BudgetLine.objects.filter(programme_year=year).update(amount=5 * 6 * 16_800 - 1)

    with pytest.raises(ValidationError, match="hanya cukup untuk 1 peserta tambahan mulai Juli"):
        services.decree_amendment_draft(programme_year=year, actor=operator_disnaker, on=DRAFTED_ON)

    BudgetLine.objects.filter(programme_year=year).update(amount=5 * 6 * 16_800)
    draft = services.decree_amendment_draft(
        programme_year=year, actor=operator_disnaker, on=DRAFTED_ON
    )
    assert draft.total_cost == 2 * 6 * 16_800


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 6, 10), (7, 6)),
        (date(2026, 11, 30), (12, 1)),
        (date(2026, 12, 1), (13, 0)),
        (date(2025, 12, 20), (1, 12)),
        (date(2027, 1, 5), (13, 0)),
    ],
)
def test_additions_are_paid_from_the_month_after_drafting_to_december(
    on: date, expected: tuple[int, int]
) -> None:
    from payung.programmes.models import ProgrammeYear

    year = ProgrammeYear(year=2026)
    assert services.amendment_months(programme_year=year, months=12, on=on) == expected
    assert services.amendment_months(programme_year=year, months=6, on=date(2026, 2, 1)) == (7, 6)
