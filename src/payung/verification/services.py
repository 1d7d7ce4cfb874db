"""Writes of verification and validation by Disdukcapil (Pasal 7 ayat (3)).

After the proposal is approved, the proposed candidates go to Disdukcapil in a batch; each
answer verifies or rejects one candidate. Corrected data (DATA BERBEDA) is screened again by
the same engine and policy, because a corrected birth date or village can make someone
ineligible (Pasal 5 ayat (2)). Every rejection frees a place that the next on the waiting
list takes (``places_fill``); those replacements form the next batch.
"""

from __future__ import annotations

import io
import json
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.exports import neutralise
from payung.core.jobs import (
    JobLost,
    job_enqueue,
    job_lease_hold,
    job_write,
    upload_job_fail_system,
    upload_job_refuse,
)
from payung.core.models import JobStatus
from payung.core.uploads import upload_store
from payung.domain import nik as nik_domain
from payung.engine import ReadError, connect, csv_bytes, screen
from payung.participants.models import Candidate, CandidateState, Proposal
from payung.participants.services import places_fill, proposal_locked
from payung.participants.transitions import candidates_transition
from payung.programmes.selectors import programme_year_policy
from payung.registry.fields import field_problem_text
from payung.registry.models import Person
from payung.registry.selectors import PERSON_FIELDS, person_values_as_arrow
from payung.screening.selectors import reason_text
from payung.verification.exchange import (
    IDENTITY_COLUMNS,
    ParsedAnswers,
    ReceivedAnswer,
    RequestRow,
    column_of,
    corrections_read,
    exchange_get,
)
from payung.verification.models import (
    Answer,
    AnswerImport,
    VerificationBatch,
    VerificationItem,
)

logger = logging.getLogger(__name__)

#: Largest answer file accepted: a year's candidates are thousands of rows, a few MB.
MAX_RESPONSE_BYTES: Final = 20 * 1024 * 1024
#: Folder under MEDIA_ROOT where an answer file waits for its background job (0600 files).
ANSWER_FOLDER: Final = "verifikasi-jawaban"

#: Rejection reason code per answer (the candidate's ``reason_code``).
REJECTION_CODES: Final[dict[str, str]] = {
    Answer.TIDAK_DITEMUKAN: "tidak_ditemukan",
    Answer.MENINGGAL: "meninggal",
    Answer.PINDAH: "pindah",
}
RESCREEN_FAILED: Final = "tidak_memenuhi_syarat_setelah_perbaikan"


def _rejection_text(answer: str) -> str:
    return {
        Answer.TIDAK_DITEMUKAN: _("Disdukcapil: NIK tidak ditemukan (Pasal 7 ayat (3))."),
        Answer.MENINGGAL: _("Disdukcapil: penduduk telah meninggal dunia (Pasal 7 ayat (3))."),
        Answer.PINDAH: _(
            "Disdukcapil: penduduk telah pindah ke luar daerah (Pasal 5 ayat (2) huruf a)."
        ),
    }[answer]


# --- batches ------------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, proposal: Proposal, actor: Any) -> VerificationBatch:
    """Put every proposed candidate not yet sent into a new batch, in rank order.

    The first batch holds the approved proposal; later ones the replacements. Refused
    before approval (the berita acara is what is being verified) and when nobody waits.
    Only the operator pendataan starts a round: who is sent is part of the proposal, not of
    Disdukcapil's answer (``verification.start_verification_round``).
    """
    if not actor.has_perm("verification.start_verification_round"):
        raise PermissionDenied
    locked = proposal_locked(proposal.pk)
    if locked.status != Proposal.Status.APPROVED:
        raise ValidationError(
            _("Usulan belum disetujui; verifikasi dimulai setelah berita acara disetujui."),
            code="not_approved",
        )
    pending = list(
        locked.candidates.filter(state=CandidateState.PROPOSED, verification_items__isnull=True)
        .order_by("rank")
        .values_list("pk", flat=True)
    )
    if not pending:
        raise ValidationError(
            _("Tidak ada calon yang menunggu dikirim untuk verifikasi."), code="nothing"
        )
    number = locked.batches.count() + 1
    batch = VerificationBatch.objects.create(proposal=locked, number=number, created_by=actor)
    VerificationItem.objects.bulk_create(
        [VerificationItem(batch=batch, candidate_id=pk) for pk in pending], batch_size=2000
    )
    audit_entry_create(
        actor=actor,
        action="verification_batch_create",
        target=batch,
        detail={"proposal": locked.pk, "number": number, "candidates": len(pending)},
    )
    return batch


