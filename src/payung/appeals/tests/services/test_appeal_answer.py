"""Answering an appeal: the waiting list at the person's rank (ranks below shift, none is
held twice), refusals with the failed articles, a correction that makes a waiting person
ineligible, the replacement-round setting, four eyes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from payung.appeals.models import Appeal
from payung.appeals.services import Correction, appeal_answer, appeal_record
from payung.appeals.tests.factories import (
    appeal_year,
    policy_cycle_set,
    ranks,
    refused_person,
    waiting,
)
from payung.engine import connect, screen
from payung.participants.models import Candidate, CandidateState
from payung.programmes.selectors import programme_year_policy
from payung.registry import selectors as registry_selectors


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Any:
    return appeal_year(operator=operator_dinsos, approver=operator_dinsos_2)


def _record(person: Any, actor: Any, corrections: dict[str, Correction]) -> Appeal:
    return appeal_record(
        person=person,
        actor=actor,
        received_on=datetime.date(2026, 3, 2),
        channel=Appeal.Channel.LOKET,
        filed_by="Yang bersangkutan",
        grounds="Data pada DTSEN keliru, dengan bukti surat desa.",
        corrections=corrections,
    )


def _whole_import_order(proposal: Any, person: Any, corrected: dict[str, str]) -> list[int]:
    """Person ids of the whole import's eligible, in the engine's order, with the appellant's
    row corrected: an independent view of where the appellant belongs."""
    table = registry_selectors.persons_as_arrow(dtsen_import=person.dtsen_import)
    rows = table.to_pylist()
    for row in rows:
        if row["row"] == person.row:
            row.update(corrected)
    import pyarrow as pa

    fixed = pa.Table.from_pylist(rows, schema=table.schema)
    with connect("duckdb") as backend:
        result = screen(
            fixed,
            policy=programme_year_policy(programme_year=proposal.programme_year),
            as_of=proposal.screening_run.as_of,
            backend=backend,
        )
    ranked = sorted(
        (d["priority_rank"], d["row"])
        for d in result.decisions.select(["row", "priority_rank"]).to_pylist()
        if d["priority_rank"]
    )
    by_row = dict(person.dtsen_import.persons.values_list("row", "pk"))
    return [by_row[r] for _rank, r in ranked]


def test_now_eligible_waits_at_its_rank_and_the_ranks_below_move_down_one(
    proposal: Any, operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    person = refused_person(proposal, reasons="5(1)")
    before = ranks(proposal)
    appeal = _record(
        person, operator_dinsos, {"pekerjaan": Correction("PETANI", "Surat desa No. 1")}
    )
    answered = appeal_answer(appeal=appeal, actor=operator_dinsos_2)

    assert answered.outcome == Appeal.Outcome.WAITING_LIST
    candidate = Candidate.objects.get(proposal=proposal, person=person)
    assert candidate.state == CandidateState.WAITLISTED
    assert candidate.rank == answered.placed_rank
    assert candidate.corrected == {"pekerjaan": "PETANI"}
    target = candidate.rank
    after = ranks(proposal)
    for pk, rank in before.items():
        assert after[pk] == (rank + 1 if rank >= target else rank)
    assert len(set(after.values())) == len(after)
    # Not ahead of anyone who ranks higher: the whole import screened again with the
    # correction puts the appellant between the same neighbours.
    order = _whole_import_order(proposal, person, {"pekerjaan": "PETANI"})
    by_person = dict(proposal.candidates.values_list("person_id", "rank"))
    mine = order.index(person.pk)
    higher = [by_person[p] for p in order[:mine] if p in by_person]
    lower = [by_person[p] for p in order[mine + 1 :] if p in by_person]
    assert all(r < target for r in higher) and all(r > target for r in lower)
    event = candidate.events.order_by("-id").first()
    assert event.reason_code == "sanggahan_diterima" and event.actor == operator_dinsos_2


def test_still_ineligible_is_refused_with_each_failed_article(
    proposal: Any, operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    person = refused_person(proposal, reasons="5(2)d")
    outside = "9" if int(person.desil or 10) != 9 else "8"
    before = ranks(proposal)
    appeal = _record(person, operator_dinsos, {"desil": Correction(outside, "Surat desa No. 2")})
    answered = appeal_answer(appeal=appeal, actor=operator_dinsos_2)
    assert answered.outcome == Appeal.Outcome.REFUSED
    assert answered.result_reasons == "5(2)d"
    assert answered.placed_rank is None
    assert not Candidate.objects.filter(proposal=proposal, person=person).exists()
    assert ranks(proposal) == before


def test_a_correction_that_makes_a_waiting_person_ineligible_takes_them_off_the_list(
    proposal: Any, operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    candidate = waiting(proposal)
    before = ranks(proposal)
    appeal = _record(
        candidate.person,
        operator_dinsos,
        {"pekerjaan": Correction("PEGAWAI NEGERI SIPIL", "SK pengangkatan")},
    )
    assert appeal.refusal == Appeal.Refusal.WAITLISTED
    answered = appeal_answer(appeal=appeal, actor=operator_dinsos_2)
    assert answered.outcome == Appeal.Outcome.REFUSED
    assert "5(1)" in answered.result_reasons.split(";")
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.REJECTED
    assert candidate.reason_code == "sanggahan_ditolak" and "Pasal 5 ayat (1)" in candidate.reason
    assert ranks(proposal) == before


def test_replacement_round_setting_puts_the_appellant_ahead_of_the_waiting_list(
    proposal: Any, operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    policy_cycle_set(proposal.programme_year, appeal_eligible_to="replacement_round")
    first_waiting = waiting(proposal)
    person = refused_person(proposal, reasons="5(1)")
    appeal = _record(person, operator_dinsos, {"pekerjaan": Correction("PETANI", "Surat desa")})
    answered = appeal_answer(appeal=appeal, actor=operator_dinsos_2)
    assert answered.outcome == Appeal.Outcome.REPLACEMENT_ROUND
    assert answered.placed_rank == first_waiting.rank
    assert waiting(proposal).person_id == person.pk  # the next round takes them first
    first_waiting.refresh_from_db()
    assert first_waiting.rank == answered.placed_rank + 1


def test_the_recorder_cannot_answer_and_an_answer_is_given_once(
    proposal: Any, operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    person = refused_person(proposal, reasons="5(2)d")
    appeal = _record(person, operator_dinsos, {})
    with pytest.raises(ValidationError) as caught:
        appeal_answer(appeal=appeal, actor=operator_dinsos)
    assert caught.value.code == "four_eyes"
    appeal_answer(appeal=appeal, actor=operator_dinsos_2)
    with pytest.raises(ValidationError) as caught:
        appeal_answer(appeal=appeal, actor=operator_dinsos_2)
    assert caught.value.code == "answered"
