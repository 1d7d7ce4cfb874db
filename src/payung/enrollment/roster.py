"""Participants a regency already had before Payung, moved in from its roster (Excel).

A regency that starts using Payung mid-stream has participants registered with BPJS in
earlier years, kept in a spreadsheet: NIK, KPJ, NAMA, TANGGAL_MULAI, maybe TANGGAL_BERAKHIR
and whatever DTSEN columns it kept. Moving them in makes them participants of a programme
year like any other, so billing (Pasal 9) counts their days and the person page shows them:
an import holding their Person rows, a proposal of origin ROSTER (nobody was screened or
chosen by Payung), one candidate per row with the KPJ, one history event each, written by
the transition table ("dipindahkan dari data lama", the file's SHA-256 as evidence), and a
coverage period each. The file is checked row by row first; any row error refuses it whole.

Only a year without a proposal takes a roster: a year's participants come from one source,
and a screened proposal's quota and ranks are the pagu's cut (Pasal 6 ayat (2)), which a
roster appended to it would break. So the "already a participant of the year" check is the
proposal refusal; a KPJ the file gives to another person than Payung knows is a row error.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.exports import unneutralise
from payung.core.models import JobStatus
from payung.core.uploads import upload_kind_get, upload_read
from payung.domain import nik as nik_domain
from payung.domain.calendar import birth_date_read
from payung.engine import CANONICAL, read_text_table
from payung.enrollment.models import RegistrationProfile, RosterImport
from payung.participants.models import (
    Candidate,
    CoveragePeriod,
    EndReason,
    Proposal,
)
from payung.participants.transitions import candidates_transition
from payung.programmes.models import ProgrammeYear
from payung.programmes.services import programme_year_advance
from payung.registry.fields import field_check, field_problem_text
from payung.registry.models import DtsenImport, Person

PERM: Final = "enrollment.import_roster"
UPLOAD_KIND: Final = "roster"

NIK: Final = "NIK"
KPJ: Final = "KPJ"
NAMA: Final = "NAMA"
START: Final = "TANGGAL_MULAI"
END: Final = "TANGGAL_BERAKHIR"
END_REASON: Final = "ALASAN_BERAKHIR"
REQUIRED: Final[tuple[str, ...]] = (NIK, KPJ, NAMA, START)
#: DTSEN columns a roster may carry besides NIK and NAMA, by their DTSEN names.
DTSEN_COLUMNS: Final[tuple[str, ...]] = tuple(
    c.upper() for c in CANONICAL if c not in ("nik", "nama")
)
KNOWN: Final[tuple[str, ...]] = (*REQUIRED, END, END_REASON, *DTSEN_COLUMNS)

#: The default KPJ length range (a setting of the registration profile when there is one).
KPJ_MIN: Final = 10
KPJ_MAX: Final = 15

#: The history's words for a participant moved in (design §2: each change with its why).
REASON: Final = "Dipindahkan dari data lama"
REASON_CODE: Final = "data_lama"

#: A roster's participants never came through BPJS's refusal in Payung.
_END_REASONS: Final = tuple(r for r in EndReason if r != EndReason.DITOLAK_BPJS)


def header_key(header: str) -> str:
    """``Tanggal Mulai``, ``tanggal-mulai`` and ``TANGGAL_MULAI`` are one column: headers are
    matched case-insensitively with spaces, dots, dashes and slashes as underscores, as the
    DTSEN import matches its own."""
    key = header.strip().lstrip("\ufeff").upper()
    key = re.sub(r"[\s./-]+", "_", key)
    return re.sub(r"_+", "_", key).strip("_")


@dataclass(frozen=True)
class RosterLine:
    """One row as it will be stored: ``row`` is the sheet row people see (header = 1)."""

    row: int
    nik: str
    kpj: str
    nama: str
    start: date
    end: date | None
    end_reason: str
    fields: dict[str, str]


@dataclass
class RosterParsed:
    """Every line that passed, and every row problem ("Baris N, kolom X: ..."); a file with
    any problem is refused whole (``core.uploads`` refuses a result with ``errors``)."""

    lines: list[RosterLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dtsen_columns: list[str] = field(default_factory=list)


def _at(row: int, column: str) -> str:
    return _("Baris %(row)s, kolom %(col)s") % {"row": row, "col": column}


def _date(text: str) -> date | None:
    """YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY (an Excel date cell reads as the first)."""
    return birth_date_read(text) if text else None


def _end_reasons() -> dict[str, str]:
    """Code or label, any case -> the EndReason code."""
    out: dict[str, str] = {}
    for reason in _END_REASONS:
        out[reason.value.casefold()] = reason.value
        out[reason.value.replace("_", " ").casefold()] = reason.value
        out[str(reason.label).casefold()] = reason.value
    return out


def _columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which file column holds each known column; problems with the header row (missing,
    repeated) named by our own column names only, never by the file's text."""
    found: dict[str, int] = {}
    repeated: list[str] = []
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in KNOWN:
            if key in found:
                repeated.append(key)
            found.setdefault(key, index)
    problems = []
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        problems.append(
            _(
                "Kolom wajib tidak ada: %(cols)s. Baris pertama berkas harus berisi judul kolom "
                "NIK, KPJ, NAMA dan TANGGAL_MULAI (huruf besar atau kecil sama saja)."
            )
            % {"cols": ", ".join(missing)}
        )
    if repeated:
        problems.append(
            _("Kolom berikut muncul lebih dari sekali: %(cols)s.")
            % {"cols": ", ".join(sorted(set(repeated)))}
        )
    return found, problems