def request_rows(batch: VerificationBatch) -> list[RequestRow]:
    """The batch's candidates with the identity fields Disdukcapil checks, in rank order."""
    fields = [f for _n, f in IDENTITY_COLUMNS]
    # The NIK as screening read it (the decision's), not as typed in the extract: a cell like
    # "'3601…" or "360101 150890 0001" is the same person, and Disdukcapil answers by the
    # 16 digits.
    sources = ["candidate__nik" if f == "nik" else f"candidate__person__{f}" for f in fields]
    items = (
        batch.items.select_related("candidate__person")
        .order_by("candidate__rank")
        .values_list(*sources)
    )
    return [
        RequestRow(no=i, fields=dict(zip(fields, values, strict=True)))
        for i, values in enumerate(items, start=1)
    ]


@dataclass(frozen=True)
class RequestFile:
    content: bytes
    filename: str
    row_count: int


def batch_request_file(*, batch: VerificationBatch, fmt: str, actor: Any) -> RequestFile:
    """The file for Disdukcapil, with full NIKs (they verify them), recorded as an export of
    personal data (design §6)."""
    if not actor.has_perm("verification.export_verification"):
        raise PermissionDenied
    if fmt not in {"xlsx", "csv"}:
        raise ValidationError(_("Format harus XLSX atau CSV."), code="format")
    rows = request_rows(batch)
    content = exchange_get().request(rows, fmt)
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
                "purpose": "verifikasi_disdukcapil",
            },
        )
    year = batch.proposal.programme_year.year
    name = f"verifikasi-dukcapil-{year}-tahap-{batch.number}.{fmt}"
    return RequestFile(content=content, filename=name, row_count=len(rows))


# --- answers ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an answer file did: counts per answer, replacements, unmatched rows."""

    applied: dict[str, int] = field(default_factory=dict)
    rejected_after_rescreen: int = 0
    replacements: int = 0
    unmatched: list[dict[str, Any]] = field(default_factory=list)


