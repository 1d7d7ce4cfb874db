"""Reads of appeals: who may appeal and against what, the re-screened row explained, the
year's list with ages and due dates.

Nothing here decides eligibility. The re-screening result is the engine's (stored on the
appeal by ``services``); this module puts each criterion's article, sentence and the value
used beside it through ``screening.selectors.decision_explain``, the same words as the
screening page, so the answer letter and the page cannot disagree.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from payung.appeals.models import Appeal
from payung.core.worklist import Task
from payung.linkage.services import REASON_CODE as DOUBLE_FUNDING_CODE
from payung.participants.models import Candidate, CandidateState, Proposal
from payung.programmes.models import ProgrammeYear
from payung.registry.models import Person
from payung.screening.models import Decision
from payung.screening.selectors import Explanation, decision_explain

#: Rows per page of the year's appeal list.
PAGE_SIZE: Final = 50

#: The fields an appeal may correct, in the form's order: pekerjaan (Pasal 5 ayat (1)), desil
#: (Pasal 5 ayat (2) huruf d), domicile (huruf a: the village code and the address of the
#: KTP) and the birth date (huruf b).
CORRECTABLE: Final = ("pekerjaan", "desil", "kode_desa", "alamat", "tanggal_lahir")

#: Candidate states a person may appeal from: waiting outside the pagu, or refused.
APPEALABLE_STATES: Final = frozenset({CandidateState.WAITLISTED, CandidateState.REJECTED})


def field_label(name: str) -> str:
    """A correctable field in words (pages, letter, errors)."""
    return {
        "pekerjaan": _("Pekerjaan"),
        "desil": _("Desil"),
        "kode_desa": _("Kode desa domisili"),
        "alamat": _("Alamat domisili"),
        "tanggal_lahir": _("Tanggal lahir"),
    }[name]


@dataclass(frozen=True)
class AppealSubject:
    """What one person would appeal against in their programme year."""

    programme_year: ProgrammeYear
    proposal: Proposal
    decision: Decision | None
    candidate: Candidate | None
    refusal: str


def appeal_subject(*, person: Person) -> AppealSubject:
    """The refusal ``person`` may appeal against, or ``ValidationError`` (Indonesian) saying
    why there is none: no proposal yet, a person who holds a place, an appeal still open.

    The decision is the one of the run the year's proposal was cut from (Pasal 6 ayat (2)),
    the list everybody was told about.
    """
    year = person.dtsen_import.programme_year
    proposal = Proposal.objects.filter(programme_year=year).select_related("screening_run").first()
    if proposal is None or proposal.screening_run_id is None:
        raise ValidationError(
            _(
                "Sanggahan dapat dicatat setelah usulan calon peserta tahun ini disusun dari "
                "hasil penyaringan."
            ),
            code="no_proposal",
        )
    if Appeal.objects.filter(person=person, status=Appeal.Status.OPEN).exists():
        raise ValidationError(
            _("Orang ini masih mempunyai sanggahan yang belum dijawab."), code="open_appeal"
        )
    decision = (
        Decision.objects.filter(run_id=proposal.screening_run_id, person_id=person.pk)
        .select_related("run", "person")
        .first()
    )
    candidate = Candidate.objects.filter(proposal=proposal, person=person).first()
    if candidate is not None:
        if candidate.state not in APPEALABLE_STATES:
            raise ValidationError(
                _(
                    "Orang ini tidak ditolak (status: %(state)s); sanggahan hanya untuk orang "
                    "yang tidak terpilih."
                )
                % {"state": candidate.get_state_display()},
                code="not_refused",
            )
        if candidate.reason_code == DOUBLE_FUNDING_CODE:
            raise ValidationError(
                _(
                    "Orang ini ditolak karena iurannya juga dibayar sumber dana lain (Pasal 5 "
                    "ayat (2) huruf f), diputuskan pada pencocokan daftar; penyaringan ulang "
                    "tidak dapat membatalkannya."
                ),
                code="double_funding",
            )
        refusal = (
            Appeal.Refusal.WAITLISTED
            if candidate.state == CandidateState.WAITLISTED
            else Appeal.Refusal.REJECTED
        )
    elif decision is not None and decision.status in (Appeal.Refusal.INELIGIBLE, "invalid"):
        refusal = decision.status
    else:
        raise ValidationError(
            _("Orang ini tidak disaring pada penyaringan usulan tahun ini."), code="not_screened"
        )
    return AppealSubject(
        programme_year=year,
        proposal=proposal,
        decision=decision,
        candidate=candidate,
        refusal=refusal,
    )


def appeal_person_values(*, appeal: Appeal) -> dict[str, Any]:
    """The person's row as the re-screening reads it: the imported text, then what
    Disdukcapil corrected, then the appeal's corrections (the newest evidence wins)."""
    from payung.registry.selectors import PERSON_FIELDS

    person = appeal.person
    record = {f: getattr(person, f) for f in PERSON_FIELDS}
    if appeal.candidate_id is not None:
        record.update({k: v for k, v in (appeal.candidate.corrected or {}).items() if k in record})
    record.update({k: c["value"] for k, c in (appeal.corrections or {}).items()})
    record["nik_numeric_cell"] = False
    return record


