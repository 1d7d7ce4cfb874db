"""Writes of the participant lifecycle: propose from a screening run, exclude, approve, fill
places; past the decree, register, activate and end.

Pasal 7 ayat (3): Dinas Sosial puts the result of the pendataan forward for Disdukcapil's
verification; Pasal 6 ayat (2): only as many as the pagu pays for. The rest wait in rank
order, and every place freed (an exclusion, a rejection) goes to the next of them, never
over the pagu and never skipping a rank. Every write is in the audit trail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payung.audit.services import AuditItem, audit_entries_create, audit_entry_create
from payung.core.bulk import bulk_load
from payung.core.models import JobStatus
from payung.core.permissions import actor_require
from payung.domain import nik as nik_domain
from payung.participants.forecast import (
    places_affordable,
    places_affordable_require,
    places_from_month,
)
from payung.participants.models import (
    PLACE_HOLDING,
    Candidate,
    CandidateState,
    CoveragePeriod,
    EndReason,
    Proposal,
)
from payung.participants.transitions import (
    ACTIVATE_PERM,
    END_PERM,
    REGISTER_PERM,
    candidates_transition,
)
from payung.programmes.models import ProgrammeYear
from payung.programmes.services import programme_year_advance
from payung.screening.models import Decision, ScreeningRun

#: Shortest written reason accepted for excluding a candidate: a word or two is not a reason
#: an auditor can check.
MIN_REASON_LENGTH = 10


def proposal_locked(proposal_id: int) -> Proposal:
    """The proposal row, locked until the transaction ends: every change of its candidates'
    places is serialised on it, so two fills cannot hand out the same free place."""
    return Proposal.objects.select_for_update().get(pk=proposal_id)


@transaction.atomic
def proposal_create(*, run: ScreeningRun, actor: Any, place: str) -> Proposal:
    """Propose the year's candidates from a finished screening run with a pagu.

    The selected (ranked within the quota) become PROPOSED, the other eligible WAITLISTED,
    both keeping the run's rank. Refused when the year's pagu changed after the run (the cut
    would no longer be what the budget pays), or the year already has a proposal.
    """
    if not actor.has_perm("participants.propose_candidates"):
        raise PermissionDenied
    year: ProgrammeYear = ProgrammeYear.objects.select_for_update().get(pk=run.programme_year_id)
    if Proposal.objects.filter(programme_year=year).exists():
        raise ValidationError(
            _("Tahun program ini sudah mempunyai usulan calon peserta."), code="exists"
        )
    if run.status != JobStatus.DONE:
        raise ValidationError(_("Penyaringan ini belum selesai."), code="run_not_done")
    if run.budget is None or run.quota is None:
        raise ValidationError(
            _(
                "Penyaringan ini dijalankan tanpa pagu; isi pagu tahun program lalu jalankan "
                "penyaringan ulang (Pasal 6 ayat (2))."
            ),
            code="no_budget",
        )
    budget = year.budget_lines.aggregate(total=Sum("amount"))["total"]
    if budget != run.budget or year.coverage_months != run.months:
        raise ValidationError(
            _(
                "Pagu atau bulan kepesertaan tahun program berubah sejak penyaringan ini; "
                "jalankan penyaringan ulang agar batas kuota sesuai anggaran."
            ),
            code="budget_changed",
        )
    place = place.strip()
    if not place:
        raise ValidationError(_("Tempat berita acara wajib diisi."), code="place")
    proposal = Proposal.objects.create(
        programme_year=year,
        screening_run=run,
        quota=run.quota,
        budget=run.budget,
        months=run.months,
        place=place,
        proposed_by=actor,
    )
    eligible = (
        Decision.objects.filter(run=run, status__in=["selected", "waitlisted"])
        .order_by("priority_rank")
        .values_list("pk", "person_id", "nik", "priority_rank", "status")
    )
    rows = list(eligible)
    # Loaded through core.bulk (the year's ~12 000 candidates): the values bulk_create would
    # store, the model's defaults included; rank is unique in a proposal, so it finds the ids.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    screened = str(CandidateState.SCREENED)
    bulk_load(
        Candidate,
        _CANDIDATE_COLUMNS,
        (
            (proposal.pk, person, decision, rank, nik, screened, "", "", "{}", "", None, now)
            for decision, person, nik, rank, _status in rows
        ),
    )
    pk_of = dict(Candidate.objects.filter(proposal=proposal).values_list("rank", "pk"))
    selected = [pk_of[row[3]] for row in rows if row[4] == "selected"]
    waiting = [pk_of[row[3]] for row in rows if row[4] != "selected"]
    if len(selected) > proposal.quota:  # the engine's cut guarantees this; a guard, not a rule
        raise ValidationError(_("Jumlah calon melebihi kuota."), code="over_quota")
    evidence = {"screening_run": run.pk, "policy_version": run.policy_version}
    candidates_transition(candidate_ids=selected, action="propose", actor=actor, evidence=evidence)
    candidates_transition(candidate_ids=waiting, action="waitlist", actor=actor, evidence=evidence)
    audit_entry_create(
        actor=actor,
        action="proposal_create",
        target=proposal,
        detail={
            "screening_run": run.pk,
            "quota": proposal.quota,
            "budget": proposal.budget,
            "proposed": len(selected),
            "waitlisted": len(waiting),
        },
    )
    # Later stages that refuse candidates on evidence gathered before the proposal existed
    # (a confirmed match on another funder's list, Pasal 5 ayat (2) huruf f) act here, in
    # this transaction. They are named in settings, as the audit recorder is, because this
    # app imports no later stage.
    for hook in settings.PAYUNG_PROPOSAL_CREATED_HOOKS:
        import_string(hook)(proposal=proposal, actor=actor)
    return proposal


_CANDIDATE_COLUMNS = (
    "proposal_id",
    "person_id",
    "decision_id",
    "rank",
    "nik",
    "state",
    "reason_code",
    "reason",
    "corrected",
    "kpj",
    "carried_from_id",
    "updated_at",
)


def places_fill(
    *,
    proposal: Proposal,
    actor: Any,
    cause: dict[str, Any],
    from_month: date | None = None,
    wanted: int | None = None,
) -> list[int]:
    """Give every free place to the next waitlisted candidates in rank order.

    Free places are the quota minus the candidates holding one (proposed, verified,
    decreed), and never more than the rest of the pagu pays for from ``from_month`` (default:
    this month) to December (``forecast.places_affordable``, Pasal 6 ayat (2)): people
    covered for part of the year leave less money than their count suggests. ``wanted``
    asks for that many exactly, refused with the affordable number when the pagu cannot pay.
    Call inside the transaction that freed the places, with the proposal locked
    (``proposal_locked``). Returns the ids of the candidates now proposed, which form the
    next verification batch.
    """
    year = proposal.programme_year
    if from_month is None:
        from_month = places_from_month(programme_year=year, today=timezone.localdate())
    if wanted is not None:
        places_affordable_require(programme_year=year, from_month=from_month, wanted=wanted)
    held = proposal.candidates.filter(state__in=PLACE_HOLDING).count()
    free = proposal.quota - held
    if wanted is not None:
        free = min(free, wanted)
    if free > 0:
        free = min(free, places_affordable(programme_year=year, from_month=from_month))
    if free <= 0:
        return []
    ids = list(
        proposal.candidates.filter(state=CandidateState.WAITLISTED)
        .order_by("rank")
        .values_list("pk", flat=True)[:free]
    )
    candidates_transition(
        candidate_ids=ids,
        action="replace",
        actor=actor,
        reason_code="pengganti",
        reason=_("Menggantikan calon yang gugur (urutan daftar tunggu)."),
        evidence=cause,
    )
    return ids


@transaction.atomic
def candidate_exclude(*, candidate: Candidate, actor: Any, reason: str) -> list[int]:
    """Exclude a proposed or waitlisted candidate before approval, with a written reason.

    The reason is stored on the candidate and in its history, where the auditor reads it;
    the place it frees goes to the next on the waiting list. Returns the replacements' ids.
    """
    proposal = proposal_locked(candidate.proposal_id)
    if proposal.status != Proposal.Status.DRAFT:
        raise ValidationError(
            _("Usulan sudah disetujui; calon tidak dapat lagi dikecualikan."), code="frozen"
        )
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("Tuliskan alasan pengecualian (paling sedikit %(n)s karakter).")
            % {"n": MIN_REASON_LENGTH},
            code="reason",
        )
    candidates_transition(
        candidate_ids=[candidate.pk],
        action="exclude",
        actor=actor,
        reason_code="dikecualikan",
        reason=reason,
    )
    replacements = places_fill(
        proposal=proposal, actor=actor, cause={"excluded_candidate": candidate.pk}
    )
    audit_entry_create(
        actor=actor,
        action="candidate_exclude",
        target=candidate,
        detail={
            "proposal": proposal.pk,
            "rank": candidate.rank,
            "nik_masked": nik_domain.mask(candidate.nik),
            "reason": reason,
            "replacements": len(replacements),
        },
    )
    return replacements


@transaction.atomic
def proposal_approve(*, proposal: Proposal, actor: Any) -> Proposal:
    """Approve a draft proposal: a second person, not its proposer, and it freezes.

    The row lock makes concurrent approvals serial: the second finds it approved.
    """
    if not actor.has_perm("participants.approve_proposal"):
        raise PermissionDenied
    locked = proposal_locked(proposal.pk)
    if locked.status != Proposal.Status.DRAFT:
        raise ValidationError(_("Usulan ini sudah disetujui."), code="already_approved")
    if locked.proposed_by_id == actor.pk:
        raise ValidationError(
            _(
                "Prinsip empat mata: usulan harus disetujui oleh orang lain, bukan oleh "
                "pengusulnya."
            ),
            code="four_eyes",
        )
    locked.status = Proposal.Status.APPROVED
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    programme_year_advance(
        programme_year=locked.programme_year, status=ProgrammeYear.Status.VERIFIKASI
    )
    counts = dict(locked.candidates.values_list("state").annotate(n=Count("id")).order_by("state"))
    audit_entry_create(
        actor=actor,
        action="proposal_approve",
        target=locked,
        detail={"proposed_by": locked.proposed_by.username, "by_state": counts},
    )
    berita_acara_request(proposal=locked, actor=actor)
    return locked


def berita_acara_request(*, proposal: Proposal, actor: Any) -> list[Any]:
    """Queue the berita acara as DOCX and PDF: a draft to read before approval, the final
    one (made at approval) to sign. Each file is kept with its SHA-256."""
    from payung.documents.services import document_request

    if not actor.has_perm("participants.view_proposal"):
        raise PermissionDenied
    year = proposal.programme_year
    suffix = "" if proposal.status == Proposal.Status.APPROVED else "-draf"
    return [
        document_request(
            subject=proposal,
            programme_year=year,
            kind="berita_acara",
            title=_("Berita Acara Hasil Pendataan %(year)s") % {"year": year.year},
            fmt=fmt,
            builder=f"payung.participants.documents.berita_acara_{fmt}",
            file_name=f"berita-acara-pendataan-{year.year}{suffix}.{fmt}",
            actor=actor,
        )
        for fmt in ("docx", "pdf")
    ]


# --- past the decree: registration with BPJS, cover, ends (Pasal 8, design §2) --------------

#: Digits a KPJ may have when no registration profile says otherwise: 11 is common, the
#: length is not specified (issue 10), so a branch's profile may set its own range.
KPJ_LENGTHS: tuple[int, int] = (10, 15)


def _candidate_locked(candidate: Candidate) -> Candidate:
    """The candidate row, locked until the transaction ends, with its year: the state it is
    in now decides the move, and a second actor waits, then finds the state changed."""
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("proposal__programme_year")
        .get(pk=candidate.pk)
    )


def _within_year(candidate: Candidate, day: date, label: str) -> None:
    """Cover is bought per programme year (Pasal 6 ayat (2)): its dates stay inside it."""
    year = candidate.proposal.programme_year.year
    if day.year != year:
        raise ValidationError(
            _("%(label)s harus di dalam tahun program %(year)s.") % {"label": label, "year": year},
            code="outside_year",
        )


def kpj_normalise(
    *, kpj: str, min_length: int = KPJ_LENGTHS[0], max_length: int = KPJ_LENGTHS[1]
) -> str:
    """The KPJ as digits (spaces, dots and dashes dropped), ``min_length`` to ``max_length``
    of them (the registration profile's range, Pasal 8 ayat (3)), or a refusal worded for
    the operator (no value echoed back)."""
    digits = re.sub(r"[\s.\-]", "", kpj or "")
    if not (digits.isascii() and digits.isdigit() and min_length <= len(digits) <= max_length):
        raise ValidationError(
            _("Nomor KPJ harus berupa %(lo)s sampai %(hi)s angka sesuai jawaban BPJS.")
            % {"lo": min_length, "hi": max_length},
            code="kpj",
        )
    return digits


@transaction.atomic
def participant_register(
    *,
    candidate: Candidate,
    actor: Any,
    kpj: str,
    evidence: Mapping[str, Any],
    prepared_by: Any = None,
    kpj_lengths: tuple[int, int] = KPJ_LENGTHS,
) -> Candidate:
    """Record BPJS's registration answer for a decreed participant: DECREED → REGISTERED.

    Pasal 8 ayat (3): BPJS registers the participants the decree names and returns their
    card number (KPJ). ``evidence`` names the answer line (file name, its SHA-256, row) so
    the auditor can find it; it must hold no personal data, since the history shows it.
    The KPJ is kept on the candidate and only masked in the history and the audit trail.
    One KPJ belongs to one participant of the year: a second use is a wrong answer line.
    ``prepared_by`` is whoever sent the registration batch (four eyes when given);
    ``kpj_lengths`` the digits the batch's registration profile allows.
    """
    actor_require(actor=actor, perm=REGISTER_PERM)
    locked = _candidate_locked(candidate)
    number = kpj_normalise(kpj=kpj, min_length=kpj_lengths[0], max_length=kpj_lengths[1])
    if not evidence:
        raise ValidationError(
            _("Sebutkan bukti pendaftaran (berkas dan baris jawaban BPJS)."), code="evidence"
        )
    taken = (
        Candidate.objects.filter(
            proposal__programme_year_id=locked.proposal.programme_year_id, kpj=number
        )
        .exclude(pk=locked.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            _("Nomor KPJ ini sudah tercatat untuk peserta lain tahun ini."), code="kpj_taken"
        )
    masked = nik_domain.mask(number)
    candidates_transition(
        candidate_ids=[locked.pk],
        action="register",
        actor=actor,
        reason_code="terdaftar_bpjs",
        evidence={**evidence, "kpj_masked": masked},
        prepared_by=prepared_by,
    )
    Candidate.objects.filter(pk=locked.pk).update(kpj=number)
    audit_entry_create(
        actor=actor,
        action="participant_register",
        target=locked,
        detail={"nik_masked": nik_domain.mask(locked.nik), "kpj_masked": masked, **evidence},
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def participant_activate(
    *,
    candidate: Candidate,
    actor: Any,
    start: date,
    evidence: Mapping[str, Any] | None = None,
    reason: str = "",
) -> CoveragePeriod:
    """Start a registered participant's cover on the date BPJS gives: → ACTIVE, and a new
    coverage period from ``start``, which billing counts from (Pasal 9).

    An ended participant can be activated again (an end recorded in error, a withdrawal
    taken back) only with a written reason and once registered (a KPJ); the new period
    starts after the last one ended, so the same days are never paid twice.
    """
    actor_require(actor=actor, perm=ACTIVATE_PERM)
    locked = _candidate_locked(candidate)
    _within_year(locked, start, _("Tanggal mulai kepesertaan"))
    action = "activate"
    reason = " ".join(reason.split())
    if locked.state == CandidateState.ENDED:
        action = "reactivate"
        if not locked.kpj:
            raise ValidationError(
                _("Peserta ini belum pernah terdaftar di BPJS; daftarkan melalui keputusan baru."),
                code="never_registered",
            )
        if len(reason) < MIN_REASON_LENGTH:
            raise ValidationError(
                _("Tuliskan alasan kepesertaan diaktifkan kembali (paling sedikit %(n)s karakter).")
                % {"n": MIN_REASON_LENGTH},
                code="reason",
            )
    overlapping = CoveragePeriod.objects.filter(candidate_id=locked.pk).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if overlapping.exists():
        raise ValidationError(
            _(
                "Tanggal mulai bertumpang tindih dengan masa kepesertaan yang sudah tercatat; "
                "mulai harus sesudah masa sebelumnya berakhir."
            ),
            code="overlap",
        )
    candidates_transition(
        candidate_ids=[locked.pk],
        action=action,
        actor=actor,
        reason_code="aktif_kembali" if action == "reactivate" else "mulai_kepesertaan",
        reason=reason,
        evidence={**(evidence or {}), "cover_start": start.isoformat()},
    )
    period = CoveragePeriod(candidate=locked, start=start)
    period.full_clean()
    period.save()
    audit_entry_create(
        actor=actor,
        action="participant_activate",
        target=locked,
        detail={
            "nik_masked": nik_domain.mask(locked.nik),
            "start": start.isoformat(),
            "reactivated": action == "reactivate",
            "coverage_period": period.pk,
        },
    )
    return period


@transaction.atomic
def participant_end(
    *,
    candidate: Candidate,
    actor: Any,
    on: date,
    reason_code: str,
    reason: str = "",
    evidence: Mapping[str, Any] | None = None,
    prepared_by: Any = None,
) -> Candidate:
    """End a participant's cover on ``on`` (the last day covered) for one of the reasons of
    ``EndReason``: → ENDED, and the open coverage period, if any, closes on that day.

    Design §2: death, a move out of the regency, double funding found by linkage,
    ineligibility on re-check, withdrawal. A decreed or registered participant whose cover
    never started ends without a period. The place it frees is filled by an amending decree.
    """
    actor_require(actor=actor, perm=END_PERM)
    locked = _candidate_locked(candidate)
    if reason_code not in EndReason.values:
        raise ValidationError(_("Pilih alasan berakhirnya kepesertaan."), code="end_reason")
    _within_year(locked, on, _("Tanggal berakhir"))
    reason = " ".join(reason.split()) or str(EndReason(reason_code).label)
    period = None
    if locked.state == CandidateState.ACTIVE:
        period = (
            CoveragePeriod.objects.select_for_update()
            .filter(candidate_id=locked.pk, end__isnull=True)
            .first()
        )
        if period is not None and on < period.start:
            raise ValidationError(
                _("Tanggal berakhir tidak boleh sebelum tanggal mulai kepesertaan."),
                code="end_before_start",
            )
    candidates_transition(
        candidate_ids=[locked.pk],
        action="end",
        actor=actor,
        reason_code=reason_code,
        reason=reason,
        evidence={**(evidence or {}), "end_date": on.isoformat()},
        prepared_by=prepared_by,
    )
    if period is not None:
        period.end = on
        period.end_reason = reason_code
        period.full_clean()
        period.save(update_fields=["end", "end_reason"])
    audit_entry_create(
        actor=actor,
        action="participant_end",
        target=locked,
        detail={
            "nik_masked": nik_domain.mask(locked.nik),
            "end_date": on.isoformat(),
            "reason_code": reason_code,
            "coverage_period": period.pk if period is not None else None,
        },
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def participants_end(
    *,
    ends: Mapping[Candidate, str],
    actor: Any,
    on: date,
    reason_code: str,
    evidence: Mapping[str, Any] | None = None,
) -> int:
    """End many participants on one day for one reason code, each with its own reason text
    (``ends``: candidate -> reason); all or none. Returns how many were ended.

    What ``participant_end`` does for one, with the same checks, events, closed coverage
    periods and one audit entry per participant, but the candidates and their periods read
    and locked in one query each: the renewal ends last year's participants who no longer
    qualify (Pasal 5 ayat (2), about 180 in the demo) at once (issue 16 target 5).
    """
    actor_require(actor=actor, perm=END_PERM)
    if reason_code not in EndReason.values:
        raise ValidationError(_("Pilih alasan berakhirnya kepesertaan."), code="end_reason")
    ids = list(dict.fromkeys(c.pk for c in ends))
    if not ids:
        return 0
    reasons = {
        c.pk: " ".join(reason.split()) or str(EndReason(reason_code).label)
        for c, reason in ends.items()
    }
    locked: dict[int, Candidate] = {}
    periods: dict[int, CoveragePeriod] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        locked.update(
            (c.pk, c)
            for c in Candidate.objects.select_for_update(of=("self",))
            .select_related("proposal__programme_year")
            .filter(pk__in=chunk)
            .order_by("pk")
        )
        for period in (
            CoveragePeriod.objects.select_for_update()
            .filter(candidate_id__in=chunk, end__isnull=True)
            .order_by("pk")
        ):
            periods.setdefault(period.candidate_id, period)
    for pk in ids:
        _within_year(locked[pk], on, _("Tanggal berakhir"))
        period = periods.get(pk) if locked[pk].state == CandidateState.ACTIVE else None
        if period is not None and on < period.start:
            raise ValidationError(
                _("Tanggal berakhir tidak boleh sebelum tanggal mulai kepesertaan."),
                code="end_before_start",
            )
    closing = [
        periods[pk] for pk in ids if locked[pk].state == CandidateState.ACTIVE and pk in periods
    ]
    candidates_transition(
        candidate_ids=ids,
        action="end",
        actor=actor,
        reason_code=reason_code,
        evidence={**(evidence or {}), "end_date": on.isoformat()},
        per_candidate={pk: {"reason": reasons[pk]} for pk in ids},
    )
    # Every period closes on the same day for the same reason, both checked above (and the
    # end-not-before-start constraint holds in the database): one UPDATE per 900 periods.
    closed = {p.candidate_id: p.pk for p in closing}
    period_ids = list(closed.values())
    for i in range(0, len(period_ids), 900):
        CoveragePeriod.objects.filter(pk__in=period_ids[i : i + 900]).update(
            end=on, end_reason=reason_code
        )
    # One entry per participant as before, appended in one batch (the same chain).
    audit_entries_create(
        actor=actor,
        items=[
            AuditItem(
                action="participant_end",
                target=locked[pk],
                detail={
                    "nik_masked": nik_domain.mask(locked[pk].nik),
                    "end_date": on.isoformat(),
                    "reason_code": reason_code,
                    "coverage_period": closed.get(pk),
                },
            )
            for pk in ids
        ],
    )
    return len(ids)
