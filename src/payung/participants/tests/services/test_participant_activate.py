"""participant_activate: cover starts on BPJS's date and opens a coverage period."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from payung.audit.models import AuditEntry
from payung.participants.models import Candidate, CandidateEvent, CandidateState, CoveragePeriod
from payung.participants.services import participant_activate, participant_end
from payung.participants.tests.factories import register

pytestmark = pytest.mark.django_db

START = date(2026, 2, 1)


def _periods(candidate: Candidate) -> list[tuple[date, date | None, str]]:
    return list(
        CoveragePeriod.objects.filter(candidate=candidate)
        .order_by("start")
        .values_list("start", "end", "end_reason")
    )


def test_a_registered_participant_becomes_active_with_an_open_period(
    decreed: list[Candidate], petugas_bpjs: Any
) -> None:
    candidate = register(decreed[0], petugas_bpjs, kpj="26010012345")

    period = participant_activate(
        candidate=candidate, actor=petugas_bpjs, start=START, evidence={"row": 3}
    )

    candidate.refresh_from_db()
    assert candidate.state == CandidateState.ACTIVE
    assert (period.start, period.end) == (START, None)
    event = CandidateEvent.objects.filter(candidate=candidate).latest("id")
    assert (event.from_state, event.to_state) == (CandidateState.REGISTERED, CandidateState.ACTIVE)
    assert event.evidence == {"row": 3, "cover_start": "2026-02-01"}
    assert AuditEntry.objects.get(action="participant_activate").detail["start"] == "2026-02-01"


def test_cover_cannot_start_before_registration_or_outside_the_year(
    decreed: list[Candidate], petugas_bpjs: Any, operator_dinsos: Any
) -> None:
    with pytest.raises(ValidationError, match="muat ulang"):  # decreed, not yet registered
        participant_activate(candidate=decreed[0], actor=petugas_bpjs, start=START)
    register(decreed[0], petugas_bpjs, kpj="26010012345")
    with pytest.raises(ValidationError, match="di dalam tahun program 2026"):
        participant_activate(candidate=decreed[0], actor=petugas_bpjs, start=date(2025, 12, 31))
    with pytest.raises(PermissionDenied):
        participant_activate(candidate=decreed[0], actor=operator_dinsos, start=START)
    assert _periods(decreed[0]) == []
    assert Candidate.objects.get(pk=decreed[0].pk).state == CandidateState.REGISTERED


def test_reactivation_needs_a_reason_and_starts_after_the_last_period(
    active: list[Candidate], petugas_bpjs: Any, operator_disnaker: Any
) -> None:
    candidate = active[0]
    participant_end(
        candidate=candidate, actor=operator_disnaker, on=date(2026, 2, 10), reason_code="pindah"
    )
    with pytest.raises(ValidationError, match="alasan kepesertaan diaktifkan kembali"):
        participant_activate(candidate=candidate, actor=petugas_bpjs, start=date(2026, 3, 1))
    reason = "Ternyata tidak pindah; surat keterangan desa 3 Maret 2026."
    with pytest.raises(ValidationError, match="bertumpang tindih"):
        participant_activate(
            candidate=candidate, actor=petugas_bpjs, start=date(2026, 2, 10), reason=reason
        )

    participant_activate(
        candidate=candidate, actor=petugas_bpjs, start=date(2026, 3, 1), reason=reason
    )

    candidate.refresh_from_db()
    assert candidate.state == CandidateState.ACTIVE
    assert _periods(candidate) == [
        (START, date(2026, 2, 10), "pindah"),
        (date(2026, 3, 1), None, ""),
    ]
    last = CandidateEvent.objects.filter(candidate=candidate).latest("id")
    assert (last.from_state, last.reason) == (CandidateState.ENDED, reason)


def test_a_participant_ended_before_registration_is_not_reactivated(
    decreed: list[Candidate], petugas_bpjs: Any, operator_disnaker: Any
) -> None:
    participant_end(
        candidate=decreed[0], actor=operator_disnaker, on=date(2026, 1, 20), reason_code="meninggal"
    )
    with pytest.raises(ValidationError, match="belum pernah terdaftar"):
        participant_activate(
            candidate=decreed[0],
            actor=petugas_bpjs,
            start=date(2026, 3, 1),
            reason="Salah catat tanggal kematian.",
        )
    assert Candidate.objects.get(pk=decreed[0].pk).state == CandidateState.ENDED


def test_the_database_allows_one_open_period_per_candidate(active: list[Candidate]) -> None:
    """The service checks overlaps; the database still refuses a second open period if a
    write ever bypasses it (a partial unique index: SQLite and PostgreSQL)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        CoveragePeriod.objects.create(candidate=active[0], start=date(2026, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CoveragePeriod.objects.create(
            candidate=active[1], start=date(2026, 6, 1), end=date(2026, 5, 1)
        )
