"""Reads of the proposal stage: a year's proposal with its counts, documents and batches,
pages of candidates, and one candidate's history.

The pages call these and nothing else, so what a page shows and what a query costs are
decided here (a regency proposes thousands of people: every list is paginated and every
row's related objects are fetched with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from payung.core.formatting import angka, tanggal
from payung.core.models import JobStatus
from payung.core.worklist import Task, worklist_memo
from payung.domain.money import rupiah
from payung.domain.nik import mask
from payung.participants.models import (
    Candidate,
    CandidateEvent,
    CandidateState,
    CoveragePeriod,
    EndReason,
    Proposal,
)
from payung.participants.replacements import RECHECK_FAILED, ROUND_CODE, round_figures
from payung.programmes.models import ProgrammeYear
from payung.screening.models import ScreeningRun

#: Candidates per page of the proposal page.
PAGE_SIZE: Final = 50

#: Fields Disdukcapil may correct, by Person field name, in the exchange file's order.
CORRECTED_LABELS: Final[dict[str, Any]] = {
    "no_kk": _("Nomor KK"),
    "nama": _("Nama"),
    "tanggal_lahir": _("Tanggal lahir"),
    "jenis_kelamin": _("Jenis kelamin"),
    "alamat": _("Alamat"),
    "kode_desa": _("Kode desa"),
}

#: Evidence keys written by the services, in words for the history table.
EVIDENCE_LABELS: Final[dict[str, Any]] = {
    "screening_run": _("penyaringan"),
    "policy_version": _("versi kebijakan"),
    "excluded_candidate": _("menggantikan calon yang dikecualikan (id)"),
    "batch": _("tahap verifikasi (id)"),
    "file_name": _("berkas"),
    "file_sha256": _("SHA-256 berkas"),
    "keterangan": _("keterangan"),
    "decree": _("keputusan (id)"),
    "number": _("nomor keputusan"),
    "scan_sha256": _("SHA-256 pindaian"),
    "row": _("baris jawaban"),
    "kpj_masked": _("nomor KPJ"),
    "cover_start": _("mulai kepesertaan"),
    "end_date": _("tanggal berakhir"),
    # A replacement round (participants.replacements): its arithmetic on the day.
    "putaran": _("putaran pengganti"),
    "tanggal": _("tanggal"),
    "sisa_pagu": _("sisa pagu"),
    "bulan_tersisa": _("bulan tersisa"),
    "biaya_satu_pengganti": _("iuran satu pengganti sampai Desember"),
    "mampu_dibiayai": _("pengganti yang dapat dibiayai"),
    "tempat_kosong": _("tempat kosong"),
}


@dataclass(frozen=True)
class StateCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ProposalOverview:
    """What the proposal page shows above the candidate list."""

    proposal: Proposal
    counts: list[StateCount]
    total: int
    documents: list[Any] = field(default_factory=list)
    batches: list[Any] = field(default_factory=list)


def proposal_of_year(*, programme_year: ProgrammeYear) -> Proposal | None:
    """The year's proposal with who proposed and approved it, or None."""
    return (
        Proposal.objects.select_related(
            "programme_year", "screening_run", "proposed_by", "approved_by"
        )
        .filter(programme_year=programme_year)
        .first()
    )


def proposal_get(*, pk: int) -> Proposal | None:
    return Proposal.objects.select_related("programme_year").filter(pk=pk).first()


def proposable_runs(*, programme_year: ProgrammeYear) -> QuerySet[ScreeningRun]:
    """Finished runs of the year that cut by a pagu: the only ones a proposal can start from
    (the service refuses the others; offering them would only produce refusals)."""
    return (
        ScreeningRun.objects.filter(
            programme_year=programme_year, status=JobStatus.DONE, budget__isnull=False
        )
        .select_related("dtsen_import")
        .order_by("-created_at", "-pk")
    )


def year_candidates(*, programme_year: ProgrammeYear) -> QuerySet[Candidate]:
    """The year's candidates, read through the year's one proposal by its id.

    ``proposal_id = (SELECT …)``, not a join to the proposal: joined, PostgreSQL expected a
    few hundred of a year's 100 000 candidates and planned for that (a GROUP BY sorted on
    disk, 55-90 ms where this takes 25 ms; issue 16: every workspace reads them).
    """
    proposal = Proposal.objects.filter(programme_year=programme_year).values("pk")[:1]
    return Candidate.objects.filter(proposal_id=Subquery(proposal))


