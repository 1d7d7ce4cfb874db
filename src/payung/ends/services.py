"""Writes of the ends stage: ending one participation by hand, and the files that end many.

Design §2 ("ends"): a participation ends with a date, a reason and evidence; the one
transition is ``participants.services.participant_end`` (→ ENDED, the coverage period
closed, audited), which billing reads (Pasal 9: the end month is the last billed). This
module only gathers and checks the evidence, and turns Disdukcapil's and BPJS's files into
such ends: checked row by row in the background, previewed, and applied by a second person
(four eyes, like BPJS's registration answer, Pasal 8 ayat (3)).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.exports import neutralise
from payung.core.formatting import tanggal
from payung.core.jobs import (
    JobLost,
    job_enqueue,
    job_lease_hold,
    job_write,
    upload_job_fail_system,
    upload_job_refuse,
)
from payung.core.models import JobStatus
from payung.core.permissions import actor_require
from payung.core.uploads import upload_read, upload_store
from payung.ends.files import EventFile, EventRow
from payung.ends.models import Claim, EndImport, EndImportRow
from payung.engine import csv_bytes
from payung.participants.models import Candidate, CandidateState, CoveragePeriod, EndReason
from payung.participants.services import participant_end
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy

logger = logging.getLogger(__name__)

END_PERM: Final = "participants.end_participant"
VIEW_PERM: Final = "ends.view_ends"
IMPORT_PERMS: Final[dict[str, str]] = {
    EndImport.Kind.DUKCAPIL: "ends.import_dukcapil_ends",
    EndImport.Kind.CLAIMS: "ends.import_claims",
}
UPLOAD_KINDS: Final[dict[str, str]] = {
    EndImport.Kind.DUKCAPIL: "dukcapil_ends",
    EndImport.Kind.CLAIMS: "bpjs_claims",
}
MAX_BYTES: Final = 20 * 1024 * 1024
FOLDER: Final = "akhir-kepesertaan"
#: Reasons an operator records by hand. Double funding ends through the linkage app (a
#: person decides the match), a BPJS refusal through the registration answer.
MANUAL_REASONS: Final[tuple[str, ...]] = (
    EndReason.MENINGGAL,
    EndReason.PINDAH,
    EndReason.TIDAK_MEMENUHI_SYARAT,
    EndReason.MENGUNDURKAN_DIRI,
)
#: States whose participation can end (the transition table's "end" move).
ENDABLE: Final = frozenset(
    {CandidateState.DECREED, CandidateState.REGISTERED, CandidateState.ACTIVE}
)
#: Whom a file's row can name: the participants of the year, ended ones included.
PARTICIPANT_STATES: Final = ENDABLE | {CandidateState.ENDED}
#: Where an end came from, stored in the history's evidence as ``sumber``.
SOURCE_FORM: Final = "formulir"
SOURCE_DUKCAPIL: Final = "data Disdukcapil"
SOURCE_CLAIMS: Final = "klaim BPJS"
TEXT_MAX: Final = 120


# ------------------------------------------------------------------------------------------
# One participant, by hand
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EndEvidence:
    """What proves an end, per reason (issue 12): for a death, the family's report with the
    death certificate (akta kematian: number and date) or another source named; for a move,
    Disdukcapil's letter or notice number; for ineligibility, the articles failed; for a
    withdrawal, the date of the person's letter."""

    death_source: str = ""  # "akta" (family with the certificate) or "lain"
    akta_number: str = ""
    akta_date: date | None = None
    other_source: str = ""
    letter_number: str = ""
    failed_rules: tuple[str, ...] = ()
    letter_date: date | None = None


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _cover_start(candidate: Candidate) -> date | None:
    period = CoveragePeriod.objects.filter(candidate=candidate).order_by("-start").first()
    return period.start if period is not None else None


