"""candidates_transition records one event per moved candidate, with every field as given."""

from __future__ import annotations

from typing import Any

from payung.participants.models import Candidate, CandidateEvent, CandidateState
from payung.participants.transitions import candidates_transition


def test_each_moved_candidate_gets_its_event_with_the_moves_fields(
    active: list[Candidate], operator_disnaker: Any
) -> None:
    """The events are written in bulk; what a reader gets back must be what was passed: the
    states, the actor, the shared reason or a candidate's own, the evidence merged (non-ASCII
    text intact) and the move's time, the same as the candidate's ``updated_at``."""
    first, *others = active
    before = set(CandidateEvent.objects.values_list("pk", flat=True))

    moved = candidates_transition(
        candidate_ids=[c.pk for c in active],
        action="end",
        actor=operator_disnaker,
        reason_code="died",
        reason="Meninggal dunia",
        evidence={"end_date": "2026-03-31", "catatan": "surat kematian — kelurahan"},
        per_candidate={first.pk: {"reason": "Alasan sendiri", "evidence": {"berkas": "a.pdf"}}},
    )

    assert moved == len(active)
    events = {
        e.candidate_id: e
        for e in CandidateEvent.objects.exclude(pk__in=before).select_related("actor")
    }
    assert set(events) == {c.pk for c in active}
    for c in Candidate.objects.filter(pk__in=events):
        e = events[c.pk]
        assert (e.from_state, e.to_state) == (CandidateState.ACTIVE, CandidateState.ENDED)
        assert e.actor == operator_disnaker
        assert e.reason_code == "died"
        assert e.at == c.updated_at
    assert events[first.pk].reason == "Alasan sendiri"
    assert events[first.pk].evidence == {
        "end_date": "2026-03-31",
        "catatan": "surat kematian — kelurahan",
        "berkas": "a.pdf",
    }
    for c in others:
        assert events[c.pk].reason == "Meninggal dunia"
        assert events[c.pk].evidence == {
            "end_date": "2026-03-31",
            "catatan": "surat kematian — kelurahan",
        }
    # The JSON is stored as Django stores it, so a lookup inside it finds the rows.
    assert CandidateEvent.objects.filter(evidence__berkas="a.pdf").count() == 1
