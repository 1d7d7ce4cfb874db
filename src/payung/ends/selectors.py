"""Reads of the ends stage: the year's ends, the files and their rows, the claims, the places
an end freed, and the age watch (Pasal 5 ayat (2) huruf b)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.contributions.payments import date_parse
from payung.core.models import JobStatus
from payung.core.worklist import Task, worklist_memo
from payung.domain import nik as nik_domain
from payung.ends.models import Claim, EndImport, EndImportRow
from payung.ends.services import (
    SOURCE_CLAIMS,
    SOURCE_DUKCAPIL,
    SOURCE_FORM,
    policy_rule_choices,
)
from payung.participants.forecast import places_affordable, places_from_month
from payung.participants.models import Candidate, CandidateEvent, CandidateState, EndReason
from payung.participants.selectors import lifecycle_version, year_candidates
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy

PAGE_SIZE: Final = 25
IMPORTS_SHOWN: Final = 10
ROWS_SHOWN: Final = 50
#: Participants the age rule is watched for: decreed and later, still covered.
WATCHED: Final = (CandidateState.DECREED, CandidateState.REGISTERED, CandidateState.ACTIVE)


def end_import_get(*, pk: int) -> EndImport | None:
    return (
        EndImport.objects.select_related("programme_year", "uploaded_by", "applied_by")
        .filter(pk=pk)
        .first()
    )


def places_free(*, programme_year: ProgrammeYear, today: date | None = None) -> int:
    """How many replacements the remaining pagu pays for from this month to December
    (Pasal 6 ayat (2)): ``participants.forecast``'s one answer, asked the same way."""
    today = today or timezone.localdate()
    return places_affordable(
        programme_year=programme_year,
        from_month=places_from_month(programme_year=programme_year, today=today),
    )


def places_free_kept(*, programme_year: ProgrammeYear, today: date | None = None) -> int:
    """``places_free`` counted once per day and lifecycle change (the forecast reads the whole
    year's coverage); the year page and the workspace share the kept figure."""
    today = today or timezone.localdate()
    return worklist_memo(
        key=f"places_free:{programme_year.pk}",
        version=(today, *lifecycle_version(programme_year=programme_year)),
        compute=lambda: places_free(programme_year=programme_year, today=today),
        shared=True,
    )


def replacement_round_url(*, programme_year: ProgrammeYear) -> str:
    """The replacement round page of the year, or '' while that page does not exist."""
    try:
        return reverse("participants:replacement_round", args=[programme_year.pk])
    except NoReverseMatch:
        return ""


def end_source_label(*, reason_code: str, evidence: dict[str, Any]) -> str:
    """Where an end came from, in words."""
    source = evidence.get("sumber", "")
    if source == SOURCE_FORM:
        return _("Dicatat petugas")
    if source == SOURCE_DUKCAPIL:
        return _("Data Disdukcapil")
    if source == SOURCE_CLAIMS:
        return _("Klaim BPJS")
    if reason_code == EndReason.DANA_GANDA:
        return _("Pencocokan daftar sumber dana lain")
    if reason_code == EndReason.DITOLAK_BPJS:
        return _("Jawaban pendaftaran BPJS")
    return _("Dicatat petugas")


@dataclass(frozen=True)
class EndedRow:
    candidate: Candidate
    nik_masked: str
    reason: str
    end_date: date | None
    source: str


def _ended(programme_year: ProgrammeYear) -> QuerySet[Candidate]:
    last_end = (
        CandidateEvent.objects.filter(candidate=OuterRef("pk"), to_state=CandidateState.ENDED)
        .order_by("-at", "-id")
        .values("id")[:1]
    )
    return (
        Candidate.objects.filter(
            proposal__programme_year=programme_year, state=CandidateState.ENDED
        )
        .annotate(end_event_id=Subquery(last_end))
        .order_by("rank")
    )