class VerificationRefused(Exception):
    """An answer file refused as a whole; ``errors`` are row-level Indonesian messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0] if errors else "")
        self.errors = errors


def answer_import_create(*, batch: VerificationBatch, uploaded: Any, actor: Any) -> AnswerImport:
    """Store Disdukcapil's answer file for a batch and queue it; the worker applies it.

    Reading and checking a file is work in proportion to its rows, and a small XLSX can hold
    a million of them (issue 17, defect 5): the web request only stores the bytes (streamed,
    hashed, capped at ``MAX_RESPONSE_BYTES`` whatever the declared size says, written 0600)
    and hands the job's id, never any of its content, to the task.
    """
    if not actor.has_perm("verification.record_verification"):
        raise PermissionDenied
    upload = upload_store(
        uploaded=uploaded,
        folder=ANSWER_FOLDER,
        max_bytes=MAX_RESPONSE_BYTES,
        default_name="jawaban.xlsx",
        too_large=_("Berkas jawaban terlalu besar (maksimal %(limit)s)."),
    )
    with transaction.atomic():
        job = AnswerImport.objects.create(
            batch=batch,
            file_name=upload.name,
            sha256=upload.sha256,
            size_bytes=upload.size,
            stored_path=upload.stored_path,
            uploaded_by=actor,
        )
        audit_entry_create(
            actor=actor,
            action="verification_answers_upload",
            target=job,
            detail={
                "batch": batch.pk,
                "file_name": upload.name,
                "sha256": job.sha256,
                "size_bytes": upload.size,
            },
        )
        job_enqueue(job=job)
    return job


def answer_import_execute(*, answer_import: AnswerImport) -> AnswerImport:
    """Read a queued answer file, check every row and apply it, all or nothing.

    Row errors (an unknown HASIL, a repeated NIK, a correction that breaks a field rule,
    DATA BERBEDA with nothing corrected) refuse the whole file so it can be fixed and sent
    again; the job keeps every message (none holds a cell's value). Rows whose NIK was not
    sent in this batch are listed in the report, never silently dropped. The answers and the
    job's "done" are one transaction, so a worker killed mid-way leaves nothing applied (the
    reaper of ``registry.jobs`` then fails the job). The stored upload is deleted when the
    job ends: the SHA-256 is the evidence kept. Any other error fails the job with a generic
    message; only the exception's class name reaches the log (library messages may quote
    the file's values).
    """
    job = answer_import
    job_write(job=job, status=JobStatus.RUNNING, progress=0)
    path = Path(settings.MEDIA_ROOT) / job.stored_path
    try:
        batch = job.batch
        rows = request_rows(batch)
        job_write(job=job, progress=10)
        try:
            parsed = exchange_get().answers(rows, path)
        except ReadError as exc:
            # Named as the verifier knows the file, not as it is stored.
            raise VerificationRefused([exc.worded(file=job.file_name)]) from None
        job_write(job=job, progress=50)
        if parsed.errors:
            raise VerificationRefused(parsed.errors)
        evidence = {"batch": batch.pk, "file_sha256": job.sha256, "file_name": job.file_name}
        with transaction.atomic():
            job_lease_hold(job=job)
            report = _answers_apply(
                batch=batch,
                parsed=parsed,
                actor=job.uploaded_by,
                source="berkas",
                evidence=evidence,
            )
            job_write(
                job=job,
                status=JobStatus.DONE,
                progress=100,
                report=asdict(report),
                stored_path="",
                finished_at=timezone.now(),
            )
    except VerificationRefused as exc:
        _job_refused(job, exc.errors)
    except JobLost:
        raise  # whoever took the job over owns its file and says what happened
    except Exception as exc:
        logger.error("answer import %s failed: %s", job.pk, type(exc).__name__)
        upload_job_fail_system(
            job=job,
            message=_(
                "Berkas jawaban tidak dapat diproses karena kesalahan sistem; tidak ada jawaban "
                "yang diterapkan. Hubungi administrator."
            ),
        )
    path.unlink(missing_ok=True)
    return job


def _job_refused(job: AnswerImport, errors: list[str]) -> None:
    upload_job_refuse(
        job=job,
        errors=errors,
        message=_("Berkas ditolak; tidak ada jawaban yang diterapkan. %(n)s masalah ditemukan.")
        % {"n": len(errors)},
        action="verification_answers_refused",
        detail={"batch": job.batch_id},
    )


def answer_errors_file(*, answer_import: AnswerImport, fmt: str, actor: Any) -> RequestFile:
    """Every message of a refused answer file, as CSV or XLSX, for the verifier to fix it.

    The page shows only the first messages (a broken file can have thousands); this is the
    whole list. Messages name row and column and at most a masked NIK, never a cell's value;
    the download is still recorded in the audit trail, as every download of the stage is.
    """
    if not actor.has_perm("verification.record_verification"):
        raise PermissionDenied
    if fmt not in {"xlsx", "csv"}:
        raise ValidationError(_("Format harus XLSX atau CSV."), code="format")
    errors = list(answer_import.errors or [])
    headers = ("NO", "MASALAH")
    rows = [(i, neutralise(str(text))) for i, text in enumerate(errors, start=1)]
    content = csv_bytes(headers, rows) if fmt == "csv" else _errors_xlsx(headers, rows)
    with transaction.atomic():
        audit_entry_create(
            actor=actor,
            action="verification_answer_errors_download",
            target=answer_import,
            detail={"batch": answer_import.batch_id, "errors": len(errors), "format": fmt},
        )
    name = f"masalah-jawaban-{answer_import.pk}.{fmt}"
    return RequestFile(content=content, filename=name, row_count=len(rows))


def _errors_xlsx(headers: tuple[str, ...], rows: list[tuple[int, str]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"strings_to_numbers": False, "strings_to_formulas": False, "in_memory": True}
    )
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("MASALAH")
    sheet.write_row(0, 0, headers, bold)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 120)
    for r, (number, text) in enumerate(rows, start=1):
        sheet.write_number(r, 0, number)
        sheet.write_string(r, 1, text)
    workbook.close()
    return buffer.getvalue()


def _items_record(*, items: list[VerificationItem], source: str, actor: Any, at: Any) -> None:
    """Store the answers on their items: one UPDATE per distinct answer (thousands of
    "SESUAI" without note in one statement) instead of a CASE per row and field, which
    took most of a 5 000-row answer file's time (issue 16)."""
    groups: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for item in items:
        answer = {
            "answer": item.answer,
            "corrected": item.corrected,
            "note": item.note,
            "rescreen_reasons": item.rescreen_reasons,
        }
        groups.setdefault(json.dumps(answer, sort_keys=True), (answer, []))[1].append(item.pk)
    for answer, pks in groups.values():
        for start in range(0, len(pks), 900):
            VerificationItem.objects.filter(pk__in=pks[start : start + 900]).update(
                **answer, source=source, recorded_by=actor, recorded_at=at
            )


