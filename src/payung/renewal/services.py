"""Writes of the next programme year's carry-over (issue 12, "the next programme year").

Three acts: linking the new proposal's carried-over candidates to last year's candidacy (a
hook of ``participants.proposal_create``, inside its transaction); ending last year's
participants who no longer qualify on 31 December with the failed articles as the reason;
and, once the new decree is signed (Pasal 7 ayat (4)), registering the carried-over with the
KPJ they already hold and starting their cover on 1 January (or the PKS's start), so the
cover does not lapse (a lapse costs the heirs the full JKM benefit for 3 months). Every act
is audited; the details hold counts and masked numbers only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.bulk import bulk_set
from payung.participants.models import Candidate, CandidateEvent, CandidateState, EndReason
from payung.participants.services import (
    participant_activate,
    participant_register,
    participants_end,
)
from payung.participants.transitions import ACTIVATE_PERM, END_PERM, REGISTER_PERM
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import cooperation_agreement_get
from payung.renewal import selectors


def proposal_carried_link(*, proposal: Any, actor: Any) -> int:
    """Link each candidate of a carried-over year's new proposal to last year's candidacy
    of the same NIK (``PAYUNG_PROPOSAL_CREATED_HOOKS``); returns how many were linked.

    Runs inside ``proposal_create``'s transaction. The link is what keeps the KPJ and lets
    the decree list carried-over and new participants apart.
    """
    year = proposal.programme_year
    if year.carried_from_id is None:
        return 0
    previous = dict(selectors.previous_participants(programme_year=year).values_list("nik", "pk"))
    if not previous:
        return 0
    # One prepared UPDATE per linked candidate rather than bulk_update's CASE expression
    # compiled in Python (5 000 in the demo, issue 16).
    linked = {
        pk: previous[nik]
        for pk, nik in proposal.candidates.values_list("pk", "nik")
        if nik in previous
    }
    bulk_set(Candidate, "carried_from", linked)
    audit_entry_create(
        actor=actor,
        action="renewal_carried_link",
        target=proposal,
        detail={
            "carried_from_year": year.carried_from.year,
            "previous_participants": len(previous),
            "linked": len(linked),
        },
    )
    return len(linked)


@transaction.atomic
def renewal_not_qualifying_end(*, programme_year: ProgrammeYear, actor: Any) -> int:
    """End, on 31 December of last year, every participant of last year who no longer
    qualifies in this year's screening (ineligible, invalid, or not in the new extract),
    with reason ``tidak_memenuhi_syarat`` and the failed articles as the reason text.

    Pasal 5 ayat (2) is judged again at each year's screening; cover is bought per year
    (Pasal 6 ayat (2)), so last year's cover runs to its end and is not renewed. Returns
    how many were ended.
    """
    if actor is None or not actor.has_perm(END_PERM):
        raise PermissionDenied
    source = programme_year.carried_from
    if source is None:
        raise ValidationError(
            _("Tahun program ini tidak melanjutkan peserta tahun sebelumnya."), code="no_source"
        )
    run = selectors.renewal_run(programme_year=programme_year)
    if run is None:
        raise ValidationError(
            _("Belum ada penyaringan tahun %(year)s yang selesai.") % {"year": programme_year.year},
            code="no_run",
        )
    rows = selectors.not_qualifying_list(programme_year=programme_year, run=run)
    if not rows:
        raise ValidationError(
            _("Tidak ada peserta tahun %(year)s yang perlu diakhiri.") % {"year": source.year},
            code="nothing",
        )
    last_day = date(source.year, 12, 31)
    evidence = {selectors.EVIDENCE_KEY: programme_year.pk, "screening_run": run.pk}
    participants_end(
        ends={row.candidate: row.reason for row in rows},
        actor=actor,
        on=last_day,
        reason_code=EndReason.TIDAK_MEMENUHI_SYARAT,
        evidence=evidence,
    )
    audit_entry_create(
        actor=actor,
        action="renewal_not_qualifying_end",
        target=programme_year,
        detail={
            "carried_from_year": source.year,
            "screening_run": run.pk,
            "end_date": last_day.isoformat(),
            "ended": len(rows),
        },
    )
    return len(rows)


def continuity_start(*, programme_year: ProgrammeYear) -> date:
    """1 January of the year, or the PKS's agreed cover start when it lies in the year
    (Pasal 6 ayat (4)-(5))."""
    agreement = cooperation_agreement_get(programme_year=programme_year)
    if agreement is not None and agreement.coverage_start.year == programme_year.year:
        return agreement.coverage_start
    return date(programme_year.year, 1, 1)


def _decree_evidence(candidate: Candidate) -> dict[str, Any]:
    """The signed decree that named the candidate this year, from its history."""
    event = (
        CandidateEvent.objects.filter(candidate=candidate, to_state=CandidateState.DECREED)
        .order_by("-at", "-pk")
        .first()
    )
    found = event.evidence if event is not None else {}
    return {"decree": found.get("decree"), "decree_number": found.get("number", "")}


@transaction.atomic
def renewal_continuity_activate(*, programme_year: ProgrammeYear, actor: Any) -> int:
    """Register every carried-over participant decreed this year with the KPJ they already
    hold and start their cover from ``continuity_start``: DECREED → REGISTERED → ACTIVE.

    No new BPJS registration (Pasal 8 ayat (1)-(3)) is needed for a person BPJS already
    covers: the evidence names last year's candidacy and this year's decree instead of a
    BPJS answer line. Returns how many were continued.
    """
    if actor is None or not (actor.has_perm(REGISTER_PERM) and actor.has_perm(ACTIVATE_PERM)):
        raise PermissionDenied
    due = list(selectors.continuity_due(programme_year=programme_year))
    if not due:
        raise ValidationError(
            _(
                "Tidak ada peserta lanjutan yang sudah ditetapkan dan belum dilanjutkan "
                "kepesertaannya (keputusan peserta tahun ini harus sudah ditandatangani)."
            ),
            code="nothing",
        )
    start = continuity_start(programme_year=programme_year)
    source_year = programme_year.carried_from.year if programme_year.carried_from else None
    for candidate in due:
        earlier = candidate.carried_from
        evidence = {
            "continuity": True,
            "carried_from_candidate": earlier.pk,
            "carried_from_year": source_year,
            **_decree_evidence(candidate),
        }
        kpj = earlier.kpj
        participant_register(
            candidate=candidate,
            actor=actor,
            kpj=kpj,
            evidence=evidence,
            kpj_lengths=(len(kpj), len(kpj)),
        )
        participant_activate(candidate=candidate, actor=actor, start=start, evidence=evidence)
    audit_entry_create(
        actor=actor,
        action="renewal_continuity_activate",
        target=programme_year,
        detail={
            "carried_from_year": source_year,
            "start": start.isoformat(),
            "continued": len(due),
        },
    )
    return len(due)