def _end_date(evidence: dict[str, Any]) -> date | None:
    text = str((evidence or {}).get("end_date", ""))
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def ended_page(*, programme_year: ProgrammeYear, page: Any) -> tuple[Page, list[EndedRow]]:
    """The year's ended participants, 25 a page in rank order, with reason, date and source.

    Three queries whatever the page: the count, the page, the end events of the page.
    """
    paginator = Paginator(_ended(programme_year).select_related("person"), PAGE_SIZE)
    current = paginator.get_page(page)
    events = CandidateEvent.objects.in_bulk([c.end_event_id for c in current if c.end_event_id])
    reasons = dict(EndReason.choices)
    rows = []
    for candidate in current:
        event = events.get(candidate.end_event_id)
        code = event.reason_code if event else candidate.reason_code
        evidence = (event.evidence if event else {}) or {}
        rows.append(
            EndedRow(
                candidate=candidate,
                nik_masked=nik_domain.mask(candidate.nik),
                reason=str(reasons.get(code, code or "—")),
                end_date=_end_date(evidence),
                source=end_source_label(reason_code=code, evidence=evidence),
            )
        )
    return current, rows


@dataclass(frozen=True)
class EndFigures:
    """Ends of the year by reason, and by month and reason (counts only)."""

    by_reason: list[tuple[str, int]]
    #: (first day of the month, counts in the order of ``reasons``, total)
    by_month: list[tuple[date, list[int], int]]
    reasons: list[tuple[str, str]]
    total: int


def end_figures(*, programme_year: ProgrammeYear) -> EndFigures:
    events = CandidateEvent.objects.filter(
        pk__in=Subquery(_ended(programme_year).values("end_event_id"))
    ).values_list("reason_code", "evidence")
    by_reason: Counter[str] = Counter()
    by_month: dict[date, Counter[str]] = defaultdict(Counter)
    for code, evidence in events:
        by_reason[code] += 1
        day = _end_date(evidence or {})
        if day is not None:
            by_month[day.replace(day=1)][code] += 1
    reasons = [(code, str(label)) for code, label in EndReason.choices if by_reason[code]]
    return EndFigures(
        by_reason=[(label, by_reason[code]) for code, label in reasons],
        by_month=[
            (month, [by_month[month][code] for code, _l in reasons], sum(by_month[month].values()))
            for month in sorted(by_month)
        ],
        reasons=reasons,
        total=sum(by_reason.values()),
    )


@dataclass(frozen=True)
class ClaimFigure:
    claim_type: str
    label: str
    count: int
    paid: int


def claim_figures(*, programme_year: ProgrammeYear) -> list[ClaimFigure]:
    """Claims recorded for the year's participants, by type: how many, how much paid."""
    labels = dict(Claim.Type.choices)
    rows = (
        Claim.objects.filter(end_import__programme_year=programme_year)
        .values("claim_type")
        .annotate(n=Count("pk"), paid=Sum("amount_paid", filter=Q(status=Claim.Status.DIBAYAR)))
        .order_by("claim_type")
    )
    return [
        ClaimFigure(r["claim_type"], str(labels[r["claim_type"]]), r["n"], r["paid"] or 0)
        for r in rows
    ]


def claims_of(*, candidate: Candidate) -> list[Claim]:
    """A participant's claims, oldest event first (the person page shows them)."""
    return list(Claim.objects.filter(candidate=candidate).order_by("event_date", "pk"))


def end_imports_recent(*, programme_year: ProgrammeYear) -> list[EndImport]:
    return list(
        EndImport.objects.filter(programme_year=programme_year)
        .select_related("uploaded_by", "applied_by")
        .order_by("-created_at", "-pk")[:IMPORTS_SHOWN]
    )


@dataclass(frozen=True)
class OutcomeRows:
    code: str
    label: str
    count: int
    rows: list[EndImportRow]


@dataclass(frozen=True)
class ImportPreview:
    """An accepted file's rows by outcome: counts, the rows that end (all of them) and the
    first rows of every other outcome (unmatched rows are exported whole)."""

    summary: list[tuple[str, int]]
    ending: list[EndImportRow]
    others: list[OutcomeRows] = field(default_factory=list)


