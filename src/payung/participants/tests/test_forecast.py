"""``forecast``: how many more participants the rest of the pagu pays for (Pasal 6 ayat
(2)), and ``places_fill`` pulling no more than that from the waiting list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.participants.forecast import (
    place_cost,
    places_affordable,
    places_affordable_require,
    places_cost_committed,
    places_from_month,
)
from payung.participants.models import CandidateState
from payung.participants.services import places_fill
from payung.participants.tests.factories import MONTHLY, contribution_year, participants_add

pytestmark = pytest.mark.django_db

JAN, JUL = date(2026, 1, 1), date(2026, 7, 1)
S = CandidateState


def test_the_remaining_pagu_counts_every_place_holder_for_its_months() -> None:
    year, proposal = contribution_year(pagu=120 * MONTHLY)
    participants_add(proposal=proposal, periods=[(JAN, None)] * 3)  # 3 × 12 months
    participants_add(proposal=proposal, periods=[(JAN, date(2026, 3, 15))])  # ended: 3
    participants_add(proposal=proposal, periods=[(None, None)] * 2, state=S.PROPOSED)
    participants_add(proposal=proposal, periods=[(None, None)], state=S.DECREED)
    participants_add(proposal=proposal, periods=[(None, None)] * 5, state=S.WAITLISTED)
    # From July: proposed and decreed-not-started count July..December (6 months each).
    assert places_cost_committed(programme_year=year, from_month=JUL) == (36 + 3 + 18) * MONTHLY
    assert place_cost(programme_year=year, from_month=JUL) == 6 * MONTHLY
    # (120 - 57) // 6 = 10 more people from July; from January the same pagu pays fewer.
    assert places_affordable(programme_year=year, from_month=JUL) == 10
    assert places_affordable(programme_year=year, from_month=JAN) == (120 - 39 - 36) // 12


def test_asking_for_more_than_the_pagu_pays_is_refused_with_the_number() -> None:
    year, proposal = contribution_year(pagu=24 * MONTHLY)
    participants_add(proposal=proposal, periods=[(JAN, None)])
    with pytest.raises(ValidationError) as refused:
        places_affordable_require(programme_year=year, from_month=JUL, wanted=3)
    assert "Sisa pagu hanya cukup untuk 2 peserta tambahan" in " ".join(refused.value.messages)
    assert places_affordable_require(programme_year=year, from_month=JUL, wanted=2) == 2


def test_the_first_month_of_a_place_stays_inside_the_year() -> None:
    year, _proposal = contribution_year()
    assert places_from_month(programme_year=year, today=date(2025, 11, 20)) == JAN
    assert places_from_month(programme_year=year, today=date(2026, 7, 9)) == JUL
    assert places_from_month(programme_year=year, today=date(2027, 2, 1)) == date(2026, 12, 1)


def test_places_fill_pulls_no_more_than_the_pagu_pays(operator_dinsos: Any) -> None:
    _year, proposal = contribution_year(pagu=60 * MONTHLY, quota=50)
    participants_add(proposal=proposal, periods=[(JAN, None)] * 3)  # 36 months
    waiting = participants_add(proposal=proposal, periods=[(None, None)] * 6, state=S.WAITLISTED)
    # Quota leaves 47 places, the pagu 24 months: 4 people from July.
    pulled = places_fill(proposal=proposal, actor=operator_dinsos, cause={}, from_month=JUL)
    assert pulled == [c.pk for c in waiting[:4]]
    with pytest.raises(ValidationError) as refused:
        places_fill(proposal=proposal, actor=operator_dinsos, cause={}, from_month=JUL, wanted=1)
    assert "cukup untuk 0 peserta" in " ".join(refused.value.messages)


STATES = [S.ACTIVE, S.ENDED, S.PROPOSED, S.VERIFIED, S.DECREED, S.REGISTERED]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pagu_months=st.integers(min_value=0, max_value=120),
    quota=st.integers(min_value=1, max_value=15),
    holders=st.lists(
        st.tuples(st.sampled_from(STATES), st.integers(1, 12), st.integers(0, 11)),
        max_size=6,
    ),
    waiting=st.integers(min_value=0, max_value=8),
    from_month=st.integers(min_value=1, max_value=12),
)
def test_places_fill_never_goes_over_the_pagu_nor_skips_a_rank(
    operator_dinsos: Any,
    pagu_months: int,
    quota: int,
    holders: list[tuple[str, int, int]],
    waiting: int,
    from_month: int,
) -> None:
    with transaction.atomic():
        year, proposal = contribution_year(pagu=pagu_months * MONTHLY, quota=quota)
        for state, start, length in holders:
            if state in (S.ACTIVE, S.ENDED):
                first = date(2026, start, 1)
                end = date(2026, min(start + length, 12), 28) if state == S.ENDED else None
                participants_add(proposal=proposal, periods=[(first, end)])
            else:
                participants_add(proposal=proposal, periods=[(None, None)], state=state)
        queue = participants_add(
            proposal=proposal, periods=[(None, None)] * waiting, state=S.WAITLISTED
        )
        month = date(2026, from_month, 1)
        pagu = pagu_months * MONTHLY
        before = places_cost_committed(programme_year=year, from_month=month)
        pulled = places_fill(proposal=proposal, actor=operator_dinsos, cause={}, from_month=month)
        after = places_cost_committed(programme_year=year, from_month=month)
        # Never a skipped rank: the pulled are the head of the waiting list.
        assert pulled == [c.pk for c in queue[: len(pulled)]]
        # Never over the pagu: what was added fits in what remained.
        assert after == before or after <= pagu
        # And as many as fit: the waiting list, the quota or the pagu stops it.
        held = proposal.candidates.filter(
            state__in=[S.PROPOSED, S.VERIFIED, S.DECREED, S.REGISTERED, S.ACTIVE]
        ).count()
        cost = place_cost(programme_year=year, from_month=month)
        assert len(pulled) == waiting or held >= quota or after + cost > pagu
        transaction.set_rollback(True)
