"""A screened year ready for a proposal, through the real services (shared by later stages).

Verification and decree tests start from here too, so the whole path from screening run to
decree is exercised on the same 500 synthetic people the screening tests use.

For tests that need many participants with coverage periods but no screening (the pagu
forecast here, billing and reconciliation in ``contributions``), ``contribution_year`` and
``participants_add`` build them straight from the models: a roster-origin proposal, as a
regency that moves in its earlier roster has. They live at this layer so the participants'
own tests never import a later stage's factories.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import factory
from django.core.exceptions import ValidationError
from factory.django import DjangoModelFactory

from payung.participants.models import (
    Candidate,
    CandidateState,
    CoveragePeriod,
    EndReason,
    Proposal,
)
from payung.participants.services import (
    participant_register,
    proposal_approve,
    proposal_create,
)
from payung.participants.transitions import candidates_transition
from payung.programmes.models import BudgetLine, CooperationAgreement, ProgrammeYear
from payung.programmes.tests.factories import (
    COST_PER_PERSON,
    BudgetLineFactory,
    ProgrammeYearFactory,
    UserFactory,
)
from payung.screening import services as screening_services
from payung.screening.models import ScreeningRun
from payung.screening.tests import factories as screening_factories
from payung.screening.tests.factories import DtsenImportFactory, PersonFactory

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


# --- Participants with coverage periods, without a screening --------------------------------

#: Pandeglang's monthly contribution per participant: JKK Rp10.000 + JKM Rp6.800 (the
#: policy's rates; ``COST_PER_PERSON`` is twelve of these).
MONTHLY = 16_800
JKK = 10_000
JKM = 6_800


class ProposalFactory(DjangoModelFactory):
    """An approved proposal of participants taken over from an earlier roster."""

    class Meta:
        model = Proposal

    programme_year = factory.SubFactory(ProgrammeYearFactory, year=2026)
    origin = Proposal.Origin.ROSTER
    status = Proposal.Status.APPROVED
    quota = 100
    budget = factory.LazyAttribute(lambda o: o.quota * COST_PER_PERSON)
    months = 12
    place = "Pandeglang"
    proposed_by = factory.SubFactory(UserFactory)


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    proposal = factory.SubFactory(ProposalFactory)
    person = factory.SubFactory(PersonFactory)
    rank = factory.Sequence(lambda n: n + 1)
    nik = factory.SelfAttribute("person.nik")
    state = CandidateState.ACTIVE
    kpj = factory.Sequence(lambda n: f"26{n:09d}")


class CoveragePeriodFactory(DjangoModelFactory):
    class Meta:
        model = CoveragePeriod

    candidate = factory.SubFactory(CandidateFactory)
    start = date(2026, 1, 1)
    end = None


class CooperationAgreementFactory(DjangoModelFactory):
    """The year's PKS with the BPJS branch (Pasal 6 ayat (4)); monthly billing by default."""

    class Meta:
        model = CooperationAgreement

    programme_year = factory.SubFactory(ProgrammeYearFactory, year=2026)
    number = "560/PKS.01-Disnakertrans/2026"
    signed_on = date(2025, 12, 15)
    branch_office = "BPJS Ketenagakerjaan Kantor Cabang Pandeglang"
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)
    coverage_start = date(2026, 1, 1)
    billing_period = CooperationAgreement.BillingPeriod.MONTHLY
    recorded_by = factory.SubFactory(UserFactory)


def contribution_year(
    *,
    pagu: int | Sequence[tuple[str, int]] = 100 * COST_PER_PERSON,
    year: int = 2026,
    billing_period: str | None = CooperationAgreement.BillingPeriod.MONTHLY,
    quota: int = 100,
) -> tuple[ProgrammeYear, Proposal]:
    """A running programme year with its pagu (one APBD line, or ``[(source, amount), ...]``),
    an approved roster proposal and, unless ``billing_period`` is None, a PKS."""
    programme_year = ProgrammeYearFactory(year=year, status=ProgrammeYear.Status.ACTIVE)
    lines = [(BudgetLine.Source.APBD, pagu)] if isinstance(pagu, int) else list(pagu)
    for source, amount in lines:
        BudgetLineFactory(programme_year=programme_year, source=source, amount=amount)
    proposal = ProposalFactory(
        programme_year=programme_year, quota=quota, budget=sum(a for _s, a in lines)
    )
    if billing_period is not None:
        CooperationAgreementFactory(programme_year=programme_year, billing_period=billing_period)
    return programme_year, proposal


def participants_add(
    *,
    proposal: Proposal,
    periods: Sequence[tuple[date | None, date | None]],
    state: str | None = None,
    first_rank: int | None = None,
) -> list[Candidate]:
    """One candidate per ``(start, end)`` in rank order after the proposal's last rank: a
    coverage period when ``start`` is given (ACTIVE, or ENDED when ``end`` is), none when it
    is None (the candidate keeps ``state``, e.g. DECREED or WAITLISTED)."""
    last = proposal.candidates.order_by("-rank").values_list("rank", flat=True).first() or 0
    rank = first_rank if first_rank is not None else last + 1
    dtsen_import = DtsenImportFactory(programme_year=proposal.programme_year)
    made: list[Candidate] = []
    for offset, (start, end) in enumerate(periods):
        if state is not None:
            current = state
        elif start is None:
            current = CandidateState.DECREED
        else:
            current = CandidateState.ENDED if end else CandidateState.ACTIVE
        person = PersonFactory(dtsen_import=dtsen_import)
        candidate = CandidateFactory(
            proposal=proposal, person=person, rank=rank + offset, state=current
        )
        if start is not None:
            CoveragePeriodFactory(
                candidate=candidate,
                start=start,
                end=end,
                end_reason=EndReason.MENINGGAL if end else "",
            )
        made.append(candidate)
    return made
