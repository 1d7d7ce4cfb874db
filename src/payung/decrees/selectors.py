"""Reads of the decree stage: the team, the decrees, who a decree names."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from payung.candidates.models import Candidate, CandidateState, Proposal
from payung.decrees.models import Decree, TeamMember

#: Team positions in the order Pasal 10 ayat (4) lists them (and decrees print them).
POSITION_ORDER = [p.value for p in TeamMember.Position]


def team_member_list(*, programme_year: Any) -> list[TeamMember]:
    members = list(TeamMember.objects.filter(programme_year=programme_year))
    return sorted(members, key=lambda m: (POSITION_ORDER.index(m.position), m.pk))


def decree_list(*, programme_year: Any) -> QuerySet[Decree]:
    return Decree.objects.filter(programme_year=programme_year).select_related(
        "drafted_by", "recorded_by"
    )


def participants(*, programme_year: Any) -> QuerySet[Candidate]:
    """Who a participants decree names: the verified (and, once decreed, the decreed)
    candidates of the year's proposal, in rank order."""
    return (
        Candidate.objects.filter(
            proposal__programme_year=programme_year,
            state__in=[CandidateState.VERIFIED, CandidateState.DECREED],
        )
        .select_related("person")
        .order_by("rank")
    )


def participants_digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()


def proposal_of(programme_year: Any) -> Proposal | None:
    return Proposal.objects.filter(programme_year=programme_year).first()
