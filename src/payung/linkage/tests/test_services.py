"""Another funder's list through the real services: linked by Splink, decided by a person,
and what a confirmed match does to the person's place (Pasal 5 ayat (2) huruf f)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.linkage import services
from payung.linkage.models import ListMatch, MatchEffect, OtherList
from payung.linkage.tests import factories as f
from payung.participants.models import Candidate, CandidateEvent, CandidateState, EndReason
from payung.participants.services import proposal_create
from payung.participants.tests.factories import (
    approved_proposal,
    decreed_candidates,
    place_holders,
    screened_year,
)
from payung.registry.models import PairDecision

pytestmark = pytest.mark.django_db

LIST_DATE = date(2026, 3, 1)


def _link(year: Any, actor: Any, content: bytes, name: str = "bpu-apbd-provinsi.csv") -> OtherList:
    job = services.other_list_create(
        programme_year=year,
        source_name="Peserta BPU APBD Provinsi Banten",
        funder="apbd_provinsi",
        list_date=LIST_DATE,
        uploaded=f.other_list_upload(content, name),
        actor=actor,
    )
    # Tests run tasks on commit, which a test transaction never reaches: run it directly.
    services.other_list_execute(other_list=job)
    job.refresh_from_db()
    return job


def _first(proposal: Any, n: int, state: str = CandidateState.PROPOSED) -> list[Candidate]:
    return list(
        proposal.candidates.filter(state=state).select_related("person").order_by("rank")[:n]
    )


def test_a_list_typed_by_other_hands_finds_the_years_people_and_keeps_only_their_rows(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    exact, *typed = [c.person for c in _first(proposal, 4)]
    job = _link(
        proposal.programme_year, operator_dinsos, f.other_list_bytes(exact=[exact], typed=typed)
    )

    assert job.status == JobStatus.DONE
    assert job.row_count == 24
    assert job.dtsen_import_id == proposal.screening_run.dtsen_import_id
    matches = {m.person_id: m for m in job.matches.all()}
    assert set(matches) == {exact.pk, *(p.pk for p in typed)}, "strangers are never paired"
    assert matches[exact.pk].evidence["nik"] == "sama"
    for person in typed:
        match = matches[person.pk]
        assert match.evidence["nik"] == "beda_1_digit"
        assert match.other_nik == f.nik_typo(person.nik)
        assert match.decision == PairDecision.PENDING
    # The upload is gone once linked; its SHA-256 stays, and nothing of the strangers.
    assert job.stored_path == ""
    assert not any((Path(settings.MEDIA_ROOT) / services.LIST_FOLDER).glob("*"))
    assert not ListMatch.objects.filter(other_nama__startswith="Orang Lain").exists()
    entry = AuditEntry.objects.get(action="other_list_linked")
    assert entry.detail["matches"] == 4
    assert not any(p.nik in str(entry.detail) or p.nama in str(entry.detail) for p in typed)


def test_a_confirmed_match_before_the_decree_refuses_the_person_and_the_waiting_list_moves_up(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    holders = place_holders(proposal)
    target = _first(proposal, 1)[0]
    next_waiting = _first(proposal, 1, CandidateState.WAITLISTED)[0]
    job = _link(
        proposal.programme_year,
        operator_dinsos,
        f.other_list_bytes(exact=[], typed=[target.person]),
    )
    match = job.matches.get(person=target.person)

    decided = services.list_match_decide(
        match=match, decision=PairDecision.CONFIRMED, note="", actor=operator_dinsos_2
    )

    target.refresh_from_db()
    next_waiting.refresh_from_db()
    assert decided.effect == MatchEffect.EXCLUDED
    assert decided.decided_by == operator_dinsos_2
    assert target.state == CandidateState.REJECTED
    assert target.reason_code == services.REASON_CODE
    assert target.reason.startswith("Pasal 5 ayat (2) huruf f")
    assert "Peserta BPU APBD Provinsi Banten" in target.reason
    event = CandidateEvent.objects.filter(candidate=target).latest("at", "id")
    assert event.actor == operator_dinsos_2
    assert event.evidence["other_list"] == job.pk
    assert event.evidence["list_sha256"] == job.sha256
    # Pasal 6 ayat (2): the place goes to the first on the waiting list, none lost.
    assert next_waiting.state == CandidateState.PROPOSED
    assert place_holders(proposal) == holders
    audit = AuditEntry.objects.get(action="list_match_decide")
    assert audit.actor == operator_dinsos_2
    assert audit.detail["effect"] == MatchEffect.EXCLUDED
    assert target.nik not in str(audit.detail)


def test_a_confirmed_match_after_the_decree_ends_the_participation_and_needs_the_right_to_end(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
) -> None:
    decreed = decreed_candidates(
        operator=operator_dinsos,
        approver=operator_dinsos_2,
        verifier=verifikator_dukcapil,
        recorder=operator_disnaker,
        n=2,
        rows=200,
    )
    year = decreed[0].proposal.programme_year
    job = _link(year, operator_dinsos, f.other_list_bytes(exact=[decreed[0].person], typed=[]))
    match = job.matches.get(person=decreed[0].person)

    with pytest.raises(ValidationError) as refused:
        services.list_match_decide(
            match=match, decision=PairDecision.CONFIRMED, note="", actor=operator_dinsos
        )
    assert "mengakhiri kepesertaan" in refused.value.messages[0]
    match.refresh_from_db()
    assert match.decision == PairDecision.PENDING

    services.list_match_decide(
        match=match, decision=PairDecision.CONFIRMED, note="", actor=operator_disnaker
    )
    ended = Candidate.objects.get(pk=decreed[0].pk)
    assert ended.state == CandidateState.ENDED
    assert ended.reason_code == EndReason.DANA_GANDA
    match.refresh_from_db()
    assert match.effect == MatchEffect.ENDED


def test_a_match_confirmed_before_the_proposal_refuses_the_person_when_the_proposal_is_made(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    run = screened_year(operator=operator_dinsos, rows=200)
    first = (
        run.decisions.filter(status="selected").select_related("person").order_by("priority_rank")
    ).first()
    job = _link(
        run.programme_year, operator_dinsos, f.other_list_bytes(exact=[first.person], typed=[])
    )
    match = job.matches.get(person=first.person)
    services.list_match_decide(
        match=match, decision=PairDecision.CONFIRMED, note="", actor=operator_dinsos_2
    )
    match.refresh_from_db()
    assert match.effect == MatchEffect.AWAITING_PROPOSAL

    proposal = proposal_create(run=run, actor=operator_dinsos, place="Pandeglang")

    refused = proposal.candidates.get(person=first.person)
    assert refused.state == CandidateState.REJECTED
    assert refused.reason_code == services.REASON_CODE
    assert place_holders(proposal) == proposal.quota, "the quota is still filled in rank order"
    match.refresh_from_db()
    assert match.effect == MatchEffect.EXCLUDED


def test_a_rejected_match_changes_nothing_but_needs_a_reason_and_is_final(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    target = _first(proposal, 1)[0]
    job = _link(
        proposal.programme_year,
        operator_dinsos,
        f.other_list_bytes(exact=[target.person], typed=[]),
    )
    match = job.matches.get(person=target.person)

    with pytest.raises(ValidationError) as no_reason:
        services.list_match_decide(
            match=match, decision=PairDecision.REJECTED, note="beda", actor=operator_dinsos
        )
    assert "paling sedikit" in no_reason.value.messages[0]
    services.list_match_decide(
        match=match,
        decision=PairDecision.REJECTED,
        note="Orang lain: ayahnya, KTP dilihat di kantor desa.",
        actor=operator_dinsos,
    )
    target.refresh_from_db()
    assert target.state == CandidateState.PROPOSED
    with pytest.raises(ValidationError) as twice:
        services.list_match_decide(
            match=match, decision=PairDecision.CONFIRMED, note="", actor=operator_dinsos_2
        )
    assert "sudah diputuskan" in twice.value.messages[0]


def test_only_the_agencies_that_work_the_lists_upload_or_decide(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    auditor_inspektorat: Any,
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    target = _first(proposal, 1)[0]
    content = f.other_list_bytes(exact=[target.person], typed=[])
    for outsider in (verifikator_dukcapil, auditor_inspektorat):
        with pytest.raises(PermissionDenied):
            services.other_list_create(
                programme_year=proposal.programme_year,
                source_name="Daftar",
                funder="apbn",
                list_date=LIST_DATE,
                uploaded=f.other_list_upload(content),
                actor=outsider,
            )
    job = _link(proposal.programme_year, operator_dinsos, content)
    with pytest.raises(PermissionDenied):
        services.list_match_decide(
            match=job.matches.get(),
            decision=PairDecision.CONFIRMED,
            note="",
            actor=auditor_inspektorat,
        )


def test_a_list_that_cannot_be_read_fails_with_one_indonesian_sentence_naming_the_file(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    job = _link(
        proposal.programme_year, operator_dinsos, b"NOMOR;ALAMAT\n1;Jl. Mawar\n", "daftar-desa.csv"
    )
    assert job.status == JobStatus.FAILED
    assert "daftar-desa.csv" in job.error_message
    assert "NAMA" in job.error_message
    assert not job.matches.exists()


def test_the_same_file_twice_in_a_year_is_refused_and_a_year_without_an_extract_too(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    content = f.other_list_bytes(exact=_first_persons(proposal, 1), typed=[])
    _link(proposal.programme_year, operator_dinsos, content)
    with pytest.raises(ValidationError) as again:
        _link(proposal.programme_year, operator_dinsos, content)
    assert "sudah diunggah" in again.value.messages[0]

    from payung.programmes.tests.factories import ProgrammeYearFactory

    empty = ProgrammeYearFactory(year=2027)
    with pytest.raises(ValidationError) as no_extract:
        _link(empty, operator_dinsos, content)
    assert "ekstrak DTSEN" in no_extract.value.messages[0]


def _first_persons(proposal: Any, n: int) -> list[Any]:
    return [c.person for c in _first(proposal, n)]
