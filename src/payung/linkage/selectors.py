"""Reads of the linkage stage: the year's other lists with their decision counts, one
list's matches a page at a time with the person's place in the programme beside each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from payung.domain.calendar import birth_date_read
from payung.linkage.models import ListMatch, OtherList
from payung.participants.models import Candidate
from payung.programmes.models import ProgrammeYear
from payung.registry.models import PairDecision
from payung.registry.pairs import EvidenceLine, pair_evidence

#: Matches per page: a reviewer compares each pair field by field.
PAGE_SIZE: Final = 25
#: The tabs of a list's page: the pairs waiting for a person first.
FILTERS: Final = {
    "perlu": Q(decision=PairDecision.PENDING),
    "sama": Q(decision=PairDecision.CONFIRMED),
    "bukan": Q(decision=PairDecision.REJECTED),
}


def other_list_list(*, programme_year: ProgrammeYear) -> QuerySet[OtherList]:
    """The year's lists, newest first, each with how many matches wait, were confirmed or
    rejected (one query)."""
    return (
        OtherList.objects.filter(programme_year=programme_year)
        .select_related("uploaded_by")
        .annotate(
            pending=Count("matches", filter=Q(matches__decision=PairDecision.PENDING)),
            confirmed=Count("matches", filter=Q(matches__decision=PairDecision.CONFIRMED)),
            rejected=Count("matches", filter=Q(matches__decision=PairDecision.REJECTED)),
        )
        .order_by("-created_at", "-pk")
    )


def other_list_get(*, pk: int) -> OtherList | None:
    return (
        OtherList.objects.select_related("programme_year", "uploaded_by", "dtsen_import")
        .filter(pk=pk)
        .first()
    )


def other_list_counts(*, other_list: OtherList) -> dict[str, int]:
    """Matches per tab of the list's page."""
    counts = other_list.matches.aggregate(
        **{key: Count("pk", filter=condition) for key, condition in FILTERS.items()}
    )
    return {key: counts[key] or 0 for key in FILTERS}


@dataclass(frozen=True)
class MatchRow:
    match: ListMatch
    evidence: list[EvidenceLine]
    #: The person's candidate in the year's proposal, or None.
    candidate: Candidate | None
    person_birth: date | str
    other_birth: date | str


def list_match_page(*, other_list: OtherList, tab: str, page: int) -> tuple[Page, list[MatchRow]]:
    """One page of a list's matches under ``tab``, most probable first, each with its
    evidence worded and the person's candidacy (three queries whatever the page size)."""
    condition = FILTERS.get(tab, FILTERS["perlu"])
    matches = (
        other_list.matches.filter(condition)
        .select_related("person", "decided_by")
        .order_by("-probability", "pk")
    )
    paged = Paginator(matches, PAGE_SIZE).get_page(page)
    shown = list(paged.object_list)
    candidates = {
        c.person_id: c
        for c in Candidate.objects.filter(
            proposal__programme_year_id=other_list.programme_year_id,
            person_id__in=[m.person_id for m in shown],
        ).only("pk", "person_id", "state", "rank", "reason")
    }
    rows = [
        MatchRow(
            match=m,
            evidence=pair_evidence(m.evidence),
            candidate=candidates.get(m.person_id),
            person_birth=birth_date(m.person.tanggal_lahir),
            other_birth=birth_date(m.other_tanggal_lahir),
        )
        for m in shown
    ]
    return paged, rows


def birth_date(text: str) -> date | str:
    """A birth date as a date when screening can read it (``domain.calendar.birth_date_read``,
    the engine's own forms), else the text as it arrived."""
    return (birth_date_read(text) if text else None) or text or ""
