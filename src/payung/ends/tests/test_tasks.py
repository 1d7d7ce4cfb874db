"""The replacement task of the workspace (Pasal 6 ayat (2)): offered to Dinas Sosial while
someone waits, someone is decreed and the pagu pays for free places."""

from __future__ import annotations

from typing import Any

import pytest

from payung.ends import selectors
from payung.participants.models import CandidateState

TASK = "Usulkan pengganti dari daftar tunggu untuk sisa pagu"


@pytest.fixture
def cycle(db: None) -> Any:
    from payung.people.tests.factories import cycle_build

    return cycle_build(rows=200, quota=5)


def _texts(cycle: Any) -> list[str]:
    year = cycle.proposal.programme_year
    user = cycle.users["operator_pendataan"]
    return [str(t.text) for t in selectors.ends_tasks(user=user, programme_year=year)]


def test_replacement_task_needs_someone_waiting_and_someone_decreed(
    cycle: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Any] = []

    def free(*, programme_year: Any, today: Any) -> int:
        asked.append(programme_year)
        return 3

    monkeypatch.setattr(selectors, "places_free_kept", free)
    candidates = cycle.proposal.candidates
    assert candidates.filter(state=CandidateState.WAITLISTED).exists()
    assert TASK in _texts(cycle)
    assert len(asked) == 1

    # Nobody waits: no task, and the pagu arithmetic is not done.
    candidates.filter(state=CandidateState.WAITLISTED).update(state=CandidateState.REJECTED)
    assert TASK not in _texts(cycle)
    assert len(asked) == 1