def candidate_state_counts(*, programme_year: ProgrammeYear) -> dict[str, int]:
    """The year's candidates per state (only the states that occur).

    Counted once per lifecycle change: every workspace and funnel chart shows them, and
    counting a year's 100 000 candidates took 22 ms of PostgreSQL at each of those views,
    the most frequent cost under 50 users (issue 16, target 4). A candidate is created and
    moved only by a transition, which writes an event (``transitions.py``), and
    ``lifecycle_version`` holds the newest event.
    """
    return worklist_memo(
        key=f"candidate_states:{programme_year.pk}",
        version=lifecycle_version(programme_year=programme_year),
        compute=lambda: dict(
            year_candidates(programme_year=programme_year)
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
            .order_by()
        ),
        shared=True,
    )


def state_counts(*, proposal: Proposal) -> list[StateCount]:
    """Candidates per state, every state listed (zero included) in the model's order.

    A proposal is its year's only one, so these are the year's kept counts
    (``candidate_state_counts``), not a count of its candidates at each view (15 ms of
    PostgreSQL for 100 000 on the proposal page; issue 16).
    """
    found = candidate_state_counts(programme_year=proposal.programme_year)
    return [
        StateCount(code=state.value, label=str(state.label), count=found.get(state.value, 0))
        for state in CandidateState
    ]


def proposal_documents(*, proposal: Proposal) -> list[Any]:
    """The proposal's berita acara files, newest first."""
    from payung.documents.models import Document
    from payung.documents.services import subject_label

    return list(Document.objects.filter(subject=subject_label(proposal)).order_by("-pk"))


def proposal_overview(*, proposal: Proposal) -> ProposalOverview:
    counts = state_counts(proposal=proposal)
    batches = list(proposal.batches.annotate(n_items=Count("items")).order_by("number"))
    return ProposalOverview(
        proposal=proposal,
        counts=counts,
        total=sum(c.count for c in counts),
        documents=proposal_documents(proposal=proposal),
        batches=batches,
    )


def candidate_page(*, proposal: Proposal, state: str, page: Any) -> Page:
    """One page of the proposal's candidates in rank order, optionally of one state; a bad
    page number gives the last page."""
    qs = proposal.candidates.select_related("person").order_by("rank")
    if state:
        qs = qs.filter(state=state)
    return Paginator(qs, PAGE_SIZE).get_page(page)


