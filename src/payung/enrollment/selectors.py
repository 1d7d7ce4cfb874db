"""Reads of BPJS registration (Pasal 8): a year's batches with their outcomes, one batch with
its participants and answers, one answer with what applying it would do.

Items are paginated: the first batch of a regency holds the whole decree (thousands).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from payung.core.models import JobStatus
from payung.decrees.models import Decree
from payung.enrollment.models import (
    RegistrationAnswer,
    RegistrationBatch,
    RegistrationItem,
    RegistrationProfile,
)
from payung.participants.models import Candidate, CandidateState
from payung.programmes.models import CooperationAgreement, ProgrammeYear
from payung.programmes.selectors import cooperation_agreement_get

PAGE_SIZE: Final = 50
ERRORS_SHOWN: Final = 50
ROWS_SHOWN: Final = 100

_O = RegistrationItem.Outcome


@dataclass(frozen=True)
class YearRegistration:
    decree: Decree | None
    agreement: CooperationAgreement | None
    batches: list[RegistrationBatch]
    #: Decreed, not registered, not in a batch awaiting its answer: the next batch.
    waiting: int
    #: Candidates pulled in from the waiting list by refusals, still before the decree.
    replacements_pending: int


def _with_counts(batches: Any) -> Any:
    return batches.annotate(
        n_items=Count("items", distinct=True),
        n_accepted=Count("items", filter=Q(items__outcome=_O.ACCEPTED), distinct=True),
        n_refused=Count("items", filter=Q(items__outcome=_O.REFUSED), distinct=True),
        n_pending=Count("items", filter=Q(items__outcome=_O.PENDING), distinct=True),
    )


def year_registration(*, programme_year: ProgrammeYear) -> YearRegistration:
    """The year's participants decree, PKS, batches with counts by outcome, and who waits."""
    from payung.enrollment.services import participants_decree, registration_waiting

    batches = list(
        _with_counts(
            RegistrationBatch.objects.filter(programme_year=programme_year).select_related(
                "created_by", "decree"
            )
        ).order_by("number")
    )
    replacements = Candidate.objects.filter(
        proposal__programme_year=programme_year,
        state=CandidateState.PROPOSED,
        reason_code="pengganti",
        events__evidence__has_key="registration_answer",
    ).distinct()
    return YearRegistration(
        decree=participants_decree(programme_year=programme_year),
        agreement=cooperation_agreement_get(programme_year=programme_year),
        batches=batches,
        waiting=registration_waiting(programme_year=programme_year).count(),
        replacements_pending=replacements.count(),
    )


def batch_get(*, pk: int) -> RegistrationBatch | None:
    return (
        _with_counts(
            RegistrationBatch.objects.select_related(
                "programme_year", "decree", "created_by", "profile"
            )
        )
        .filter(pk=pk)
        .first()
    )


def batch_items_page(*, batch: RegistrationBatch, page: Any) -> Page:
    items = (
        batch.items.select_related("candidate__person")
        .only(
            "row",
            "outcome",
            "kpj",
            "cover_start",
            "refusal_reason",
            "bpjs_contribution",
            "policy_contribution",
            "candidate__nik",
            "candidate__rank",
            "candidate__state",
            "candidate__person__nama",
        )
        .order_by("row")
    )
    return Paginator(items, PAGE_SIZE).get_page(page)


def batch_answers(*, batch: RegistrationBatch) -> list[RegistrationAnswer]:
    return list(
        batch.answers.select_related("uploaded_by", "applied_by")
        .defer("lines", "report", "errors")
        .order_by("-created_at", "-pk")
    )


def answer_get(*, pk: int) -> RegistrationAnswer | None:
    return (
        RegistrationAnswer.objects.select_related(
            "batch", "batch__programme_year", "uploaded_by", "applied_by"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class ReportRow:
    row: int
    nik_masked: str
    name: str
    text: str = ""
    bpjs: int | None = None
    policy: int | None = None


def answer_report_rows(*, answer: RegistrationAnswer) -> dict[str, list[ReportRow]]:
    """The refusals and the contribution differences of a checked answer with the names of
    the participants they concern (one query), for the confirmer to see before applying."""
    report = answer.report or {}
    refused = report.get("refused", [])[:ROWS_SHOWN]
    differences = report.get("differences", [])[:ROWS_SHOWN]
    ids = {entry["item"] for entry in (*refused, *differences)}
    names = dict(
        RegistrationItem.objects.filter(pk__in=ids).values_list("pk", "candidate__person__nama")
    )
    return {
        "refused": [
            ReportRow(
                row=e["row"],
                nik_masked=e["nik_masked"],
                name=names.get(e["item"], ""),
                text=e.get("reason", ""),
            )
            for e in refused
        ],
        "differences": [
            ReportRow(
                row=e["row"],
                nik_masked=e["nik_masked"],
                name=names.get(e["item"], ""),
                bpjs=e["bpjs"],
                policy=e["policy"],
            )
            for e in differences
        ],
    }


def answer_busy(answer: RegistrationAnswer) -> bool:
    return answer.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def profile_list() -> list[RegistrationProfile]:
    return list(RegistrationProfile.objects.order_by("-is_default", "name"))


def profile_get(*, pk: int) -> RegistrationProfile | None:
    return RegistrationProfile.objects.filter(pk=pk).first()
