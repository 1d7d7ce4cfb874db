"""participant_end: cover ends on a date for a reason and its open period closes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.participants.models import Candidate, CandidateEvent, CandidateState, CoveragePeriod
from payung.participants.services import participant_end
from payung.participants.tests.factories import place_holders

pytestmark = pytest.mark.django_db


def test_ending_an_active_participant_closes_its_period_with_the_reason(
    active: list[Candidate], operator_disnaker: Any
) -> None:
    ended = participant_end(
        candidate=active[0],
        actor=operator_disnaker,
        on=date(2026, 3, 15),
        reason_code="meninggal",
        evidence={"file_name": "data-kematian-maret.xlsx"},
    )

    assert (ended.state, ended.reason_code, ended.reason) == (
        CandidateState.ENDED,
        "meninggal",
        "Meninggal dunia",
    )
    period = CoveragePeriod.objects.get(candidate=ended)
    assert (period.start, period.end, period.end_reason) == (
        date(2026, 2, 1),
        date(2026, 3, 15),
        "meninggal",
    )
    event = CandidateEvent.objects.filter(candidate=ended).latest("id")
    assert (event.from_state, event.to_state) == (CandidateState.ACTIVE, CandidateState.ENDED)
    assert event.evidence == {"file_name": "data-kematian-maret.xlsx", "end_date": "2026-03-15"}
    detail = AuditEntry.objects.get(action="participant_end").detail
    assert (detail["reason_code"], detail["coverage_period"]) == ("meninggal", period.pk)
    # Ending frees the place for a replacement: the active still hold theirs.
    assert place_holders(ended.proposal) == len(active) - 1


def test_a_decreed_participant_ends_without_a_period(
    decreed: list[Candidate], operator_disnaker: Any
) -> None:
    ended = participant_end(
        candidate=decreed[0],
        actor=operator_disnaker,
        on=date(2026, 1, 20),
        reason_code="dana_ganda",
        reason="Sudah dibayar APBD Provinsi (hasil pencocokan Januari).",
    )
    assert ended.state == CandidateState.ENDED
    assert ended.reason == "Sudah dibayar APBD Provinsi (hasil pencocokan Januari)."
    assert not CoveragePeriod.objects.filter(candidate=ended).exists()


def test_refusals_leave_the_participant_and_its_period_as_they_were(
    active: list[Candidate], operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    candidate = active[0]
    with pytest.raises(ValidationError, match="Pilih alasan"):
        participant_end(
            candidate=candidate, actor=operator_disnaker, on=date(2026, 3, 1), reason_code="bosan"
        )
    with pytest.raises(ValidationError, match="sebelum tanggal mulai"):
        participant_end(
            candidate=candidate,
            actor=operator_disnaker,
            on=date(2026, 1, 31),
            reason_code="meninggal",
        )
    with pytest.raises(ValidationError, match="di dalam tahun program"):
        participant_end(
            candidate=candidate,
            actor=operator_disnaker,
            on=date(2027, 1, 1),
            reason_code="meninggal",
        )
    # Ending cover is the regency's act: BPJS's officer records registrations only.
    with pytest.raises(PermissionDenied):
        participant_end(
            candidate=candidate, actor=petugas_bpjs, on=date(2026, 3, 1), reason_code="meninggal"
        )
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.ACTIVE
    assert CoveragePeriod.objects.get(candidate=candidate).end is None
    assert not AuditEntry.objects.filter(action="participant_end").exists()


def test_an_ended_participant_cannot_be_ended_again(
    active: list[Candidate], operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    participant_end(
        candidate=active[0], actor=operator_disnaker, on=date(2026, 3, 1), reason_code="pindah"
    )
    with pytest.raises(ValidationError, match="muat ulang"):
        participant_end(
            candidate=active[0],
            actor=operator_disnaker_2,
            on=date(2026, 4, 1),
            reason_code="meninggal",
        )
    assert CoveragePeriod.objects.get(candidate=active[0]).end == date(2026, 3, 1)


def test_four_eyes_when_the_end_was_prepared_by_someone(
    active: list[Candidate], operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    with pytest.raises(ValidationError, match="empat mata"):
        participant_end(
            candidate=active[0],
            actor=operator_disnaker,
            on=date(2026, 3, 1),
            reason_code="mengundurkan_diri",
            prepared_by=operator_disnaker,
        )
    ended = participant_end(
        candidate=active[0],
        actor=operator_disnaker_2,
        on=date(2026, 3, 1),
        reason_code="mengundurkan_diri",
        prepared_by=operator_disnaker,
    )
    assert ended.state == CandidateState.ENDED