def _evidence_problems(
    *, reason_code: str, on: date, evidence: EndEvidence, today: date, rule_ids: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, Any], str]:
    """Every problem of the evidence at once, by form field; else the history's evidence
    and the reason in words."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    stored: dict[str, Any] = {"sumber": SOURCE_FORM}
    reason = str(EndReason(reason_code).label) if reason_code in EndReason.values else ""
    if reason_code == EndReason.MENINGGAL:
        if evidence.death_source == "akta":
            number = _clean(evidence.akta_number)
            if not number:
                add("akta_number", _("Isi nomor akta kematian yang ditunjukkan keluarga."))
            elif len(number) > TEXT_MAX:
                add("akta_number", _("Nomor akta kematian terlalu panjang."))
            if evidence.akta_date is None:
                add("akta_date", _("Isi tanggal akta kematian."))
            elif evidence.akta_date > today:
                add("akta_date", _("Tanggal akta kematian tidak boleh di masa depan."))
            elif evidence.akta_date < on:
                add("akta_date", _("Tanggal akta kematian tidak boleh sebelum tanggal meninggal."))
            stored |= {
                "dilaporkan oleh": "keluarga",
                "nomor akta kematian": number,
                "tanggal akta kematian": evidence.akta_date.isoformat()
                if evidence.akta_date
                else "",
            }
            reason = _("Meninggal dunia; dilaporkan keluarga dengan akta kematian.")
        elif evidence.death_source == "lain":
            source = _clean(evidence.other_source)
            if not source:
                add("other_source", _("Sebutkan siapa yang melaporkan kematian."))
            elif len(source) > TEXT_MAX:
                add("other_source", _("Keterangan sumber laporan terlalu panjang."))
            stored |= {"dilaporkan oleh": source}
            reason = _("Meninggal dunia; dilaporkan oleh sumber lain.")
        else:
            add("death_source", _("Pilih siapa yang melaporkan kematian."))
    elif reason_code == EndReason.PINDAH:
        number = _clean(evidence.letter_number)
        if not number:
            add("letter_number", _("Isi nomor surat atau pemberitahuan pindah dari Disdukcapil."))
        elif len(number) > TEXT_MAX:
            add("letter_number", _("Nomor surat terlalu panjang."))
        stored |= {"nomor surat Disdukcapil": number}
        reason = _("Pindah domisili ke luar daerah (surat Disdukcapil).")
    elif reason_code == EndReason.TIDAK_MEMENUHI_SYARAT:
        chosen = [r for r in dict.fromkeys(evidence.failed_rules) if r]
        unknown = [r for r in chosen if r not in rule_ids]
        if not chosen:
            add("failed_rules", _("Pilih pasal yang tidak lagi terpenuhi."))
        elif unknown:
            add("failed_rules", _("Pilih pasal dari peraturan tahun program ini."))
        stored |= {"pasal tidak terpenuhi": ", ".join(chosen)}
        reason = _("Tidak lagi memenuhi syarat pada pemeriksaan ulang: %(rules)s.") % {
            "rules": ", ".join(chosen)
        }
    elif reason_code == EndReason.MENGUNDURKAN_DIRI:
        if evidence.letter_date is None:
            add("letter_date", _("Isi tanggal surat pengunduran diri."))
        elif evidence.letter_date > today:
            add("letter_date", _("Tanggal surat pengunduran diri tidak boleh di masa depan."))
        stored |= {
            "tanggal surat pengunduran diri": evidence.letter_date.isoformat()
            if evidence.letter_date
            else ""
        }
        reason = _("Mengundurkan diri dengan surat tertulis.")
    return problems, stored, reason


def policy_rule_choices(*, programme_year: ProgrammeYear) -> list[tuple[str, str, str]]:
    """The pinned policy's rules as (id, article, sentence): what "ineligible on re-check"
    may cite (Pasal 5), from the year's own snapshot, never today's file."""
    policy = programme_year_policy(programme_year=programme_year)
    return [(rule.id, rule.article, " ".join(rule.sentence.split())) for rule in policy.rules]


@transaction.atomic
def participation_end_record(
    *,
    candidate: Candidate,
    actor: Any,
    on: date,
    reason_code: str,
    evidence: EndEvidence,
    today: date | None = None,
) -> Candidate:
    """End one participation from the operator's form, with the evidence its reason needs.

    Every problem is reported at once, by field (``ValidationError`` with a dict): the date
    inside the programme year (Pasal 6 ayat (2): cover is bought per year), not before the
    cover started, not in the future; the evidence of the reason. The end itself is
    ``participant_end`` (history event with the evidence, coverage period closed, audited).
    """
    actor_require(actor=actor, perm=END_PERM)
    today = today or timezone.localdate()
    candidate.refresh_from_db(fields=["state"])  # the page may be older than the state
    year = candidate.proposal.programme_year
    problems: dict[str, list[str]] = {}
    if candidate.state not in ENDABLE:
        raise ValidationError(
            _("Kepesertaan ini tidak dapat diakhiri (status: %(state)s).")
            % {"state": candidate.get_state_display()},
            code="state",
        )
    if reason_code not in MANUAL_REASONS:
        problems["reason_code"] = [_("Pilih alasan berakhirnya kepesertaan.")]
    if on.year != year.year:
        problems.setdefault("on", []).append(
            _("Tanggal berakhir harus di dalam tahun program %(year)s.") % {"year": year.year}
        )
    if on > today:
        problems.setdefault("on", []).append(_("Tanggal berakhir tidak boleh di masa depan."))
    start = _cover_start(candidate)
    if start is not None and on < start:
        problems.setdefault("on", []).append(
            _("Tanggal berakhir tidak boleh sebelum mulai kepesertaan (%(start)s).")
            % {"start": tanggal(start)}
        )
    rule_ids = [r[0] for r in policy_rule_choices(programme_year=year)]
    found, stored, reason = _evidence_problems(
        reason_code=reason_code, on=on, evidence=evidence, today=today, rule_ids=rule_ids
    )
    for field, messages in found.items():
        problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    return participant_end(
        candidate=candidate,
        actor=actor,
        on=on,
        reason_code=reason_code,
        reason=reason,
        evidence=stored,
    )


# ------------------------------------------------------------------------------------------
# Files: Disdukcapil's deaths and moves, BPJS's claims
# ------------------------------------------------------------------------------------------


def end_import_create(
    *, programme_year: ProgrammeYear, kind: str, uploaded: Any, actor: Any
) -> EndImport:
    """Store an uploaded file (0600, SHA-256) and queue its reading; the task gets the id.

    Disdukcapil's data: the verifikator or the operator kepesertaan; BPJS's claims: the
    petugas BPJS. Audited with the file's name, size and SHA-256 only.
    """
    if kind not in IMPORT_PERMS:
        raise ValidationError(_("Pilih jenis berkas."), code="kind")
    actor_require(actor=actor, perm=IMPORT_PERMS[kind])
    upload = upload_store(
        uploaded=uploaded,
        folder=FOLDER,
        max_bytes=MAX_BYTES,
        default_name="berkas.xlsx",
        too_large=_("Berkas terlalu besar (maksimal %(limit)s)."),
    )
    with transaction.atomic():
        job = EndImport.objects.create(
            programme_year=programme_year,
            kind=kind,
            file_name=upload.name,
            sha256=upload.sha256,
            size_bytes=upload.size,
            stored_path=upload.stored_path,
            uploaded_by=actor,
        )
        audit_entry_create(
            actor=actor,
            action="end_import_upload",
            target=job,
            detail={
                "kind": kind,
                "file_name": upload.name,
                "sha256": upload.sha256,
                "size_bytes": upload.size,
            },
        )
        job_enqueue(job=job)
    return job


def _year_people(programme_year: ProgrammeYear) -> tuple[dict[str, Any], dict[str, Any]]:
    """The year's candidates by NIK and by KPJ: (pk, nik, kpj, state, cover start)."""
    starts = dict(
        CoveragePeriod.objects.filter(candidate__proposal__programme_year=programme_year)
        .order_by("start")
        .values_list("candidate_id", "start")
    )
    by_nik: dict[str, Any] = {}
    by_kpj: dict[str, Any] = {}
    rows = Candidate.objects.filter(proposal__programme_year=programme_year).values_list(
        "pk", "nik", "kpj", "state"
    )
    for pk, nik, kpj, state in rows:
        entry = (pk, nik, kpj, state, starts.get(pk))
        by_nik[nik] = entry
        if kpj:
            by_kpj[kpj] = entry
    return by_nik, by_kpj


