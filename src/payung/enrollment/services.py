"""Writes of registration with BPJS Ketenagakerjaan (Pasal 8): profiles, batches, the request
file, BPJS's answer checked in the background, applied by a second person, and the cover
that starts later.

Pasal 8 ayat (1)-(2): after the Regent's decree (Pasal 7 ayat (4)) the decreed are registered
with BPJS with at least name, NIK, occupation and address; ayat (3): BPJS records them and
fixes the contributions. An accepted participant becomes REGISTERED with the KPJ and ACTIVE
from the cover start; a refused one leaves the year with BPJS's reason and the place goes to
the next on the waiting list (Pasal 6 ayat (2)), who then needs Disdukcapil's verification
(Pasal 7 ayat (3)) and an amending decree before being registered in a later batch.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.jobs import (
    BUSY,
    JobLost,
    job_enqueue,
    job_lease_hold,
    job_write,
    upload_job_fail_system,
    upload_job_refuse,
)
from payung.core.models import JobStatus
from payung.core.permissions import actor_require
from payung.core.places import kecamatan_name, village_name
from payung.core.uploads import upload_store
from payung.decrees.models import Decree
from payung.domain import nik as nik_domain
from payung.domain import wilayah
from payung.domain.calendar import birth_date_read
from payung.engine import ReadError
from payung.enrollment.exchange import (
    ACCEPTED,
    AnswerLine,
    AnswerRules,
    RequestRow,
    columns_parse,
    default_columns,
    exchange_get,
    mapping_parse,
)
from payung.enrollment.models import (
    RegistrationAnswer,
    RegistrationBatch,
    RegistrationItem,
    RegistrationProfile,
)
from payung.participants.models import Candidate, CandidateState, CoveragePeriod, EndReason
from payung.participants.services import kpj_normalise, places_fill, proposal_locked
from payung.participants.transitions import candidates_transition
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import cooperation_agreement_get, programme_year_policy
from payung.registry.fields import field_check

logger = logging.getLogger(__name__)

PREPARE_PERM: Final = "enrollment.prepare_registration"
UPLOAD_PERM: Final = "enrollment.upload_registration_answer"
APPLY_PERM: Final = "enrollment.apply_registration_answer"
PROFILE_PERM: Final = "enrollment.manage_registration_profile"
#: Largest answer file accepted: a year's participants are thousands of rows, a few MB.
MAX_ANSWER_BYTES: Final = 20 * 1024 * 1024
#: Folder under MEDIA_ROOT where an answer file waits for its background check (0600 files).
ANSWER_FOLDER: Final = "pendaftaran-jawaban"
DEFAULT_PROFILE_NAME: Final = "Profil bawaan"
DEFAULT_PARTICIPATION_TYPE: Final = "SG"
DEFAULT_DECLARED_INCOME: Final = 1_000_000


# --- profiles -------------------------------------------------------------------------------


def registration_profile_default_get(*, actor: Any = None) -> RegistrationProfile:
    """The default profile (docs/registration.md), made on first use: BPJS has no public
    template of its collective upload, so Payung ships the columns Pasal 8 ayat (2) requires
    plus those branches commonly ask for; a branch's own format is another profile."""
    profile = RegistrationProfile.objects.filter(is_default=True).order_by("pk").first()
    if profile is not None:
        return profile
    with transaction.atomic():
        profile, created = RegistrationProfile.objects.get_or_create(
            name=DEFAULT_PROFILE_NAME,
            defaults={
                "branch_office": "",
                "columns": default_columns(),
                "participation_type": DEFAULT_PARTICIPATION_TYPE,
                "declared_income": DEFAULT_DECLARED_INCOME,
                "is_default": True,
                "created_by": actor,
            },
        )
        if created:
            audit_entry_create(
                actor=actor,
                action="registration_profile_create",
                target=profile,
                detail={"default": True, "columns": len(profile.columns)},
            )
    return profile


@transaction.atomic
def registration_profile_save(
    *,
    actor: Any,
    name: str,
    branch_office: str,
    columns_text: str,
    participation_type: str,
    declared_income: int,
    kpj_min_length: int,
    kpj_max_length: int,
    profile: RegistrationProfile | None = None,
) -> RegistrationProfile:
    """Create or edit a branch's profile. A batch keeps a snapshot of the profile it was made
    with, so editing one never changes a file already sent (Pasal 8 ayat (1))."""
    actor_require(actor=actor, perm=PROFILE_PERM)
    columns, errors = columns_parse(columns_text)
    name = " ".join(name.split())
    participation_type = "".join(participation_type.split()).upper()
    if not name:
        errors.append(_("Nama profil wajib diisi."))
    if not participation_type or len(participation_type) > 10:
        errors.append(_("Kode jenis kepesertaan wajib diisi (paling panjang 10 huruf)."))
    if declared_income <= 0:
        errors.append(_("Penghasilan yang dilaporkan harus lebih dari nol."))
    if not 1 <= kpj_min_length <= kpj_max_length <= 20:
        errors.append(_("Panjang KPJ: paling sedikit 1, paling banyak 20, dan minimum ≤ maksimum."))
    clash = RegistrationProfile.objects.filter(name=name)
    if profile is not None:
        clash = clash.exclude(pk=profile.pk)
    if name and clash.exists():
        errors.append(_("Nama profil ini sudah dipakai."))
    if errors:
        raise ValidationError(errors, code="invalid")
    created = profile is None
    profile = profile or RegistrationProfile(created_by=actor)
    profile.name = name
    profile.branch_office = " ".join(branch_office.split())
    profile.columns = columns
    profile.participation_type = participation_type
    profile.declared_income = declared_income
    profile.kpj_min_length = kpj_min_length
    profile.kpj_max_length = kpj_max_length
    profile.save()
    audit_entry_create(
        actor=actor,
        action="registration_profile_create" if created else "registration_profile_update",
        target=profile,
        detail={"columns": len(columns), "kpj_length": [kpj_min_length, kpj_max_length]},
    )
    return profile


