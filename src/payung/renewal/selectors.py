"""Reads of the next programme year's carry-over (issue 12, "the next programme year").

Last year's participants (decreed, registered with BPJS or active) are re-screened against
the new DTSEN extract at the new as-of date. Those who still qualify keep their KPJ and, when
the policy says so (``cycle.carry_over_first``), rank ahead of new candidates; those who no
longer qualify (ineligible, invalid, or absent from the new extract) end on 31 December of
last year with the failed articles as the reason. This module says who is who.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from payung import wording
from payung.core.models import JobStatus
from payung.domain import nik as nik_domain
from payung.domain import rulekinds
from payung.domain.policy import Policy
from payung.participants.models import Candidate, CandidateEvent, CandidateState, EndReason
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.screening.models import Decision, ScreeningRun
from payung.screening.selectors import codes, deemed_note, reasons_shown

#: Last year's candidates who are participants to carry over: named by the signed decree
#: and not ended (Pasal 7 ayat (4), Pasal 8).
CARRIED_STATES: tuple[str, ...] = (
    CandidateState.DECREED,
    CandidateState.REGISTERED,
    CandidateState.ACTIVE,
)
#: Decision statuses of a person who still meets Pasal 5 in the new screening.
QUALIFYING: frozenset[str] = frozenset({"selected", "waitlisted", "eligible"})
#: New-year states that hold a place (Pasal 6 ayat (2)) for a carried-over candidate.
PROPOSED_OR_LATER: frozenset[str] = frozenset(
    {
        CandidateState.PROPOSED,
        CandidateState.VERIFIED,
        CandidateState.DECREED,
        CandidateState.REGISTERED,
        CandidateState.ACTIVE,
    }
)
#: Evidence key an end for not qualifying on re-screening carries (the new year's pk).
EVIDENCE_KEY = "renewal_year"

_CHUNK = 5000


def previous_participants(*, programme_year: ProgrammeYear) -> QuerySet[Candidate]:
    """Last year's participants this year carries over; none when it carries nothing."""
    if programme_year.carried_from_id is None:
        return Candidate.objects.none()
    return Candidate.objects.filter(
        proposal__programme_year_id=programme_year.carried_from_id, state__in=CARRIED_STATES
    )


def carried_niks(*, programme_year: ProgrammeYear) -> frozenset[str] | None:
    """The NIKs screening ranks first (``PAYUNG_SCREENING_FIRST_NIKS``), or None when the
    year carries nothing over. Called in the screening worker, never passed as an argument."""
    if programme_year.carried_from_id is None:
        return None
    return frozenset(
        previous_participants(programme_year=programme_year).values_list("nik", flat=True)
    )