def _at(row: int, column: str, text: str) -> str:
    return _("Baris %(row)s, kolom %(col)s: %(text)s") % {"row": row, "col": column, "text": text}


def _ends(row: EventRow) -> bool:
    """Whether a row ends a participation: a death or a move (Disdukcapil), or a JKM claim
    paid or in process (BPJS pays JKM only on a death: the event date is the death)."""
    if row.event in {"meninggal", "pindah"}:
        return True
    return row.event == "klaim_jkm" and row.claim_status in {"DIBAYAR", "PROSES"}


def end_rows_match(
    *, programme_year: ProgrammeYear, kind: str, checked: EventFile, today: date
) -> tuple[list[EndImportRow], list[str]]:
    """Match checked rows to the year's participants; return the rows and row problems.

    A claim's KPJ and NIK must name the same participant; an event in the future, outside
    the year or before the cover started, or a second ending row for the same person, is a
    row problem (the whole file is refused). Rows for nobody of the year are kept as
    ``tidak_cocok``; rows for someone already ended as ``sudah_berakhir``.
    """
    by_nik, by_kpj = _year_people(programme_year)
    problems: list[str] = []
    made: list[EndImportRow] = []
    ending_rows: dict[int, int] = {}
    date_column = "TANGGAL" if kind == EndImport.Kind.DUKCAPIL else "TANGGAL_KEJADIAN"
    for row in checked.rows:
        if row.event_date > today:
            problems.append(_at(row.row, date_column, _("tanggal tidak boleh di masa depan.")))
            continue
        entry = None
        if kind == EndImport.Kind.CLAIMS:
            by_k, by_n = by_kpj.get(row.kpj), by_nik.get(row.nik)
            if by_n is not None and by_n[3] not in PARTICIPANT_STATES:
                by_n = None  # someone of the year who never became a participant
            if (by_k or by_n) and by_k != by_n:
                problems.append(
                    _at(row.row, "KPJ", _("KPJ dan NIK tidak menunjuk peserta yang sama."))
                )
                continue
            entry = by_k
        else:
            entry = by_nik.get(row.nik)
        if entry is not None and entry[3] not in PARTICIPANT_STATES:
            entry = None  # a candidate of the year who never became a participant
        outcome = EndImportRow.Outcome.TIDAK_COCOK
        if entry is not None:
            pk, _nik, _kpj, state, start = entry
            if state == CandidateState.ENDED:
                outcome = EndImportRow.Outcome.SUDAH_BERAKHIR
            elif _ends(row):
                if row.event_date.year != programme_year.year:
                    problems.append(
                        _at(
                            row.row,
                            date_column,
                            _("tanggal di luar tahun program %(year)s.")
                            % {"year": programme_year.year},
                        )
                    )
                    continue
                if start is not None and row.event_date < start:
                    problems.append(
                        _at(row.row, date_column, _("tanggal sebelum mulai kepesertaan."))
                    )
                    continue
                if pk in ending_rows:
                    problems.append(
                        _at(
                            row.row,
                            "NIK",
                            _("peserta yang sama sudah diakhiri oleh baris %(other)s.")
                            % {"other": ending_rows[pk]},
                        )
                    )
                    continue
                ending_rows[pk] = row.row
                outcome = EndImportRow.Outcome.AKAN_BERAKHIR
            else:
                outcome = EndImportRow.Outcome.DICATAT
        made.append(
            EndImportRow(
                row=row.row,
                candidate_id=entry[0] if entry is not None else None,
                nik=row.nik,
                kpj=row.kpj,
                event=row.event,
                event_date=row.event_date,
                document_number=row.document_number,
                note=row.note,
                claim_status=row.claim_status,
                amount_paid=row.amount_paid,
                outcome=outcome,
            )
        )
    return made, problems


