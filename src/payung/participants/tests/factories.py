"""A screened year ready for a proposal, through the real services (shared by later stages).

Verification and decree tests start from here too, so the whole path from screening run to
decree is exercised on the same 500 synthetic people the screening tests use.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from payung.participants.models import Candidate, CandidateState, Proposal
from payung.participants.services import (
    participant_register,
    proposal_approve,
    proposal_create,
)
from payung.participants.transitions import candidates_transition
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.screening import services as screening_services
from payung.screening.models import ScreeningRun
from payung.screening.tests import factories as screening_factories

#: Places the test pagu pays for; the synthetic 500 have far more eligible than this.
QUOTA = 30


def screened_year(*, operator: Any, rows: int = 500, quota: int = QUOTA) -> ScreeningRun:
    """A 2026 year with a pagu for ``quota`` people and a finished screening of ``rows``."""
    year = screening_factories.ProgrammeYearFactory(year=2026)
    screening_factories.BudgetLineFactory(
        programme_year=year,
        source=BudgetLine.Source.APBD,
        amount=quota * screening_factories.COST_PER_PERSON,
    )
    dtsen_import, _table = screening_factories.synthetic_import(
        programme_year=year, rows=rows, seed=63
    )
    run = screening_services.screening_run_start(
        programme_year=year, dtsen_import=dtsen_import, started_by=operator
    )
    # Tests run tasks immediately, but only on commit; run the service directly instead.
    screening_services.screening_run_execute(run=run)
    run.refresh_from_db()
    return run


def approved_proposal(*, operator: Any, approver: Any, **kwargs: Any) -> Proposal:
    run = screened_year(operator=operator, **kwargs)
    proposal = proposal_create(run=run, actor=operator, place="Pandeglang")
    return proposal_approve(proposal=proposal, actor=approver)


def decreed_candidates(
    *, operator: Any, approver: Any, verifier: Any, recorder: Any, n: int = 3, **kwargs: Any
) -> list[Candidate]:
    """The first ``n`` proposed candidates verified and decreed, through the transition
    table with the roles that hold those rights (the decree service itself is tested in the
    decrees app; here later stages need participants to start from)."""
    proposal = approved_proposal(operator=operator, approver=approver, **kwargs)
    ids = list(
        proposal.candidates.filter(state=CandidateState.PROPOSED)
        .order_by("rank")
        .values_list("pk", flat=True)[:n]
    )
    candidates_transition(candidate_ids=ids, action="verify", actor=verifier)
    candidates_transition(
        candidate_ids=ids,
        action="decree",
        actor=recorder,
        reason_code="keputusan",
        evidence={"number": "400.10/Kep.12-Huk/2026"},
    )
    return list(Candidate.objects.filter(pk__in=ids).order_by("rank"))


#: BPJS's registration answer file, as evidence names it (no personal data).
ANSWER = {"file_name": "jawaban-bpjs-2026-02.xlsx", "file_sha256": "ab" * 32}


def register(candidate: Candidate, actor: Any, *, kpj: str, row: int = 2) -> Candidate:
    """Register one decreed candidate from line ``row`` of the answer file."""
    return participant_register(
        candidate=candidate, actor=actor, kpj=kpj, evidence={**ANSWER, "row": row}
    )


def states(proposal: Proposal) -> dict[str, list[int]]:
    """Ranks per state, in rank order."""
    out: dict[str, list[int]] = {}
    for rank, state in proposal.candidates.order_by("rank").values_list("rank", "state"):
        out.setdefault(state, []).append(rank)
    return out


def place_holders(proposal: Proposal) -> int:
    return proposal.candidates.filter(
        state__in=[
            CandidateState.PROPOSED,
            CandidateState.VERIFIED,
            CandidateState.DECREED,
            CandidateState.REGISTERED,
            CandidateState.ACTIVE,
        ]
    ).count()


def year_of(run: ScreeningRun) -> ProgrammeYear:
    return ProgrammeYear.objects.get(pk=run.programme_year_id)


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)