def roster_file_read(
    path: Path, *, name: str | None = None, kpj_min: int = KPJ_MIN, kpj_max: int = KPJ_MAX
) -> RosterParsed:
    """Read and check a roster file row by row; every problem of every row at once.

    The rules that need no programme year: NIK 16 digits, KPJ digits of the allowed length,
    a name, dates that are dates, the end not before the start, an end reason exactly when
    there is an end date, DTSEN fields meeting ``registry.fields``, and no NIK or KPJ twice
    in the file. Messages name row and column, never the cell's value. Raises ``ReadError``
    for a file that cannot be read at all.
    """
    table = read_text_table(path, name=name)
    columns, problems = _columns(table.headers)
    parsed = RosterParsed(
        dtsen_columns=[c for c in DTSEN_COLUMNS if c in columns], errors=list(problems)
    )
    if problems:
        return parsed
    reasons = _end_reasons()
    seen_nik: dict[str, int] = {}
    seen_kpj: dict[str, int] = {}
    for number, raw in zip(table.row_numbers, table.rows, strict=True):
        cells = {key: unneutralise(raw[i]) if i < len(raw) else "" for key, i in columns.items()}
        errors: list[str] = []
        nik = nik_domain.clean(cells[NIK])
        if not nik:
            errors.append(_at(number, NIK) + ": " + _("NIK kosong."))
        elif not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
            errors.append(_at(number, NIK) + ": " + _("NIK harus 16 angka."))
        elif nik in seen_nik:
            errors.append(
                _at(number, NIK)
                + ": "
                + _("NIK yang sama sudah ada di baris %(first)s.") % {"first": seen_nik[nik]}
            )
        kpj = re.sub(r"[\s.\-]", "", cells[KPJ])
        if not kpj:
            errors.append(_at(number, KPJ) + ": " + _("Nomor KPJ kosong."))
        elif not (kpj.isascii() and kpj.isdigit() and kpj_min <= len(kpj) <= kpj_max):
            errors.append(
                _at(number, KPJ)
                + ": "
                + _("Nomor KPJ harus %(min)s sampai %(max)s angka.")
                % {"min": kpj_min, "max": kpj_max}
            )
        elif kpj in seen_kpj:
            errors.append(
                _at(number, KPJ)
                + ": "
                + _("Nomor KPJ yang sama sudah ada di baris %(first)s.") % {"first": seen_kpj[kpj]}
            )
        nama = field_check(name="nama", value=cells[NAMA])
        if not nama.value:
            errors.append(_at(number, NAMA) + ": " + _("Nama kosong."))
        errors.extend(_at(number, NAMA) + ": " + field_problem_text(p) for p in nama.problems)
        start = _date(cells[START])
        if start is None:
            errors.append(
                _at(number, START)
                + ": "
                + (
                    _("Tanggal mulai kosong.")
                    if not cells[START]
                    else _("Tanggal harus berformat YYYY-MM-DD atau DD-MM-YYYY.")
                )
            )
        end_text = cells.get(END, "")
        end = _date(end_text)
        if end_text and end is None:
            errors.append(
                _at(number, END) + ": " + _("Tanggal harus berformat YYYY-MM-DD atau DD-MM-YYYY.")
            )
        if start is not None and end is not None and end < start:
            errors.append(
                _at(number, END) + ": " + _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
            )
        reason_text = " ".join(cells.get(END_REASON, "").split()).casefold()
        reason = reasons.get(reason_text, "")
        if end_text and not reason_text:
            errors.append(
                _at(number, END_REASON)
                + ": "
                + _("Isi alasan berakhir bila TANGGAL_BERAKHIR diisi; pilih salah satu: %(v)s.")
                % {"v": ", ".join(r.value for r in _END_REASONS)}
            )
        elif reason_text and not reason:
            errors.append(
                _at(number, END_REASON)
                + ": "
                + _("Alasan tidak dikenal; pilih salah satu: %(v)s.")
                % {"v": ", ".join(r.value for r in _END_REASONS)}
            )
        elif reason_text and not end_text:
            errors.append(
                _at(number, END_REASON)
                + ": "
                + _("Alasan berakhir diisi tetapi TANGGAL_BERAKHIR kosong.")
            )
        fields: dict[str, str] = {}
        for column in parsed.dtsen_columns:
            value = cells[column]
            if not value:
                continue
            checked = field_check(name=column.lower(), value=value)
            errors.extend(
                _at(number, column) + ": " + field_problem_text(p) for p in checked.problems
            )
            fields[column.lower()] = checked.value
        if nik and nik not in seen_nik:
            seen_nik[nik] = number
        if kpj and kpj not in seen_kpj:
            seen_kpj[kpj] = number
        if errors:
            parsed.errors.extend(errors)
            continue
        assert start is not None
        parsed.lines.append(
            RosterLine(
                row=number,
                nik=nik,
                kpj=kpj,
                nama=nama.value,
                start=start,
                end=end,
                end_reason=reason,
                fields=fields,
            )
        )
    return parsed


