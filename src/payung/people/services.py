"""Personal-data rights: the audited export of one person's data, and the retention period.

``person_export`` answers a person's request for access (UU 27/2022 tentang Pelindungan Data
Pribadi, Pasal 7): every record Payung holds on a NIK, written to a file only its owner can
read, with an audit entry naming the operator and the masked NIK.

``retention_run`` keeps personal data no longer than the programme needs it: people who never
held a place (never proposed, verified or decreed) have no claim or decree that depends on
their rows, so ``PAYUNG_RETENTION_YEARS`` full years after their programme year their rows
are removed. What the year's documents and pages report as totals is stored with the run
before any row goes, so the year's figures stay what they were.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.domain import nik as nik_domain
from payung.participants.models import PLACE_HOLDING, Candidate, CandidateEvent
from payung.people.selectors import EXPORT_FORMAT, person_nik_normalise, person_records
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, Household, Person
from payung.screening.models import Decision, ScreeningRun

EXPORT_PERMISSION = "screening.export_personal_data"
FORMATS = (".json", ".xlsx")


# --- right of access --------------------------------------------------------------------


@transaction.atomic
def person_page_view(*, person: Person, actor: Any, years: int) -> None:
    """Record that ``actor`` opened the page of one person's journey (design §6).

    The page gathers a person's data over years in one place, so each view is in the audit
    trail like an export: the entry names the imported row and the masked NIK, never more.
    """
    audit_entry_create(
        actor=actor,
        action="person_view",
        target=person,
        detail={"nik_masked": nik_domain.mask(person.nik), "years": years},
    )


@transaction.atomic
def person_kpj_reveal(*, person: Person, actor: Any) -> str:
    """The full card number (KPJ) of the candidacy behind one imported row, after recording
    who saw it; '' when BPJS has not given one.

    A KPJ is shown masked like a NIK (design §6) and revealed by the same rule: the roles
    that may see a full NIK, one audited view at a time.
    """
    if not (
        actor.has_perm("screening.view_unmasked_nik")
        and actor.has_perm("screening.view_person_decision")
    ):
        raise PermissionDenied
    kpj = (
        Candidate.objects.filter(person_id=person.pk)
        .order_by("-proposal_id")
        .values_list("kpj", flat=True)
        .first()
    ) or ""
    audit_entry_create(
        actor=actor,
        action="kpj_view",
        target=person,
        detail={"nik_masked": nik_domain.mask(person.nik), "kpj_masked": nik_domain.mask(kpj)},
    )
    return kpj


@dataclass(frozen=True)
class PersonExport:
    path: Path
    records: int
    nik_masked: str


def _private_file(path: Path) -> IO[bytes]:
    """Open ``path`` for writing with mode 0600 from the first byte (design §6)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT
    return os.fdopen(fd, "wb")


def _xlsx(document: dict[str, Any], handle: Any) -> None:
    """One sheet of (bagian, isian, nilai) rows: the JSON flattened, for a spreadsheet user."""
    import xlsxwriter

    book = xlsxwriter.Workbook(handle, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Data pribadi")
    bold = book.add_format({"bold": True})
    for col, header in enumerate((_("Bagian"), _("Isian"), _("Nilai"))):
        sheet.write_string(0, col, header, bold)
    row = 1
    for path, value in _flatten(document):
        section, _dot, key = path.partition(".")
        sheet.write_string(row, 0, section)
        sheet.write_string(row, 1, key)
        sheet.write_string(row, 2, "" if value is None else str(value))
        row += 1
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2, 60)
    book.close()


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if not value and prefix:
            yield prefix, ""
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        if not value and prefix:
            yield prefix, ""
        for i, inner in enumerate(value, start=1):
            yield from _flatten(inner, f"{prefix}[{i}]")
    else:
        yield prefix, value


