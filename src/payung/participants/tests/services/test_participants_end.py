"""participants_end: many participants end on one day, each with its own reason, all or
none, exactly as participant_end ends one (issue 16 target 5: the renewal's ~180)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.participants.models import Candidate, CandidateEvent, CandidateState, CoveragePeriod
from payung.participants.services import participants_end

pytestmark = pytest.mark.django_db


def test_each_ends_with_its_own_reason_its_period_closed_and_its_audit_entry(
    active: list[Candidate], operator_disnaker: Any
) -> None:
    reasons = {
        active[0]: "Pasal 5 ayat (2) huruf d",
        active[1]: "Tidak terdapat dalam data DTSEN tahun 2027.",
        active[2]: "  Pasal 5 ayat (2)   huruf d ",
    }

    n = participants_end(
        ends=reasons,
        actor=operator_disnaker,
        on=date(2026, 12, 31),
        reason_code="tidak_memenuhi_syarat",
        evidence={"screening_run": 7},
    )

    assert n == 3
    for candidate, reason in reasons.items():
        candidate.refresh_from_db()
        assert (candidate.state, candidate.reason_code, candidate.reason) == (
            CandidateState.ENDED,
            "tidak_memenuhi_syarat",
            " ".join(reason.split()),
        )
        event = CandidateEvent.objects.filter(candidate=candidate).latest("id")
        assert event.reason == " ".join(reason.split())
        assert event.evidence == {"screening_run": 7, "end_date": "2026-12-31"}
    entries = {e.object_id: e.detail for e in AuditEntry.objects.filter(action="participant_end")}
    assert set(entries) == {str(c.pk) for c in reasons}
    for candidate in active[:3]:
        period = CoveragePeriod.objects.get(candidate=candidate)
        assert (period.end, period.end_reason) == (date(2026, 12, 31), "tidak_memenuhi_syarat")
        assert entries[str(candidate.pk)]["coverage_period"] == period.pk
        assert candidate.nik not in str(entries[str(candidate.pk)])


def test_a_decreed_participant_ends_without_a_period(
    decreed: list[Candidate], operator_disnaker: Any
) -> None:
    participants_end(
        ends={decreed[0]: "Sudah dibayar APBD Provinsi."},
        actor=operator_disnaker,
        on=date(2026, 1, 20),
        reason_code="dana_ganda",
    )
    decreed[0].refresh_from_db()
    assert (decreed[0].state, decreed[0].reason) == (
        CandidateState.ENDED,
        "Sudah dibayar APBD Provinsi.",
    )
    assert not CoveragePeriod.objects.filter(candidate=decreed[0]).exists()
    detail = AuditEntry.objects.get(action="participant_end").detail
    assert detail["coverage_period"] is None


def test_one_refusal_ends_none(active: list[Candidate], operator_disnaker: Any) -> None:
    with pytest.raises(ValidationError, match="sebelum tanggal mulai"):
        participants_end(
            ends={active[0]: "", active[1]: ""},
            actor=operator_disnaker,
            on=date(2026, 1, 31),
            reason_code="meninggal",
        )
    with pytest.raises(ValidationError, match="Pilih alasan"):
        participants_end(
            ends={active[0]: ""}, actor=operator_disnaker, on=date(2026, 3, 1), reason_code="x"
        )
    with pytest.raises(ValidationError, match="di dalam tahun program"):
        participants_end(
            ends={active[0]: ""},
            actor=operator_disnaker,
            on=date(2027, 1, 1),
            reason_code="meninggal",
        )
    assert not Candidate.objects.filter(state=CandidateState.ENDED).exists()
    assert not CoveragePeriod.objects.filter(end__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="participant_end").exists()


def test_only_who_may_end_participants(active: list[Candidate], operator_dinsos: Any) -> None:
    with pytest.raises(PermissionDenied):
        participants_end(
            ends={active[0]: ""},
            actor=operator_dinsos,
            on=date(2026, 3, 1),
            reason_code="meninggal",
        )
    assert not Candidate.objects.filter(state=CandidateState.ENDED).exists()