def _year_problems(lines: list[RosterLine], year: ProgrammeYear) -> list[str]:
    """The rules that need the year: dates inside it (cover is bought per year, Pasal 6
    ayat (2)), and a KPJ Payung already knows for a different NIK (one card, one person)."""
    errors: list[tuple[int, str]] = []
    outside = _("Tanggal harus di dalam tahun program %(year)s.") % {"year": year.year}
    for line in lines:
        if line.start.year != year.year:
            errors.append((line.row, _at(line.row, START) + ": " + outside))
        if line.end is not None and line.end.year != year.year:
            errors.append((line.row, _at(line.row, END) + ": " + outside))
    by_kpj = {line.kpj: line for line in lines}
    held = (
        Candidate.objects.filter(kpj__in=list(by_kpj))
        .order_by("kpj", "pk")
        .values_list("kpj", "nik")
    )
    for kpj, nik in held:
        line = by_kpj[kpj]
        if nik != line.nik:
            message = _("Nomor KPJ ini sudah tercatat untuk peserta lain (NIK %(nik)s).") % {
                "nik": nik_domain.mask(nik)
            }
            errors.append((line.row, _at(line.row, KPJ) + ": " + message))
    return [m for _row, m in sorted(set(errors))]


def _stored(uploaded: UploadedFile, suffix: str, limit: int) -> tuple[Path, str, int]:
    """The upload in a private temporary file, hashed on the way; never read whole."""
    digest = hashlib.sha256()
    size = 0
    handle, name = tempfile.mkstemp(prefix="payung-roster-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in uploaded.chunks():
                size += len(chunk)
                if size > limit:
                    raise ValidationError(
                        _("Berkas terlalu besar untuk data peserta lama."), code="too_large"
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest(), size


def _kpj_range() -> tuple[int, int]:
    profile = RegistrationProfile.objects.filter(is_default=True).order_by("pk").first()
    if profile is None:
        return KPJ_MIN, KPJ_MAX
    return profile.kpj_min_length, profile.kpj_max_length


def _refuse(messages: list[str]) -> ValidationError:
    return ValidationError([ValidationError(m, code="row") for m in messages])


def roster_import(
    *, programme_year: ProgrammeYear, uploaded_file: UploadedFile, actor: Any
) -> RosterImport:
    """Move a roster into ``programme_year`` as its participants, all rows or none.

    Raises ``ValidationError`` with every problem (file, rows, the year) in Indonesian;
    nothing is written unless every row passes. The history of each participant is one
    event, SCREENED → ACTIVE (or → ENDED with the roster's end date), by the transition
    table's ``migrate_roster`` moves, with the file's SHA-256 and row as evidence.
    """
    if actor is None or not actor.has_perm(PERM):
        raise PermissionDenied
    file_name = Path(uploaded_file.name or "").name[:255]
    kind = upload_kind_get(UPLOAD_KIND)
    suffix = Path(file_name).suffix.lower()
    if suffix not in kind.suffixes:
        raise ValidationError(_("Berkas data peserta lama harus XLSX atau CSV."), code="suffix")
    path, sha256, size = _stored(uploaded_file, suffix, kind.max_bytes)
    try:
        outcome = upload_read(kind=kind, path=path, name=file_name)
        if not outcome.accepted:
            raise _refuse(list(outcome.messages))
        parsed: RosterParsed = outcome.result
        low, high = _kpj_range()
        if (low, high) != (KPJ_MIN, KPJ_MAX):
            parsed = roster_file_read(path, name=file_name, kpj_min=low, kpj_max=high)
            if parsed.errors:
                raise _refuse(parsed.errors)
    finally:
        path.unlink(missing_ok=True)
    problems = _year_problems(parsed.lines, programme_year)
    if problems:
        raise _refuse(problems)
    return _store(
        programme_year=programme_year,
        parsed=parsed,
        actor=actor,
        file_name=file_name,
        sha256=sha256,
        size=size,
    )


@transaction.atomic
def _store(
    *,
    programme_year: ProgrammeYear,
    parsed: RosterParsed,
    actor: Any,
    file_name: str,
    sha256: str,
    size: int,
) -> RosterImport:
    year = ProgrammeYear.objects.select_for_update().get(pk=programme_year.pk)
    if Proposal.objects.filter(programme_year=year).exists():
        raise ValidationError(
            _(
                "Tahun program ini sudah mempunyai usulan calon peserta; data peserta lama hanya "
                "dapat dipindahkan ke tahun program yang belum mempunyai usulan. Pindahkan ke "
                "tahun program baru, atau jalankan pendataan biasa untuk tahun ini."
            ),
            code="has_proposal",
        )
    lines = parsed.lines
    now = timezone.now()
    try:
        with transaction.atomic():
            holder = DtsenImport.objects.create(
                programme_year=year,
                file_name=file_name,
                sha256=sha256,
                size_bytes=size,
                stored_path="",
                status=JobStatus.DONE,
                progress=100,
                row_count=len(lines),
                household_count=0,
                invalid_count=0,
                uploaded_by=actor,
                finished_at=now,
            )
    except IntegrityError:
        raise ValidationError(
            _("Berkas yang sama sudah diimpor ke tahun program ini."), code="duplicate"
        ) from None
    persons = Person.objects.bulk_create(
        [
            Person(dtsen_import=holder, row=i, nik=line.nik, nama=line.nama, **line.fields)
            for i, line in enumerate(lines, start=1)
        ],
        batch_size=2000,
    )
    budget = year.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    region = year.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    proposal = Proposal.objects.create(
        programme_year=year,
        screening_run=None,
        origin=Proposal.Origin.ROSTER,
        status=Proposal.Status.APPROVED,
        quota=len(lines),
        budget=budget,
        months=year.coverage_months,
        place=region,
        proposed_by=actor,
        approved_by=actor,
        approved_at=now,
    )
    candidates = Candidate.objects.bulk_create(
        [
            Candidate(proposal=proposal, person=person, rank=i, nik=line.nik, kpj=line.kpj)
            for i, (person, line) in enumerate(zip(persons, lines, strict=True), start=1)
        ],
        batch_size=2000,
    )
    roster = RosterImport.objects.create(
        programme_year=year,
        file_name=file_name,
        sha256=sha256,
        rows=len(lines),
        imported=len(lines),
        uploaded_by=actor,
    )
    evidence = {"file_name": file_name, "file_sha256": sha256, "roster_import": roster.pk}
    rows = {
        c.pk: {"evidence": {"row": line.row}} for c, line in zip(candidates, lines, strict=True)
    }
    active = [c.pk for c, line in zip(candidates, lines, strict=True) if line.end is None]
    candidates_transition(
        candidate_ids=active,
        action="migrate_roster",
        actor=actor,
        reason_code=REASON_CODE,
        reason=REASON,
        evidence=evidence,
        per_candidate=rows,
    )
    ended_by: Counter[str] = Counter(line.end_reason for line in lines if line.end is not None)
    for code in sorted(ended_by):
        candidates_transition(
            candidate_ids=[
                c.pk
                for c, line in zip(candidates, lines, strict=True)
                if line.end is not None and line.end_reason == code
            ],
            action="migrate_roster_ended",
            actor=actor,
            reason_code=code,
            reason=REASON,
            evidence=evidence,
            per_candidate=rows,
        )
    CoveragePeriod.objects.bulk_create(
        [
            CoveragePeriod(candidate=c, start=line.start, end=line.end, end_reason=line.end_reason)
            for c, line in zip(candidates, lines, strict=True)
        ],
        batch_size=2000,
    )
    roster.report = {
        "active": len(active),
        "ended": sum(ended_by.values()),
        "ended_by_reason": dict(sorted(ended_by.items())),
        "dtsen_columns": parsed.dtsen_columns,
        "dtsen_import": holder.pk,
        "proposal": proposal.pk,
    }
    roster.save(update_fields=["report"])
    programme_year_advance(programme_year=year, status=ProgrammeYear.Status.ACTIVE)
    audit_entry_create(
        actor=actor,
        action="roster_import",
        target=roster,
        detail={"sha256": sha256, "rows": len(lines), **roster.report},
    )
    return roster


def roster_imports(*, programme_year: ProgrammeYear) -> list[RosterImport]:
    """The year's roster imports, newest first (one query)."""
    return list(
        RosterImport.objects.filter(programme_year=programme_year)
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


__all__ = [
    "RosterLine",
    "RosterParsed",
    "roster_file_read",
    "roster_import",
    "roster_imports",
]
