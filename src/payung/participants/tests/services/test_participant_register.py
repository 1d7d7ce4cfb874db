"""participant_register: BPJS's answer makes a decreed participant REGISTERED (Pasal 8 (3))."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.participants.models import Candidate, CandidateEvent, CandidateState
from payung.participants.services import participant_register
from payung.participants.tests.factories import ANSWER, register

pytestmark = pytest.mark.django_db

KPJ = "26010012345"


def test_the_answer_line_registers_and_keeps_the_kpj_out_of_the_history(
    decreed: list[Candidate], petugas_bpjs: Any
) -> None:
    candidate = register(decreed[0], petugas_bpjs, kpj="2601 001-2345", row=7)

    assert candidate.state == CandidateState.REGISTERED
    assert candidate.kpj == KPJ  # spaces and dashes of a typed KPJ are dropped
    event = CandidateEvent.objects.filter(candidate=candidate).latest("id")
    assert (event.from_state, event.to_state) == (CandidateState.DECREED, CandidateState.REGISTERED)
    assert event.actor == petugas_bpjs
    assert event.evidence == {**ANSWER, "row": 7, "kpj_masked": "2601***2345"}
    audit = AuditEntry.objects.get(action="participant_register")
    assert audit.detail["kpj_masked"] == "2601***2345"
    assert KPJ not in str(audit.detail) and candidate.nik not in str(audit.detail)


def test_the_operator_kepesertaan_may_register_but_not_dinas_sosial(
    decreed: list[Candidate], operator_disnaker: Any, operator_dinsos: Any
) -> None:
    with pytest.raises(PermissionDenied):
        register(decreed[0], operator_dinsos, kpj=KPJ)
    assert register(decreed[0], operator_disnaker, kpj=KPJ).state == CandidateState.REGISTERED


def test_only_a_decreed_participant_can_be_registered_and_only_once(
    decreed: list[Candidate], petugas_bpjs: Any
) -> None:
    waiting = Candidate.objects.filter(
        proposal=decreed[0].proposal, state=CandidateState.WAITLISTED
    ).first()
    assert waiting is not None
    with pytest.raises(ValidationError) as caught:
        register(waiting, petugas_bpjs, kpj=KPJ)
    assert caught.value.code == "wrong_state"
    waiting.refresh_from_db()
    assert (waiting.state, waiting.kpj) == (CandidateState.WAITLISTED, "")

    register(decreed[0], petugas_bpjs, kpj=KPJ)
    with pytest.raises(ValidationError, match="muat ulang"):
        register(decreed[0], petugas_bpjs, kpj="26019999999")
    assert Candidate.objects.get(pk=decreed[0].pk).kpj == KPJ


@pytest.mark.parametrize("kpj", ["", "123456789", "2601001234A", "1234567890123456"])
def test_a_kpj_that_is_not_10_to_15_digits_is_refused(
    decreed: list[Candidate], petugas_bpjs: Any, kpj: str
) -> None:
    with pytest.raises(ValidationError, match="10 sampai 15 angka"):
        register(decreed[0], petugas_bpjs, kpj=kpj)
    assert Candidate.objects.get(pk=decreed[0].pk).state == CandidateState.DECREED


def test_one_kpj_belongs_to_one_participant_of_the_year(
    decreed: list[Candidate], petugas_bpjs: Any
) -> None:
    register(decreed[0], petugas_bpjs, kpj=KPJ)
    with pytest.raises(ValidationError, match="sudah tercatat untuk peserta lain"):
        register(decreed[1], petugas_bpjs, kpj=KPJ)
    assert Candidate.objects.get(pk=decreed[1].pk).state == CandidateState.DECREED


def test_registration_needs_its_evidence_and_four_eyes_when_prepared(
    decreed: list[Candidate], operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    with pytest.raises(ValidationError, match="bukti pendaftaran"):
        participant_register(candidate=decreed[0], actor=petugas_bpjs, kpj=KPJ, evidence={})
    # Whoever sent the registration batch does not record BPJS's answer to it.
    with pytest.raises(ValidationError, match="empat mata"):
        participant_register(
            candidate=decreed[0],
            actor=operator_disnaker,
            kpj=KPJ,
            evidence=ANSWER,
            prepared_by=operator_disnaker,
        )
    done = participant_register(
        candidate=decreed[0],
        actor=petugas_bpjs,
        kpj=KPJ,
        evidence=ANSWER,
        prepared_by=operator_disnaker,
    )
    assert done.state == CandidateState.REGISTERED
    assert not AuditEntry.objects.filter(action="participant_register", actor=operator_disnaker)
