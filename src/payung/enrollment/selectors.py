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
from payung.core.worklist import Task
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


def enrollment_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """What registration with BPJS leaves waiting (Pasal 8): the decreed to send, BPJS's
    answer to upload, an answer a second operator applies (four eyes), cards to record as
    received and to hand over. At most four queries, each an aggregate or a short list."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from payung.enrollment.services import registration_waiting

    tasks: list[Task] = []
    year_url = reverse("enrollment:batch_year", args=[programme_year.pk])
    if user.has_perm("enrollment.prepare_registration"):
        waiting = registration_waiting(programme_year=programme_year).count()
        if waiting:
            tasks.append(
                Task(
                    text=_("Siapkan tahap pendaftaran dan kirim berkasnya ke BPJS"),
                    url=year_url,
                    count=waiting,
                    article=_("Pasal 8 ayat (1)"),
                )
            )
    if user.has_perm("enrollment.upload_registration_answer"):
        unanswered = list(
            RegistrationBatch.objects.filter(
                programme_year=programme_year, status=RegistrationBatch.Status.PREPARED
            )
            .exclude(
                answers__stage__in=[
                    RegistrationAnswer.Stage.CHECKING,
                    RegistrationAnswer.Stage.AWAITING,
                ]
            )
            .order_by("number")
            .values_list("pk", flat=True)
        )
        if unanswered:
            tasks.append(
                Task(
                    text=_("Unggah jawaban BPJS atas tahap pendaftaran"),
                    url=reverse("enrollment:batch_detail", args=[unanswered[0]]),
                    count=len(unanswered),
                    level="warning",
                    article=_("Pasal 8 ayat (3)"),
                )
            )
    if user.has_perm("enrollment.apply_registration_answer"):
        awaiting = list(
            RegistrationAnswer.objects.filter(
                batch__programme_year=programme_year, stage=RegistrationAnswer.Stage.AWAITING
            )
            .exclude(uploaded_by_id=user.pk)
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        if awaiting:
            tasks.append(
                Task(
                    text=_("Terapkan jawaban BPJS yang diunggah orang lain (prinsip empat mata)"),
                    url=reverse("enrollment:batch_answer_detail", args=[awaiting[0]]),
                    count=len(awaiting),
                    level="warning",
                    article=_("Pasal 8 ayat (3)"),
                )
            )
    if user.has_perm("enrollment.record_card"):
        cards = Candidate.objects.filter(
            proposal__programme_year=programme_year,
            state__in=[CandidateState.REGISTERED, CandidateState.ACTIVE],
        ).aggregate(
            missing=Count("pk", filter=Q(card__isnull=True) | Q(card__received_on__isnull=True)),
            undelivered=Count(
                "pk", filter=Q(card__received_on__isnull=False, card__delivered_on__isnull=True)
            ),
        )
        card_url = reverse("enrollment:card_list", args=[programme_year.pk])
        if cards["missing"]:
            tasks.append(
                Task(
                    text=_("Catat kartu peserta yang diterima dari BPJS"),
                    url=card_url,
                    count=cards["missing"],
                    article=_("Pasal 8 ayat (4)"),
                )
            )
        if cards["undelivered"]:
            tasks.append(
                Task(
                    text=_("Serahkan kartu kepada peserta dan catat penyerahannya"),
                    url=card_url,
                    count=cards["undelivered"],
                    article=_("Pasal 8 ayat (4)"),
                )
            )
    return tasks