def person_export(*, nik: str, actor: Any, out: Path) -> PersonExport:
    """Write everything held on ``nik`` to ``out`` (.json or .xlsx, mode 0600) and audit it.

    The NIK never reaches the audit trail, a log or an error message in full: the entry
    keeps it masked with the number of records, the format and the operator. A NIK that
    Payung does not hold still gets a file (with no records): "nothing" is an answer too.
    """
    if not actor.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    nik = person_nik_normalise(raw=nik)
    if not nik:
        raise ValidationError(_("NIK kosong."), code="nik_empty")
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(
            _("Berkas keluaran harus berakhiran .json atau .xlsx."), code="bad_format"
        )
    records = person_records(nik=nik)
    masked = nik_domain.mask(nik)
    document = {
        "format": EXPORT_FORMAT,
        "dibuat": timezone.localtime().isoformat(),
        "nik": nik,
        "jumlah_catatan": len(records),
        "catatan": records,
    }
    with transaction.atomic():
        with _private_file(out) as handle:
            if suffix == ".json":
                handle.write(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
            else:
                _xlsx(document, handle)
        audit_entry_create(
            actor=actor,
            action="person_export",
            detail={
                "nik_masked": masked,
                "records": len(records),
                "format": suffix.lstrip("."),
            },
        )
    return PersonExport(path=out, records=len(records), nik_masked=masked)


# --- retention ----------------------------------------------------------------------------


@dataclass
class RetentionYear:
    year: int
    region: str
    persons: int = 0
    decisions: int = 0
    candidates: int = 0
    households: int = 0
    files: int = 0
    kept: int = 0


@dataclass
class RetentionReport:
    years: list[RetentionYear] = field(default_factory=list)
    dry_run: bool = False

    def total(self, name: str) -> int:
        return sum(getattr(y, name) for y in self.years)


def retention_due_years(*, as_of: date, keep_years: int) -> list[ProgrammeYear]:
    """Years whose retention period is over on ``as_of``: ``keep_years`` full calendar
    years have passed since the year ended (2026 with 5 years: from 1 January 2032)."""
    return list(ProgrammeYear.objects.filter(year__lt=as_of.year - keep_years).order_by("year"))


def _kept_person_ids(year: ProgrammeYear) -> set[int]:
    """People of ``year`` who ever held a place: proposed, verified or decreed, now or in
    their history (an excluded or rejected candidate was proposed, and the exclusion is
    evidence someone may ask about)."""
    candidates = Candidate.objects.filter(proposal__programme_year=year)
    placed = candidates.filter(
        Q(state__in=PLACE_HOLDING)
        | Q(pk__in=CandidateEvent.objects.filter(to_state__in=PLACE_HOLDING).values("candidate_id"))
    )
    return set(placed.values_list("person_id", flat=True))


def _aggregates_store(run: ScreeningRun) -> None:
    """Freeze what the run's summary reads from decision rows (the kecamatan breakdown) into
    ``counts`` before rows go; the other totals are already the engine's stored counts."""
    counts = dict(run.counts or {})
    if "by_kecamatan" not in counts:
        grouped: dict[str, dict[str, int]] = {}
        for item in (
            Decision.objects.filter(run=run)
            .values("kode_kecamatan", "status")
            .annotate(n=Count("id"))
            .order_by("kode_kecamatan", "status")
        ):
            grouped.setdefault(item["kode_kecamatan"], {})[item["status"]] = item["n"]
        counts["by_kecamatan"] = grouped
    ScreeningRun.objects.filter(pk=run.pk).update(counts=counts)


def _year_retire(
    year: ProgrammeYear, *, dry_run: bool, actor: Any, keep_years: int
) -> RetentionYear:
    kept = _kept_person_ids(year)
    persons = Person.objects.filter(dtsen_import__programme_year=year).exclude(pk__in=kept)
    candidates = Candidate.objects.filter(proposal__programme_year=year).exclude(person_id__in=kept)
    runs = list(ScreeningRun.objects.filter(programme_year=year))
    decisions = Decision.objects.filter(run__in=runs).exclude(person_id__in=kept)
    report = RetentionYear(
        year=year.year,
        region=year.region_name,
        persons=persons.count(),
        decisions=decisions.count(),
        candidates=candidates.count(),
        kept=len(kept),
    )
    households = Household.objects.filter(dtsen_import__programme_year=year)
    imports = DtsenImport.objects.filter(programme_year=year).exclude(stored_path="")
    if dry_run:
        report.files = imports.count()
        report.households = households.exclude(
            pk__in=Person.objects.filter(pk__in=kept).values("household_id")
        ).count()
        return report
    stored = list(imports.values_list("pk", "stored_path"))
    if not (report.persons or report.decisions or report.candidates or stored):
        return report
    with transaction.atomic():
        for run in runs:
            _aggregates_store(run)
        candidates.delete()  # their history (CandidateEvent) goes with them
        # Nothing refers to these rows any more (their candidacies went first), so they go in
        # one DELETE each: Django's collector would load a regency's million persons into
        # memory to look for the PROTECT references that were just removed.
        decisions._raw_delete(decisions.db)
        persons._raw_delete(persons.db)
        orphans = households.exclude(
            pk__in=Person.objects.filter(dtsen_import__programme_year=year)
            .exclude(household_id=None)
            .values("household_id")
        )
        report.households = orphans.count()
        orphans.delete()
        audit_entry_create(
            actor=actor,
            action="retention_run",
            target=year,
            detail={
                "year": year.year,
                "retention_years": keep_years,
                "persons": report.persons,
                "decisions": report.decisions,
                "candidates": report.candidates,
                "households": report.households,
                "files": len(stored),
                "kept": report.kept,
            },
        )
        DtsenImport.objects.filter(pk__in=[pk for pk, _path in stored]).update(stored_path="")
    # The uploaded extracts hold every row of the year: removed once the rows are, after the
    # commit, so a rolled-back year keeps its files.
    for _pk, relative in stored:
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)
    report.files = len(stored)
    return report


