"""Replacement rounds: the places freed during the year go down the waiting list, as far as
the remaining pagu pays for the months left (issue 12, Pasal 6 ayat (2)).

An end (death, a move, double funding, BPJS's refusal, …) frees a place on the quota and
leaves money in the pagu. The money is what decides: the remaining pagu divided by one
participant's contribution for the months left in the year (never twelve) is how many
replacements the regency can afford (``forecast.places_affordable``). A round proposes
``min(free places, affordable)`` of the waiting list in rank order. Each is re-checked
first against the year's pinned policy and as-of date, with any data Disdukcapil corrected:
the waiting list was judged months ago, and a person who no longer qualifies (Pasal 5 ayat
(2)) is refused with the failed articles, the next rank taking the turn. No other rank is
ever skipped. The proposed then go the way of every candidate: Disdukcapil's verification
(Pasal 7 ayat (3)), an amending decree (Pasal 7 ayat (4)) and registration (Pasal 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import pyarrow as pa
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.formatting import angka
from payung.domain.money import rupiah
from payung.engine import connect, screen
from payung.participants.forecast import (
    place_cost,
    places_affordable,
    places_cost_committed,
    places_from_month,
)
from payung.participants.models import (
    PLACE_HOLDING,
    Candidate,
    CandidateEvent,
    CandidateState,
    Proposal,
)
from payung.participants.services import proposal_locked
from payung.participants.transitions import PROPOSE_PERM, candidates_transition
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.registry.models import Person
from payung.registry.selectors import PERSON_FIELDS, person_values_as_arrow
from payung.screening.selectors import reason_text

#: Reason code of a candidate a round proposed (its history, and the path the page counts).
ROUND_CODE: Final = "putaran_pengganti"
#: Reason code of a candidate a round's re-check refused.
RECHECK_FAILED: Final = "tidak_memenuhi_syarat_saat_pengganti"
#: Waiting-list candidates re-checked per engine call: a few more than the round needs, so
#: one or two refusals rarely cost a second call.
RECHECK_WINDOW: Final = 20


@dataclass(frozen=True)
class RoundFigures:
    """The arithmetic of a round on one day, as the page shows it and the round applies it."""

    quota: int
    held: int
    free: int
    pagu: int
    committed: int
    remaining: int
    from_month: date
    months_left: int
    cost_one: int
    affordable: int
    waiting: int

    @property
    def proposable(self) -> int:
        """How many the round would propose: the free places, as far as the money goes and
        the waiting list reaches (re-check refusals aside)."""
        return max(0, min(self.free, self.affordable, self.waiting))


@dataclass(frozen=True)
class RoundResult:
    number: int
    proposed: list[int]
    refused: list[int]
    figures: RoundFigures


def round_figures(*, proposal: Proposal, today: date) -> RoundFigures:
    """Free places, remaining pagu and what it affords from ``today``'s month to December.

    Pasal 6 ayat (2) and Pasal 13: the pagu of every funding source, minus what every place
    holder costs (``forecast.places_cost_committed``), divided by one participant's
    contribution for the months left (Pasal 9 ayat (2), the dated rates)."""
    year: ProgrammeYear = proposal.programme_year
    from_month = places_from_month(programme_year=year, today=today)
    held = proposal.candidates.filter(state__in=PLACE_HOLDING).count()
    pagu = year.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    committed = places_cost_committed(programme_year=year, from_month=from_month)
    waiting = proposal.candidates.filter(state=CandidateState.WAITLISTED).count()
    return RoundFigures(
        quota=proposal.quota,
        held=held,
        free=max(0, proposal.quota - held),
        pagu=pagu,
        committed=committed,
        remaining=pagu - committed,
        from_month=from_month,
        months_left=13 - from_month.month,
        cost_one=place_cost(programme_year=year, from_month=from_month),
        affordable=places_affordable(programme_year=year, from_month=from_month),
        waiting=waiting,
    )


def replacement_round_numbers(*, proposal: Proposal) -> list[int]:
    """Numbers of the rounds held so far, from the candidates' history (the round is
    evidence on each move it made, so it needs no table of its own)."""
    numbers = {
        evidence.get("putaran")
        for evidence in CandidateEvent.objects.filter(
            candidate__proposal=proposal, reason_code__in=[ROUND_CODE, RECHECK_FAILED]
        ).values_list("evidence", flat=True)
    }
    return sorted(n for n in numbers if isinstance(n, int))


@transaction.atomic
def replacements_propose(*, programme_year: ProgrammeYear, actor: Any, today: date) -> RoundResult:
    """Propose, from the waiting list in rank order, as many replacements as there are free
    places and the remaining pagu pays for from ``today``'s month to December.

    Runs with the proposal locked, so two rounds (or a round and a verification answer that
    pulls replacements) never hand out the same place or the same money twice. Each
    next-in-rank is re-screened under the year's pinned policy and as-of date; one who no
    longer passes is REJECTED with the failed articles and the next rank takes the turn.
    Refused with a sentence when no place is free, the pagu affords no one, or the waiting
    list is empty. Returns the proposed and the refused ids: the proposed form the next
    verification batch (Pasal 7 ayat (3)).
    """
    if actor is None or not actor.has_perm(PROPOSE_PERM):
        raise PermissionDenied
    proposal = Proposal.objects.filter(programme_year=programme_year).first()
    if proposal is None:
        raise ValidationError(_("Tahun program ini belum mempunyai usulan."), code="no_proposal")
    locked = proposal_locked(proposal.pk)
    if locked.status != Proposal.Status.APPROVED:
        raise ValidationError(
            _("Usulan belum disetujui; pengganti diusulkan setelah usulan disetujui."),
            code="not_approved",
        )
    if today.year > programme_year.year:
        raise ValidationError(
            _("Tahun program %(year)s sudah berakhir; tidak ada lagi pengganti.")
            % {"year": programme_year.year},
            code="year_over",
        )
    figures = round_figures(proposal=locked, today=today)
    _refuse_if_nothing(figures)
    wanted = min(figures.free, figures.affordable)
    number = max(replacement_round_numbers(proposal=locked), default=0) + 1
    evidence = {
        "putaran": number,
        "tanggal": today.isoformat(),
        "sisa_pagu": figures.remaining,
        "bulan_tersisa": figures.months_left,
        "biaya_satu_pengganti": figures.cost_one,
        "mampu_dibiayai": figures.affordable,
        "tempat_kosong": figures.free,
    }
    chosen, refused = _next_passing(locked, wanted=wanted)
    if refused:
        candidates_transition(
            candidate_ids=list(refused),
            action="recheck_fail",
            actor=actor,
            reason_code=RECHECK_FAILED,
            reason=_("Tidak lagi memenuhi syarat saat diperiksa ulang untuk putaran pengganti."),
            evidence=evidence,
            per_candidate={
                pk: {"reason": _recheck_text(programme_year, failed)}
                for pk, failed in refused.items()
            },
        )
    candidates_transition(
        candidate_ids=chosen,
        action="replace",
        actor=actor,
        reason_code=ROUND_CODE,
        reason=_(
            "Diusulkan sebagai pengganti dari daftar tunggu menurut peringkat, dalam batas "
            "sisa pagu (Pasal 6 ayat (2))."
        ),
        evidence=evidence,
    )
    audit_entry_create(
        actor=actor,
        action="replacement_round_propose",
        target=locked,
        detail={
            **evidence,
            "diusulkan": len(chosen),
            "ditolak_pemeriksaan_ulang": len(refused),
        },
    )
    return RoundResult(number=number, proposed=chosen, refused=list(refused), figures=figures)


def _refuse_if_nothing(figures: RoundFigures) -> None:
    """The Indonesian sentence that says why a round cannot propose anyone."""
    if figures.free <= 0:
        raise ValidationError(
            _(
                "Tidak ada tempat kosong: kuota %(quota)s orang sudah terisi %(held)s orang. "
                "Pengganti diusulkan setelah ada peserta yang berakhir."
            )
            % {"quota": angka(figures.quota), "held": angka(figures.held)},
            code="no_free_place",
        )
    if figures.affordable <= 0:
        raise ValidationError(
            _(
                "Sisa pagu %(remaining)s tidak cukup untuk satu pengganti (%(cost)s untuk "
                "%(months)s bulan sampai Desember); Pasal 6 ayat (2)."
            )
            % {
                "remaining": rupiah(max(0, figures.remaining)),
                "cost": rupiah(figures.cost_one),
                "months": figures.months_left,
            },
            code="over_pagu",
        )
    if figures.waiting <= 0:
        raise ValidationError(
            _("Daftar tunggu sudah habis; tidak ada calon yang dapat diusulkan."),
            code="no_waiting",
        )


def _next_passing(proposal: Proposal, *, wanted: int) -> tuple[list[int], dict[int, list[str]]]:
    """Walk the waiting list in rank order until ``wanted`` pass the re-check (or the list
    ends): the ids that pass, and the failed rule ids of each refused on the way."""
    chosen: list[int] = []
    refused: dict[int, list[str]] = {}
    after = -1
    while len(chosen) < wanted:
        window = list(
            proposal.candidates.filter(state=CandidateState.WAITLISTED, rank__gt=after)
            .order_by("rank")
            .only("pk", "rank", "person_id", "corrected")[: max(RECHECK_WINDOW, 2 * wanted)]
        )
        if not window:
            break
        failed = candidates_recheck(proposal=proposal, candidates=window)
        for candidate in window:
            after = candidate.rank
            if failed[candidate.pk]:
                refused[candidate.pk] = failed[candidate.pk]
                continue
            chosen.append(candidate.pk)
            if len(chosen) == wanted:
                break
    return chosen, refused


def proposal_rows_screen(
    *, proposal: Proposal, rows: list[tuple[Any, ...]], first: frozenset[str] = frozenset()
) -> pa.Table:
    """Screen person rows (``PERSON_FIELDS`` tuples) under the proposal's year's pinned policy
    and the as-of date its screening used (Pasal 5 ayat (2): age on that date, not today), so
    a re-check or an appeal says what the year's run would have said of the same row.

    On the Polars backend: for a row or a year's candidates, compiling the expressions is
    most of the work, and Ibis compiles for Polars in a fraction of DuckDB's time (0.7 s
    against 4.3 s for 500 rows); every backend gives the same decisions (the engine's
    cross-backend test). ``first`` ranks those NIKs ahead (carried-over participants).
    """
    programme_year = proposal.programme_year
    run = proposal.screening_run
    as_of = run.as_of if run is not None else programme_year.as_of
    months = run.months if run is not None else programme_year.coverage_months
    policy = programme_year_policy(programme_year=programme_year)
    with connect("polars") as backend:
        return screen(
            person_values_as_arrow(rows),
            policy=policy,
            as_of=as_of,
            backend=backend,
            months=months,
            first=first or None,
        ).decisions


def candidates_recheck(*, proposal: Proposal, candidates: list[Candidate]) -> dict[int, list[str]]:
    """Failed rule ids (or data-quality codes) per candidate, ``[]`` for one who still passes.

    The person's row as imported from DTSEN, with the fields Disdukcapil corrected
    (``Candidate.corrected``) laid over it, screened by the same engine under the year's
    pinned policy and the as-of date its screening used (Pasal 5 ayat (2): age is measured
    on that date, not today). Each row gets its own position as row number, so persons of
    two imports never collide.
    """
    if not candidates:
        return {}
    persons = {
        values[0]: values[1:]
        for values in Person.objects.filter(pk__in=[c.person_id for c in candidates]).values_list(
            "pk", *PERSON_FIELDS
        )
    }
    rows = []
    for position, candidate in enumerate(candidates, start=1):
        record = dict(zip(PERSON_FIELDS, persons[candidate.person_id], strict=True))
        record.update({k: v for k, v in (candidate.corrected or {}).items() if k in record and v})
        record["row"] = position
        record["nik_numeric_cell"] = False
        rows.append(tuple(record[f] for f in PERSON_FIELDS))
    decisions = proposal_rows_screen(proposal=proposal, rows=rows)
    out: dict[int, list[str]] = {}
    for decision in decisions.select(["row", "status", "reasons"]).to_pylist():
        reasons = [r for r in (decision["reasons"] or "").split(";") if r]
        pk = candidates[decision["row"] - 1].pk
        out[pk] = [] if decision["status"] == "eligible" else (reasons or [decision["status"]])
    return out


def _recheck_text(programme_year: ProgrammeYear, failed: list[str]) -> str:
    policy = programme_year_policy(programme_year=programme_year)
    words = "; ".join(f"{code} ({reason_text(policy, code)})" for code in failed)
    return _("Diperiksa ulang untuk putaran pengganti, tidak lagi memenuhi syarat: %(w)s.") % {
        "w": words
    }
