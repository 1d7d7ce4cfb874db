"""The proposal (Pasal 7 ayat (3)), the waiting list and the four-eyes approval."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from payung.audit.models import AuditEntry
from payung.participants.models import CandidateEvent, CandidateState, Proposal
from payung.participants.services import candidate_exclude, proposal_approve, proposal_create
from payung.participants.tests.factories import (
    QUOTA,
    messages,
    place_holders,
    screened_year,
    states,
    year_of,
)
from payung.programmes.models import BudgetLine
from payung.screening.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(operator_dinsos: Any) -> Any:
    return screened_year(operator=operator_dinsos)


@pytest.fixture
def proposal(run: Any, operator_dinsos: Any) -> Proposal:
    return proposal_create(run=run, actor=operator_dinsos, place="Pandeglang")


def test_proposal_puts_forward_the_quota_and_waitlists_the_rest_in_rank_order(
    run: Any, proposal: Proposal
) -> None:
    eligible = list(
        Decision.objects.filter(run=run, status__in=["selected", "waitlisted"])
        .order_by("priority_rank")
        .values_list("priority_rank", "status")
    )
    assert len(eligible) > QUOTA  # the fixture must leave people waiting
    got = states(proposal)
    assert got[CandidateState.PROPOSED] == [r for r, s in eligible if s == "selected"]
    assert got[CandidateState.PROPOSED] == list(range(1, QUOTA + 1))
    assert got[CandidateState.WAITLISTED] == list(range(QUOTA + 1, len(eligible) + 1))
    assert proposal.quota == QUOTA
    # Every candidate has its history: screened -> proposed / waitlisted, by the operator.
    events = CandidateEvent.objects.filter(candidate__proposal=proposal)
    assert events.count() == len(eligible)
    assert set(events.values_list("from_state", "actor__username")) == {
        (CandidateState.SCREENED, "operator_dinsos")
    }
    assert AuditEntry.objects.filter(action="proposal_create").count() == 1


def test_a_second_proposal_for_the_year_is_refused(
    run: Any, proposal: Proposal, operator_dinsos_2: Any
) -> None:
    with pytest.raises(ValidationError, match="sudah mempunyai usulan"):
        proposal_create(run=run, actor=operator_dinsos_2, place="Pandeglang")


def test_a_changed_pagu_refuses_the_proposal(run: Any, operator_dinsos: Any) -> None:
    BudgetLine.objects.filter(programme_year=year_of(run)).update(amount=1)
    with pytest.raises(ValidationError) as caught:
        proposal_create(run=run, actor=operator_dinsos, place="Pandeglang")
    assert "jalankan penyaringan ulang" in messages(caught.value)


def test_only_the_operator_pendataan_may_propose(run: Any, verifikator_dukcapil: Any) -> None:
    with pytest.raises(PermissionDenied):
        proposal_create(run=run, actor=verifikator_dukcapil, place="Pandeglang")


def test_exclusion_needs_a_written_reason(proposal: Proposal, operator_dinsos: Any) -> None:
    first = proposal.candidates.get(rank=1)
    with pytest.raises(ValidationError, match="alasan"):
        candidate_exclude(candidate=first, actor=operator_dinsos, reason="  tidak  ")
    first.refresh_from_db()
    assert first.state == CandidateState.PROPOSED


def test_each_exclusion_pulls_the_next_from_the_waiting_list(
    proposal: Proposal, operator_dinsos: Any
) -> None:
    for rank in (3, 7, 12):
        candidate = proposal.candidates.get(rank=rank)
        candidate_exclude(
            candidate=candidate, actor=operator_dinsos, reason="Tercatat sebagai perangkat desa"
        )
        assert place_holders(proposal) == QUOTA
    got = states(proposal)
    assert got[CandidateState.REJECTED] == [3, 7, 12]
    assert got[CandidateState.PROPOSED] == [r for r in range(1, QUOTA + 4) if r not in (3, 7, 12)]
    assert got[CandidateState.WAITLISTED][0] == QUOTA + 4
    excluded = proposal.candidates.get(rank=7)
    assert excluded.reason_code == "dikecualikan"
    assert excluded.reason == "Tercatat sebagai perangkat desa"
    replacement = proposal.candidates.get(rank=QUOTA + 2)
    event = replacement.events.get(to_state=CandidateState.PROPOSED)
    assert event.from_state == CandidateState.WAITLISTED
    assert event.evidence == {"excluded_candidate": excluded.pk}
    assert AuditEntry.objects.filter(action="candidate_exclude").count() == 3


def test_excluding_a_waitlisted_person_frees_no_place(
    proposal: Proposal, operator_dinsos: Any
) -> None:
    waiting = proposal.candidates.get(rank=QUOTA + 1)
    candidate_exclude(candidate=waiting, actor=operator_dinsos, reason="Sudah bekerja tetap")
    got = states(proposal)
    assert got[CandidateState.PROPOSED] == list(range(1, QUOTA + 1))
    assert got[CandidateState.WAITLISTED][0] == QUOTA + 2


def test_the_proposer_cannot_approve_a_second_operator_can_and_it_freezes(
    proposal: Proposal, operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    with pytest.raises(ValidationError, match="empat mata"):
        proposal_approve(proposal=proposal, actor=operator_dinsos)
    approved = proposal_approve(proposal=proposal, actor=operator_dinsos_2)
    assert approved.status == Proposal.Status.APPROVED
    assert approved.approved_by == operator_dinsos_2
    with pytest.raises(ValidationError, match="sudah disetujui"):
        proposal_approve(proposal=proposal, actor=operator_dinsos_2)
    with pytest.raises(ValidationError, match="tidak dapat lagi"):
        candidate_exclude(
            candidate=proposal.candidates.get(rank=1),
            actor=operator_dinsos,
            reason="Terlambat setelah disetujui",
        )


def test_a_verifier_cannot_approve(proposal: Proposal, verifikator_dukcapil: Any) -> None:
    with pytest.raises(PermissionDenied):
        proposal_approve(proposal=proposal, actor=verifikator_dukcapil)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database refuses concurrent writers instead of queueing "
    "them (see the audit chain's test); the sequential double approval above runs here.",
)
@pytest.mark.django_db(transaction=True)
def test_two_people_approving_at_once_only_one_succeeds(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    from payung.accounts.services import agency_get_or_create, user_create

    third = user_create(
        username="operator_dinsos_3",
        password="rahasia-uji-123",
        role="operator_pendataan",
        agency=agency_get_or_create(kind="dinsos", name="Dinas Sosial"),
    )
    run = screened_year(operator=operator_dinsos, rows=200)
    proposal = proposal_create(run=run, actor=operator_dinsos, place="Pandeglang")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def approve(user: Any) -> None:
        try:
            start.wait()
            proposal_approve(proposal=Proposal.objects.get(pk=proposal.pk), actor=user)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code or "")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (operator_dinsos_2, third)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_approved", "ok"]
    assert AuditEntry.objects.filter(action="proposal_approve").count() == 1


def test_each_candidate_carries_its_decision_and_starts_clean(run: Any, proposal: Proposal) -> None:
    """The candidates are loaded in bulk: each row must hold its own decision's person, NIK
    and rank, the model's defaults (no reason, no correction, no KPJ, not carried over) and a
    readable time; the selected are proposed, the rest waitlisted."""
    decisions = {
        d.pk: d for d in Decision.objects.filter(run=run, status__in=["selected", "waitlisted"])
    }
    candidates = list(proposal.candidates.order_by("rank"))
    assert len(candidates) == len(decisions)
    for c in candidates:
        d = decisions[c.decision_id]
        assert (c.person_id, c.nik, c.rank) == (d.person_id, d.nik, d.priority_rank)
        expected = CandidateState.PROPOSED if d.status == "selected" else CandidateState.WAITLISTED
        assert c.state == expected
        assert (c.reason_code, c.reason, c.corrected, c.kpj, c.carried_from_id) == (
            "",
            "",
            {},
            "",
            None,
        )
        assert c.updated_at is not None
        assert c.events.get().to_state == expected