@transaction.atomic
def _answers_apply(
    *,
    batch: VerificationBatch,
    parsed: ParsedAnswers,
    actor: Any,
    source: str,
    evidence: dict[str, Any],
) -> ImportReport:
    proposal = proposal_locked(batch.proposal_id)
    by_nik = {
        item.candidate.nik: item
        for item in batch.items.select_related("candidate").filter(
            candidate__nik__in=[a.nik for a in parsed.answers]
        )
    }
    report = ImportReport(unmatched=list(parsed.unmatched))
    open_answers: list[tuple[VerificationItem, ReceivedAnswer]] = []
    for answer in parsed.answers:
        item = by_nik.get(answer.nik)
        if item is None or item.answer or item.candidate.state != CandidateState.PROPOSED:
            report.unmatched.append(
                {
                    "row": answer.row_number,
                    "nik_masked": nik_domain.mask(answer.nik),
                    "answer": answer.answer,
                    "why": _("sudah dijawab sebelumnya"),
                }
            )
            continue
        open_answers.append((item, answer))

    rescreened = _rescreen(
        proposal, [(item.candidate, a.corrected) for item, a in open_answers if a.corrected]
    )
    verify: list[int] = []
    rejects: dict[str, list[int]] = defaultdict(list)
    texts: dict[int, dict[str, Any]] = {}
    now = timezone.now()
    for item, answer in open_answers:
        candidate = item.candidate
        item.answer = answer.answer
        item.corrected = answer.corrected
        item.note = answer.note
        item.source = source
        item.recorded_by = actor
        item.recorded_at = now
        report.applied[answer.answer] = report.applied.get(answer.answer, 0) + 1
        if answer.answer == Answer.SESUAI:
            verify.append(candidate.pk)
        elif answer.answer == Answer.DATA_BERBEDA:
            failed = rescreened[candidate.pk]
            Candidate.objects.filter(pk=candidate.pk).update(corrected=answer.corrected)
            if failed:
                item.rescreen_reasons = ";".join(failed)
                rejects[RESCREEN_FAILED].append(candidate.pk)
                texts[candidate.pk] = {"reason": _rescreen_text(proposal, failed)}
                report.rejected_after_rescreen += 1
            else:
                verify.append(candidate.pk)
        else:
            rejects[REJECTION_CODES[answer.answer]].append(candidate.pk)
            texts[candidate.pk] = {"reason": _rejection_text(answer.answer)}
        if answer.note:
            texts.setdefault(candidate.pk, {})["evidence"] = {"keterangan": answer.note}
    _items_record(items=[item for item, _a in open_answers], source=source, actor=actor, at=now)
    candidates_transition(
        candidate_ids=verify, action="verify", actor=actor, evidence=evidence, per_candidate=texts
    )
    for code, ids in rejects.items():
        candidates_transition(
            candidate_ids=ids,
            action="reject",
            actor=actor,
            reason_code=code,
            evidence=evidence,
            per_candidate=texts,
        )
    replacements = places_fill(proposal=proposal, actor=actor, cause=evidence)
    report.replacements = len(replacements)
    if not batch.items.filter(answer="").exists():
        VerificationBatch.objects.filter(pk=batch.pk).update(
            status=VerificationBatch.Status.ANSWERED, answered_at=now
        )
    if source == "berkas":
        responses = [
            *batch.responses,
            {
                "file_name": evidence.get("file_name", ""),
                "sha256": evidence.get("file_sha256", ""),
                "at": now.isoformat(),
                "by": actor.username,
                "applied": report.applied,
                "unmatched": report.unmatched,
            },
        ]
        VerificationBatch.objects.filter(pk=batch.pk).update(responses=responses)
    audit_entry_create(
        actor=actor,
        action="verification_answers",
        target=batch,
        detail={
            "source": source,
            "applied": report.applied,
            "rejected_after_rescreen": report.rejected_after_rescreen,
            "replacements": report.replacements,
            "unmatched": len(report.unmatched),
            **{k: v for k, v in evidence.items() if k != "batch"},
        },
    )
    return report