def end_import_preview(*, end_import: EndImport) -> ImportPreview:
    counts = dict(
        end_import.rows.values_list("outcome").annotate(n=Count("pk")).order_by("outcome")
    )
    ending = list(
        end_import.rows.filter(outcome=EndImportRow.Outcome.AKAN_BERAKHIR)
        .select_related("candidate__person")
        .order_by("row")
    )
    others = [
        OutcomeRows(
            code=code,
            label=str(label),
            count=counts[code],
            rows=list(
                end_import.rows.filter(outcome=code)
                .select_related("candidate__person")
                .order_by("row")[:ROWS_SHOWN]
            ),
        )
        for code, label in EndImportRow.Outcome.choices
        if code != EndImportRow.Outcome.AKAN_BERAKHIR and counts.get(code)
    ]
    return ImportPreview(
        summary=[(str(label), counts.get(code, 0)) for code, label in EndImportRow.Outcome.choices],
        ending=ending,
        others=others,
    )


# ------------------------------------------------------------------------------------------
# The age watch (Pasal 5 ayat (2) huruf b)
# ------------------------------------------------------------------------------------------


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year: the day after 28 February
        return date(born.year + years, 3, 1)


def birth_date_of(*, candidate: Candidate) -> date | None:
    """The birth date Payung holds: Disdukcapil's correction, else DTSEN's, else the NIK's."""
    return _born(
        corrected=candidate.corrected,
        tanggal_lahir=candidate.person.tanggal_lahir,
        nik=candidate.nik,
    )


def _born(*, corrected: dict[str, Any] | None, tanggal_lahir: object, nik: str) -> date | None:
    """``birth_date_of`` from the three stored values, so the age watch reads plain rows."""
    text = str((corrected or {}).get("tanggal_lahir") or tanggal_lahir)
    born = _date_text(text) if text else None
    if born is None:
        parsed = nik_domain.parse(nik)
        born = parsed.parts.birth_date if parsed.parts is not None else None
    return born


def _date_text(text: str) -> date | None:
    """``date_parse`` with its three ten-character spellings read by slicing (``2026-02-10``,
    ``10-02-2026``, ``10/02/2026``): no strptime per participant. An impossible date is None,
    as there; any other spelling goes to ``date_parse``."""
    t = text.strip()
    if len(t) == 10 and t.replace("-", "").replace("/", "").isdigit():
        try:
            if t[4] == t[7] == "-":
                return date(int(t[:4]), int(t[5:7]), int(t[8:]))
            if t[2] == t[5] and t[2] in "-/":
                return date(int(t[6:]), int(t[3:5]), int(t[:2]))
        except ValueError:
            return None
    return date_parse(text)


@dataclass(frozen=True)
class AgeWatchRow:
    candidate: Candidate
    nik_masked: str
    turns_on: date

    @property
    def month_end(self) -> date:
        """Where cover ends when the policy has the age rule end it."""
        return month_end(self.turns_on)


@dataclass(frozen=True)
class AgeWatch:
    """Who will be older than the age rule's maximum at next year's as-of date."""

    rule_id: str
    article: str
    max_age: int
    next_as_of: date
    ends_cover: bool
    #: (first day of the month they turn max_age + 1, the participants, sorted by day)
    months: list[tuple[date, list[AgeWatchRow]]]

    @property
    def total(self) -> int:
        return sum(len(rows) for _m, rows in self.months)