def end_import_execute(*, end_import: EndImport, today: date | None = None) -> EndImport:
    """Read a queued file, check every row, match the rows; all or nothing.

    Any row problem refuses the whole file and the job keeps every message (row and
    column, never a cell's value). The rows and the job's "done" are one transaction. The
    stored upload is deleted once processed; its SHA-256 stays as the evidence.
    """
    job = end_import
    today = today or timezone.localdate()
    job_write(job=job, status=JobStatus.RUNNING, progress=0)
    path = Path(settings.MEDIA_ROOT) / job.stored_path
    try:
        outcome = upload_read(kind=UPLOAD_KINDS[job.kind], path=path, name=job.file_name)
        if not outcome.accepted:
            _job_refused(job, list(outcome.messages))
            path.unlink(missing_ok=True)
            return job
        job_write(job=job, progress=50)
        rows, problems = end_rows_match(
            programme_year=job.programme_year, kind=job.kind, checked=outcome.result, today=today
        )
        if problems:
            _job_refused(job, problems)
            path.unlink(missing_ok=True)
            return job
        with transaction.atomic():
            job_lease_hold(job=job)
            for row in rows:
                row.end_import = job
            EndImportRow.objects.bulk_create(rows, batch_size=1000)
            job_write(
                job=job,
                status=JobStatus.DONE,
                progress=100,
                stored_path="",
                finished_at=timezone.now(),
            )
    except JobLost:
        raise
    except Exception as exc:
        logger.error("end import %s failed: %s", job.pk, type(exc).__name__)
        upload_job_fail_system(
            job=job,
            message=_(
                "Berkas tidak dapat diproses karena kesalahan sistem; tidak ada yang disimpan. "
                "Hubungi administrator."
            ),
        )
    path.unlink(missing_ok=True)
    return job


