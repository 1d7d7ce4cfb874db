"""Writes of appeals (sanggahan): record one with its evidence, screen it again, answer it.

A person refused in a programme year objects at Dinas Sosial's counter or through the desa
(issue 12). The appeal is judged by the same rules as everyone else: the person's row with
the corrected values is screened again under the year's pinned policy and as-of date
(``programme_year_policy``, ``year.as_of``; Pasal 5 ayat (1)-(2)), never under today's file
or date. Eligible, the person waits at their rank by Pasal 7 ayat (2) (never ahead of anyone
who ranks higher), or, where ``policy.cycle.appeal_eligible_to`` is ``replacement_round``,
ahead of the waiting list for the next replacement round; not eligible, the answer names
every failed article. Every write is audited with the masked NIK only.

Four eyes: whoever recorded an appeal cannot answer it. The answer moves a person on the
list the pagu is paid down (Pasal 6 ayat (2)), like a proposal's approval, and the letter is
signed by the Kepala Dinas Sosial on the second operator's draft.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.appeals.models import Appeal
from payung.appeals.selectors import (
    CORRECTABLE,
    appeal_person_values,
    appeal_subject,
    field_label,
)
from payung.audit.services import audit_entry_create
from payung.domain import nik as nik_domain
from payung.domain import wilayah
from payung.domain.policy import Policy
from payung.participants.models import Candidate, CandidateState, Proposal
from payung.participants.replacements import proposal_rows_screen
from payung.participants.services import proposal_locked
from payung.participants.transitions import candidates_transition
from payung.programmes.selectors import programme_year_policy
from payung.registry.models import Person
from payung.registry.selectors import PERSON_FIELDS
from payung.screening.selectors import reason_text

RECORD_PERM: Final = "appeals.record_appeal"
ANSWER_PERM: Final = "appeals.answer_appeal"
#: Reason codes written in the candidate's history.
WAITLIST_CODE: Final = "sanggahan_diterima"
REFUSE_CODE: Final = "sanggahan_ditolak"
#: Longest free text kept for who filed an appeal, its grounds and a source document.
MAX_FILED_BY: Final = 200
MAX_SOURCE: Final = 200
MAX_TEXT: Final = 2000
#: Dates a birth-date letter is written in (the extract's own formats).
_DATE_FORMATS: Final = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


@dataclass(frozen=True)
class Correction:
    """One corrected value and the document it comes from ("Surat keterangan desa No. …")."""

    value: str
    source: str


# --- validation -------------------------------------------------------------------------


def _date_parse(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def appeal_corrections_check(
    *, corrections: Mapping[str, Correction], policy: Policy
) -> dict[str, dict[str, str]]:
    """The corrections as stored (canonical text, its source), or ``ValidationError`` with
    every problem by field: each value is checked as the extract's reader would check it
    (a date that exists and is not in the future, a decile 1-10, a village of the regency),
    and each needs the document it comes from. Messages never repeat the value (it is
    personal data)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, dict[str, str]] = {}
    today = timezone.localdate()
    for name, item in corrections.items():
        if name not in CORRECTABLE:
            raise ValueError(f"not a correctable field: {name}")
        value = " ".join((item.value or "").split())
        source = " ".join((item.source or "").split())
        label = field_label(name)
        if not value:
            if source:
                errors[name] = [
                    _("Isi %(f)s yang benar, atau kosongkan dokumen sumbernya.")
                    % {"f": label.lower()}
                ]
            continue
        problems: list[str] = []
        if name == "desil":
            if not value.isdigit() or not 1 <= int(value) <= 10:
                problems.append(_("%(f)s harus bilangan bulat 1 sampai 10.") % {"f": label})
            else:
                value = str(int(value))
        elif name == "tanggal_lahir":
            born = _date_parse(value)
            if born is None:
                problems.append(
                    _("%(f)s bukan tanggal yang sah (tulis TTTT-BB-HH atau HH-BB-TTTT).")
                    % {"f": label}
                )
            elif born > today:
                problems.append(_("%(f)s tidak boleh di masa depan.") % {"f": label})
            else:
                value = born.isoformat()
        elif name == "kode_desa":
            digits = re.sub(r"[.\s]", "", value)
            region = policy.region.code
            if not (digits.isdigit() and len(digits) == 10):
                problems.append(_("%(f)s harus 10 angka (titik boleh).") % {"f": label})
            elif not wilayah.is_within(digits, region) or wilayah.lookup(digits) is None:
                problems.append(
                    _("%(f)s bukan desa/kelurahan di %(region)s.")
                    % {"f": label, "region": policy.region.name}
                )
            else:
                value = digits
        elif len(value) > 120 and name == "pekerjaan":
            problems.append(_("%(f)s paling panjang 120 huruf.") % {"f": label})
        elif len(value) > MAX_TEXT:
            problems.append(_("%(f)s terlalu panjang.") % {"f": label})
        if not source:
            problems.append(
                _("Sebutkan dokumen sumber %(f)s (misalnya surat keterangan desa dan nomornya).")
                % {"f": label.lower()}
            )
        elif len(source) > MAX_SOURCE:
            problems.append(_("Dokumen sumber %(f)s terlalu panjang.") % {"f": label.lower()})
        if problems:
            errors[name] = problems
        else:
            out[name] = {"value": value, "source": source}
    if errors:
        raise ValidationError(errors)
    return out


