"""Writes of employer supervision: the register, the visits, and the sanction ladder.

Every write is audited (``audit_entry_create``) in its own transaction; the detail holds
counts, dates, letter numbers and file hashes, never a worker's name (supervision reports
count workers, they do not list them). A sanction step is refused unless the year's pinned
policy applies PP 86/2013 (``Policy.sanctions.enabled``) and the ladder allows it
(``supervision.ladder``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.decrees.services import pdf_scan_check
from payung.documents.models import Document
from payung.documents.services import document_request
from payung.documents.storage import private_dir_ensure, private_file_write
from payung.domain import wilayah
from payung.domain.workdays import CalendarNotCovered
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.supervision import ladder
from payung.supervision.models import (
    Employer,
    SanctionCase,
    SanctionStep,
    SupervisionReport,
)

K = SanctionStep.Kind
RECORD_SUPERVISION: Final = "supervision.record_supervision"
MANAGE_EMPLOYER: Final = "supervision.manage_employer"
RECORD_BPJS: Final = "supervision.record_bpjs_step"
ISSUE_LETTER: Final = "supervision.issue_sanction_letter"
#: Largest evidence scan accepted (a letter of a few pages scanned at 300 dpi).
MAX_EVIDENCE_BYTES: Final = 10 * 1024 * 1024

_NIB = re.compile(r"^[0-9]{13}$")
_NPWP = re.compile(r"^[0-9]{15,16}$")


def _digits(value: str) -> str:
    return re.sub(r"[.\-\s]", "", value or "")


def _employer_clean(
    *, name: str, nib: str, npwp: str, address: str, village_code: str, sector: str, workers: int
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    nib, npwp = _digits(nib), _digits(npwp)
    if nib and not _NIB.match(nib):
        errors["nib"] = [_("NIB terdiri dari 13 angka.")]
    if npwp and not _NPWP.match(npwp):
        errors["npwp"] = [_("NPWP terdiri dari 15 atau 16 angka.")]
    region = wilayah.lookup(village_code or "")
    if region is None or len(region.code) != 10:
        errors["village_code"] = [_("Kode desa/kelurahan tidak dikenal (10 angka Kepmendagri).")]
    if not (name or "").strip():
        errors["name"] = [_("Nama pemberi kerja wajib diisi.")]
    if workers is None or workers < 0:
        errors["workers"] = [_("Jumlah pekerja tidak boleh negatif.")]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "nib": nib,
        "npwp": npwp,
        "address": address.strip(),
        "village_code": region.code if region else "",
        "sector": sector.strip(),
        "workers": workers,
    }


def _require(actor: Any, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


@transaction.atomic
def employer_create(
    *,
    actor: Any,
    name: str,
    nib: str,
    npwp: str,
    address: str,
    village_code: str,
    sector: str,
    workers: int,
) -> Employer:
    """Add an employer to the register Pasal 12 ayat (1)'s supervision works from."""
    _require(actor, MANAGE_EMPLOYER)
    fields = _employer_clean(
        name=name,
        nib=nib,
        npwp=npwp,
        address=address,
        village_code=village_code,
        sector=sector,
        workers=workers,
    )
    if fields["nib"] and Employer.objects.filter(nib=fields["nib"]).exists():
        raise ValidationError({"nib": [_("Pemberi kerja dengan NIB ini sudah terdaftar.")]})
    employer = Employer(created_by=actor, **fields)
    employer.full_clean()
    employer.save()
    audit_entry_create(
        actor=actor,
        action="employer_create",
        target=employer,
        detail={"workers": employer.workers, "kecamatan": employer.village_code[:6]},
    )
    return employer


@transaction.atomic
def employer_update(
    *,
    employer: Employer,
    actor: Any,
    name: str,
    nib: str,
    npwp: str,
    address: str,
    village_code: str,
    sector: str,
    workers: int,
) -> Employer:
    """Correct an employer's data (a new NIB, a move, a different number of workers)."""
    _require(actor, MANAGE_EMPLOYER)
    fields = _employer_clean(
        name=name,
        nib=nib,
        npwp=npwp,
        address=address,
        village_code=village_code,
        sector=sector,
        workers=workers,
    )
    if (
        fields["nib"]
        and Employer.objects.filter(nib=fields["nib"]).exclude(pk=employer.pk).exists()
    ):
        raise ValidationError({"nib": [_("Pemberi kerja dengan NIB ini sudah terdaftar.")]})
    changed = sorted(k for k, v in fields.items() if getattr(employer, k) != v)
    for key, value in fields.items():
        setattr(employer, key, value)
    employer.full_clean()
    employer.save()
    audit_entry_create(
        actor=actor, action="employer_update", target=employer, detail={"fields": changed}
    )
    return employer