def _job_refused(job: EndImport, errors: list[str]) -> None:
    upload_job_refuse(
        job=job,
        errors=errors,
        message=_("Berkas ditolak seluruhnya; %(n)s masalah ditemukan.") % {"n": len(errors)},
        action="end_import_refused",
    )


@dataclass(frozen=True)
class ApplyResult:
    ended: dict[str, int]
    claims: int
    skipped: int


@transaction.atomic
def end_import_apply(*, end_import: EndImport, actor: Any) -> ApplyResult:
    """Apply a read file: end the participations its rows end, record its claims.

    Four eyes: someone with ``participants.end_participant`` who did not upload it (the
    history names both). Deaths end with ``meninggal`` (the last covered day is the event
    date), moves with ``pindah``; the evidence is the file's name and SHA-256, the row and
    the akta or claim details. A participant ended since the preview is skipped, counted.
    """
    actor_require(actor=actor, perm=END_PERM)
    job = EndImport.objects.select_for_update().get(pk=end_import.pk)
    if job.uploaded_by_id == actor.pk:
        raise ValidationError(
            _(
                "Berkas ini Anda unggah sendiri; penerapannya harus oleh petugas lain "
                "(prinsip empat mata)."
            ),
            code="four_eyes",
        )
    if job.status != JobStatus.DONE:
        raise ValidationError(_("Berkas ini belum selesai dibaca."), code="not_done")
    if job.applied_at is not None:
        raise ValidationError(_("Berkas ini sudah diterapkan."), code="applied")
    ended: dict[str, int] = {}
    skipped = 0
    rows = list(
        job.rows.filter(outcome=EndImportRow.Outcome.AKAN_BERAKHIR)
        .select_related("candidate__proposal__programme_year")
        .order_by("row")
    )
    source = SOURCE_DUKCAPIL if job.kind == EndImport.Kind.DUKCAPIL else SOURCE_CLAIMS
    for row in rows:
        candidate = row.candidate
        assert candidate is not None
        candidate.refresh_from_db(fields=["state"])
        if candidate.state not in ENDABLE:
            skipped += 1
            continue
        code = EndReason.PINDAH if row.event == "pindah" else EndReason.MENINGGAL
        evidence: dict[str, Any] = {
            "sumber": source,
            "file_name": job.file_name,
            "file_sha256": job.sha256,
            "row": row.row,
        }
        if row.document_number:
            evidence["nomor akta kematian"] = row.document_number
        if row.event == "klaim_jkm":
            evidence |= {"jenis klaim": "JKM", "status klaim": row.claim_status}
            reason = _("Meninggal dunia; klaim JKM BPJS Ketenagakerjaan.")
        elif code == EndReason.PINDAH:
            reason = _("Pindah domisili ke luar daerah (data Disdukcapil).")
        else:
            reason = _("Meninggal dunia (data kematian Disdukcapil).")
        participant_end(
            candidate=candidate,
            actor=actor,
            on=row.event_date,
            reason_code=code,
            reason=reason,
            evidence=evidence,
            prepared_by=job.uploaded_by,
        )
        ended[code] = ended.get(code, 0) + 1
    claims = [
        Claim(
            candidate_id=row.candidate_id,
            kpj=row.kpj,
            claim_type="JKK" if row.event == "klaim_jkk" else "JKM",
            event_date=row.event_date,
            amount_paid=row.amount_paid,
            status=row.claim_status,
            end_import=job,
            row=row.row,
        )
        for row in job.rows.filter(
            candidate__isnull=False, event__in=["klaim_jkk", "klaim_jkm"]
        ).order_by("row")
    ]
    Claim.objects.bulk_create(claims)
    job.applied_by, job.applied_at = actor, timezone.now()
    job.save(update_fields=["applied_by", "applied_at"])
    audit_entry_create(
        actor=actor,
        action="end_import_apply",
        target=job,
        detail={"sha256": job.sha256, "ended": ended, "claims": len(claims), "skipped": skipped},
    )
    return ApplyResult(ended=ended, claims=len(claims), skipped=skipped)


