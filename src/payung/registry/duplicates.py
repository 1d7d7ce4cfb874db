"""The same person twice within one DTSEN extract, found by the linkage engine and decided by
an operator (issue 13).

A person listed twice under two NIKs (one digit mistyped, an old and a new NIK) would be
screened, proposed and paid for twice: the regency's budget pays one contribution per worker
(Pasal 9 ayat (1), Pasal 13). Exact NIK checks cannot see it, so after every finished import
(``PAYUNG_DUPLICATE_CHECK_AFTER_IMPORT``) and on an operator's request the extract's persons
go through ``engine.dedupe_list`` (Splink on DuckDB, docs/linkage.md) in a background job
(``DuplicateCheck``); the proposed pairs are stored with their evidence in one transaction
with the job's "done", and an operator with ``registry.review_duplicates`` decides each one.

A decision records a person's judgement only: it changes neither the screening nor the
proposal (both NIKs stay as imported); Disdukcapil's verification (Pasal 7 ayat (3)) decides
which NIK is real. Audit entries and logs carry ids, counts and decisions, never a NIK or
a name; the task's argument is the job's id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core import places
from payung.core.formatting import jam, tanggal
from payung.core.jobs import BUSY, JobLost, job_enqueue, job_lease_hold, job_reap_if_dead, job_write
from payung.core.models import JobStatus
from payung.domain import nik as nik_domain
from payung.domain.calendar import birth_date_read
from payung.registry.models import (
    DtsenImport,
    DuplicateCheck,
    DuplicatePair,
    PairDecision,
    Person,
)
from payung.registry.pairs import (
    EvidenceLine,
    pair_decision_record,
    pair_evidence,
    pairs_from_result,
)
from payung.registry.selectors import persons_as_arrow

logger = logging.getLogger(__name__)

REVIEW: Final = "registry.review_duplicates"
UNMASK: Final = "screening.view_unmasked_nik"
#: Who may read the pairs (names, birth dates): the reviewers and the readers of decisions
#: per person (the auditor). Every other import reader sees the counts only.
READ_PAIRS: Final = ("registry.review_duplicates", "screening.view_person_decision")
#: Pairs per page of the import page's section.
PAIRS_PER_PAGE: Final = 25
#: Row numbers looked up per query when pairs are mapped to persons.
ROW_CHUNK: Final = 5_000

# ------------------------------------------------------------------------------------------
# Writes
# ------------------------------------------------------------------------------------------


def duplicate_check_create(*, dtsen_import: DtsenImport, actor: Any) -> DuplicateCheck:
    """Queue a new duplicate search over a finished import, on an operator's request.

    Refused without ``registry.review_duplicates``, for an import that has not finished, and
    while another search of the same import waits or runs (two would store two sets of the
    same pairs). Audited with the import's id only.
    """
    if not actor.has_perm(REVIEW):
        raise PermissionDenied
    return _check_queue(dtsen_import=dtsen_import, requested_by=actor, automatic=False)


def duplicate_check_after_import(*, dtsen_import: DtsenImport) -> DuplicateCheck | None:
    """Queue the search at the end of a successful import, when the setting asks for it.

    Requested in the uploader's name (the import's own audit actor). Never fails the import
    that calls it: a search that cannot be queued is logged by class name and the operator
    starts it from the import page.
    """
    if not getattr(settings, "PAYUNG_DUPLICATE_CHECK_AFTER_IMPORT", False):
        return None
    if dtsen_import.status != JobStatus.DONE:
        return None
    try:
        return _check_queue(
            dtsen_import=dtsen_import, requested_by=dtsen_import.uploaded_by, automatic=True
        )
    except Exception as exc:
        logger.error(
            "duplicate check of import %s not queued: %s", dtsen_import.pk, type(exc).__name__
        )
        return None


@transaction.atomic
def _check_queue(
    *, dtsen_import: DtsenImport, requested_by: Any, automatic: bool
) -> DuplicateCheck:
    locked = DtsenImport.objects.select_for_update().get(pk=dtsen_import.pk)
    if locked.status != JobStatus.DONE:
        raise ValidationError(
            _("Data ganda hanya dapat diperiksa pada impor yang sudah selesai."), code="not_done"
        )
    for busy in DuplicateCheck.objects.filter(dtsen_import_id=locked.pk, status__in=BUSY):
        if job_reap_if_dead(job=busy).status in BUSY:
            raise ValidationError(
                _("Pemeriksaan data ganda impor ini sedang berjalan; tunggu sampai selesai."),
                code="busy",
            )
    check = DuplicateCheck.objects.create(dtsen_import=locked, requested_by=requested_by)
    audit_entry_create(
        actor=requested_by,
        action="duplicate_check_create",
        target=check,
        detail={"dtsen_import": locked.pk, "automatic": automatic},
    )
    job_enqueue(job=check)
    return check


def duplicate_check_execute(*, duplicate_check: DuplicateCheck) -> DuplicateCheck:
    """Run the engine over the import's persons and store the pairs it proposes.

    The pairs (row numbers mapped to Person ids) and the job's "done" are one transaction,
    held under the job's lease: a worker killed or overtaken mid-way stores nothing, and a
    retry starts clean. Any error fails the job with a generic Indonesian message; only the
    exception's class name reaches the log (a library message may quote a name).
    """
    job = duplicate_check
    job_write(job=job, status=JobStatus.RUNNING, progress=0)
    try:
        table = persons_as_arrow(dtsen_import=job.dtsen_import)
        job_write(job=job, progress=10)
        if table.num_rows >= 2:
            from payung.engine import dedupe_list

            result = dedupe_list(table=table)
            proposed = pairs_from_result(result)
            counts = result.summary.get("counts", {})
        else:
            proposed, counts = [], {}
        job_write(job=job, progress=90)
        with transaction.atomic():
            job_lease_hold(job=job)
            ids = _person_ids(
                job.dtsen_import_id, {r for p in proposed for r in (p.first, p.second)}
            )
            DuplicatePair.objects.bulk_create(
                DuplicatePair(
                    duplicate_check=job,
                    person_1_id=ids[min(p.first, p.second)],
                    person_2_id=ids[max(p.first, p.second)],
                    probability=p.probability,
                    band=p.band,
                    evidence=p.evidence,
                )
                for p in proposed
            )
            fields = {
                "match_count": int(counts.get("matches", 0)),
                "review_count": int(counts.get("review", 0)),
                "guarded_family_count": int(counts.get("guarded_family", 0)),
                "guarded_other_count": int(counts.get("guarded_other_person", 0)),
            }
            job_write(
                job=job,
                status=JobStatus.DONE,
                progress=100,
                error_code="",
                error_message="",
                finished_at=timezone.now(),
                **fields,
            )
            audit_entry_create(
                actor=job.requested_by,
                action="duplicate_check_finish",
                target=job,
                detail={"dtsen_import": job.dtsen_import_id, "rows": table.num_rows, **fields},
            )
    except JobLost:
        raise  # whoever took the job over says what happened
    except Exception as exc:
        logger.error("duplicate check %s failed: %s", job.pk, type(exc).__name__)
        with transaction.atomic():
            job_write(
                job=job,
                status=JobStatus.FAILED,
                error_code="system",
                error_message=_(
                    "Pemeriksaan data ganda gagal karena kesalahan sistem; tidak ada pasangan "
                    "yang disimpan. Periksa ulang, atau hubungi administrator bila terulang."
                ),
                finished_at=timezone.now(),
            )
            audit_entry_create(
                actor=job.requested_by,
                action="duplicate_check_fail",
                target=job,
                detail={"dtsen_import": job.dtsen_import_id, "error_code": "system"},
            )
    return job


def _person_ids(import_id: int, rows: set[int]) -> dict[int, int]:
    """Row number -> Person id for the rows the engine named; every one must exist."""
    wanted = sorted(rows)
    ids: dict[int, int] = {}
    for start in range(0, len(wanted), ROW_CHUNK):
        chunk = wanted[start : start + ROW_CHUNK]
        ids.update(
            Person.objects.filter(dtsen_import_id=import_id, row__in=chunk).values_list("row", "id")
        )
    missing = rows - ids.keys()
    if missing:  # the engine read these persons a moment ago: a concurrent change
        raise LookupError(f"{len(missing)} rows not found")
    return ids


@transaction.atomic
def duplicate_pair_decide(
    *, pair: DuplicatePair, decision: str, note: str, actor: Any
) -> DuplicatePair:
    """Record whether the two rows are one person: the model proposes, a person decides.

    The pair's row is locked so two reviewers cannot both decide it; ``pair_decision_record``
    refuses a second decision and a rejection without a reason. The decision changes neither
    screening nor the proposal (Disdukcapil's verification, Pasal 7 ayat (3), settles which
    NIK is real). Audited with the pair's id and the decision only.
    """
    if not actor.has_perm(REVIEW):
        raise PermissionDenied
    locked = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    pair_decision_record(pair=locked, decision=decision, note=note, actor=actor)
    audit_entry_create(
        actor=actor,
        action="duplicate_pair_decide",
        target=locked,
        detail={"pair": locked.pk, "decision": decision},
    )
    return locked


# ------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------


def duplicate_check_latest(*, dtsen_import: DtsenImport) -> DuplicateCheck | None:
    """The import's latest duplicate search (the one its page shows), dead workers reaped."""
    check = dtsen_import.duplicate_checks.order_by("-created_at", "-pk").first()
    return job_reap_if_dead(job=check) if check is not None else None