def age_watch(*, programme_year: ProgrammeYear) -> AgeWatch | None:
    """Participants who will no longer meet the age rule at the next as-of date (this
    year's ``as_of`` plus one year), grouped by the month they pass its maximum.

    Pasal 5 ayat (2) huruf b judges age "pada saat pendaftaran": whether passing the
    maximum during the year ends cover is the policy's ``cycle.age_ends_cover``. None when
    the pinned policy has no age rule.
    """
    policy = programme_year_policy(programme_year=programme_year)
    rule = next((r for r in policy.rules if r.kind == "age"), None)
    if rule is None:
        return None
    max_age = int(rule.params.max_age)
    next_as_of = _birthday(programme_year.as_of, 1)
    months: dict[date, list[AgeWatchRow]] = defaultdict(list)
    # Birth dates are read as plain values for the whole year (no model per participant:
    # 50 000 persons stay under the page budget); only the few watched are loaded whole.
    rows = Candidate.objects.filter(
        proposal__programme_year=programme_year, state__in=WATCHED
    ).values_list("pk", "corrected", "person__tanggal_lahir", "nik")
    turning: dict[int, date] = {}
    for pk, corrected, tanggal_lahir, nik in rows:
        born = _born(corrected=corrected, tanggal_lahir=tanggal_lahir, nik=nik)
        if born is None:
            continue
        turns = _birthday(born, max_age + 1)
        if turns <= next_as_of:
            turning[pk] = turns
    watched = Candidate.objects.filter(pk__in=list(turning)).select_related("person")
    for candidate in watched.order_by("rank"):
        turns = turning[candidate.pk]
        months[turns.replace(day=1)].append(
            AgeWatchRow(candidate, nik_domain.mask(candidate.nik), turns)
        )
    return AgeWatch(
        rule_id=rule.id,
        article=rule.article,
        max_age=max_age,
        next_as_of=next_as_of,
        ends_cover=policy.cycle.age_ends_cover,
        months=[
            (month, sorted(rows, key=lambda r: (r.turns_on, r.candidate.rank)))
            for month, rows in sorted(months.items())
        ],
    )


def month_end(day: date) -> date:
    """The last day of ``day``'s month (where cover ends when the age rule ends it)."""
    if day.month == 12:
        return date(day.year, 12, 31)
    return date(day.year, day.month + 1, 1) - timedelta(days=1)


__all__ = [
    "age_watch",
    "birth_date_of",
    "claim_figures",
    "claims_of",
    "end_figures",
    "end_import_get",
    "end_import_preview",
    "end_imports_recent",
    "ended_page",
    "places_free",
    "places_free_kept",
    "policy_rule_choices",
    "replacement_round_url",
]


def ends_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """What ends of participation leave waiting (issue 12): a file of deaths, moves or
    claims another person uploaded, for Disnakertrans to apply (four eyes); and, for Dinas
    Sosial, places the remaining pagu pays for while the waiting list has people (Pasal 6
    ayat (2)). One query for the files; for the places, whether anyone waits and anyone is
    decreed (index probes, not counts), and the pagu arithmetic only when both hold."""
    tasks: list[Task] = []
    if user.has_perm("participants.end_participant"):
        files = list(
            EndImport.objects.filter(
                programme_year=programme_year,
                status=JobStatus.DONE,
                applied_at__isnull=True,
                error_count=0,
            )
            .exclude(uploaded_by_id=user.pk)
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        if files:
            tasks.append(
                Task(
                    text=_(
                        "Terapkan berkas kematian, pindah atau klaim yang diunggah orang lain "
                        "(prinsip empat mata)"
                    ),
                    url=reverse("ends:end_import_detail", args=[files[0]]),
                    count=len(files),
                    level="warning",
                )
            )
    if user.has_perm("participants.propose_candidates"):
        # Whether anyone waits and anyone is decreed, not how many: two index probes on
        # (proposal, state) instead of counting a regency's 100 000 candidates on every
        # workspace view (30-60 ms on PostgreSQL under load; issue 16).
        of_year = year_candidates(programme_year=programme_year)
        replaceable = (
            of_year.filter(state=CandidateState.WAITLISTED).exists()
            and of_year.filter(state__in=WATCHED).exists()
        )
        url = replacement_round_url(programme_year=programme_year) if replaceable else ""
        if url:
            today = timezone.localdate()
            free = places_free_kept(programme_year=programme_year, today=today)
            if free:
                tasks.append(
                    Task(
                        text=_("Usulkan pengganti dari daftar tunggu untuk sisa pagu"),
                        url=url,
                        count=free,
                        article=_("Pasal 6 ayat (2)"),
                    )
                )
    return tasks
