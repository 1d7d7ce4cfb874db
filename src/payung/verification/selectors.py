"""Reads of the verification stage: a year's batches, one batch with its items and the
answer files it received, one item.

Items are paginated: the first batch of a regency holds the whole quota (thousands).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from payung.core.models import JobStatus
from payung.core.worklist import Task
from payung.participants.models import CandidateState, Proposal
from payung.programmes.models import ProgrammeYear
from payung.verification.models import (
    Answer,
    AnswerImport,
    VerificationBatch,
    VerificationItem,
)

#: Items per page of the batch page.
PAGE_SIZE: Final = 50


@dataclass(frozen=True)
class YearBatches:
    proposal: Proposal | None
    batches: list[VerificationBatch]
    #: Proposed candidates not yet in any batch: what the next batch would hold.
    waiting: int


def year_batches(*, programme_year: ProgrammeYear) -> YearBatches:
    """The year's proposal and its batches with their item and answer counts."""
    proposal = (
        Proposal.objects.select_related("programme_year")
        .filter(programme_year=programme_year)
        .first()
    )
    if proposal is None:
        return YearBatches(proposal=None, batches=[], waiting=0)
    batches = list(
        proposal.batches.select_related("created_by")
        .annotate(n_items=Count("items"), n_answered=Count("items", filter=~Q(items__answer="")))
        .order_by("number")
    )
    waiting = proposal.candidates.filter(
        state=CandidateState.PROPOSED, verification_items__isnull=True
    ).count()
    return YearBatches(proposal=proposal, batches=batches, waiting=waiting)


def batch_get(*, pk: int) -> VerificationBatch | None:
    return (
        VerificationBatch.objects.select_related(
            "proposal", "proposal__programme_year", "created_by"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class AnswerCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class BatchOverview:
    batch: VerificationBatch
    total: int
    unanswered: int
    by_answer: list[AnswerCount]
    #: The answer files imported, oldest first, as the service stored them.
    responses: list[dict[str, Any]]


def batch_overview(*, batch: VerificationBatch) -> BatchOverview:
    found = dict(batch.items.values_list("answer").annotate(n=Count("id")).order_by("answer"))
    return BatchOverview(
        batch=batch,
        total=sum(found.values()),
        unanswered=found.get("", 0),
        by_answer=[
            AnswerCount(code=a.value, label=str(a.label), count=found.get(a.value, 0))
            for a in Answer
        ],
        responses=[_response(r) for r in batch.responses or []],
    )


def _response(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored response with its time as a datetime (stored as ISO text in UTC), so pages
    show it in the regency's time zone."""
    out = dict(stored)
    try:
        out["at"] = datetime.fromisoformat(str(stored.get("at", "")))
    except ValueError:
        out["at"] = None
    return out


def item_page(*, batch: VerificationBatch, page: Any) -> Page:
    """One page of the batch's items in rank order, with candidate and person."""
    qs = batch.items.select_related("candidate", "candidate__person", "recorded_by").order_by(
        "candidate__rank"
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def item_get(*, pk: int) -> VerificationItem | None:
    return (
        VerificationItem.objects.select_related(
            "batch",
            "batch__proposal",
            "batch__proposal__programme_year",
            "candidate",
            "candidate__person",
        )
        .filter(pk=pk)
        .first()
    )


#: Row messages of a refused answer file shown on its page; the rest are in the download.
ERRORS_SHOWN: Final = 50
#: Unmatched rows of an applied answer file shown on its page.
UNMATCHED_SHOWN: Final = 50


def answer_import_get(*, pk: int) -> AnswerImport | None:
    """An answer file's job with its batch, for the progress partial and the report page."""
    return (
        AnswerImport.objects.select_related(
            "batch", "batch__proposal", "batch__proposal__programme_year", "uploaded_by"
        )
        .filter(pk=pk)
        .first()
    )


def batch_answer_imports(*, batch: VerificationBatch) -> list[AnswerImport]:
    """The batch's answer files still queued or running, newest first (the batch page links
    them so a verifier who left the progress page finds it again)."""
    return list(
        batch.answer_imports.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .only("pk", "file_name", "status", "progress", "created_at", "batch_id")
        .order_by("-created_at", "-pk")
    )


def verification_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """What verification leaves waiting (Pasal 7 ayat (3)): for Disdukcapil, the rounds to
    answer; for Dinas Sosial, the next round of proposed candidates not yet sent. Two
    queries at most."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    may_answer = user.has_perm("verification.record_verification")
    may_start = user.has_perm("verification.start_verification_round")
    if not (may_answer or may_start):
        return []
    article = _("Pasal 7 ayat (3)")
    tasks: list[Task] = []
    if may_answer:
        open_batches = list(
            VerificationBatch.objects.filter(
                proposal__programme_year=programme_year,
                status=VerificationBatch.Status.OPEN,
            )
            .order_by("number")
            .values_list("pk", flat=True)
        )
        if open_batches:
            tasks.append(
                Task(
                    text=_("Jawab tahap verifikasi Disdukcapil"),
                    url=reverse("verification:batch_detail", args=[open_batches[0]]),
                    count=len(open_batches),
                    level="warning",
                    article=article,
                )
            )
    if may_start:
        waiting = (
            Proposal.objects.filter(programme_year=programme_year, status=Proposal.Status.APPROVED)
            .filter(
                candidates__state=CandidateState.PROPOSED,
                candidates__verification_items__isnull=True,
            )
            .count()
        )
        if waiting:
            tasks.append(
                Task(
                    text=_("Kirim calon yang belum diverifikasi ke Disdukcapil (tahap baru)"),
                    url=reverse("verification:batch_list", args=[programme_year.pk]),
                    count=waiting,
                    article=article,
                )
            )
    return tasks