def _snapshot(profile: RegistrationProfile, programme_year: ProgrammeYear) -> dict[str, Any]:
    policy = programme_year_policy(programme_year=programme_year)
    codes = list(dict.fromkeys(c.code for c in policy.contribution.components))
    return {
        "name": profile.name,
        "branch_office": profile.branch_office,
        "columns": list(profile.columns),
        "participation_type": profile.participation_type,
        "declared_income": profile.declared_income,
        "kpj_min_length": profile.kpj_min_length,
        "kpj_max_length": profile.kpj_max_length,
        "programmes": ", ".join(codes),
    }


# --- batches --------------------------------------------------------------------------------


def participants_decree(*, programme_year: ProgrammeYear) -> Decree | None:
    """The decree the year's participants stand on now: the latest signed decree of the kind
    that establishes participants (Pasal 7 ayat (4)), an amending one included."""
    policy = programme_year_policy(programme_year=programme_year)
    kinds = [d.id for d in policy.decrees if d.establishes_participants]
    return (
        Decree.objects.filter(
            programme_year=programme_year, kind__in=kinds, status=Decree.Status.SIGNED
        )
        .order_by("-signed_on", "-recorded_at", "-pk")
        .first()
    )


def registration_waiting(*, programme_year: ProgrammeYear) -> Any:
    """The decreed not yet registered and not in a batch still awaiting BPJS's answer.

    A participant carried over from last year with a KPJ is left out: BPJS already covers
    them, and the renewal stage continues their cover with that KPJ (issue 12).
    """
    return (
        Candidate.objects.filter(
            proposal__programme_year=programme_year, state=CandidateState.DECREED
        )
        .exclude(registration_items__outcome=RegistrationItem.Outcome.PENDING)
        .exclude(carried_from__kpj__gt="")
    )


