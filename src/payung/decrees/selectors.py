"""Reads of the decree stage: the team, the decrees, who a decree names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from payung.decrees.models import Decree
from payung.domain.policy import DecreeSpec, PolicyError
from payung.participants.models import DECREED_OR_LATER, Candidate, CandidateState, Proposal
from payung.programmes.models import TeamMember
from payung.programmes.selectors import programme_year_policy, team_member_list


def decree_list(*, programme_year: Any) -> QuerySet[Decree]:
    return Decree.objects.filter(programme_year=programme_year).select_related(
        "drafted_by", "recorded_by", "amends"
    )


def participants(*, programme_year: Any) -> QuerySet[Candidate]:
    """Who a participants decree names: the verified (and, once decreed, the decreed, later
    registered, active or ended) candidates of the year's proposal, in rank order."""
    return (
        Candidate.objects.filter(
            proposal__programme_year=programme_year,
            state__in=[CandidateState.VERIFIED, *DECREED_OR_LATER],
        )
        .select_related("person")
        .order_by("rank")
    )


def participants_digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()


def proposal_of(programme_year: Any) -> Proposal | None:
    return Proposal.objects.filter(programme_year=programme_year).first()


def decree_get(*, pk: int) -> Decree | None:
    return Decree.objects.select_related("programme_year", "drafted_by").filter(pk=pk).first()


@dataclass(frozen=True)
class DecreeRow:
    decree: Decree
    documents: list[Any]
    #: A draft that may still be recorded as signed: any amending draft, or a first draft
    #: while no first decree of its kind is signed.
    recordable: bool = False


@dataclass(frozen=True)
class DecreeBlock:
    """One decree the policy lists, with the year's decrees of that kind (newest first)."""

    spec: DecreeSpec
    title: str
    decrees: list[DecreeRow]
    signed: bool


@dataclass(frozen=True)
class YearDecrees:
    team: list[TeamMember]
    blocks: list[DecreeBlock]
    #: The policy file could not be loaded: no decree kinds to show.
    policy_missing: bool


def year_decrees(*, programme_year: Any) -> YearDecrees:
    """The decree page of a year: the team and, per decree of the policy, its drafts and
    signed record with their documents (two queries for every decree's documents)."""
    from payung.documents.models import Document
    from payung.documents.services import subject_label

    try:
        specs = list(programme_year_policy(programme_year=programme_year).decrees)
    except PolicyError:
        specs, missing = [], True
    else:
        missing = False
    decrees = list(decree_list(programme_year=programme_year))
    subjects = {subject_label(d): d.pk for d in decrees}
    documents: dict[int, list[Any]] = {d.pk: [] for d in decrees}
    for document in Document.objects.filter(subject__in=list(subjects)).order_by("kind", "pk"):
        documents[subjects[document.subject]].append(document)
    blocks = []
    for spec in specs:
        mine = [d for d in decrees if d.kind == spec.id]
        signed = any(d.status == Decree.Status.SIGNED and d.amends_id is None for d in mine)
        rows = [
            DecreeRow(
                decree=d,
                documents=documents[d.pk],
                recordable=d.status == Decree.Status.DRAFT
                and (d.amends_id is not None or not signed),
            )
            for d in mine
        ]
        blocks.append(
            DecreeBlock(
                spec=spec,
                title=spec.title.format(year=programme_year.year),
                decrees=rows,
                signed=signed,
            )
        )
    return YearDecrees(
        team=team_member_list(programme_year=programme_year),
        blocks=blocks,
        policy_missing=missing,
    )