def renewal_run(*, programme_year: ProgrammeYear) -> ScreeningRun | None:
    """The screening that decides who still qualifies: the proposal's run once there is a
    proposal, else the year's latest finished run."""
    proposal = getattr(programme_year, "proposal", None)
    if proposal is not None and proposal.screening_run_id is not None:
        return proposal.screening_run
    return (
        ScreeningRun.objects.filter(programme_year=programme_year, status=JobStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class NotQualifying:
    """One of last year's participants who no longer qualifies, for the page and the end."""

    candidate: Candidate
    nik_masked: str
    name: str
    state_label: str
    failed: list[str]

    @property
    def reason(self) -> str:
        """The failed articles in words, as the end's reason text."""
        return "; ".join(self.failed)


@dataclass(frozen=True)
class RenewalOverview:
    """Where last year's participants stand in this year (issue 12)."""

    programme_year: ProgrammeYear
    source: ProgrammeYear
    run: ScreeningRun | None
    carry_over_first: bool
    previous: int
    qualifying: int
    proposed: int
    waitlisted: int
    not_qualifying: list[NotQualifying] = field(default_factory=list)
    ended: int = 0
    continuity_due: int = 0
    continued: int = 0
    first_count: dict[str, Any] | None = None


def failed_in_words(policy: Policy, decision: Decision | None, *, year: int) -> list[str]:
    """Why a person no longer qualifies, each failed article with its sentence; the data
    problems of an invalid row; or that the person is not in the new extract."""
    if decision is None:
        return [_("Tidak terdapat dalam data DTSEN tahun %(year)s.") % {"year": year}]
    if decision.status == "invalid":
        problems = ", ".join(wording.describe(c) for c in codes(decision.reasons))
        return [_("Data tidak valid: %(problems)s") % {"problems": problems}]
    out = []
    for code in reasons_shown(policy, decision.reasons):
        try:
            rule = policy.rule(code)
        except KeyError:
            out.append(wording.describe(code))
            continue
        if rulekinds.rule_is_judged(rule):
            out.append(f"{rule.article}: {rule.sentence}")
        else:  # the sentence of a deemed rule explains the deeming; its source follows
            out.append(f"{rule.article} {deemed_note(rule.params.deemed_by)}")
    return out


def _decisions_by_nik(run: ScreeningRun, niks: Iterable[str]) -> dict[str, Decision]:
    wanted = sorted(set(niks))
    found: dict[str, Decision] = {}
    for i in range(0, len(wanted), _CHUNK):
        for decision in Decision.objects.filter(run=run, nik__in=wanted[i : i + _CHUNK]).only(
            "pk", "nik", "status", "reasons"
        ):
            found[decision.nik] = decision
    return found


def not_qualifying_list(*, programme_year: ProgrammeYear, run: ScreeningRun) -> list[NotQualifying]:
    """Last year's participants (still to be ended) whose new decision is ineligible or
    invalid, or who are absent from the new extract, in last year's rank order."""
    policy = programme_year_policy(programme_year=programme_year)
    previous = list(
        previous_participants(programme_year=programme_year)
        .select_related("person")
        .order_by("rank")
    )
    decisions = _decisions_by_nik(run, (c.nik for c in previous))
    out = []
    for candidate in previous:
        decision = decisions.get(candidate.nik)
        if decision is not None and decision.status in QUALIFYING:
            continue
        out.append(
            NotQualifying(
                candidate=candidate,
                nik_masked=nik_domain.mask(candidate.nik),
                name=candidate.person.nama,
                state_label=candidate.get_state_display(),
                failed=failed_in_words(policy, decision, year=programme_year.year),
            )
        )
    return out


def continuity_due(*, programme_year: ProgrammeYear) -> QuerySet[Candidate]:
    """Carried-over candidates decreed this year who keep last year's KPJ: registered by
    continuity, not by a new BPJS registration (enrollment's batches leave them out)."""
    return (
        Candidate.objects.filter(
            proposal__programme_year=programme_year,
            state=CandidateState.DECREED,
            carried_from__isnull=False,
            carried_from__kpj__gt="",
        )
        .select_related("carried_from")
        .order_by("rank")
    )


def renewal_overview(*, programme_year: ProgrammeYear) -> RenewalOverview | None:
    """The counts of the renewal page: carried over and still qualifying, proposed,
    waitlisted, not qualifying (each with the failed articles), ended, due for continuity."""
    source = programme_year.carried_from
    if source is None:
        return None
    policy = programme_year_policy(programme_year=programme_year)
    run = renewal_run(programme_year=programme_year)
    previous = previous_participants(programme_year=programme_year).count()
    ended = CandidateEvent.objects.filter(
        candidate__proposal__programme_year=source,
        to_state=CandidateState.ENDED,
        reason_code=EndReason.TIDAK_MEMENUHI_SYARAT,
        **{f"evidence__{EVIDENCE_KEY}": programme_year.pk},
    ).count()
    carried = Candidate.objects.filter(
        proposal__programme_year=programme_year, carried_from__isnull=False
    )
    states = dict.fromkeys(CandidateState.values, 0)
    for state in carried.values_list("state", flat=True):
        states[state] += 1
    not_qualifying = (
        not_qualifying_list(programme_year=programme_year, run=run) if run is not None else []
    )
    qualifying = previous - len(not_qualifying) if run is not None else 0
    return RenewalOverview(
        programme_year=programme_year,
        source=source,
        run=run,
        carry_over_first=policy.cycle.carry_over_first,
        previous=previous,
        qualifying=qualifying,
        proposed=sum(states[s] for s in PROPOSED_OR_LATER),
        waitlisted=states[CandidateState.WAITLISTED],
        not_qualifying=not_qualifying,
        ended=ended,
        continuity_due=continuity_due(programme_year=programme_year).count(),
        continued=carried.filter(
            state__in=[CandidateState.REGISTERED, CandidateState.ACTIVE],
            events__evidence__continuity=True,
        )
        .distinct()
        .count(),
        first_count=(run.counts or {}).get("first") if run is not None else None,
    )
