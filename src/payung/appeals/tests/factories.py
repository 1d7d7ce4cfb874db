"""Appeals tests start from a small approved proposal (150 synthetic people, 3 places) made
through the real services, and pick refused people by what the engine decided about them."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from payung.appeals.models import Appeal
from payung.domain.policy import policy_sha256
from payung.participants.models import Candidate, CandidateState, Proposal
from payung.participants.tests.factories import approved_proposal
from payung.programmes.models import ProgrammeYear
from payung.registry.models import Person
from payung.screening.models import Decision

ROWS = 150
QUOTA = 3


def appeal_year(*, operator: Any, approver: Any) -> Proposal:
    """An approved 2026 proposal: 3 proposed, the other eligible waiting, the rest refused."""
    return approved_proposal(operator=operator, approver=approver, rows=ROWS, quota=QUOTA)


def refused_person(proposal: Proposal, *, reasons: str) -> Person:
    """The first person the proposal's run refused for exactly ``reasons`` (e.g. "5(1)")."""
    decision = (
        Decision.objects.filter(
            run_id=proposal.screening_run_id, status="ineligible", reasons=reasons
        )
        .select_related("person")
        .order_by("row")
        .first()
    )
    assert decision is not None, f"no person refused for exactly {reasons}"
    return Person.objects.select_related("dtsen_import__programme_year").get(pk=decision.person_id)


def waiting(proposal: Proposal) -> Candidate:
    """The waiting candidate with the best rank."""
    return proposal.candidates.filter(state=CandidateState.WAITLISTED).order_by("rank").first()


def ranks(proposal: Proposal) -> dict[int, int]:
    """Candidate id -> rank."""
    return dict(proposal.candidates.values_list("pk", "rank"))


def policy_cycle_set(year: ProgrammeYear, **settings: str) -> None:
    """Re-pin the year's policy snapshot with other ``cycle`` settings (a regency's choice)."""
    text = year.policy_text
    for key, value in settings.items():
        lines = text.split("\n")
        lines = [f"  {key}: {value}" if line.startswith(f"  {key}:") else line for line in lines]
        text = "\n".join(lines)
    ProgrammeYear.objects.filter(pk=year.pk).update(
        policy_text=text, policy_sha256=policy_sha256(text)
    )
    year.refresh_from_db()


class AppealFactory(DjangoModelFactory):
    """An appeal stored as recorded (no re-screening): for lists and deadlines."""

    class Meta:
        model = Appeal

    refusal = Appeal.Refusal.INELIGIBLE
    received_on = factory.LazyFunction(lambda: datetime.date(2026, 3, 2))
    due_on = factory.LazyAttribute(lambda a: a.received_on + datetime.timedelta(days=14))
    channel = Appeal.Channel.LOKET
    filed_by = "Yang bersangkutan"
    grounds = "Pekerjaan tercatat keliru pada data desa."
