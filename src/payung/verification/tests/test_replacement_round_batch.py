"""A replacement round's proposed (issue 12, ``participants.replacements``) form the next
Disdukcapil batch (Pasal 7 ayat (3)): the verification stage needs no change for them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from payung.participants.models import CandidateState
from payung.participants.replacements import replacements_propose
from payung.participants.tests.factories import MONTHLY, contribution_year, participants_add
from payung.verification.services import batch_create

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 1)


def test_the_round_forms_the_next_verification_batch(operator_dinsos: Any) -> None:
    # Quota 5: 3 covered all year, 2 to April; from May the rest of the pagu pays for 2.
    year, proposal = contribution_year(pagu=60 * MONTHLY, quota=5)
    participants_add(proposal=proposal, periods=[(JAN, None)] * 3)
    participants_add(proposal=proposal, periods=[(JAN, date(2026, 4, 30))] * 2)
    participants_add(proposal=proposal, periods=[(None, None)] * 4, state=CandidateState.WAITLISTED)

    result = replacements_propose(
        programme_year=year, actor=operator_dinsos, today=date(2026, 5, 1)
    )
    batch = batch_create(proposal=proposal, actor=operator_dinsos)

    assert len(result.proposed) == 2
    assert sorted(batch.items.values_list("candidate_id", flat=True)) == sorted(result.proposed)