def candidate_get(*, pk: int) -> Candidate | None:
    return (
        Candidate.objects.select_related(
            "person", "proposal", "proposal__programme_year", "decision"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class HistoryRow:
    at: Any
    actor: str
    from_label: str
    to_label: str
    reason_code: str
    reason: str
    evidence: list[tuple[str, str]]


#: Evidence values that are rupiah, shown as Rp1.008.000 rather than a bare number.
MONEY_EVIDENCE: Final = frozenset({"sisa_pagu", "biaya_satu_pengganti"})


def _evidence_value(key: str, value: Any) -> str:
    """An evidence value as people read it (issue 9): rupiah, 1.234, 1 Januari 2026; a file's
    SHA-256, a decree number or a file name exactly as stored."""
    if key in MONEY_EVIDENCE and isinstance(value, int):
        return rupiah(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return angka(value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" == value[7:8]:
        try:
            return tanggal(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _evidence(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(EVIDENCE_LABELS.get(k, k)), _evidence_value(k, v)) for k, v in evidence.items()]


def candidate_history(*, candidate: Candidate) -> list[HistoryRow]:
    """Every transition of the candidate, oldest first, with the evidence in words."""
    labels = dict(CandidateState.choices)
    events = CandidateEvent.objects.filter(candidate=candidate).select_related("actor")
    return [
        HistoryRow(
            at=e.at,
            actor=(e.actor.get_full_name() or e.actor.username) if e.actor else "—",
            from_label=str(labels.get(e.from_state, e.from_state or "—")),
            to_label=str(labels.get(e.to_state, e.to_state)),
            reason_code=e.reason_code,
            reason=e.reason,
            evidence=_evidence(e.evidence or {}),
        )
        for e in events.order_by("at", "id")
    ]


def corrected_rows(*, candidate: Candidate) -> list[tuple[str, str, str]]:
    """Disdukcapil's corrections as (field in words, value sent, corrected value)."""
    person = candidate.person
    return [
        (str(CORRECTED_LABELS.get(k, k)), str(getattr(person, k, "")), str(v))
        for k, v in (candidate.corrected or {}).items()
    ]


@dataclass(frozen=True)
class CandidateDetail:
    candidate: Candidate
    history: list[HistoryRow]
    corrected: list[tuple[str, str, str]]
    coverage: list[CoveragePeriod] = field(default_factory=list)


def candidate_detail(*, pk: int) -> CandidateDetail | None:
    """One candidate with its history and corrections, or None."""
    candidate = candidate_get(pk=pk)
    if candidate is None:
        return None
    return CandidateDetail(
        candidate=candidate,
        history=candidate_history(candidate=candidate),
        corrected=corrected_rows(candidate=candidate),
        coverage=coverage_periods(candidate=candidate),
    )


# --- coverage: who was active on which days (what billing reads, Pasal 9) --------------------


def _periods_of_year(programme_year: ProgrammeYear) -> QuerySet[CoveragePeriod]:
    return CoveragePeriod.objects.filter(candidate__proposal__programme_year=programme_year)


def coverage_active_on(*, programme_year: ProgrammeYear, day: date) -> QuerySet[Candidate]:
    """The participants of the year whose cover included ``day`` (start and end are both
    covered days), in rank order. Periods of one candidate never overlap, so each appears
    once."""
    covering = _periods_of_year(programme_year).filter(
        Q(end__isnull=True) | Q(end__gte=day), start__lte=day
    )
    return (
        Candidate.objects.filter(pk__in=covering.values("candidate_id"))
        .select_related("person")
        .order_by("rank")
    )


def coverage_days(*, programme_year: ProgrammeYear, start: date, end: date) -> dict[int, int]:
    """Active person-days per candidate id within ``start``..``end`` (both included): what a
    bill for that range multiplies by the dated rates. Candidates with no day in the range
    are left out; an open period counts up to ``end``.

    Summed in Python from one query over the overlapping periods: date arithmetic differs
    between SQLite and PostgreSQL, and a regency's periods are a few thousand rows.
    """
    if end < start:
        return {}
    rows = (
        _periods_of_year(programme_year)
        .filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)
        .order_by("candidate_id", "start")
        .values_list("candidate_id", "start", "end")
    )
    days: dict[int, int] = {}
    for candidate_id, first, last in rows:
        covered = (min(last or end, end) - max(first, start)).days + 1
        days[candidate_id] = days.get(candidate_id, 0) + covered
    return days


def coverage_periods(*, candidate: Candidate) -> list[CoveragePeriod]:
    """One candidate's periods, oldest first (the candidate page shows them)."""
    return list(CoveragePeriod.objects.filter(candidate=candidate).order_by("start"))


# --- replacement rounds (issue 12, Pasal 6 ayat (2)) --------------------------------------

#: Candidates of the waiting list the replacement page shows at least.
NEXT_SHOWN: Final = 10


@dataclass(frozen=True)
class RoundRow:
    """One past round as its evidence recorded it."""

    number: int
    day: date | None
    remaining: int
    months_left: int
    cost_one: int
    affordable: int
    proposed: int
    refused: int


@dataclass(frozen=True)
class PathStep:
    """Where a round's replacements are now, as one stage of the path with its count."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ReplacementOverview:
    figures: Any
    ends: list[StateCount]
    next_candidates: list[tuple[int, str]]
    rounds: list[RoundRow]
    path: list[PathStep]


def replacement_round_overview(*, proposal: Proposal, today: date) -> ReplacementOverview:
    """What the replacement page shows: the round's arithmetic on ``today``, the ends that
    freed places (by reason), the next of the waiting list (rank and masked NIK), the rounds
    held and where their replacements are now (verification, amending decree, BPJS)."""
    figures = round_figures(proposal=proposal, today=today)
    ended = dict(
        proposal.candidates.filter(state=CandidateState.ENDED)
        .values_list("reason_code")
        .annotate(n=Count("id"))
        .order_by("reason_code")
    )
    reasons = dict(EndReason.choices)
    ends = [
        StateCount(code=code, label=str(reasons.get(code, code or "—")), count=n)
        for code, n in sorted(ended.items(), key=lambda item: (-item[1], item[0]))
    ]
    shown = min(max(figures.proposable, NEXT_SHOWN), PAGE_SIZE)
    next_candidates = [
        (rank, mask(nik))
        for rank, nik in proposal.candidates.filter(state=CandidateState.WAITLISTED)
        .order_by("rank")
        .values_list("rank", "nik")[:shown]
    ]
    rounds: dict[int, dict[str, Any]] = {}
    events = CandidateEvent.objects.filter(
        candidate__proposal=proposal, reason_code__in=[ROUND_CODE, RECHECK_FAILED]
    ).values_list("reason_code", "evidence")
    for code, evidence in events:
        number = (evidence or {}).get("putaran")
        if not isinstance(number, int):
            continue
        row = rounds.setdefault(number, {"evidence": evidence, "proposed": 0, "refused": 0})
        row["proposed" if code == ROUND_CODE else "refused"] += 1
    round_rows = [
        RoundRow(
            number=number,
            day=date.fromisoformat(row["evidence"]["tanggal"])
            if row["evidence"].get("tanggal")
            else None,
            remaining=row["evidence"].get("sisa_pagu", 0),
            months_left=row["evidence"].get("bulan_tersisa", 0),
            cost_one=row["evidence"].get("biaya_satu_pengganti", 0),
            affordable=row["evidence"].get("mampu_dibiayai", 0),
            proposed=row["proposed"],
            refused=row["refused"],
        )
        for number, row in sorted(rounds.items())
    ]
    now = dict(
        Candidate.objects.filter(
            pk__in=CandidateEvent.objects.filter(
                candidate__proposal=proposal, reason_code=ROUND_CODE
            ).values("candidate_id")
        )
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by("state")
    )
    return ReplacementOverview(
        figures=figures,
        ends=ends,
        next_candidates=next_candidates,
        rounds=round_rows,
        path=[
            PathStep(code=code, label=str(label), count=sum(now.get(s, 0) for s in states))
            for code, label, states in _PATH
        ],
    )


#: The stages a replacement passes after its round, and the states that mean "there now".
_PATH: Final = (
    ("verifikasi", _("Menunggu verifikasi Disdukcapil"), (CandidateState.PROPOSED,)),
    ("ditolak", _("Ditolak Disdukcapil"), (CandidateState.REJECTED,)),
    ("keputusan", _("Terverifikasi, menunggu keputusan perubahan"), (CandidateState.VERIFIED,)),
    ("pendaftaran", _("Ditetapkan, menunggu pendaftaran BPJS"), (CandidateState.DECREED,)),
    ("terdaftar", _("Terdaftar di BPJS"), (CandidateState.REGISTERED, CandidateState.ACTIVE)),
    ("berakhir", _("Sudah berakhir lagi"), (CandidateState.ENDED,)),
)


def participants_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """What the proposal leaves to Dinas Sosial (Pasal 7 ayat (3)): to propose from a
    finished screening, and for a second operator to approve it (four eyes). Two queries."""
    from django.urls import reverse
    from django.utils.translation import gettext

    may_propose = user.has_perm("participants.propose_candidates")
    may_approve = user.has_perm("participants.approve_proposal")
    if not (may_propose or may_approve):
        return []
    url = reverse("participants:proposal_detail", args=[programme_year.pk])
    article = gettext("Pasal 7 ayat (3)")
    proposal = (
        Proposal.objects.filter(programme_year=programme_year)
        .values("status", "proposed_by_id")
        .first()
    )
    if proposal is None:
        if may_propose and proposable_runs(programme_year=programme_year).exists():
            return [Task(text=gettext("Buat usulan calon peserta"), url=url, article=article)]
        return []
    if (
        proposal["status"] == Proposal.Status.DRAFT
        and may_approve
        and proposal["proposed_by_id"] != user.pk
    ):
        return [
            Task(
                text=gettext("Setujui usulan calon peserta (prinsip empat mata)"),
                url=url,
                level="warning",
                article=article,
            )
        ]
    return []


def lifecycle_version(*, programme_year: ProgrammeYear) -> tuple[object, ...]:
    """What the year's places and coverage change with, in one query: the year's creation
    (so two years never share it), its newest lifecycle event and coverage period, and its
    pagu. Every transition writes an event (``transitions.py``), so a worklist figure kept
    under this version (``core.worklist.worklist_memo``) is recounted after any change."""
    from django.db.models import F, OuterRef, Subquery, Sum

    from payung.programmes.models import BudgetLine

    def newest(model: Any) -> Subquery:
        # Read from the newest row back until one of the year's (issue 16): the year as
        # ``programme_year_id + 0`` keeps SQLite from gathering and sorting every event of
        # the year's 100 000 candidates first (0.1-0.4 s on each workspace view).
        rows = model.objects.alias(year_key=F("candidate__proposal__programme_year_id") + 0).filter(
            year_key=OuterRef("pk")
        )
        return Subquery(rows.order_by("-pk").values("pk")[:1])

    pagu = (
        BudgetLine.objects.filter(programme_year=OuterRef("pk"))
        .values("programme_year")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    row = (
        ProgrammeYear.objects.filter(pk=programme_year.pk)
        .annotate(event=newest(CandidateEvent), period=newest(CoveragePeriod), pagu=Subquery(pagu))
        .values_list("created_at", "event", "period", "pagu")
        .first()
    )
    return tuple(row or ())