def _appeal_text_check(
    *, received_on: date, filed_by: str, grounds: str, channel: str
) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = [_("Tanggal diterima tidak boleh di masa depan.")]
    if channel not in Appeal.Channel.values:
        errors["channel"] = [_("Pilih saluran sanggahan.")]
    filed_by = " ".join(filed_by.split())
    grounds = grounds.strip()
    if not filed_by:
        errors["filed_by"] = [_("Sebutkan siapa yang mengajukan sanggahan.")]
    elif len(filed_by) > MAX_FILED_BY:
        errors["filed_by"] = [_("Nama pengaju paling panjang 200 huruf.")]
    if len(grounds) < 10:
        errors["grounds"] = [_("Tuliskan alasan sanggahan (paling sedikit 10 huruf).")]
    elif len(grounds) > MAX_TEXT:
        errors["grounds"] = [_("Alasan sanggahan paling panjang 2.000 huruf.")]
    if errors:
        raise ValidationError(errors)
    return filed_by, grounds


# --- record -------------------------------------------------------------------------------


@transaction.atomic
def appeal_record(
    *,
    person: Person,
    actor: Any,
    received_on: date,
    channel: str,
    filed_by: str,
    grounds: str,
    corrections: Mapping[str, Correction],
) -> Appeal:
    """Record a refused person's appeal with its evidence and screen the corrected row at
    once, so the page shows the likely answer before a second operator gives it.

    The due date is ``received_on`` plus ``policy.cycle.appeal_answer_days`` (a policy
    setting). Refused (``ValidationError``, Indonesian) for a person who holds a place, has
    an appeal open, or a year without a proposal; and for any bad value, all at once.
    """
    if not actor.has_perm(RECORD_PERM):
        raise PermissionDenied
    subject = appeal_subject(person=person)
    year = subject.programme_year
    policy = programme_year_policy(programme_year=year)
    errors: dict[str, list[str]] = {}
    try:
        filed_by, grounds = _appeal_text_check(
            received_on=received_on, filed_by=filed_by, grounds=grounds, channel=channel
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        stored = appeal_corrections_check(corrections=corrections, policy=policy)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    appeal = Appeal.objects.create(
        programme_year=year,
        person=person,
        decision=subject.decision,
        candidate=subject.candidate,
        refusal=subject.refusal,
        received_on=received_on,
        due_on=received_on + timedelta(days=policy.cycle.appeal_answer_days),
        channel=channel,
        filed_by=filed_by,
        grounds=grounds,
        corrections=stored,
        recorded_by=actor,
    )
    _result_store(appeal, appeal_rescreen(appeal=appeal))
    audit_entry_create(
        actor=actor,
        action="appeal_record",
        target=appeal,
        detail={
            "nik_masked": nik_domain.mask(person.nik),
            "refusal": appeal.refusal,
            "channel": channel,
            "corrected_fields": sorted(stored),
            "result": appeal.result_status,
        },
    )
    return appeal


# --- re-screen ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rescreen:
    """The engine's decision on the corrected row (its own column names)."""

    status: str
    reasons: str
    priorities: str
    age: int | None
    desil: int | None
    occupation_category: str
    kode_desa: str

    @property
    def eligible(self) -> bool:
        return self.status == "eligible"

    @property
    def failed(self) -> list[str]:
        return [c for c in self.reasons.split(";") if c]


def _year_screen(proposal: Proposal, rows: list[dict[str, Any]], *, first: frozenset[str]) -> Any:
    """Screen ``rows`` as the year's run would (``proposal_rows_screen``)."""
    values = [tuple(r[f] for f in PERSON_FIELDS) for r in rows]
    return proposal_rows_screen(proposal=proposal, rows=values, first=first)


def _row_sha256(row: dict[str, Any]) -> str:
    text = json.dumps({k: row[k] for k in PERSON_FIELDS}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _rescreen_current(appeal: Appeal) -> Rescreen:
    """The stored result when the row it was computed from is unchanged, else a new one."""
    if appeal.result_status and appeal.result_row_sha256 == _row_sha256(
        appeal_person_values(appeal=appeal)
    ):
        return Rescreen(
            status=appeal.result_status,
            reasons=appeal.result_reasons,
            priorities=appeal.result_priorities,
            age=appeal.result_age,
            desil=appeal.result_desil,
            occupation_category=appeal.result_occupation_category,
            kode_desa=appeal.result_kode_desa,
        )
    return appeal_rescreen(appeal=appeal)


def appeal_rescreen(*, appeal: Appeal) -> Rescreen:
    """The corrected row screened alone under the year's pinned policy and as-of date
    (Pasal 5); the eligibility of one row never depends on the others."""
    proposal = Proposal.objects.select_related("screening_run", "programme_year").get(
        programme_year_id=appeal.programme_year_id
    )
    row = appeal_person_values(appeal=appeal)
    (decision,) = _year_screen(proposal, [row], first=frozenset()).to_pylist()
    return Rescreen(
        status=decision["status"],
        reasons=decision["reasons"] or "",
        priorities=decision["priorities"] or "",
        age=decision["age"],
        desil=decision["desil"],
        occupation_category=decision["occupation_category"] or "",
        kode_desa=decision["kode_desa"] or "",
    )


def _result_store(appeal: Appeal, result: Rescreen) -> None:
    appeal.result_status = result.status
    appeal.result_reasons = result.reasons
    appeal.result_priorities = result.priorities
    appeal.result_age = result.age
    appeal.result_desil = result.desil
    appeal.result_occupation_category = result.occupation_category
    appeal.result_kode_desa = result.kode_desa
    appeal.result_row_sha256 = _row_sha256(appeal_person_values(appeal=appeal))
    appeal.save(
        update_fields=[
            "result_row_sha256",
            "result_status",
            "result_reasons",
            "result_priorities",
            "result_age",
            "result_desil",
            "result_occupation_category",
            "result_kode_desa",
        ]
    )


# --- the rank ------------------------------------------------------------------------------


def _granted_corrections(proposal: Proposal) -> dict[int, dict[str, str]]:
    """Corrections of earlier granted appeals, by candidate: their rank was computed on
    them, so the order is recomputed on them too."""
    out: dict[int, dict[str, str]] = {}
    for cand_id, corrections in (
        Appeal.objects.filter(
            candidate__proposal=proposal,
            outcome__in=[Appeal.Outcome.WAITING_LIST, Appeal.Outcome.REPLACEMENT_ROUND],
        )
        .order_by("answered_at", "pk")
        .values_list("candidate_id", "corrections")
    ):
        out.setdefault(cand_id, {}).update({k: c["value"] for k, c in corrections.items()})
    return out


def appeal_rank_target(
    *, proposal: Proposal, appeal: Appeal, row: dict[str, Any], placement: str
) -> int:
    """The rank the appellant takes on the proposal's list; everyone from it down moves one.

    The year's candidates and the appellant are screened together under the pinned policy:
    Pasal 7 ayat (2)'s ranking keys (priorities met, decile, birth date, a seeded NIK hash,
    the NIK) belong to each row alone, so this gives the order the original run gave, with
    the appellant in it. Each candidate is screened on the data its rank was computed from
    (the import; a granted appeal's corrections), and ranked-first NIKs of a carried-over
    year stay first.

    ``waiting_list``: the rank of the first candidate who ranks after the appellant (never
    ahead of anyone who ranks higher). ``replacement_round``: the rank of the first waiting
    candidate, after the appellants already put there who rank higher, so the next
    replacement round (which takes the waiting list in rank order) takes them first.
    """
    candidates = list(
        proposal.candidates.exclude(person_id=appeal.person_id).values_list(
            "pk", "person_id", "rank", "state", "nik", "carried_from_id"
        )
    )
    extra = _granted_corrections(proposal)
    persons = {
        p[0]: dict(zip(PERSON_FIELDS, p[1:], strict=True))
        for p in Person.objects.filter(pk__in=[c[1] for c in candidates]).values_list(
            "pk", *PERSON_FIELDS
        )
    }
    rows: list[dict[str, Any]] = []
    by_row: dict[int, tuple[int, int, str]] = {}
    for i, (pk, person_id, rank, state, _nik, _carried) in enumerate(candidates, start=1):
        record = {**persons[person_id], **extra.get(pk, {}), "row": i, "nik_numeric_cell": False}
        rows.append(record)
        by_row[i] = (pk, rank, state)
    appellant_row = len(rows) + 1
    rows.append({**row, "row": appellant_row})
    policy = programme_year_policy(programme_year=proposal.programme_year)
    first = (
        frozenset(nik for *_x, nik, carried in candidates if carried is not None)
        if policy.cycle.carry_over_first
        else frozenset()
    )
    decisions = _year_screen(proposal, rows, first=first).select(["row", "priority_rank"])
    engine_rank = {
        d["row"]: d["priority_rank"] for d in decisions.to_pylist() if d["priority_rank"]
    }
    mine = engine_rank.get(appellant_row)
    if mine is None:  # eligible alone but not together: a data-quality check across rows
        raise ValidationError(
            _("Peringkat sanggahan tidak dapat dihitung; hubungi administrator."),
            code="no_rank",
        )
    max_rank = max((r for _pk, r, _s in by_row.values()), default=0)
    if placement == Appeal.Outcome.WAITING_LIST:
        behind = [r for i, (_pk, r, _s) in by_row.items() if engine_rank.get(i, 0) > mine]
        return min(behind, default=max_rank + 1)
    placed_first = set(
        Appeal.objects.filter(
            candidate__proposal=proposal,
            outcome=Appeal.Outcome.REPLACEMENT_ROUND,
            candidate__state=CandidateState.WAITLISTED,
        ).values_list("candidate_id", flat=True)
    )
    waiting = [
        r
        for i, (pk, r, s) in by_row.items()
        if s == CandidateState.WAITLISTED
        and not (pk in placed_first and engine_rank.get(i, 0) < mine)
    ]
    return min(waiting, default=max_rank + 1)


def _ranks_open(proposal: Proposal, *, at: int) -> None:
    """Move every rank from ``at`` down by one, without ever holding a rank twice.

    Rank is unique per proposal and SQLite and PostgreSQL check a unique constraint row by
    row during an UPDATE, so ``rank = rank + 1`` can collide half-way. Two steps cannot:
    first out of the way (above every rank in use), then back to their place plus one.
    """
    top = proposal.candidates.aggregate(m=Max("rank"))["m"] or 0
    offset = top + 1
    moved = proposal.candidates.filter(rank__gte=at).update(rank=F("rank") + offset)
    if moved:
        proposal.candidates.filter(rank__gt=top).update(rank=F("rank") - offset + 1)


# --- answer ---------------------------------------------------------------------------------


@transaction.atomic
def appeal_answer(*, appeal: Appeal, actor: Any, answered_on: date | None = None) -> Appeal:
    """Answer an open appeal on the re-screened corrected row, and ask for its letter.

    Eligible: the person waits at their rank (``appeal_rank_target``) with the corrections
    kept as the candidate's corrected data, so the replacement round's re-check (and
    Disdukcapil's verification after it) sees what the appeal proved. Not eligible: refused
    with every failed article; a person who was waiting leaves the list, because their own
    evidence shows a criterion of Pasal 5 is not met. Four eyes: not by its recorder.
    """
    if not actor.has_perm(ANSWER_PERM):
        raise PermissionDenied
    if appeal.recorded_by_id == actor.pk:
        raise ValidationError(
            _(
                "Prinsip empat mata: sanggahan dijawab oleh operator lain, bukan oleh yang "
                "mencatatnya."
            ),
            code="four_eyes",
        )
    today = timezone.localdate()
    answered_on = answered_on or today
    if answered_on > today or answered_on < appeal.received_on:
        raise ValidationError(
            _("Tanggal jawaban tidak boleh di masa depan atau sebelum sanggahan diterima."),
            code="answered_on",
        )
    proposal_id = Proposal.objects.values_list("pk", flat=True).get(
        programme_year_id=appeal.programme_year_id
    )
    proposal = proposal_locked(proposal_id)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(
            _("Sanggahan ini sudah dijawab (mungkin baru saja oleh orang lain)."),
            code="answered",
        )
    candidate = Candidate.objects.filter(proposal=proposal, person_id=appeal.person_id).first()
    if candidate is not None and candidate.state not in (
        CandidateState.WAITLISTED,
        CandidateState.REJECTED,
        CandidateState.SCREENED,
    ):
        raise ValidationError(
            _("Status orang ini berubah sejak sanggahan dicatat (%(state)s); muat ulang.")
            % {"state": candidate.get_state_display()},
            code="state_changed",
        )
    appeal.candidate = candidate
    result = _rescreen_current(appeal)
    _result_store(appeal, result)
    policy = programme_year_policy(programme_year=proposal.programme_year)
    evidence = {"keterangan": _("Sanggahan #%(n)s") % {"n": appeal.pk}}
    if result.eligible:
        placement = policy.cycle.appeal_eligible_to
        row = appeal_person_values(appeal=appeal)
        target = appeal_rank_target(proposal=proposal, appeal=appeal, row=row, placement=placement)
        corrected = {k: c["value"] for k, c in appeal.corrections.items()}
        if candidate is None:
            candidate = Candidate.objects.create(
                proposal=proposal,
                person_id=appeal.person_id,
                decision_id=appeal.decision_id,
                rank=0,  # parked until its rank is free; ranks start at 1
                nik=appeal.person.nik,
                corrected=corrected,
            )
        else:
            Candidate.objects.filter(pk=candidate.pk).update(
                rank=0, corrected={**(candidate.corrected or {}), **corrected}
            )
        _ranks_open(proposal, at=target)
        Candidate.objects.filter(pk=candidate.pk).update(rank=target)
        if placement == Appeal.Outcome.REPLACEMENT_ROUND:
            reason = _(
                "Sanggahan diterima: memenuhi syarat setelah perbaikan data; didahulukan pada "
                "putaran pengganti berikutnya (peringkat %(rank)s)."
            ) % {"rank": target}
        else:
            reason = _(
                "Sanggahan diterima: memenuhi syarat setelah perbaikan data; masuk daftar "
                "tunggu pada peringkat %(rank)s."
            ) % {"rank": target}
        candidates_transition(
            candidate_ids=[candidate.pk],
            action="appeal_waitlist",
            actor=actor,
            reason_code=WAITLIST_CODE,
            reason=reason,
            evidence=evidence,
        )
        appeal.candidate = candidate
        appeal.outcome = placement
        appeal.placed_rank = target
    else:
        words = "; ".join(reason_text(policy, code) for code in result.failed)
        if candidate is not None and candidate.state == CandidateState.WAITLISTED:
            candidates_transition(
                candidate_ids=[candidate.pk],
                action="appeal_refuse",
                actor=actor,
                reason_code=REFUSE_CODE,
                reason=_(
                    "Sanggahan ditolak: dengan data perbaikan tidak memenuhi %(w)s; keluar dari "
                    "daftar tunggu."
                )
                % {"w": words},
                evidence=evidence,
            )
        appeal.outcome = Appeal.Outcome.REFUSED
        appeal.placed_rank = None
    appeal.status = Appeal.Status.ANSWERED
    appeal.answered_by = actor
    appeal.answered_at = timezone.now()
    appeal.answered_on = answered_on
    appeal.save()
    audit_entry_create(
        actor=actor,
        action="appeal_answer",
        target=appeal,
        detail={
            "nik_masked": nik_domain.mask(appeal.person.nik),
            "outcome": appeal.outcome,
            "rank": appeal.placed_rank,
            "failed": result.failed,
            "policy_version": proposal.programme_year.policy_version,
        },
    )
    appeal_letter_request(appeal=appeal, actor=actor)
    return appeal


def appeal_letter_request(*, appeal: Appeal, actor: Any) -> list[Any]:
    """Queue the answer letter, DOCX and PDF (``appeals.documents``), for an answered appeal."""
    from payung.documents.services import document_request

    if appeal.status != Appeal.Status.ANSWERED:
        raise ValidationError(_("Sanggahan belum dijawab."), code="open")
    title = _("Surat Jawaban Sanggahan Nomor Urut %(n)s") % {"n": appeal.pk}
    return [
        document_request(
            subject=appeal,
            programme_year=appeal.programme_year,
            kind="jawaban-sanggahan",
            title=title,
            fmt=fmt,
            builder=f"payung.appeals.documents.answer_letter_{fmt}",
            file_name=f"jawaban-sanggahan-{appeal.pk}.{fmt}",
            actor=actor,
        )
        for fmt in ("docx", "pdf")
    ]