@transaction.atomic
def registration_batch_create(
    *, programme_year: ProgrammeYear, actor: Any, profile: RegistrationProfile | None = None
) -> RegistrationBatch:
    """Put the decreed not yet registered into a new batch, in rank order (Pasal 8 ayat (1)).

    The decree is the signed participants decree (or its latest amendment); the profile (the
    default when none) is copied into the batch, and the rows are fixed now, so the file can
    be written again byte for byte whatever is edited later.
    """
    actor_require(actor=actor, perm=PREPARE_PERM)
    year = ProgrammeYear.objects.select_for_update().get(pk=programme_year.pk)
    decree = participants_decree(programme_year=year)
    if decree is None:
        raise ValidationError(
            _(
                "Keputusan Bupati tentang peserta tahun ini belum ditetapkan; pendaftaran ke "
                "BPJS dimulai setelah keputusan dicatat (Pasal 7 ayat (4), Pasal 8 ayat (1))."
            ),
            code="no_decree",
        )
    ids = list(
        registration_waiting(programme_year=year).order_by("rank").values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError(
            _("Tidak ada peserta yang ditetapkan dan belum didaftarkan ke BPJS."),
            code="nothing",
        )
    profile = profile or registration_profile_default_get(actor=actor)
    agreement = cooperation_agreement_get(programme_year=year)
    # The PKS start covers the establishing decree's participants only; an amending decree's
    # additions are covered from when BPJS records them (TANGGAL_MULAI left empty).
    pks_start = agreement.coverage_start if agreement and decree.amends_id is None else None
    number = RegistrationBatch.objects.filter(programme_year=year).order_by("-number").first()
    batch = RegistrationBatch.objects.create(
        programme_year=year,
        decree=decree,
        profile=profile,
        number=(number.number + 1) if number else 1,
        profile_snapshot=_snapshot(profile, year),
        pks_cover_start=pks_start,
        created_by=actor,
    )
    RegistrationItem.objects.bulk_create(
        [
            RegistrationItem(batch=batch, candidate_id=pk, row=row)
            for row, pk in enumerate(ids, start=1)
        ],
        batch_size=2000,
    )
    audit_entry_create(
        actor=actor,
        action="registration_batch_create",
        target=batch,
        detail={
            "number": batch.number,
            "decree": decree.pk,
            "decree_number": decree.number,
            "profile": profile.pk,
            "participants": len(ids),
        },
    )
    return batch


def request_rows(batch: RegistrationBatch) -> list[RequestRow]:
    """The batch's participants with every value a profile column may name, in row order.

    Identity comes from the person as Disdukcapil left it (its corrections applied), the
    codes from the batch's profile snapshot and the cover start from the PKS it recorded.
    """
    snap = batch.profile_snapshot
    items = (
        batch.items.select_related("candidate__person")
        .order_by("row")
        .only(
            # The related manager sets item.batch from batch_id: deferred, a query per row.
            "batch",
            "row",
            "candidate__nik",
            "candidate__corrected",
            *(
                f"candidate__person__{f}"
                for f in (
                    "no_kk",
                    "nama",
                    "tanggal_lahir",
                    "jenis_kelamin",
                    "pekerjaan",
                    "alamat",
                    "kode_desa",
                )
            ),
        )
    )
    out = []
    for item in items:
        person = item.candidate.person
        fixed = item.candidate.corrected or {}

        def value(name: str, *, _p: Any = person, _f: dict[str, str] = fixed) -> str:
            return str(_f.get(name) or getattr(_p, name) or "")

        sex = field_check(name="jenis_kelamin", value=value("jenis_kelamin"))
        village = field_check(name="kode_desa", value=value("kode_desa"))
        code = village.value if not village.problems else value("kode_desa")
        out.append(
            RequestRow(
                no=item.row,
                values={
                    "no": str(item.row),
                    "nik": item.candidate.nik,
                    "no_kk": value("no_kk"),
                    "nama": value("nama"),
                    "tempat_lahir": "",
                    "tanggal_lahir": birth_date_read(value("tanggal_lahir")),
                    "jenis_kelamin": sex.value if not sex.problems else "",
                    "pekerjaan": value("pekerjaan"),
                    "alamat": value("alamat"),
                    "kode_desa": code,
                    "desa": village_name(code) if code else "",
                    "kecamatan": kecamatan_name(wilayah.kecamatan_code(code)) if code else "",
                    "no_hp": "",
                    "jenis_kepesertaan": snap.get("participation_type", ""),
                    "penghasilan": str(snap.get("declared_income", "")),
                    "program": snap.get("programmes", ""),
                    "tanggal_mulai": batch.pks_cover_start,
                    "kosong": "",
                },
            )
        )
    return out


@dataclass(frozen=True)
class RequestFile:
    content: bytes
    filename: str
    row_count: int


def registration_request_file(*, batch: RegistrationBatch, fmt: str, actor: Any) -> RequestFile:
    """The file for BPJS, with full NIKs (BPJS registers by them, Pasal 8 ayat (2) huruf b),
    written by the exchange in the batch's profile and recorded as an export of personal
    data (design §6)."""
    actor_require(actor=actor, perm=PREPARE_PERM)
    if fmt not in {"xlsx", "csv"}:
        raise ValidationError(_("Format harus XLSX atau CSV."), code="format")
    rows = request_rows(batch)
    content = exchange_get().request(rows, batch.profile_snapshot.get("columns", []), fmt)
    with transaction.atomic():
        audit_entry_create(
            actor=actor,
            action="export_personal_data",
            target=batch,
            detail={
                "batch": batch.pk,
                "number": batch.number,
                "rows": len(rows),
                "full_nik": True,
                "format": fmt,
                "purpose": "pendaftaran_bpjs",
                "sha256": hashlib.sha256(content).hexdigest(),
            },
        )
    name = f"pendaftaran-bpjs-{batch.programme_year.year}-tahap-{batch.number}.{fmt}"
    return RequestFile(content=content, filename=name, row_count=len(rows))


# --- answers --------------------------------------------------------------------------------


class AnswerRefused(Exception):
    """An answer file refused as a whole; ``errors`` are row-level Indonesian messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0] if errors else "")
        self.errors = errors


def registration_answer_create(
    *, batch: RegistrationBatch, uploaded: Any, actor: Any, mapping_text: str = ""
) -> RegistrationAnswer:
    """Store BPJS's answer for a batch (0600, streamed and capped) and queue its check.

    The petugas BPJS (or an operator kepesertaan) uploads; nothing changes for anyone until
    a second person applies it. Only the job's id reaches the task, never the file's content.
    """
    actor_require(actor=actor, perm=UPLOAD_PERM)
    mapping, errors = mapping_parse(mapping_text or "")
    if errors:
        raise ValidationError(errors, code="mapping")
    busy = Q(stage=RegistrationAnswer.Stage.CHECKING, status__in=BUSY)
    if batch.answers.filter(busy | Q(stage=RegistrationAnswer.Stage.AWAITING)).exists():
        raise ValidationError(
            _(
                "Tahap ini sudah mempunyai jawaban yang sedang diperiksa atau menunggu "
                "penerapan; terapkan atau batalkan dulu jawaban itu."
            ),
            code="open_answer",
        )
    if not batch.items.filter(outcome=RegistrationItem.Outcome.PENDING).exists():
        raise ValidationError(_("Semua peserta tahap ini sudah dijawab."), code="answered")
    upload = upload_store(
        uploaded=uploaded,
        folder=ANSWER_FOLDER,
        max_bytes=MAX_ANSWER_BYTES,
        default_name="jawaban.xlsx",
        too_large=_("Berkas jawaban terlalu besar (maksimal %(limit)s)."),
    )
    with transaction.atomic():
        job = RegistrationAnswer.objects.create(
            batch=batch,
            file_name=upload.name,
            sha256=upload.sha256,
            size_bytes=upload.size,
            stored_path=upload.stored_path,
            mapping=mapping,
            uploaded_by=actor,
        )
        audit_entry_create(
            actor=actor,
            action="registration_answer_upload",
            target=job,
            detail={
                "batch": batch.pk,
                "file_name": upload.name,
                "sha256": job.sha256,
                "size": upload.size,
            },
        )
        job_enqueue(job=job)
    return job


def answer_rules(*, batch: RegistrationBatch) -> AnswerRules:
    """The year, the PKS cover start (today's PKS, else the one the batch was sent with) and
    the KPJ length of the batch's profile. An empty TANGGAL_MULAI means the PKS start only
    in a batch of the establishing decree; a batch of an amending decree (``decree.amends``
    set) was sent without one, so BPJS's answer must give it (Pasal 8 ayat (3))."""
    agreement = cooperation_agreement_get(programme_year=batch.programme_year)
    snap = batch.profile_snapshot
    return AnswerRules(
        year=batch.programme_year.year,
        pks_cover_start=agreement.coverage_start if agreement else batch.pks_cover_start,
        empty_start_is_pks=batch.decree.amends_id is None,
        kpj_min_length=int(snap.get("kpj_min_length", 10)),
        kpj_max_length=int(snap.get("kpj_max_length", 15)),
    )


def registration_answer_check(*, answer: RegistrationAnswer) -> RegistrationAnswer:
    """Read a queued answer file and check every row; all or nothing (Pasal 8 ayat (3)).

    Any row error (NIK, STATUS, KPJ digits and length, cover start inside the year and not
    before the PKS, a refusal without its reason, a NIK or KPJ twice in the file, a KPJ
    another participant of the year already holds) refuses the file with every message. A
    file without errors waits for a second person; ``report`` says what applying it would do
    (a contribution that differs from the policy's is shown there, not silently accepted),
    rows matching no one in the batch are kept in it. The stored file is deleted at the end.
    """
    job = answer
    job_write(job=job, status=JobStatus.RUNNING, progress=0)
    path = Path(settings.MEDIA_ROOT) / job.stored_path
    try:
        batch = job.batch
        rows = request_rows(batch)
        job_write(job=job, progress=10)
        try:
            parsed = exchange_get().answer(
                rows, path, rules=answer_rules(batch=batch), mapping=job.mapping or {}
            )
        except ReadError as exc:
            raise AnswerRefused([exc.worded(file=job.file_name)]) from None
        job_write(job=job, progress=50)
        if parsed.errors:
            raise AnswerRefused(parsed.errors)
        report, lines = _report(batch, parsed.lines, parsed.unmatched)
        with transaction.atomic():
            job_lease_hold(job=job)
            job_write(
                job=job,
                status=JobStatus.DONE,
                stage=RegistrationAnswer.Stage.AWAITING,
                progress=100,
                report=report,
                lines=lines,
                stored_path="",
                finished_at=timezone.now(),
            )
            audit_entry_create(
                actor=job.uploaded_by,
                action="registration_answer_checked",
                target=job,
                detail={"batch": batch.pk, **_counts(report)},
            )
    except AnswerRefused as exc:
        _job_refused(job, exc.errors)
    except JobLost:
        raise
    except Exception as exc:
        logger.error("registration answer %s failed: %s", job.pk, type(exc).__name__)
        upload_job_fail_system(
            job=job,
            message=_(
                "Berkas jawaban tidak dapat diproses karena kesalahan sistem; tidak ada yang "
                "diterapkan. Hubungi administrator."
            ),
            stage=RegistrationAnswer.Stage.REFUSED,
        )
    path.unlink(missing_ok=True)
    return job


def _counts(report: dict[str, Any]) -> dict[str, int]:
    return {
        "accepted": report.get("accepted", 0),
        "refused": len(report.get("refused", [])),
        "differences": len(report.get("differences", [])),
        "unmatched": len(report.get("unmatched", [])),
    }


def _report(
    batch: RegistrationBatch, lines: list[AnswerLine], unmatched: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What applying the lines would do, and the lines to keep; KPJ collisions with other
    participants of the year refuse the file (``AnswerRefused``)."""
    items = {
        item.candidate.nik: item
        for item in batch.items.select_related("candidate__person").filter(
            candidate__nik__in=[line.nik for line in lines]
        )
    }
    unmatched = list(unmatched)
    open_lines: list[tuple[RegistrationItem, AnswerLine]] = []
    for line in lines:
        item = items[line.nik]
        if item.outcome != RegistrationItem.Outcome.PENDING:
            unmatched.append(
                {
                    "row": line.row,
                    "nik_masked": nik_domain.mask(line.nik),
                    "status": line.status,
                    "why": _("sudah dijawab sebelumnya"),
                }
            )
            continue
        open_lines.append((item, line))
    kpjs = {line.kpj: (item, line) for item, line in open_lines if line.kpj}
    errors = []
    holders = (
        Candidate.objects.filter(
            proposal__programme_year_id=batch.programme_year_id, kpj__in=list(kpjs)
        )
        .select_related("person")
        .only("pk", "nik", "kpj", "person__nama")
    )
    for other in holders:
        item, line = kpjs[other.kpj]
        if other.pk == item.candidate_id:
            continue
        errors.append(
            _("Baris %(row)s, kolom KPJ") % {"row": line.row}
            + ": "
            + _(
                "nomor KPJ untuk %(name)s (%(nik)s) sudah tercatat atas nama %(other)s "
                "(%(other_nik)s), peserta lain tahun ini."
            )
            % {
                "name": item.candidate.person.nama,
                "nik": nik_domain.mask(item.candidate.nik),
                "other": other.person.nama,
                "other_nik": nik_domain.mask(other.nik),
            }
        )
    if errors:
        raise AnswerRefused(sorted(errors, key=_row_key))
    policy = programme_year_policy(programme_year=batch.programme_year)
    today = timezone.localdate()
    report: dict[str, Any] = {
        "accepted": 0,
        "active_now": 0,
        "active_later": 0,
        "refused": [],
        "differences": [],
        "unmatched": unmatched,
        "pending_after": 0,
    }
    kept: list[dict[str, Any]] = []
    for item, line in open_lines:
        entry: dict[str, Any] = {
            "row": line.row,
            "item": item.pk,
            "candidate": item.candidate_id,
            "status": line.status,
            "reason": line.reason,
        }
        if line.status == ACCEPTED:
            assert line.cover_start is not None
            rate = policy.contribution.monthly_on(line.cover_start)
            entry.update(
                kpj=line.kpj,
                cover_start=line.cover_start.isoformat(),
                contribution=line.contribution,
                policy_contribution=rate,
            )
            report["accepted"] += 1
            report["active_now" if line.cover_start <= today else "active_later"] += 1
            if line.contribution is not None and line.contribution != rate:
                report["differences"].append(
                    {
                        "row": line.row,
                        "item": item.pk,
                        "nik_masked": nik_domain.mask(line.nik),
                        "bpjs": line.contribution,
                        "policy": rate,
                    }
                )
        else:
            report["refused"].append(
                {
                    "row": line.row,
                    "item": item.pk,
                    "nik_masked": nik_domain.mask(line.nik),
                    "reason": line.reason,
                }
            )
        kept.append(entry)
    answered = {item.pk for item, _l in open_lines}
    report["pending_after"] = (
        batch.items.filter(outcome=RegistrationItem.Outcome.PENDING).exclude(pk__in=answered)
    ).count()
    return report, kept


def _row_key(message: str) -> int:
    digits = "".join(ch for ch in message.split(",")[0] if ch.isdigit())
    return int(digits or 0)


def _job_refused(job: RegistrationAnswer, errors: list[str]) -> None:
    upload_job_refuse(
        job=job,
        errors=errors,
        message=_("Berkas ditolak; tidak ada yang diterapkan. %(n)s masalah ditemukan.")
        % {"n": len(errors)},
        action="registration_answer_refused",
        detail={"batch": job.batch_id},
        stage=RegistrationAnswer.Stage.REFUSED,
    )


def _answer_locked(answer: RegistrationAnswer) -> RegistrationAnswer:
    return (
        RegistrationAnswer.objects.select_for_update(of=("self",))
        .select_related("batch__programme_year", "uploaded_by")
        .get(pk=answer.pk)
    )


def _four_eyes(locked: RegistrationAnswer, actor: Any) -> None:
    if locked.uploaded_by_id == actor.pk:
        raise ValidationError(
            _(
                "Prinsip empat mata: jawaban BPJS diterapkan oleh orang lain, bukan oleh "
                "pengunggahnya."
            ),
            code="four_eyes",
        )


def _awaiting(locked: RegistrationAnswer) -> None:
    if locked.stage != RegistrationAnswer.Stage.AWAITING:
        raise ValidationError(
            _(
                "Jawaban ini tidak menunggu penerapan (mungkin baru saja diterapkan atau "
                "dibatalkan)."
            ),
            code="not_awaiting",
        )


def _answer_day(locked: RegistrationAnswer) -> date:
    """The day BPJS's refusal counts from: the day its answer arrived, kept inside the
    programme year (cover is bought per year, Pasal 6 ayat (2))."""
    year = locked.batch.programme_year.year
    day = timezone.localdate(locked.created_at)
    return min(max(day, date(year, 1, 1)), date(year, 12, 31))


@dataclass(frozen=True)
class ApplyReport:
    registered: int
    activated: int
    refused: int
    replacements: int


def _rows_update(model: type[Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Set ``fields`` per row (``(pk, *values)``) with one prepared UPDATE run by
    executemany: Django's ``bulk_update`` builds a CASE per field and row and spends
    seconds doing so for a decree's thousands; this is milliseconds. Values are prepared by
    the fields themselves, so dates and NULLs go in as the ORM would write them."""
    if not rows:
        return
    qn = connection.ops.quote_name
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    sets = ", ".join(f"{qn(f.column)} = %s" for f in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s"
    params = [
        (*(f.get_db_prep_save(v, connection) for f, v in zip(columns, values, strict=True)), pk)
        for pk, *values in rows
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(params), 5000):
            cursor.executemany(sql, params[i : i + 5000])


@dataclass(frozen=True)
class _Accepted:
    """One accepted answer line: who, the KPJ BPJS gave and the day cover starts."""

    candidate_id: int
    kpj: str
    start: date
    row: int | None = None


def _participants_register(
    *,
    accepted: list[_Accepted],
    actor: Any,
    prepared_by: Any,
    evidence: dict[str, Any],
    kpj_lengths: tuple[int, int],
    year_id: int,
) -> list[int]:
    """DECREED → REGISTERED with the KPJ for all accepted at once (Pasal 8 ayat (3)).

    The checks of ``participant_register`` for the whole answer: every KPJ digits within
    the profile's length, and none held by another candidate of the year (one query for
    all); then one transition, each event carrying its row, masked KPJ and cover start.
    """
    if not accepted:
        return []
    numbers = {
        a.candidate_id: kpj_normalise(
            kpj=a.kpj, min_length=kpj_lengths[0], max_length=kpj_lengths[1]
        )
        for a in accepted
    }
    owner = {number: pk for pk, number in numbers.items()}
    if len(owner) != len(numbers):
        raise ValidationError(
            _("Nomor KPJ ini sudah tercatat untuk peserta lain tahun ini."), code="kpj_taken"
        )
    taken = False
    kpjs = list(owner)
    for i in range(0, len(kpjs), 2000):
        holders = Candidate.objects.filter(
            proposal__programme_year_id=year_id, kpj__in=kpjs[i : i + 2000]
        ).values_list("pk", "kpj")
        taken = taken or any(owner[kpj] != pk for pk, kpj in holders)
    if taken:
        raise ValidationError(
            _("Nomor KPJ ini sudah tercatat untuk peserta lain tahun ini."), code="kpj_taken"
        )
    ids = [a.candidate_id for a in accepted]
    candidates_transition(
        candidate_ids=ids,
        action="register",
        actor=actor,
        reason_code="terdaftar_bpjs",
        evidence=evidence,
        prepared_by=prepared_by,
        per_candidate={
            a.candidate_id: {
                "evidence": {
                    "row": a.row,
                    "kpj_masked": nik_domain.mask(numbers[a.candidate_id]),
                    "cover_start": a.start.isoformat(),
                }
            }
            for a in accepted
        },
    )
    _rows_update(Candidate, ["kpj"], list(numbers.items()))
    return ids


def _participants_activate(
    *, accepted: list[_Accepted], actor: Any, evidence: dict[str, Any], year: int
) -> list[int]:
    """REGISTERED → ACTIVE for all whose cover start has come, each with a coverage period
    from that day, which billing counts from (Pasal 9 ayat (1)).

    The checks of ``participant_activate`` for all at once: the start inside the programme
    year (Pasal 6 ayat (2)) and no coverage period already open or ending on or after it.
    """
    if not accepted:
        return []
    outside = [a for a in accepted if a.start.year != year]
    if outside:
        raise ValidationError(
            _("%(label)s harus di dalam tahun program %(year)s.")
            % {"label": _("Tanggal mulai kepesertaan"), "year": year},
            code="outside_year",
        )
    start_of = {a.candidate_id: a.start for a in accepted}
    ids = list(start_of)
    overlap = False
    for i in range(0, len(ids), 2000):
        periods = CoveragePeriod.objects.filter(candidate_id__in=ids[i : i + 2000]).values_list(
            "candidate_id", "end"
        )
        overlap = overlap or any(end is None or end >= start_of[pk] for pk, end in periods)
    if overlap:
        raise ValidationError(
            _(
                "Tanggal mulai bertumpang tindih dengan masa kepesertaan yang sudah tercatat; "
                "mulai harus sesudah masa sebelumnya berakhir."
            ),
            code="overlap",
        )
    candidates_transition(
        candidate_ids=ids,
        action="activate",
        actor=actor,
        reason_code="mulai_kepesertaan",
        evidence=evidence,
        per_candidate={
            a.candidate_id: {"evidence": {"row": a.row, "cover_start": a.start.isoformat()}}
            for a in accepted
        },
    )
    CoveragePeriod.objects.bulk_create(
        [CoveragePeriod(candidate_id=a.candidate_id, start=a.start) for a in accepted],
        batch_size=1000,
    )
    return ids


def _participants_refuse(
    *,
    refusals: dict[int, dict[str, Any]],
    actor: Any,
    prepared_by: Any,
    on: date,
    evidence: dict[str, Any],
) -> list[int]:
    """The refused leave the year with BPJS's reason (Pasal 8 ayat (3)): one transition to
    ENDED for all; decreed, never covered, so no coverage period to close."""
    if not refusals:
        return []
    ids = list(refusals)
    candidates_transition(
        candidate_ids=ids,
        action="end",
        actor=actor,
        reason_code=EndReason.DITOLAK_BPJS,
        reason=str(EndReason.DITOLAK_BPJS.label),
        evidence={**evidence, "end_date": on.isoformat()},
        prepared_by=prepared_by,
        per_candidate=refusals,
    )
    return ids


@transaction.atomic
def registration_answer_apply(
    *, answer: RegistrationAnswer, actor: Any, today: date | None = None, _job: bool = False
) -> ApplyReport:
    """Apply a checked answer, by a second person (four eyes), in one transaction.

    Accepted: REGISTERED with the KPJ (Pasal 8 ayat (3)), prepared by the uploader, and
    ACTIVE from the cover start when that day has come (Asia/Jakarta); later starts are
    activated by ``registration_activate_due``. Refused: the participant leaves the year
    with BPJS's reason on the day the answer arrived, and each freed place goes to the next
    waitlisted in rank order, never over the quota (Pasal 6 ayat (2)); they then need
    Disdukcapil's verification (Pasal 7 ayat (3)) and an amending decree.

    In bulk, because a decree names thousands: one transition per action (register,
    activate, end) with each person's row, masked KPJ and cover start in their history
    event, the checks of the single-participant services made once for all, and one audit
    entry for the whole answer (counts and candidate ids) instead of two per person.
    """
    actor_require(actor=actor, perm=APPLY_PERM)
    locked = _answer_locked(answer)
    _awaiting(locked)
    if locked.status in BUSY and not _job:
        raise ValidationError(
            _("Jawaban ini sedang diterapkan; tunggu sampai selesai."), code="busy"
        )
    _four_eyes(locked, actor)
    batch = locked.batch
    proposal = proposal_locked(batch.programme_year.proposal.pk)
    uploader = locked.uploaded_by
    today = today or timezone.localdate()
    now = timezone.now()
    refused_on = _answer_day(locked)
    year = batch.programme_year.year
    snap = batch.profile_snapshot
    lengths = (int(snap.get("kpj_min_length", 10)), int(snap.get("kpj_max_length", 15)))
    wanted = {line["item"] for line in locked.lines}
    items = {item.pk: item for item in batch.items.all() if item.pk in wanted}
    common = {
        "registration_batch": batch.pk,
        "registration_answer": locked.pk,
        "file_name": locked.file_name,
        "file_sha256": locked.sha256,
    }
    accepted: list[_Accepted] = []
    refusals: dict[int, dict[str, Any]] = {}
    for line in locked.lines:
        item = items[line["item"]]
        if item.outcome != RegistrationItem.Outcome.PENDING:
            raise ValidationError(
                _("Sebagian peserta sudah dijawab sejak berkas ini diperiksa; unggah ulang."),
                code="stale",
            )
        item.answered_at = now
        if line["status"] == ACCEPTED:
            start = date.fromisoformat(line["cover_start"])
            accepted.append(
                _Accepted(
                    candidate_id=item.candidate_id, kpj=line["kpj"], start=start, row=line["row"]
                )
            )
            item.outcome = RegistrationItem.Outcome.ACCEPTED
            item.kpj = line["kpj"]
            item.cover_start = start
            item.bpjs_contribution = line.get("contribution")
            item.policy_contribution = line.get("policy_contribution")
        else:
            refusals[item.candidate_id] = {
                "reason": _("BPJS Ketenagakerjaan: %(r)s") % {"r": line["reason"]},
                "evidence": {"row": line["row"]},
            }
            item.outcome = RegistrationItem.Outcome.REFUSED
            item.refusal_reason = line["reason"][:300]
    registered_ids = _participants_register(
        accepted=accepted,
        actor=actor,
        prepared_by=uploader,
        evidence=common,
        kpj_lengths=lengths,
        year_id=batch.programme_year_id,
    )
    due = [a for a in accepted if a.start <= today]
    activated_ids = _participants_activate(accepted=due, actor=actor, evidence=common, year=year)
    refused_ids = _participants_refuse(
        refusals=refusals, actor=actor, prepared_by=uploader, on=refused_on, evidence=common
    )
    registered, activated, refused = len(registered_ids), len(activated_ids), len(refused_ids)
    item_fields = [
        "outcome",
        "kpj",
        "cover_start",
        "bpjs_contribution",
        "policy_contribution",
        "refusal_reason",
        "answered_at",
    ]
    _rows_update(
        RegistrationItem,
        item_fields,
        [(item.pk, *(getattr(item, f) for f in item_fields)) for item in items.values()],
    )
    cause = {"registration_answer": locked.pk, "file_sha256": locked.sha256}
    replacements = places_fill(proposal=proposal, actor=actor, cause=cause) if refused else []
    if not batch.items.filter(outcome=RegistrationItem.Outcome.PENDING).exists():
        RegistrationBatch.objects.filter(pk=batch.pk).update(
            status=RegistrationBatch.Status.ANSWERED
        )
    report = {**locked.report, "replacements": len(replacements), "activated": activated}
    done = {"status": JobStatus.DONE, "progress": 100, "finished_at": now} if _job else {}
    RegistrationAnswer.objects.filter(pk=locked.pk).update(
        stage=RegistrationAnswer.Stage.APPLIED,
        applied_by=actor,
        applied_at=now,
        report=report,
        lines=[],
        error_code="",
        error_message="",
        **done,
    )
    audit_entry_create(
        actor=actor,
        action="registration_answer_apply",
        target=locked,
        detail={
            "batch": batch.pk,
            "answer": locked.pk,
            "uploaded_by": uploader.username,
            "registered": registered,
            "activated": activated,
            "refused": refused,
            "replacements": len(replacements),
            "sha256": locked.sha256,
            # Each person's change is in their CandidateEvent history; the ids let an
            # auditor join this one entry to those events.
            "candidates": {
                "registered": registered_ids,
                "activated": activated_ids,
                "refused": refused_ids,
                "replacements": replacements,
            },
        },
    )
    return ApplyReport(
        registered=registered, activated=activated, refused=refused, replacements=len(replacements)
    )


@transaction.atomic
def registration_answer_confirm(*, answer: RegistrationAnswer, actor: Any) -> RegistrationAnswer:
    """The second person's "apply" on the page: checked here (permission, four eyes, still
    awaiting), then applied by the worker: even in bulk a decree's thousands take seconds
    with the year's candidate rows locked, longer than a web request should hold them
    (Pasal 8 ayat (3)). The job's id is the task's only argument."""
    actor_require(actor=actor, perm=APPLY_PERM)
    locked = _answer_locked(answer)
    _awaiting(locked)
    _four_eyes(locked, actor)
    if locked.status in BUSY:
        raise ValidationError(
            _("Jawaban ini sedang diterapkan; tunggu sampai selesai."), code="busy"
        )
    RegistrationAnswer.objects.filter(pk=locked.pk).update(
        status=JobStatus.QUEUED,
        progress=0,
        applied_by=actor,
        error_code="",
        error_message="",
        finished_at=None,
    )
    audit_entry_create(
        actor=actor,
        action="registration_answer_confirm",
        target=locked,
        detail={"batch": locked.batch_id, "sha256": locked.sha256},
    )
    answer_id = locked.pk

    def enqueue() -> None:
        from payung.enrollment.tasks import registration_answer_apply_run as task

        result = task.enqueue(answer_id=answer_id)
        RegistrationAnswer.objects.filter(pk=answer_id).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    locked.refresh_from_db()
    return locked


def registration_answer_apply_job(*, answer: RegistrationAnswer) -> RegistrationAnswer:
    """The worker's half of ``registration_answer_confirm``: apply in one transaction as the
    confirmer; a refusal (the batch changed since the check) or a fault leaves nothing
    applied, the answer still awaiting, and the reason on its page."""
    job = answer
    try:
        with transaction.atomic():
            job_lease_hold(job=job)
            registration_answer_apply(answer=job, actor=job.applied_by, _job=True)
    except ValidationError as exc:
        job_write(
            job=job,
            status=JobStatus.FAILED,
            error_code="apply_refused",
            error_message=" ".join(exc.messages),
            finished_at=timezone.now(),
        )
    except JobLost:
        raise
    except Exception as exc:
        logger.error("registration answer %s apply failed: %s", job.pk, type(exc).__name__)
        job_write(
            job=job,
            status=JobStatus.FAILED,
            error_code="system",
            error_message=_(
                "Jawaban tidak dapat diterapkan karena kesalahan sistem; tidak ada yang "
                "diterapkan. Hubungi administrator."
            ),
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


@transaction.atomic
def registration_answer_discard(*, answer: RegistrationAnswer, actor: Any) -> None:
    """Set aside a checked answer without applying it (a wrong file, a wrong batch), so a
    corrected one can be uploaded; the uploader or a confirmer may."""
    if not (actor.has_perm(APPLY_PERM) or actor.has_perm(UPLOAD_PERM)):
        raise PermissionDenied
    locked = _answer_locked(answer)
    _awaiting(locked)
    if locked.status in BUSY:
        raise ValidationError(
            _("Jawaban ini sedang diterapkan; tunggu sampai selesai."), code="busy"
        )
    RegistrationAnswer.objects.filter(pk=locked.pk).update(
        stage=RegistrationAnswer.Stage.DISCARDED, lines=[]
    )
    audit_entry_create(
        actor=actor,
        action="registration_answer_discard",
        target=locked,
        detail={"batch": locked.batch_id, "sha256": locked.sha256},
    )


def registration_activate_due(*, today: date) -> int:
    """Start the cover of every registered participant whose cover start has come.

    An accepted answer with a later cover start leaves the participant REGISTERED; cover
    (and billing, Pasal 9 ayat (1)) starts on that day, so the worker or ``payung manage
    registration_activate_due`` runs this daily. The act is recorded as the confirmer's,
    who decided it when applying the answer (Pasal 8 ayat (3)). One transition and one
    audit entry per batch, each in its own transaction, so a whole decree starting on the
    same day takes seconds. Returns how many became active.
    """
    due = (
        RegistrationItem.objects.filter(
            outcome=RegistrationItem.Outcome.ACCEPTED,
            cover_start__lte=today,
            candidate__state=CandidateState.REGISTERED,
        )
        .order_by("batch_id", "row")
        .values_list("batch_id", "candidate_id", "cover_start", "row")
    )
    per_batch: dict[int, list[_Accepted]] = {}
    for batch_id, candidate_id, start, row in due:
        per_batch.setdefault(batch_id, []).append(
            _Accepted(candidate_id=candidate_id, kpj="", start=start, row=row)
        )
    done = 0
    for batch_id, accepted in per_batch.items():
        batch = RegistrationBatch.objects.select_related("programme_year").get(pk=batch_id)
        applied = (
            batch.answers.filter(stage=RegistrationAnswer.Stage.APPLIED)
            .filter(~Q(applied_by=None))
            .select_related("applied_by")
            .order_by("-applied_at")
            .first()
        )
        if applied is None:
            continue
        actor = applied.applied_by
        with transaction.atomic():
            ids = _participants_activate(
                accepted=accepted,
                actor=actor,
                evidence={"registration_batch": batch_id, "scheduled": True},
                year=batch.programme_year.year,
            )
            audit_entry_create(
                actor=actor,
                action="registration_activate_due",
                target=batch,
                detail={
                    "batch": batch_id,
                    "date": today.isoformat(),
                    "activated": len(ids),
                    "candidates": ids,
                },
            )
        done += len(ids)
    return done