@transaction.atomic
def supervision_report_record(
    *,
    programme_year: ProgrammeYear,
    employer: Employer,
    actor: Any,
    visited_on: date,
    inspector: str,
    workers_found: int,
    workers_unregistered: int,
    findings: str,
) -> SupervisionReport:
    """Record one supervision visit (Pasal 12 ayat (1): the team receives the results at
    least twice a year). The visit must fall in the programme year: the team's half-year
    check counts the reports of its own year."""
    _require(actor, RECORD_SUPERVISION)
    errors: dict[str, list[str]] = {}
    if visited_on.year != programme_year.year:
        errors["visited_on"] = [
            _("Tanggal kunjungan harus dalam tahun program %(year)s.")
            % {"year": programme_year.year}
        ]
    if workers_unregistered > workers_found:
        errors["workers_unregistered"] = [
            _("Pekerja yang belum terdaftar tidak boleh lebih banyak dari pekerja yang ditemukan.")
        ]
    if not (inspector or "").strip():
        errors["inspector"] = [_("Nama pengawas wajib diisi.")]
    if errors:
        raise ValidationError(errors)
    report = SupervisionReport(
        programme_year=programme_year,
        employer=employer,
        visited_on=visited_on,
        inspector=inspector.strip(),
        workers_found=workers_found,
        workers_unregistered=workers_unregistered,
        findings=findings.strip(),
        recorded_by=actor,
    )
    report.full_clean()
    report.save()
    # The half-year figures kept on the year object for a request are now stale.
    programme_year.__dict__.pop("_supervision_halves", None)
    audit_entry_create(
        actor=actor,
        action="supervision_report_record",
        target=report,
        detail={
            "visited_on": visited_on.isoformat(),
            "workers_found": workers_found,
            "workers_unregistered": workers_unregistered,
        },
    )
    return report


def sanctions_of(programme_year: ProgrammeYear) -> Any:
    """The year's pinned ladder settings (``Policy.sanctions``)."""
    return programme_year_policy(programme_year=programme_year).sanctions


def _sanctions_on(programme_year: ProgrammeYear) -> Any:
    sanctions = sanctions_of(programme_year)
    if not sanctions.enabled:
        raise ValidationError(
            _(
                "Kebijakan tahun program ini tidak menerapkan sanksi administratif "
                "PP 86/2013; kasus sanksi tidak dapat dicatat."
            ),
            code="sanctions_off",
        )
    return sanctions


@transaction.atomic
def sanction_case_open(
    *, report: SupervisionReport, actor: Any, finding: str, unpaid_contributions: int
) -> SanctionCase:
    """Open a case for one finding of a visit; BPJS then takes the ladder's first step."""
    _require(actor, RECORD_SUPERVISION)
    _sanctions_on(report.programme_year)
    if not (finding or "").strip():
        raise ValidationError({"finding": [_("Temuan yang dikenai sanksi wajib diisi.")]})
    if unpaid_contributions < 0:
        raise ValidationError({"unpaid_contributions": [_("Iuran tidak boleh negatif.")]})
    case = SanctionCase(
        programme_year=report.programme_year,
        report=report,
        finding=finding.strip(),
        unpaid_contributions=unpaid_contributions,
        opened_by=actor,
    )
    case.full_clean()
    case.save()
    audit_entry_create(
        actor=actor,
        action="sanction_case_open",
        target=case,
        detail={"report": report.pk, "unpaid_contributions": unpaid_contributions},
    )
    return case


def _evidence_store(*, case: SanctionCase, kind: str, evidence: Any) -> dict[str, Any]:
    """Keep the scanned letter or proof (PDF, 0600) and return its name, SHA-256 and size."""
    if evidence is None:
        return {}
    size = getattr(evidence, "size", None)
    if size is not None and size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"evidence": [_("Berkas bukti terlalu besar (maksimal 10 MB).")]})
    content = evidence.read(MAX_EVIDENCE_BYTES + 1)
    try:
        pdf_scan_check(content=content, max_bytes=MAX_EVIDENCE_BYTES)
    except ValidationError as refused:
        raise ValidationError({"evidence": refused.messages}) from None
    sha256 = hashlib.sha256(content).hexdigest()
    folder = private_dir_ensure(path=Path(settings.DATA_DIR) / "pengawasan")
    path = private_file_write(
        path=folder / f"sanksi-{case.pk}-{kind}-{sha256[:12]}.pdf", content=content
    )
    name = Path(getattr(evidence, "name", "") or "bukti.pdf").name[:255]
    return {
        "evidence_name": name,
        "evidence_sha256": sha256,
        "evidence_size": len(content),
        "evidence_path": str(path),
    }


def steps_done(case: SanctionCase) -> dict[str, ladder.StepFacts]:
    return {
        s.kind: ladder.StepFacts(letter_date=s.letter_date, deadline=s.deadline)
        for s in case.steps.all()
    }


