"""The one gate every change of a candidate's state passes (issue: state and history).

The table says, for each action, which states it may start from, where it leads and which
permission it needs; ``candidates_transition`` applies it to one or many candidates inside
the caller's transaction, with the rows locked, and writes one history event per candidate.
Two people acting on the same candidate at once cannot both succeed: the second finds the
state already changed and is refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung.core.bulk import bulk_load
from payung.participants.models import Candidate, CandidateEvent, CandidateState

S = CandidateState


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    #: Any one of these permissions allows the move.
    permissions: tuple[str, ...]


PROPOSE_PERM = "participants.propose_candidates"
VERIFY_PERM = "verification.record_verification"
DECREE_PERM = "decrees.record_signed_decree"
REGISTER_PERM = "participants.register_participant"
ACTIVATE_PERM = "participants.activate_participant"
END_PERM = "participants.end_participant"
ROSTER_PERM = "enrollment.import_roster"
MATCH_PERM = "linkage.decide_match"
APPEAL_PERM = "appeals.answer_appeal"

MOVES: Final[dict[str, Move]] = {
    # Pasal 7 ayat (3): Dinas Sosial puts forward what the pagu pays for (Pasal 6 ayat (2)).
    "propose": Move(frozenset({S.SCREENED}), S.PROPOSED, (PROPOSE_PERM,)),
    "waitlist": Move(frozenset({S.SCREENED}), S.WAITLISTED, (PROPOSE_PERM,)),
    # A freed place goes to the next on the waiting list, whoever's act freed it (an end,
    # BPJS's refusal of a registration included: Pasal 6 ayat (2), Pasal 8 ayat (3)).
    "replace": Move(
        frozenset({S.WAITLISTED}), S.PROPOSED, (PROPOSE_PERM, VERIFY_PERM, END_PERM, MATCH_PERM)
    ),
    # A replacement round re-checks each next-in-rank against the year's pinned policy and
    # as-of date (Pasal 5 ayat (2), Pasal 6 ayat (2)); one who no longer passes is refused
    # with the failed articles, and the round takes the next rank.
    "recheck_fail": Move(frozenset({S.WAITLISTED}), S.REJECTED, (PROPOSE_PERM,)),
    # Before approval, with a written reason.
    "exclude": Move(frozenset({S.PROPOSED, S.WAITLISTED}), S.REJECTED, (PROPOSE_PERM,)),
    # Pasal 5 ayat (2) huruf f: a person confirmed on another funder's list before the
    # decree (a person decides the match, the engine only proposes it).
    "double_funding": Move(
        frozenset({S.SCREENED, S.PROPOSED, S.WAITLISTED, S.VERIFIED}),
        S.REJECTED,
        (MATCH_PERM, PROPOSE_PERM),
    ),
    # Pasal 7 ayat (3): Disdukcapil's verification and validation.
    "verify": Move(frozenset({S.PROPOSED}), S.VERIFIED, (VERIFY_PERM,)),
    "reject": Move(frozenset({S.PROPOSED}), S.REJECTED, (VERIFY_PERM,)),
    # Pasal 7 ayat (4): the signed decree of the Regent.
    "decree": Move(frozenset({S.VERIFIED}), S.DECREED, (DECREE_PERM,)),
    # Pasal 8 ayat (3): BPJS answers the registration with a KPJ.
    "register": Move(frozenset({S.DECREED}), S.REGISTERED, (REGISTER_PERM,)),
    # Cover starts on the date BPJS gives; opens a coverage period.
    "activate": Move(frozenset({S.REGISTERED}), S.ACTIVE, (ACTIVATE_PERM,)),
    # Cover resumes after an end found wrong or undone (same KPJ); opens a new period.
    "reactivate": Move(frozenset({S.ENDED}), S.ACTIVE, (ACTIVATE_PERM,)),
    # Death, move, double funding, ineligible on re-check, withdrawal: closes the period.
    "end": Move(frozenset({S.DECREED, S.REGISTERED, S.ACTIVE}), S.ENDED, (END_PERM,)),
    # Participants the regency had before Payung, moved in from its roster ("dipindahkan
    # dari data lama"): still covered, or already ended with the roster's end date.
    "migrate_roster": Move(frozenset({S.SCREENED}), S.ACTIVE, (ROSTER_PERM,)),
    "migrate_roster_ended": Move(frozenset({S.SCREENED}), S.ENDED, (ROSTER_PERM,)),
    # An appeal (sanggahan) whose corrected data passes every criterion under the year's
    # pinned policy: the person waits at their rank (or ahead of the waiting list for the
    # next replacement round, policy.cycle.appeal_eligible_to); a waiting person may be
    # moved to a new rank. Refused and rejected people may appeal (issue 12).
    "appeal_waitlist": Move(
        frozenset({S.SCREENED, S.REJECTED, S.WAITLISTED}), S.WAITLISTED, (APPEAL_PERM,)
    ),
    # An appeal whose corrected data fails a criterion takes a waiting person off the list:
    # the person's own evidence shows the Pasal 5 criterion is not met.
    "appeal_refuse": Move(frozenset({S.WAITLISTED}), S.REJECTED, (APPEAL_PERM,)),
}


@dataclass(frozen=True)
class MoveFacts:
    """What a standard operating procedure (SOP) says about a move that the table above does
    not: the stage of the year it belongs to, the article it serves, what the acting agency
    receives and hands on (Pekalongan minutes item 5: SOPs generated from this table)."""

    stage: str
    article: str
    input: Any
    output: Any
    #: Name of a deadline in ``payung.procedures.workflow`` (read from the pinned policy).
    deadline: str = ""


F = MoveFacts
L = gettext_lazy

MOVE_FACTS: Final[dict[str, MoveFacts]] = {
    "propose": F("pendataan", "Pasal 7 ayat (3)", L("hasil penyaringan"), L("usulan calon")),
    "waitlist": F("pendataan", "Pasal 6 ayat (2)", L("hasil penyaringan"), L("daftar tunggu")),
    "exclude": F("pendataan", "Pasal 7 ayat (3)", L("usulan calon"), L("calon dikeluarkan")),
    "double_funding": F(
        "pendataan", "Pasal 5 ayat (2) huruf f", L("daftar pemberi iuran lain"), L("calon ditolak")
    ),
    "verify": F("verifikasi", "Pasal 7 ayat (3)", L("berkas usulan"), L("berkas jawaban")),
    "reject": F("verifikasi", "Pasal 7 ayat (3)", L("berkas usulan"), L("calon ditolak")),
    "decree": F(
        "penetapan", "Pasal 7 ayat (4)", L("rancangan keputusan"), L("keputusan bertanda tangan")
    ),
    "register": F("pendaftaran", "Pasal 8 ayat (3)", L("berkas pendaftaran"), L("nomor KPJ")),
    "activate": F(
        "pendaftaran", "Pasal 8 ayat (3)", L("tanggal mulai dari BPJS"), L("peserta aktif")
    ),
    "migrate_roster": F(
        "pendaftaran", "Pasal 8 ayat (5)", L("daftar peserta lama"), L("peserta aktif")
    ),
    "migrate_roster_ended": F(
        "pendaftaran", "Pasal 8 ayat (5)", L("daftar peserta lama"), L("peserta berakhir")
    ),
    "end": F("perubahan", "Pasal 7 ayat (4)", L("bukti akhir kepesertaan"), L("peserta berakhir")),
    "reactivate": F(
        "perubahan", "Pasal 8 ayat (3)", L("bukti pembatalan akhir"), L("peserta aktif")
    ),
    "replace": F(
        "perubahan", "Pasal 6 ayat (2)", L("tempat kosong dan sisa pagu"), L("usulan pengganti")
    ),
    "recheck_fail": F(
        "perubahan", "Pasal 5 ayat (2)", L("data calon pengganti"), L("calon ditolak")
    ),
    "appeal_waitlist": F(
        "sanggahan", "Pasal 7 ayat (2)", L("sanggahan dan bukti"), L("daftar tunggu"), "appeal"
    ),
    "appeal_refuse": F(
        "sanggahan", "Pasal 5 ayat (2)", L("sanggahan dan bukti"), L("calon ditolak"), "appeal"
    ),
}


def candidates_transition(
    *,
    candidate_ids: Sequence[int],
    action: str,
    actor: Any,
    reason_code: str = "",
    reason: str = "",
    evidence: dict[str, Any] | None = None,
    prepared_by: Any = None,
    per_candidate: dict[int, dict[str, Any]] | None = None,
) -> int:
    """Move the candidates by ``action``, all or none; return how many moved.

    Checks, in order: the actor's permission for the action; four eyes (``prepared_by``,
    when the step approves someone else's work, must not be the actor); that every candidate
    is in a state the action may start from. ``per_candidate`` adds evidence or a reason
    for single candidates (``{"reason": ..., "evidence": {...}}``).
    """
    move = MOVES[action]
    if actor is None or not any(actor.has_perm(p) for p in move.permissions):
        raise PermissionDenied
    if prepared_by is not None and getattr(prepared_by, "pk", None) == actor.pk:
        raise ValidationError(
            _(
                "Prinsip empat mata: langkah ini harus disetujui oleh orang lain, bukan oleh "
                "yang menyiapkannya."
            ),
            code="four_eyes",
        )
    ids = list(dict.fromkeys(candidate_ids))
    if not ids:
        return 0
    with transaction.atomic():
        found: dict[int, str] = {}
        for chunk in _chunks(ids):
            found.update(
                Candidate.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", "state")
            )
        wrong = [pk for pk in ids if found.get(pk) not in move.sources]
        if wrong:
            raise ValidationError(
                _(
                    "%(n)s calon tidak dalam status yang memungkinkan langkah ini (mungkin "
                    "baru saja diubah orang lain); muat ulang halaman."
                )
                % {"n": len(wrong)},
                code="wrong_state",
            )
        extra = per_candidate or {}
        now = timezone.now()
        for chunk in _chunks(ids):
            Candidate.objects.filter(pk__in=chunk).update(
                state=move.target, reason_code=reason_code, reason=reason, updated_at=now
            )
        # Candidates with a reason of their own: one UPDATE per distinct text (the ends of a
        # renewal share a handful of texts among hundreds of candidates).
        own_reasons: dict[str, list[int]] = {}
        for pk in ids:
            own = extra.get(pk, {}).get("reason")
            if own is not None and own != reason:
                own_reasons.setdefault(own, []).append(pk)
        for own, group in own_reasons.items():
            for chunk in _chunks(group):
                Candidate.objects.filter(pk__in=chunk).update(reason=own)
        # The events go in through core.bulk (multi-row INSERTs / COPY): the same values
        # bulk_create would store (the JSON as Django encodes it, ``at`` the move's time), at
        # a fraction of its per-field cost when a screening or a registration moves thousands.
        at = connection.ops.adapt_datetimefield_value(now)
        bulk_load(
            CandidateEvent,
            _EVENT_COLUMNS,
            (
                (
                    pk,
                    str(found[pk]),
                    str(move.target),
                    actor.pk,
                    at,
                    str(reason_code),
                    str(extra.get(pk, {}).get("reason", reason)),
                    json.dumps({**(evidence or {}), **extra.get(pk, {}).get("evidence", {})}),
                )
                for pk in ids
            ),
        )
    return len(ids)


_EVENT_COLUMNS: Final = (
    "candidate_id",
    "from_state",
    "to_state",
    "actor_id",
    "at",
    "reason_code",
    "reason",
    "evidence",
)


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    """Id lists small enough for any database's limit on query parameters."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]