def item_record(
    *,
    item: VerificationItem,
    answer: str,
    actor: Any,
    corrected: dict[str, str] | None = None,
    note: str = "",
) -> ImportReport:
    """Record one answer on the page (the verifier's alternative to a file)."""
    if not actor.has_perm("verification.record_verification"):
        raise PermissionDenied
    if answer not in Answer.values:
        raise ValidationError(_("Hasil verifikasi tidak dikenal."), code="answer")
    person = item.candidate.person
    sent = {f: getattr(person, f) for _n, f in IDENTITY_COLUMNS}
    found = corrections_read(sent=sent, answered=corrected or {})
    if answer == Answer.DATA_BERBEDA and found.problems:
        # The form checks each field with the same rules; this is the service's own guard.
        raise ValidationError(
            [
                _("Kolom %(col)s: %(text)s")
                % {"col": column_of(p.field), "text": field_problem_text(p)}
                for p in found.problems
            ],
            code="field",
        )
    changes = found.changes
    if answer == Answer.DATA_BERBEDA and not changes:
        raise ValidationError(
            _("Untuk DATA BERBEDA isi paling sedikit satu data yang diperbaiki."), code="nothing"
        )
    if answer != Answer.DATA_BERBEDA:
        changes = {}
    parsed = ParsedAnswers(
        answers=[
            ReceivedAnswer(
                row_number=0,
                nik=item.candidate.nik,
                answer=answer,
                corrected=changes,
                note=" ".join(note.split())[:300],
            )
        ]
    )
    report = _answers_apply(
        batch=item.batch,
        parsed=parsed,
        actor=actor,
        source="halaman",
        evidence={"batch": item.batch_id},
    )
    if report.unmatched:
        raise ValidationError(
            _("Calon ini sudah diverifikasi (mungkin baru saja oleh orang lain)."),
            code="answered",
        )
    return report


# --- screening corrected data again --------------------------------------------------------


def _rescreen(
    proposal: Proposal, corrections: list[tuple[Candidate, dict[str, str]]]
) -> dict[int, list[str]]:
    """Failed rule ids (or data-quality codes) per candidate after applying the corrections,
    screened with the proposal's run's policy and as-of date; ``[]`` when still eligible."""
    if not corrections:
        return {}
    run = proposal.screening_run
    policy = programme_year_policy(programme_year=proposal.programme_year)
    persons = {
        p[0]: p[1:]
        for p in Person.objects.filter(pk__in=[c.person_id for c, _x in corrections]).values_list(
            "pk", *PERSON_FIELDS
        )
    }
    values = []
    by_row: dict[int, int] = {}
    for candidate, corrected in corrections:
        record = dict(zip(PERSON_FIELDS, persons[candidate.person_id], strict=True))
        record.update(corrected)
        record["nik_numeric_cell"] = False
        values.append(tuple(record[f] for f in PERSON_FIELDS))
        by_row[record["row"]] = candidate.pk
    with connect("duckdb") as backend:
        result = screen(
            person_values_as_arrow(values),
            policy=policy,
            as_of=run.as_of,
            backend=backend,
            months=run.months,
        )
    out: dict[int, list[str]] = {}
    decisions = result.decisions.select(["row", "status", "reasons"]).to_pylist()
    for decision in decisions:
        reasons = [r for r in (decision["reasons"] or "").split(";") if r]
        out[by_row[decision["row"]]] = [] if decision["status"] == "eligible" else reasons
    return out


def _rescreen_text(proposal: Proposal, failed: list[str]) -> str:
    policy = programme_year_policy(programme_year=proposal.programme_year)
    words = "; ".join(f"{code} ({reason_text(policy, code)})" for code in failed)
    return _("Setelah perbaikan data Disdukcapil tidak lagi memenuhi syarat: %(w)s.") % {"w": words}
