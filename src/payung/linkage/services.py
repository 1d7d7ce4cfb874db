"""Another funder's list, linked against the year's extract; a person decides each match
(Pasal 5 ayat (2) huruf f; issue 13).

The web request stores the list (streamed, hashed, capped, 0600) and queues the job; the
worker reads it with the linkage engine's reader, links it to the persons of the year's
extract with Splink (``engine.link_lists``) and stores the pairs at or above the review
threshold with their evidence and the other row's fields, in one transaction with the job's
"done". The uploaded file is then deleted (its SHA-256 stays).

A model proposes, a person decides: confirming a match is what refuses or ends someone's
cover, and it is audited with the decider. Before the decree a confirmed match takes the
person out of the proposal (``double_funding``: rejected under Pasal 5 ayat (2) huruf f,
the list named as evidence) and the place goes to the next on the waiting list; after the
decree it ends the participation (``participant_end``, reason ``dana_ganda``), whose place an
amending decree fills; before the proposal exists it waits and is applied when the
proposal is made (``proposal_matches_apply``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.jobs import JobLost, job_enqueue, job_lease_hold, job_write
from payung.core.models import JobStatus
from payung.core.permissions import actor_require
from payung.core.uploads import upload_store
from payung.engine import ColumnMapping, ReadError, link_lists, list_read
from payung.linkage.models import Funder, ListMatch, MatchEffect, OtherList
from payung.participants.models import Candidate, CandidateState, EndReason, Proposal
from payung.participants.services import participant_end, places_fill, proposal_locked
from payung.participants.transitions import END_PERM, candidates_transition
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, PairDecision, Person
from payung.registry.pairs import pair_decision_record, pairs_from_result
from payung.registry.selectors import persons_as_arrow

logger = logging.getLogger(__name__)

IMPORT_PERM: Final = "linkage.import_other_list"
DECIDE_PERM: Final = "linkage.decide_match"
VIEW_PERM: Final = "linkage.view_otherlist"
#: Largest list accepted: a province's list of a million BPU participants is ~100 MB as CSV.
MAX_LIST_BYTES: Final = 300 * 1024 * 1024
#: Folder under MEDIA_ROOT where a list waits for its background job (0600 files).
LIST_FOLDER: Final = "daftar-lain"
#: Splink's sampling seed: fixed, so the same list linked twice gives the same pairs.
SEED: Final = 1
#: Reason code of a candidate refused on a confirmed match (shown as the article).
REASON_CODE: Final = "pasal_5_2_f"

#: Candidate states a confirmed match takes out of the proposal, and those it ends.
BEFORE_DECREE: Final = frozenset(
    {CandidateState.SCREENED, CandidateState.PROPOSED, CandidateState.WAITLISTED,
     CandidateState.VERIFIED}
)  # fmt: skip
AFTER_DECREE: Final = frozenset(
    {CandidateState.DECREED, CandidateState.REGISTERED, CandidateState.ACTIVE}
)
#: The other row's fields kept beside a match (canonical linkage column -> model field).
OTHER_FIELDS: Final = {
    "nik": "other_nik",
    "nama": "other_nama",
    "tanggal_lahir": "other_tanggal_lahir",
    "jenis_kelamin": "other_jenis_kelamin",
    "kode_desa": "other_kode_desa",
    "no_kk": "other_no_kk",
}


def other_list_create(
    *,
    programme_year: ProgrammeYear,
    source_name: str,
    funder: str,
    list_date: date,
    uploaded: Any,
    actor: Any,
    mapping: Mapping[str, str] | None = None,
) -> OtherList:
    """Store another funder's list and queue its linkage; the worker does the rest.

    Refused at once when the year has no extract to link against, or the same file is
    already in the year. Audited with the list's name, funder, date, file name, size and
    SHA-256 only.
    """
    actor_require(actor=actor, perm=IMPORT_PERM)
    source_name = " ".join(source_name.split())
    if not source_name:
        raise ValidationError(_("Nama daftar wajib diisi."), code="source_name")
    if funder not in Funder.values:
        raise ValidationError(_("Pilih sumber dana daftar ini."), code="funder")
    if linked_import(programme_year=programme_year) is None:
        raise ValidationError(
            _(
                "Tahun program ini belum mempunyai ekstrak DTSEN yang selesai diimpor; "
                "daftar lain dicocokkan dengan ekstrak itu."
            ),
            code="no_extract",
        )
    upload = upload_store(
        uploaded=uploaded,
        folder=LIST_FOLDER,
        max_bytes=MAX_LIST_BYTES,
        default_name="daftar.csv",
        too_large=_("Berkas daftar terlalu besar (maksimal %(limit)s)."),
    )
    earlier = (
        OtherList.objects.filter(programme_year=programme_year, sha256=upload.sha256)
        .exclude(status=JobStatus.FAILED)
        .first()
    )
    if earlier is not None:
        (Path(settings.MEDIA_ROOT) / upload.stored_path).unlink(missing_ok=True)
        raise ValidationError(
            _("Berkas yang sama sudah diunggah ke tahun ini sebagai daftar \u201c%(name)s\u201d.")
            % {"name": earlier.source_name},
            code="duplicate",
        )
    with transaction.atomic():
        job = OtherList.objects.create(
            programme_year=programme_year,
            source_name=source_name,
            funder=funder,
            list_date=list_date,
            mapping={str(k): str(v) for k, v in (mapping or {}).items()},
            file_name=upload.name,
            sha256=upload.sha256,
            size_bytes=upload.size,
            stored_path=upload.stored_path,
            uploaded_by=actor,
        )
        audit_entry_create(
            actor=actor,
            action="other_list_upload",
            target=job,
            detail={
                "source_name": source_name,
                "funder": funder,
                "list_date": list_date.isoformat(),
                "file_name": upload.name,
                "sha256": upload.sha256,
                "size_bytes": upload.size,
            },
        )
        job_enqueue(job=job)
    return job


def linked_import(*, programme_year: ProgrammeYear) -> DtsenImport | None:
    """The extract a list is linked against: the one the year's proposal was screened from
    (its persons are the candidates), else the latest finished import of the year."""
    proposal = (
        Proposal.objects.filter(programme_year=programme_year)
        .select_related("screening_run__dtsen_import")
        .first()
    )
    if proposal is not None and proposal.screening_run is not None:
        return proposal.screening_run.dtsen_import
    return (
        DtsenImport.objects.filter(programme_year=programme_year, status=JobStatus.DONE)
        .order_by("-created_at", "-pk")
        .first()
    )


def other_list_execute(*, other_list: OtherList) -> OtherList:
    """Read the list, link it to the year's extract and store the pairs, all or nothing.

    A list that cannot be read fails the job with the reader's Indonesian sentence (naming
    the uploaded file, never a cell). Any other error fails it with a generic message; only
    the exception's class name reaches the log.
    """
    job = other_list
    job_write(job=job, status=JobStatus.RUNNING, progress=0)
    path = Path(settings.MEDIA_ROOT) / job.stored_path
    try:
        extract = linked_import(programme_year=job.programme_year)
        if extract is None:
            _fail(job, "no_extract", _("Tahun program ini belum mempunyai ekstrak DTSEN."))
            return job
        mapping = ColumnMapping(renames=job.mapping) if job.mapping else None
        try:
            other = list_read(path, mapping=mapping, name=job.file_name)
        except ReadError as exc:
            wording = exc.worded(file=job.file_name, mapping=_("pemetaan kolom pada formulir"))
            _fail(job, "refused", wording)
            path.unlink(missing_ok=True)
            return job
        job_write(job=job, progress=20)
        result = link_lists(a=persons_as_arrow(dtsen_import=extract), b=other, seed=SEED)
        job_write(job=job, progress=80)
        pairs = pairs_from_result(result)
        person_ids = dict(
            Person.objects.filter(
                dtsen_import=extract, row__in={p.first for p in pairs}
            ).values_list("row", "pk")
        )
        # Only the paired rows become Python objects: a province's list may hold a million.
        wanted = pa.array(sorted({p.second for p in pairs}), pa.int64())
        paired = other.filter(pc.is_in(other.column("row"), value_set=wanted))
        other_rows = {row["row"]: row for row in paired.to_pylist()}
        with transaction.atomic():
            job_lease_hold(job=job)
            ListMatch.objects.bulk_create(
                [
                    ListMatch(
                        other_list=job,
                        person_id=person_ids[p.first],
                        other_row=p.second,
                        probability=p.probability,
                        band=p.band,
                        evidence=p.evidence,
                        **{
                            field: (other_rows[p.second].get(column) or "")[:200]
                            for column, field in OTHER_FIELDS.items()
                        },
                    )
                    for p in pairs
                ],
                batch_size=2000,
            )
            summary = dict(result.summary)
            job_write(
                job=job,
                status=JobStatus.DONE,
                progress=100,
                dtsen_import=extract,
                row_count=other.num_rows,
                match_count=sum(p.band == ListMatch.Band.MATCH for p in pairs),
                review_count=sum(p.band == ListMatch.Band.REVIEW for p in pairs),
                summary=summary,
                stored_path="",
                finished_at=timezone.now(),
            )
            audit_entry_create(
                actor=job.uploaded_by,
                action="other_list_linked",
                target=job,
                detail={
                    "rows": other.num_rows,
                    "matches": job.match_count,
                    "review": job.review_count,
                    "dtsen_import": extract.pk,
                },
            )
        path.unlink(missing_ok=True)
    except JobLost:
        return job
    except Exception as exc:  # a bug or the machine: fail the job, keep the file for a retry
        logger.error("other list %s failed: %s", job.pk, type(exc).__name__)
        _fail(
            job,
            "internal",
            _("Terjadi kesalahan saat mencocokkan daftar. Silakan ulangi atau hubungi admin."),
        )
    return job


def _fail(job: OtherList, code: str, message: str) -> None:
    job_write(
        job=job,
        status=JobStatus.FAILED,
        error_code=code,
        error_message=message,
        finished_at=timezone.now(),
    )


def _reason(other_list: OtherList) -> str:
    """The sentence on the candidate and in its history: the article and the list."""
    return _(
        "Pasal 5 ayat (2) huruf f: iurannya sudah dibayar dari %(funder)s "
        "(daftar \u201c%(name)s\u201d, %(date)s)."
    ) % {
        "funder": other_list.get_funder_display(),
        "name": other_list.source_name,
        "date": other_list.list_date.isoformat(),
    }


def _evidence(match: ListMatch) -> dict[str, Any]:
    other_list = match.other_list
    return {
        "other_list": other_list.pk,
        "list_match": match.pk,
        "source_name": other_list.source_name,
        "funder": other_list.funder,
        "list_date": other_list.list_date.isoformat(),
        "list_sha256": other_list.sha256,
        "other_row": match.other_row,
        "match_probability": str(match.probability),
    }


@transaction.atomic
def list_match_decide(*, match: ListMatch, decision: str, note: str, actor: Any) -> ListMatch:
    """A person's decision on one match, and its effect on the person's place.

    Confirmed before the decree: the candidate is refused under Pasal 5 ayat (2) huruf f and
    the next on the waiting list takes the place (Pasal 6 ayat (2)); after the decree: the
    participation ends today (reason ``dana_ganda``), which only an operator who may end
    cover can do; before any proposal: applied when the proposal is made. Rejected: nothing
    changes but the record of who said so and why.
    """
    actor_require(actor=actor, perm=DECIDE_PERM)
    locked = (
        ListMatch.objects.select_for_update(of=("self",))
        .select_related("other_list__programme_year")
        .get(pk=match.pk)
    )
    candidate = (
        Candidate.objects.filter(
            proposal__programme_year=locked.other_list.programme_year, person_id=locked.person_id
        )
        .only("pk", "state", "proposal_id")
        .first()
    )
    if (
        decision == PairDecision.CONFIRMED
        and candidate is not None
        and candidate.state in AFTER_DECREE
        and not actor.has_perm(END_PERM)
    ):
        raise ValidationError(
            _(
                "Orang ini sudah ditetapkan sebagai peserta; mengonfirmasi kecocokan akan "
                "mengakhiri kepesertaannya, dan itu hanya dapat dilakukan oleh petugas yang "
                "berwenang mengakhiri kepesertaan."
            ),
            code="needs_end_permission",
        )
    pair_decision_record(pair=locked, decision=decision, note=note, actor=actor)
    effect = MatchEffect.NONE
    replacements: list[int] = []
    if decision == PairDecision.CONFIRMED:
        effect, replacements = _apply(locked, candidate, actor)
        locked.effect = effect
        locked.save(update_fields=["effect"])
    audit_entry_create(
        actor=actor,
        action="list_match_decide",
        target=locked,
        detail={
            "other_list": locked.other_list_id,
            "decision": decision,
            "effect": effect,
            "candidate": candidate.pk if candidate is not None else None,
            "replacements": len(replacements),
        },
    )
    return locked


def _apply(match: ListMatch, candidate: Candidate | None, actor: Any) -> tuple[str, list[int]]:
    """Refuse or end the person a confirmed match names; return the effect and the ids of
    the waiting-list candidates who took the place."""
    year = match.other_list.programme_year
    if candidate is None:
        has_proposal = Proposal.objects.filter(programme_year=year).exists()
        return (MatchEffect.NOT_CANDIDATE if has_proposal else MatchEffect.AWAITING_PROPOSAL), []
    if candidate.state in BEFORE_DECREE:
        proposal = proposal_locked(candidate.proposal_id)
        candidates_transition(
            candidate_ids=[candidate.pk],
            action="double_funding",
            actor=actor,
            reason_code=REASON_CODE,
            reason=_reason(match.other_list),
            evidence=_evidence(match),
        )
        replacements = places_fill(proposal=proposal, actor=actor, cause={"list_match": match.pk})
        return MatchEffect.EXCLUDED, replacements
    if candidate.state in AFTER_DECREE:
        today = timezone.localdate()
        last_day = date(year.year, 12, 31)
        participant_end(
            candidate=candidate,
            actor=actor,
            on=min(max(today, date(year.year, 1, 1)), last_day),
            reason_code=EndReason.DANA_GANDA,
            reason=_reason(match.other_list),
            evidence=_evidence(match),
        )
        return MatchEffect.ENDED, []
    return MatchEffect.ALREADY_OUT, []


def proposal_matches_apply(*, proposal: Proposal, actor: Any) -> list[int]:
    """Apply the matches confirmed before this proposal existed (settings'
    ``PAYUNG_PROPOSAL_CREATED_HOOKS``, called inside ``proposal_create``): each such person
    is refused under Pasal 5 ayat (2) huruf f and the places go down the waiting list."""
    waiting = list(
        ListMatch.objects.filter(
            other_list__programme_year_id=proposal.programme_year_id,
            decision=PairDecision.CONFIRMED,
            effect=MatchEffect.AWAITING_PROPOSAL,
        ).select_related("other_list")
    )
    if not waiting:
        return []
    candidates = dict(
        proposal.candidates.filter(person_id__in=[m.person_id for m in waiting]).values_list(
            "person_id", "pk"
        )
    )
    refused: list[int] = []
    for match in waiting:
        candidate_id = candidates.get(match.person_id)
        if candidate_id is None:
            match.effect = MatchEffect.NOT_CANDIDATE
        elif candidate_id in refused:  # on two lists, or twice on one: refused once
            match.effect = MatchEffect.EXCLUDED
        else:
            candidates_transition(
                candidate_ids=[candidate_id],
                action="double_funding",
                actor=actor,
                reason_code=REASON_CODE,
                reason=_reason(match.other_list),
                evidence=_evidence(match),
            )
            refused.append(candidate_id)
            match.effect = MatchEffect.EXCLUDED
        match.save(update_fields=["effect"])
    replacements = places_fill(
        proposal=proposal_locked(proposal.pk), actor=actor, cause={"list_matches": len(refused)}
    ) if refused else []  # fmt: skip
    audit_entry_create(
        actor=actor,
        action="proposal_matches_apply",
        target=proposal,
        detail={"refused": len(refused), "replacements": len(replacements)},
    )
    return refused
