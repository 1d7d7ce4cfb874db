"""Writes of the proposal stage: propose from a screening run, exclude, approve, fill places.

Pasal 7 ayat (3): Dinas Sosial puts the result of the pendataan forward for Disdukcapil's
verification; Pasal 6 ayat (2): only as many as the pagu pays for. The rest wait in rank
order, and every place freed (an exclusion, a rejection) goes to the next of them, never
over the pagu and never skipping a rank. Every write is in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.models import JobStatus
from payung.domain import nik as nik_domain
from payung.participants.models import PLACE_HOLDING, Candidate, CandidateState, Proposal
from payung.participants.transitions import candidates_transition
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
    created = Candidate.objects.bulk_create(
        [
            Candidate(proposal=proposal, person_id=person, decision_id=decision, rank=rank, nik=nik)
            for decision, person, nik, rank, _status in rows
        ],
        batch_size=5000,
    )
    selected = [c.pk for c, row in zip(created, rows, strict=True) if row[4] == "selected"]
    waiting = [c.pk for c, row in zip(created, rows, strict=True) if row[4] != "selected"]
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
    return proposal


def places_fill(*, proposal: Proposal, actor: Any, cause: dict[str, Any]) -> list[int]:
    """Give every free place to the next waitlisted candidates in rank order.

    Free places are the quota minus the candidates holding one (proposed, verified,
    decreed). Call inside the transaction that freed the places, with the proposal locked
    (``proposal_locked``). Returns the ids of the candidates now proposed, which form the
    next verification batch.
    """
    held = proposal.candidates.filter(state__in=PLACE_HOLDING).count()
    free = proposal.quota - held
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