def retention_run(
    *, actor: Any, as_of: date, keep_years: int, dry_run: bool = False
) -> RetentionReport:
    """Remove the personal data of people never selected, ``keep_years`` after their year.

    Each year is one transaction with its own audit entry; a dry run counts what would go
    and changes nothing. The operator must hold the permission to export personal data:
    removing it is at least as sensitive as reading it.
    """
    if not actor.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    if keep_years < 1:
        raise ValidationError(
            _("Masa simpan harus paling sedikit 1 tahun."), code="retention_too_short"
        )
    report = RetentionReport(dry_run=dry_run)
    for year in retention_due_years(as_of=as_of, keep_years=keep_years):
        report.years.append(_year_retire(year, dry_run=dry_run, actor=actor, keep_years=keep_years))
    return report


# --- the data-subject record (PDF) ------------------------------------------------------------


def record_purposes() -> dict[str, str]:
    """Why a person's record is printed, as codes: the audit trail keeps the code, never free
    text (which could carry a name)."""
    return {
        "permintaan_ybs": _("Permintaan yang bersangkutan (hak akses, UU 27/2022 Pasal 7)"),
        "sanggahan": _("Bahan sanggahan yang bersangkutan"),
        "kuasa": _("Permintaan keluarga atau kuasa yang bersangkutan, dengan surat kuasa"),
    }


@transaction.atomic
def person_record_pdf(*, person: Person, actor: Any, purpose: str) -> bytes:
    """The PDF of everything held on the person behind ``person`` (UU 27/2022, Pasal 7),
    after recording who printed it and why.

    For the role that exports personal data on a person's request (the operator pendataan,
    who meets refused people at the counter): the record holds the full NIK and every value
    screened, so it is the person's own copy. The audit entry names the masked NIK, the
    purpose's code, the years and the file's SHA-256, never more.
    """
    import hashlib

    from payung.documents.render import pdf_render
    from payung.people.record import TEMPLATE, person_record_context

    if not (actor.has_perm(EXPORT_PERMISSION) and actor.has_perm("screening.view_person_decision")):
        raise PermissionDenied
    purposes = record_purposes()
    if purpose not in purposes:
        raise ValidationError(_("Pilih keperluan pencetakan catatan data pribadi."), code="purpose")
    context = person_record_context(person=person, actor=actor, purpose=purposes[purpose])
    content = pdf_render(TEMPLATE, context)
    audit_entry_create(
        actor=actor,
        action="person_record_pdf",
        target=person,
        detail={
            "nik_masked": nik_domain.mask(person.nik),
            "purpose": purpose,
            "years": [y.year for y in context.years],
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return content