@transaction.atomic
def sanction_step_record(
    *,
    case: SanctionCase,
    actor: Any,
    kind: str,
    letter_date: date,
    letter_number: str = "",
    note: str = "",
    evidence: Any = None,
    paid_proof: bool = False,
    registered_proof: bool = False,
) -> SanctionStep:
    """Record the next step of PP 86/2013's ladder for this case.

    BPJS's steps (warnings, fine, request; Pasal 6-8) are recorded by its officer with the
    letter's number and date; the regency's (the letter to DPMPTSP withholding services,
    Pasal 8-9, and its lifting) by Disnakertrans, and each queues its letter (DOCX, PDF)
    plus the record sheet of BPJS's warnings. The lifting needs proof of payment and of the
    registration of every worker, with the scanned proof as evidence.
    """
    locked = SanctionCase.objects.select_for_update().get(pk=case.pk)
    if kind not in K.values:
        raise ValidationError({"kind": [_("Langkah tidak dikenal.")]})
    _require(actor, RECORD_BPJS if kind in ladder.BPJS_KINDS else ISSUE_LETTER)
    sanctions = _sanctions_on(locked.programme_year)
    done = steps_done(locked)
    problem = ladder.ladder_problem(
        sanctions=sanctions, status=locked.status, done=done, kind=kind, letter_date=letter_date
    )
    if problem:
        raise ValidationError(problem, code="ladder")
    errors: dict[str, list[str]] = {}
    if kind != K.RESOLVED and not (letter_number or "").strip():
        errors["letter_number"] = [_("Nomor surat wajib diisi.")]
    if kind == K.LIFT:
        if not (paid_proof and registered_proof):
            errors["paid_proof"] = [
                _(
                    "Pencabutan memerlukan bukti pembayaran iuran dan bukti pendaftaran "
                    "seluruh pekerja."
                )
            ]
        if evidence is None:
            errors["evidence"] = [_("Unggah pindaian bukti pembayaran dan pendaftaran (PDF).")]
    if errors:
        raise ValidationError(errors)
    try:
        deadline = ladder.step_deadline(sanctions=sanctions, kind=kind, letter_date=letter_date)
    except CalendarNotCovered as exc:
        raise ValidationError(
            _("Hari libur tahun %(year)s belum ada di data; batas waktu tidak dapat dihitung.")
            % {"year": exc.year},
            code="calendar",
        ) from None
    fine = (
        ladder.fine_amount(sanctions=sanctions, unpaid=locked.unpaid_contributions)
        if kind == K.FINE
        else None
    )
    step = SanctionStep(
        case=locked,
        kind=kind,
        letter_number=(letter_number or "").strip(),
        letter_date=letter_date,
        deadline=deadline,
        fine_amount=fine,
        note=(note or "").strip(),
        recorded_by=actor,
        **_evidence_store(case=locked, kind=kind, evidence=evidence),
    )
    step.full_clean()
    step.save()
    status = {
        K.WITHHOLD: SanctionCase.Status.WITHHELD,
        K.LIFT: SanctionCase.Status.LIFTED,
        K.RESOLVED: SanctionCase.Status.RESOLVED,
    }.get(kind)
    if status:
        locked.status = status
        locked.save(update_fields=["status"])
    audit_entry_create(
        actor=actor,
        action="sanction_step_record",
        target=locked,
        detail={
            "kind": kind,
            "letter_date": letter_date.isoformat(),
            "deadline": deadline.isoformat() if deadline else "",
            "sha256": step.evidence_sha256,
        },
    )
    if kind in (K.WITHHOLD, K.LIFT):
        sanction_letters_request(case=locked, step=step, actor=actor)
    return step


#: The letters of a case: template name -> (document kind, title, builder's function name).
LETTERS: Final = {
    K.WITHHOLD: ("surat-penghentian-layanan", _("Surat Penghentian Layanan Publik Tertentu")),
    K.LIFT: ("surat-pencabutan-penghentian", _("Surat Pencabutan Penghentian Layanan Publik")),
}
RECORD_SHEET: Final = "catatan-teguran-bpjs"


def sanction_letters_request(
    *, case: SanctionCase, step: SanctionStep, actor: Any
) -> list[Document]:
    """Queue the regency's letter of ``step`` and the record sheet of BPJS's warnings, each as
    DOCX and PDF (``supervision.documents``)."""
    template, title = LETTERS[step.kind]
    out = []
    for kind, doc_title, builder in (
        (template, str(title), "letter"),
        (RECORD_SHEET, _("Lembar Catatan Teguran dan Sanksi BPJS Ketenagakerjaan"), "sheet"),
    ):
        for fmt in ("docx", "pdf"):
            out.append(
                document_request(
                    subject=step if builder == "letter" else case,
                    programme_year=case.programme_year,
                    kind=kind,
                    title=f"{doc_title} — {case.report.employer.name}",
                    fmt=fmt,
                    builder=f"payung.supervision.documents.{builder}_{fmt}",
                    file_name=f"{kind}-{case.pk}.{fmt}",
                    actor=actor,
                )
            )
    return out