#: What the PETUNJUK sheet of the unmatched rows says.
UNMATCHED_GUIDE: Final[tuple[str, ...]] = (
    "Baris berkas yang tidak cocok dengan peserta tahun program ini (tidak ada yang dibuang).",
    "NIK dan KPJ ditulis sebagai teks. Periksa apakah orangnya peserta tahun lain atau NIK-nya "
    "salah tulis; bila peserta, akhiri kepesertaannya di halaman peserta.",
    "Berkas ini memuat data pribadi: simpan dan bagikan sesuai UU 27/2022.",
)
UNMATCHED_HEADERS: Final = ("BARIS", "NIK", "KPJ", "KEJADIAN", "TANGGAL", "KETERANGAN")


def end_import_unmatched_file(*, end_import: EndImport, fmt: str, actor: Any) -> tuple[bytes, str]:
    """The rows no participant of the year matched, as XLSX (text NIK/KPJ, PETUNJUK) or CSV
    (UTF-8 with BOM, ``;``), formulas neutralised. A download of personal data: audited."""
    actor_require(actor=actor, perm=END_PERM)
    if fmt not in {"xlsx", "csv"}:
        raise ValidationError(_("Format harus XLSX atau CSV."), code="format")
    labels = dict(EndImportRow.Event.choices)
    rows = [
        (
            r.row,
            neutralise(r.nik),
            neutralise(r.kpj),
            str(labels.get(r.event, r.event)),
            r.event_date.isoformat(),
            neutralise(r.note or r.document_number),
        )
        for r in end_import.rows.filter(outcome=EndImportRow.Outcome.TIDAK_COCOK).order_by("row")
    ]
    content = csv_bytes(UNMATCHED_HEADERS, rows) if fmt == "csv" else _unmatched_xlsx(rows)
    with transaction.atomic():
        audit_entry_create(
            actor=actor,
            action="end_import_unmatched_download",
            target=end_import,
            detail={"rows": len(rows), "format": fmt},
        )
    return content, f"tidak-cocok-{end_import.pk}.{fmt}"


def _unmatched_xlsx(rows: list[tuple[Any, ...]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"strings_to_numbers": False, "strings_to_formulas": False, "in_memory": True}
    )
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet("TIDAK COCOK")
    sheet.write_row(0, 0, UNMATCHED_HEADERS, bold)
    sheet.set_column(1, 2, 20, text)
    sheet.set_column(3, 5, 24)
    for r, values in enumerate(rows, start=1):
        sheet.write_number(r, 0, values[0])
        for c, value in enumerate(values[1:], start=1):
            sheet.write_string(r, c, str(value))
    guide = workbook.add_worksheet("PETUNJUK")
    guide.set_column(0, 0, 110)
    for r, line in enumerate(UNMATCHED_GUIDE):
        guide.write_string(r, 0, line)
    workbook.close()
    return buffer.getvalue()