def duplicate_pair_get(*, pk: int) -> DuplicatePair | None:
    return (
        DuplicatePair.objects.select_related("duplicate_check__dtsen_import").filter(pk=pk).first()
    )


@dataclass(frozen=True)
class PairSide:
    """One row of a pair as the reviewer reads it (masked unless the reader may unmask)."""

    row: int
    nik: str
    nama: str
    birth: str
    sex: str
    village: str
    no_kk: str


@dataclass(frozen=True)
class EvidenceShown:
    """One evidence line with the page's class for its tone."""

    label: str
    sentence: str
    tone: str
    css: str


@dataclass(frozen=True)
class PairView:
    pair: DuplicatePair
    first: PairSide
    second: PairSide
    percent: str
    evidence: list[EvidenceShown]
    decided_when: str


#: Evidence tone -> the page's existing status classes (payung.css).
TONE_CLASSES: Final = {
    "sama": "pass",
    "mirip": "status-waitlisted",
    "beda": "fail",
    "kosong": "",
}


def duplicate_pairs_page(
    *, duplicate_check: DuplicateCheck, page: Any
) -> tuple[Page, list[PairView]]:
    """One page of a check's pairs: pending first, then the most probable first.

    NIK and KK are masked for every reader, as on every page but the audited reveals
    (``duplicate_pair_nik_reveal``), so one page view never shows 50 full NIKs at once.

    Three queries whatever the page holds (count, pairs with both persons and the decider).
    """
    pairs = (
        duplicate_check.pairs.select_related("person_1", "person_2", "decided_by")
        .annotate(
            pending_first=Case(
                When(decision=PairDecision.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-probability", "pk")
    )
    current = Paginator(pairs, PAIRS_PER_PAGE).get_page(page)
    views = [
        PairView(
            pair=pair,
            first=_side(pair.person_1, unmasked=False),
            second=_side(pair.person_2, unmasked=False),
            percent=probability_percent(pair.probability),
            evidence=[_shown(line) for line in pair_evidence(pair.evidence)],
            decided_when=_moment(pair.decided_at),
        )
        for pair in current.object_list
    ]
    return current, views


def duplicate_pairs_view_record(
    *, dtsen_import: DtsenImport, page_number: int, shown: int, actor: Any
) -> None:
    """Names and birth dates of an extract were shown: one audit entry per page view."""
    with transaction.atomic():
        audit_entry_create(
            actor=actor,
            action="duplicate_pairs_view",
            target=dtsen_import,
            detail={
                "dtsen_import": dtsen_import.pk,
                "page": page_number,
                "pairs": shown,
            },
        )


def probability_percent(probability: Decimal | float) -> str:
    """``97,3 %``: one decimal, the Indonesian comma (never ``100,0 %`` for a rounded 0.9996,
    which would read as certainty the model does not have)."""
    value = Decimal(str(probability)) * 100
    shown = value.quantize(Decimal("0.1"))
    if shown >= 100 and value < 100:
        shown = Decimal("99.9")
    return f"{shown:.1f}".replace(".", ",") + " %"


def _shown(line: EvidenceLine) -> EvidenceShown:
    return EvidenceShown(
        label=line.label,
        sentence=line.sentence,
        tone=line.tone,
        css=TONE_CLASSES.get(line.tone, ""),
    )


@transaction.atomic
def duplicate_pair_nik_reveal(*, pair: DuplicatePair, actor: Any) -> tuple[PairSide, PairSide]:
    """The pair's two rows with full NIK and KK, after recording who saw them (design §6).

    The section masks both everywhere; a reviewer who may see full NIKs (Dinas Sosial,
    Pasal 7 ayat (3)) compares the digits here, one audited pair at a time.
    """
    if not actor.has_perm(UNMASK) or not any(actor.has_perm(p) for p in READ_PAIRS):
        raise PermissionDenied
    first, second = pair.person_1, pair.person_2
    audit_entry_create(
        actor=actor,
        action="nik_view",
        target=pair,
        detail={
            "pair": pair.pk,
            "nik_masked": [nik_domain.mask(first.nik), nik_domain.mask(second.nik)],
        },
    )
    return _side(first, unmasked=True), _side(second, unmasked=True)


def _side(person: Person, *, unmasked: bool) -> PairSide:
    born = birth_date_read(person.tanggal_lahir) if person.tanggal_lahir else None
    village = places.village_name(person.kode_desa) if person.kode_desa else ""
    return PairSide(
        row=person.row,
        nik=person.nik if unmasked else nik_domain.mask(person.nik),
        nama=person.nama,
        birth=tanggal(born) if born else person.tanggal_lahir,
        sex=_sex(person.jenis_kelamin),
        village=village or person.kode_desa,
        no_kk=person.no_kk if unmasked else nik_domain.mask(person.no_kk),
    )


def _sex(value: str) -> str:
    code = value.strip().upper()
    if code in {"L", "LAKI-LAKI", "LAKI LAKI"}:
        return _("Laki-laki")
    if code in {"P", "PEREMPUAN"}:
        return _("Perempuan")
    return value


def _moment(value: Any) -> str:
    """``1 Januari 2026 10.15`` (WIB)."""
    return f"{tanggal(value)} {jam(value)}" if value else ""


__all__ = [
    "PAIRS_PER_PAGE",
    "READ_PAIRS",
    "duplicate_check_after_import",
    "duplicate_check_create",
    "duplicate_check_execute",
    "duplicate_check_latest",
    "duplicate_pair_decide",
    "duplicate_pair_get",
    "duplicate_pair_nik_reveal",
    "duplicate_pairs_page",
    "duplicate_pairs_view_record",
    "probability_percent",
]
