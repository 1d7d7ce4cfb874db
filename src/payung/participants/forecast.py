"""The money side of the places: how many more participants the rest of the pagu pays for.

Pasal 6 ayat (2): cover is given as far as the regency's finances allow, so a place is only
as free as the pagu behind it. The quota of the proposal counts people; once the year runs,
the same pagu has already paid (or is committed to pay) for the months of everyone who held
a place, and a replacement costs only the months left. ``places_affordable`` turns the
remaining pagu into a number of people, at the year's pinned policy and its dated rates
(Pasal 9 ayat (2)), through the same billing rule the bills use (``payung.engine``).

It sits in the participants app, below decrees, enrollment and contributions, so every
stage that adds people (a replacement from the waiting list, an amending decree, a
registration) asks the same question the same way.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from payung.core.formatting import angka
from payung.engine import Coverage, bill_compute
from payung.participants.models import Candidate, CandidateState, CoveragePeriod
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy

#: Held a place before the decree: their cover (if any) starts no earlier than ``from_month``.
_BEFORE_DECREE = frozenset({CandidateState.PROPOSED, CandidateState.VERIFIED})
#: Decreed, not yet covered: their cover starts no earlier than ``from_month`` either.
_NOT_STARTED = frozenset({CandidateState.DECREED, CandidateState.REGISTERED})
#: Whose coverage periods count (ended participants were paid for until they ended).
_COVERED = frozenset(
    {CandidateState.DECREED, CandidateState.REGISTERED, CandidateState.ACTIVE, CandidateState.ENDED}
)


def _month(day: date) -> date:
    return day.replace(day=1)


def _year_end(programme_year: ProgrammeYear) -> date:
    return date(programme_year.year, 12, 1)


def places_from_month(*, programme_year: ProgrammeYear, today: date) -> date:
    """The first month a participant added on ``today`` could be covered: today's month,
    kept inside the programme year (January before the year starts, December after it).

    Today's month rather than the next: counting one month more per person errs on the side
    of the pagu, never over it.
    """
    first, last = date(programme_year.year, 1, 1), _year_end(programme_year)
    return min(max(_month(today), first), last)


def places_cost_committed(*, programme_year: ProgrammeYear, from_month: date) -> int:
    """Rupiah the year's place-holders cost for the whole year, as far as known on
    ``from_month``: every coverage period of the decreed and later (an open period to
    December, an ended one to its end), and from ``from_month`` to December for those who
    hold a place but are not covered yet (proposed, verified, decreed, registered)."""
    from_month = _month(from_month)
    first, last = date(programme_year.year, 1, 1), _year_end(programme_year)
    policy = programme_year_policy(programme_year=programme_year)
    year_candidates = Candidate.objects.filter(proposal__programme_year=programme_year)
    coverages = [
        Coverage(key=str(candidate_id), start=start, end=end)
        for candidate_id, start, end in CoveragePeriod.objects.filter(
            candidate__in=year_candidates.filter(state__in=_COVERED)
        ).values_list("candidate_id", "start", "end")
    ]
    covered = {int(c.key) for c in coverages}
    waiting = year_candidates.filter(state__in=_BEFORE_DECREE | _NOT_STARTED).values_list(
        "pk", flat=True
    )
    coverages += [
        Coverage(key=str(pk), start=from_month, end=None) for pk in waiting if pk not in covered
    ]
    lines = bill_compute(
        coverages=coverages, first=first, last=last, contribution=policy.contribution
    )
    return sum(line.total for line in lines)


def place_cost(*, programme_year: ProgrammeYear, from_month: date) -> int:
    """Rupiah one more participant costs from ``from_month`` to December (Pasal 9 ayat (2),
    the rates in force month by month)."""
    from_month = _month(from_month)
    policy = programme_year_policy(programme_year=programme_year)
    lines = bill_compute(
        coverages=[Coverage(key="tambahan", start=from_month, end=None)],
        first=from_month,
        last=_year_end(programme_year),
        contribution=policy.contribution,
    )
    return sum(line.total for line in lines)


def places_affordable(*, programme_year: ProgrammeYear, from_month: date) -> int:
    """How many ADDITIONAL participants the remaining pagu pays for, each covered from
    ``from_month`` to December.

    Remaining pagu = the pagu of every funding source (Pasal 13) minus what the place-holders
    cost (``places_cost_committed``, Pasal 6 ayat (2)); divided by one more participant's
    cost for the months left, rounded down. Never negative.
    """
    pagu = programme_year.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    remaining = pagu - places_cost_committed(programme_year=programme_year, from_month=from_month)
    cost = place_cost(programme_year=programme_year, from_month=from_month)
    if remaining <= 0 or cost <= 0:
        return 0
    return remaining // cost


def places_affordable_require(
    *, programme_year: ProgrammeYear, from_month: date, wanted: int
) -> int:
    """Refuse adding ``wanted`` participants when the remaining pagu pays for fewer, saying
    how many it pays for (issue 11: the pagu guard); return the affordable number."""
    affordable = places_affordable(programme_year=programme_year, from_month=from_month)
    if wanted > affordable:
        raise ValidationError(
            _(
                "Sisa pagu hanya cukup untuk %(n)s peserta tambahan sampai Desember "
                "(diminta %(wanted)s); Pasal 6 ayat (2): kepesertaan sesuai kemampuan "
                "keuangan Daerah."
            )
            % {"n": angka(affordable), "wanted": angka(wanted)},
            code="over_pagu",
        )
    return affordable