def appeal_explain(*, appeal: Appeal) -> Explanation | None:
    """Every criterion of the pinned policy for the corrected row: article, sentence, met or
    failed, and the value used (None before the re-screening has run)."""
    if not appeal.result_status or appeal.decision_id is None:
        return None
    person = copy.copy(appeal.person)
    for name, value in appeal_person_values(appeal=appeal).items():
        setattr(person, name, value)
    decision = Decision(
        run=appeal.decision.run,
        person=person,
        row=appeal.decision.row,
        nik=appeal.decision.nik,
        status=appeal.result_status,
        reasons=appeal.result_reasons,
        priorities=appeal.result_priorities,
        priority_rank=appeal.placed_rank,
        age=appeal.result_age,
        desil=appeal.result_desil,
        occupation_category=appeal.result_occupation_category,
        kode_desa=appeal.result_kode_desa,
    )
    return decision_explain(decision=decision)


def appeal_get(*, pk: int) -> Appeal | None:
    return (
        Appeal.objects.select_related(
            "programme_year",
            "person",
            "decision__run__programme_year",
            "candidate",
            "recorded_by",
            "answered_by",
        )
        .filter(pk=pk)
        .first()
    )


def appeal_age_days(*, appeal: Appeal, today: date) -> int:
    """Days since the appeal was received, up to its answer (or today while open)."""
    end = appeal.answered_on if appeal.answered_on else today
    return max(0, (end - appeal.received_on).days)


def appeal_overdue(*, appeal: Appeal, today: date) -> bool:
    """Open past its due date, or answered after it (policy.cycle.appeal_answer_days)."""
    end = appeal.answered_on if appeal.answered_on else today
    return end > appeal.due_on


def appeal_list(*, programme_year: ProgrammeYear) -> QuerySet[Appeal]:
    """The year's appeals: open ones first, oldest due date first; then the answered."""
    return (
        Appeal.objects.filter(programme_year=programme_year)
        .select_related("person")
        .order_by("-status", "due_on", "pk")
    )


def appeal_page(*, programme_year: ProgrammeYear, page: Any) -> Page:
    return Paginator(appeal_list(programme_year=programme_year), PAGE_SIZE).get_page(page)


def appeal_counts(*, programme_year: ProgrammeYear, today: date) -> dict[str, int]:
    """Open, overdue and answered appeals of the year (the year page's summary)."""
    qs = Appeal.objects.filter(programme_year=programme_year)
    return {
        "open": qs.filter(status=Appeal.Status.OPEN).count(),
        "overdue": qs.filter(status=Appeal.Status.OPEN, due_on__lt=today).count(),
        "answered": qs.filter(status=Appeal.Status.ANSWERED).count(),
    }


def person_appeals(*, person_ids: list[int]) -> list[Appeal]:
    """Every appeal of these imported rows (one person's rows across years), oldest first."""
    return list(
        Appeal.objects.filter(person_id__in=person_ids)
        .select_related("programme_year")
        .order_by("received_on", "pk")
    )


def appeals_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """Appeals still unanswered, for Dinas Sosial's operators who answer them; the overdue
    make the task urgent. One aggregate query."""
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    if not user.has_perm("appeals.answer_appeal"):
        return []
    counts = Appeal.objects.filter(
        programme_year=programme_year, status=Appeal.Status.OPEN
    ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate())))
    if not counts["open"]:
        return []
    return [
        Task(
            text=_("Jawab sanggahan yang belum dijawab"),
            url=reverse("appeals:year_list", args=[programme_year.pk]),
            count=counts["open"],
            level="error" if counts["overdue"] else "warning",
        )
    ]
