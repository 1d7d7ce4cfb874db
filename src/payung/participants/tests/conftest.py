"""Participants past the decree, shared by the lifecycle service tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from payung.participants.models import Candidate
from payung.participants.services import participant_activate
from payung.participants.tests.factories import decreed_candidates, register

#: Few places and people keep the screening behind these tests quick.
QUOTA = 3
ROWS = 150


@pytest.fixture
def decreed(
    operator_dinsos: Any, operator_dinsos_2: Any, verifikator_dukcapil: Any, operator_disnaker: Any
) -> list[Candidate]:
    return decreed_candidates(
        operator=operator_dinsos,
        approver=operator_dinsos_2,
        verifier=verifikator_dukcapil,
        recorder=operator_disnaker,
        n=QUOTA,
        rows=ROWS,
        quota=QUOTA,
    )


@pytest.fixture
def active(decreed: list[Candidate], petugas_bpjs: Any) -> list[Candidate]:
    """Every decreed candidate registered and covered from 1 February 2026."""
    for i, candidate in enumerate(decreed):
        register(candidate, petugas_bpjs, kpj=f"2601000000{i}", row=i + 2)
        participant_activate(candidate=candidate, actor=petugas_bpjs, start=date(2026, 2, 1))
    return decreed
