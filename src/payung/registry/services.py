"""Writes of the pendataan stage: programme years with their pagu, and DTSEN imports.

Pasal 7 ayat (1) gives Dinas Sosial the pendataan of Pekerja Rentan on DTSEN; Pasal 6 ayat (2)
phases coverage by the regional budget and Pasal 13 lets that budget come from the APBD or
another lawful, non-binding source. A programme year fixes those inputs once (policy version,
as-of date, months, pagu per source) so every later screening of the year cites the same ones.
An import turns one uploaded extract into Person and Household rows exactly as the file said,
so a screening over the database gives what ``payung screen`` gives on the file.

Every write here leaves an entry in the audit trail in the same transaction; no entry holds a
name or a NIK (counts and the file's SHA-256 identify what happened).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from payung import wording
from payung.audit.services import audit_entry_create
from payung.core.bulk import bulk_load, bulk_load_arrow
from payung.core.jobs import BUSY, JobLost, job_lease_hold, job_reap_if_dead, job_update
from payung.core.models import JobStatus
from payung.domain.policy import (
    PolicyError,
)
from payung.engine import (
    CANONICAL,
    NIK_NUMERIC_CELL,
    ROW,
    ColumnMapping,
    ReadError,
    connect,
    read_extract,
    screen,
)
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.programmes.services import programme_year_advance
from payung.registry.duplicates import duplicate_check_after_import
from payung.registry.models import ColumnMappingProfile, DtsenImport, Household, Person
from payung.registry.selectors import (
    PERSON_NAMA_FTS,
    PERSON_NAMA_FTS_PAUSED,
    dtsen_import_overlap,
)

logger = logging.getLogger(__name__)

#: Suffixes an upload may have; the reader picks its parser by suffix (engine.readers).
UPLOAD_SUFFIXES: Final[tuple[str, ...]] = (".csv", ".xlsx", ".parquet")

#: How many row problems an import keeps for its page; the counts cover every row.
MAX_PROBLEMS: Final = 1000

#: Folder under MEDIA_ROOT where uploads are kept, named by content so a file is stored once.
IMPORT_FOLDER: Final = "imports"

#: Person columns in the order ``_person_tuples`` yields them (Django attnames).
PERSON_COLUMNS: Final[tuple[str, ...]] = (
    "dtsen_import_id",
    "household_id",
    "row",
    *CANONICAL,
    "nik_numeric_cell",
)
HOUSEHOLD_COLUMNS: Final[tuple[str, ...]] = ("dtsen_import_id", "no_kk", "kode_desa", "alamat")


# --- column mapping profiles ---------------------------------------------------------------


def column_mapping_parse(*, name: str, text: str) -> dict[str, str]:
    """Check a pasted ``columns: {Their Header: NIK}`` mapping; return its ``columns`` dict.

    The engine's own parser does the checking, so the web and ``payung screen --columns``
    accept and refuse exactly the same mappings. Raises ``ValidationError`` (Indonesian).
    """
    with tempfile.TemporaryDirectory(prefix="payung-mapping-") as folder:
        path = Path(folder) / "pemetaan.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            ColumnMapping.load(path)
        except ReadError as exc:
            raise ValidationError(_web_wording(exc, name or _("pemetaan")), code=exc.code) from None
    columns = yaml.safe_load(text)["columns"]
    return {str(header): str(target).upper() for header, target in columns.items()}


@transaction.atomic
def column_mapping_profile_create(*, created_by: Any, name: str, text: str) -> ColumnMappingProfile:
    """Save a data source's header mapping under its name, for reuse on the next extract."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Beri nama sumber data untuk pemetaan kolom ini."), code="name")
    if ColumnMappingProfile.objects.filter(name=name).exists():
        raise ValidationError(
            _("Pemetaan kolom bernama '%(name)s' sudah ada; pilih dari daftar atau beri nama lain.")
            % {"name": name},
            code="name_taken",
        )
    profile = ColumnMappingProfile.objects.create(
        name=name, mapping=column_mapping_parse(name=name, text=text), created_by=created_by
    )
    audit_entry_create(
        actor=created_by,
        action="column_mapping_profile_create",
        target=profile,
        detail={"name": name, "mapping": profile.mapping},
    )
    return profile


# --- import: upload -----------------------------------------------------------------------


@transaction.atomic
def dtsen_import_create(
    *,
    programme_year: ProgrammeYear,
    uploaded_file: UploadedFile,
    uploaded_by: Any,
    mapping: ColumnMappingProfile | None = None,
    mapping_name: str = "",
    mapping_text: str = "",
) -> DtsenImport:
    """Store an uploaded extract and queue its import into ``programme_year`` (Pasal 7(1)).

    The file is refused before anything is written when it is too large or not CSV, XLSX or
    Parquet. It is hashed while it is streamed to ``MEDIA_ROOT/imports/<sha256><suffix>``;
    the same file already imported into the year (and not failed) is refused with the earlier
    import's name and date, because a second copy of the same people would double every count
    after it. ``mapping_name`` with ``mapping_text`` saves a new mapping profile in the same
    transaction (instead of picking ``mapping``). The import itself runs in a task after
    commit. Raises ``ValidationError`` with Indonesian messages.
    """
    file_name = Path(uploaded_file.name or "").name
    suffix = Path(file_name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationError(
            _(
                "Berkas '%(name)s' tidak didukung: unggah ekstrak DTSEN sebagai CSV (.csv), "
                "Excel (.xlsx) atau Parquet (.parquet)."
            )
            % {"name": file_name},
            code="suffix",
        )
    limit = settings.PAYUNG_UPLOAD_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise ValidationError(_too_large(file_name, limit), code="too_large")
    if mapping_text.strip():
        mapping = column_mapping_profile_create(
            created_by=uploaded_by, name=mapping_name, text=mapping_text
        )
    stored, sha256, size = _store_upload(uploaded_file, suffix=suffix, limit=limit)
    earlier = (
        DtsenImport.objects.filter(programme_year=programme_year, sha256=sha256)
        .exclude(status=JobStatus.FAILED)
        .first()
    )
    if earlier is not None and earlier.status in BUSY:
        # A worker killed mid-import must not block the same file for ever.
        earlier = job_reap_if_dead(job=earlier)
    if earlier is not None and earlier.status != JobStatus.FAILED:
        raise ValidationError(_already_imported(earlier), code="duplicate")
    dtsen_import = DtsenImport(
        programme_year=programme_year,
        file_name=file_name[:255],
        sha256=sha256,
        size_bytes=size,
        stored_path=str(stored.relative_to(Path(settings.MEDIA_ROOT))),
        mapping=mapping,
        uploaded_by=uploaded_by,
    )
    try:
        with transaction.atomic():
            dtsen_import.save()
    except IntegrityError:  # the same file uploaded twice at once: the other one won
        raise ValidationError(
            _("Berkas yang sama sedang diimpor ke tahun program ini."), code="duplicate"
        ) from None
    audit_entry_create(
        actor=uploaded_by,
        action="dtsen_import_create",
        target=dtsen_import,
        detail={
            "programme_year": programme_year.pk,
            "file_name": dtsen_import.file_name,
            "sha256": sha256,
            "size_bytes": size,
            "mapping": mapping.name if mapping is not None else None,
        },
    )
    transaction.on_commit(partial(_enqueue, dtsen_import.pk))
    return dtsen_import


def _too_large(file_name: str, limit: int) -> str:
    return _("Berkas '%(name)s' terlalu besar; batas unggahan %(limit)s.") % {
        "name": file_name,
        "limit": filesizeformat(limit),
    }


def _already_imported(earlier: DtsenImport) -> str:
    when = date_format(timezone.localtime(earlier.created_at), "j F Y H:i")
    return _(
        "Berkas yang sama (SHA-256 identik) sudah diimpor ke tahun program ini sebagai "
        "impor #%(pk)s '%(name)s' pada %(when)s."
    ) % {"pk": earlier.pk, "name": earlier.file_name, "when": when}


def _store_upload(uploaded_file: UploadedFile, *, suffix: str, limit: int) -> tuple[Path, str, int]:
    """Stream the upload to its content-named file, hashing on the way; never read it whole.

    Written to a temporary file in the same folder and renamed once the hash is known, so a
    half-written upload never sits under a real SHA-256 name. An identical file already
    stored is simply replaced by the same bytes.
    """
    folder = Path(settings.MEDIA_ROOT) / IMPORT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    # Extracts name every person of the regency: owner-only folders (mkstemp files are 0600).
    for private in (Path(settings.MEDIA_ROOT), folder):
        private.chmod(settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS)
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=suffix)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in uploaded_file.chunks():
                size += len(chunk)
                if size > limit:  # the declared size can lie; the bytes cannot
                    raise ValidationError(
                        _too_large(Path(uploaded_file.name or "").name, limit), code="too_large"
                    )
                digest.update(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        final = folder / f"{sha256}{suffix}"
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return final, sha256, size


def _enqueue(import_id: int) -> None:
    """Hand the import to the task backend once its row is committed; keep the task id."""
    from payung.registry.tasks import dtsen_import_execute as task

    result = task.enqueue(import_id=import_id)
    # update(), not save(): an immediate backend has already run the task, and saving a
    # stale instance would overwrite its status.
    DtsenImport.objects.filter(pk=import_id).update(task_id=str(result.id)[:64])


# --- import: execute ------------------------------------------------------------------------


class ImportFailure(Exception):
    """An import that cannot finish for a reason the operator can act on (Indonesian).

    The message is shown on the import page and kept in the audit trail, so it never holds
    a name, a NIK or any other value of the file.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Checked:
    """What the data-quality checks found: the first problems and the counts over all rows."""

    problems: list[dict[str, Any]]
    invalid_count: int
    invalid_by_code: dict[str, int]


def dtsen_import_execute(*, dtsen_import: DtsenImport) -> DtsenImport:
    """Read the stored extract, check it, and load its persons and households, all or nothing.

    Not one transaction as a whole on purpose: progress (read 10%, checked 30%, loading 60%,
    done 100%) must be visible to the page polling it. The rows, counts and final status are
    written in one transaction (``_rows_store``), so a reader sees no persons or all of them.
    A file the reader refuses marks the import failed with the reader's Indonesian message;
    any other error marks it failed with a generic message, and only the exception's class
    name reaches the log (library messages may quote values of the rows).
    """
    _progress(dtsen_import, status=JobStatus.RUNNING, progress=0)
    try:
        table = _read(dtsen_import)
        _progress(dtsen_import, progress=10)
        _check_lengths(table)
        _check_characters(table)
        checked = _check(dtsen_import, table)
        _progress(dtsen_import, progress=30)
        households = _first_per_household(table)
        _progress(dtsen_import, progress=60)
        _rows_store(dtsen_import=dtsen_import, table=table, households=households, checked=checked)
    except ImportFailure as exc:
        _fail(dtsen_import, code=exc.code, message=exc.message)
    except JobLost:  # cancelled or reaped meanwhile: whoever did that said why
        raise
    except Exception as exc:
        logger.error("dtsen import %s failed: %s", dtsen_import.pk, type(exc).__name__)
        _fail(
            dtsen_import,
            code="system",
            message=_(
                "Impor gagal karena kesalahan sistem; tidak ada data yang disimpan. "
                "Hubungi administrator."
            ),
        )
    dtsen_import.refresh_from_db()
    if dtsen_import.status == JobStatus.DONE:
        # Issue 13: the same person under two NIKs, searched in its own background job.
        duplicate_check_after_import(dtsen_import=dtsen_import)
    return dtsen_import


def _read(dtsen_import: DtsenImport) -> pa.Table:
    """The extract as the engine reads it, with the saved column mapping if one was chosen."""
    path = Path(settings.MEDIA_ROOT) / dtsen_import.stored_path
    mapping = None
    if dtsen_import.mapping_id is not None:
        assert dtsen_import.mapping is not None
        mapping = ColumnMapping(renames=dtsen_import.mapping.mapping)
    try:
        # Named as uploaded: the stored path is a hash under MEDIA_ROOT (issue 17, defect 6).
        return read_extract(path, mapping=mapping, name=dtsen_import.file_name)
    except ReadError as exc:
        raise ImportFailure(exc.code, _web_wording(exc, dtsen_import.file_name)) from None


def _web_wording(exc: ReadError, shown_name: str) -> str:
    """The reader's message as a web user reads it: the file by the name they uploaded (the
    engine knows only the stored path) and columns mapped in the upload form, not by a
    command-line option. The engine hands codes and parameters; wording happens here."""
    return exc.worded(file=shown_name, mapping=_("pemetaan kolom pada formulir unggah"))


def _check(dtsen_import: DtsenImport, table: pa.Table) -> _Checked:
    """Row problems by the engine's own data-quality checks, under the year's policy.

    The same expressions that screening runs, so the problems listed here are exactly the
    rows a screening of this import will call ``invalid``. Kept: row number and codes in
    words, never the row's values.
    """
    year = dtsen_import.programme_year
    try:
        policy = programme_year_policy(programme_year=year)
    except PolicyError:
        raise ImportFailure(
            "policy",
            _("Kebijakan '%(id)s' tidak dapat dimuat; periksa berkas kebijakan.")
            % {"id": year.policy_id},
        ) from None
    with connect("duckdb") as backend:
        result = screen(table, policy=policy, as_of=year.as_of, backend=backend)
    decisions = result.decisions
    invalid = decisions.filter(pc.equal(decisions["status"], "invalid"))
    problems: list[dict[str, Any]] = []
    for row, reasons in zip(
        invalid["row"].slice(0, MAX_PROBLEMS).to_pylist(),
        invalid["reasons"].slice(0, MAX_PROBLEMS).to_pylist(),
        strict=True,
    ):
        codes = [c for c in (reasons or "").split(";") if c]
        problems.append(
            {"row": row, "codes": codes, "message": " ".join(wording.describe(c) for c in codes)}
        )
    return _Checked(
        problems=problems,
        invalid_count=invalid.num_rows,
        invalid_by_code=dict(result.counts.get("by_invalid_code", {})),
    )


def _max_lengths() -> dict[str, int]:
    """Longest text each stored column takes: the rule every way of entering a person's data
    shares (``registry.fields``; Disdukcapil's corrections are held to it too)."""
    from payung.registry.fields import field_max_lengths

    return field_max_lengths()


def _check_lengths(table: pa.Table) -> None:
    """Refuse values longer than their column, naming the column and rows but not the value.

    Cutting a value short would store something the file did not say; better to tell the
    operator which column is not what it claims to be (often a mapping to the wrong column).
    """
    for name, limit in _max_lengths().items():
        lengths = pc.utf8_length(table[name])
        too_long = pc.greater(lengths, limit)
        if pc.any(too_long).as_py():
            rows = table[ROW].filter(too_long).slice(0, 5).to_pylist()
            raise ImportFailure(
                "value.too_long",
                _(
                    "Isi kolom %(column)s lebih dari %(limit)s karakter pada baris %(rows)s; "
                    "periksa apakah kolom ini dipetakan dengan benar."
                )
                % {
                    "column": name.upper(),
                    "limit": limit,
                    "rows": ", ".join(str(r) for r in rows),
                },
            )


def _check_characters(table: pa.Table) -> None:
    """Refuse control and invisible characters (zero-width, bidirectional overrides), as every
    other way a person's data enters does (``registry.fields``), naming column and rows only.

    They cannot be seen on a page or a decree, yet they make two equal names differ.
    """
    from payung.registry.fields import CONTROL_RE2

    for name in _max_lengths():
        hidden = pc.fill_null(pc.match_substring_regex(table[name], CONTROL_RE2), False)
        if pc.any(hidden).as_py():
            rows = table[ROW].filter(hidden).slice(0, 5).to_pylist()
            raise ImportFailure(
                "value.control_character",
                _(
                    "Kolom %(column)s berisi karakter kendali atau karakter tak terlihat pada "
                    "baris %(rows)s; hapus karakter itu (sering terbawa dari salin-tempel), "
                    "lalu unggah ulang."
                )
                % {"column": name.upper(), "rows": ", ".join(str(r) for r in rows)},
            )


@transaction.atomic
def _rows_store(
    *,
    dtsen_import: DtsenImport,
    table: pa.Table,
    households: Mapping[str, tuple[str, str]],
    checked: _Checked,
) -> None:
    """Households, then persons pointing at them, bulk-loaded; then the import marked done."""
    job_lease_hold(job=dtsen_import)  # a worker that lost the import stores nothing
    bulk_load(
        Household,
        HOUSEHOLD_COLUMNS,
        ((dtsen_import.pk, kk, desa, alamat) for kk, (desa, alamat) in households.items()),
    )
    household_ids = dict(
        Household.objects.filter(dtsen_import_id=dtsen_import.pk).values_list("no_kk", "id")
    )
    loaded = person_rows_load(table=person_table(dtsen_import.pk, table, household_ids))
    overlap = dtsen_import_overlap(dtsen_import=dtsen_import)
    dtsen_import.overlap_count = overlap.count
    dtsen_import.overlap_of = overlap.of
    dtsen_import.overlap_imports = overlap.imports
    dtsen_import.row_count = loaded
    dtsen_import.household_count = len(household_ids)
    dtsen_import.problems = checked.problems
    dtsen_import.invalid_count = checked.invalid_count
    dtsen_import.invalid_by_code = checked.invalid_by_code
    dtsen_import.status = JobStatus.DONE
    dtsen_import.progress = 100
    dtsen_import.error_code = ""
    dtsen_import.error_message = ""
    dtsen_import.finished_at = timezone.now()
    dtsen_import.save(
        update_fields=[
            "row_count",
            "household_count",
            "problems",
            "invalid_count",
            "invalid_by_code",
            "status",
            "progress",
            "error_code",
            "error_message",
            "finished_at",
            "overlap_count",
            "overlap_of",
            "overlap_imports",
        ]
    )
    programme_year_advance(
        programme_year=dtsen_import.programme_year, status=ProgrammeYear.Status.PENDATAAN
    )
    audit_entry_create(
        actor=dtsen_import.uploaded_by,
        action="dtsen_import_finish",
        target=dtsen_import,
        detail={
            "sha256": dtsen_import.sha256,
            "rows": loaded,
            "households": len(household_ids),
            "invalid": checked.invalid_count,
            "invalid_by_code": checked.invalid_by_code,
            "overlap": overlap.count,
            "overlap_imports": [i["pk"] for i in overlap.imports],
        },
    )


#: On SQLite a load of at least 1/Nth of the rows already stored drops the NIK index and
#: builds it again after (``person_rows_load``).
NIK_INDEX_REBUILD_RATIO: Final = 8


def person_rows_load(*, table: pa.Table) -> int:
    """Store ``table`` (``PERSON_COLUMNS``) as Persons and index their names, all or nothing.

    On PostgreSQL the COPY's one statement trigger files the rows under their distinct
    names (migration ``registry.0005``). On SQLite the name index (migration
    ``registry.0004``) is kept by row triggers; for a bulk load its insert trigger is paused
    and the new rows are indexed in one statement after it, a third of the trigger's cost
    (issue 16: the 1 M load is itself a target). Ids only grow (AUTOINCREMENT) and SQLite
    has one writer, so the new rows are those past the largest id before the load.

    The NIK index is the dearest part of a SQLite load: a million random 16-digit keys
    cost 8-11 s inserted one by one and 0.5 s a million rows built sorted, so a load of
    at least an eighth of the rows already stored drops it and builds it again over the
    whole table (1 M rows into a table of 1 M: 15 s → 5 s). Inside the transaction, so a
    failed load leaves the index as it was; in WAL mode the pages keep reading the last
    committed table and its index meanwhile.
    """
    if connection.vendor != "sqlite":
        return bulk_load_arrow(Person, table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0), COUNT(*) FROM registry_person")
        last, stored = cursor.fetchone()
        rebuild = table.num_rows * NIK_INDEX_REBUILD_RATIO >= stored
        if rebuild:
            cursor.execute(_person_nik_index_sql(create=False))
        cursor.execute(f"INSERT INTO {PERSON_NAMA_FTS_PAUSED} (id) VALUES (1)")
        loaded = bulk_load_arrow(Person, table)
        cursor.execute(
            f"INSERT INTO {PERSON_NAMA_FTS} (rowid, nama) "
            "SELECT id, nama FROM registry_person WHERE id > %s",
            [last],
        )
        cursor.execute(f"DELETE FROM {PERSON_NAMA_FTS_PAUSED}")
        if rebuild:
            cursor.execute(_person_nik_index_sql(create=True))
    return loaded


def _person_nik_index_sql(*, create: bool) -> str:
    """The model's own statement creating or dropping Person's NIK index."""
    (index,) = (i for i in Person._meta.indexes if i.fields == ["nik"])
    if create:
        return str(index.create_sql(Person, connection.schema_editor()))
    return f"DROP INDEX {connection.ops.quote_name(index.name)}"


def _first_per_household(table: pa.Table) -> dict[str, tuple[str, str]]:
    """Each distinct non-empty NO_KK with the KODE_DESA and ALAMAT of its first row."""
    first: dict[str, tuple[str, str]] = {}
    for batch in table.select(["no_kk", "kode_desa", "alamat"]).to_batches(max_chunksize=50_000):
        columns = [batch.column(i).to_pylist() for i in range(3)]
        for kk, desa, alamat in zip(*columns, strict=True):
            if kk and kk not in first:
                first[kk] = (desa or "", alamat or "")
    return first


def person_table(import_id: int, table: pa.Table, household_ids: Mapping[str, int]) -> pa.Table:
    """The extract as Person rows (``PERSON_COLUMNS``), built column-wise in Arrow.

    Null text becomes "" (the model's text fields are NOT NULL) and each row gets its
    household's id by a vectorised lookup, so a million rows never pass through Python.
    """
    n = table.num_rows
    kk_keys = pa.array(list(household_ids), pa.string())
    kk_ids = pa.array(list(household_ids.values()), pa.int64())
    position = pc.index_in(table["no_kk"], value_set=kk_keys)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "dtsen_import_id": pa.array(np.full(n, import_id, dtype=np.int64)),
        "household_id": pc.take(kk_ids, position),
        "row": table[ROW],
    }
    for name in CANONICAL:
        columns[name] = pc.fill_null(table[name], "")
    columns["nik_numeric_cell"] = pc.fill_null(table[NIK_NUMERIC_CELL], False)
    return pa.table(columns).select(list(PERSON_COLUMNS))


def _progress(dtsen_import: DtsenImport, *, progress: int, status: str | None = None) -> None:
    """Record progress at a phase boundary, visible at once to the polling page."""
    fields: dict[str, Any] = {"progress": progress}
    if status is not None:
        fields["status"] = status
    job_update(job=dtsen_import, **fields)  # also the heartbeat; nothing if no longer ours


@transaction.atomic
def _fail(dtsen_import: DtsenImport, *, code: str, message: str) -> None:
    """Mark the import failed; nothing of the file was stored (the load is all or nothing)."""
    if not job_update(
        job=dtsen_import,
        status=JobStatus.FAILED,
        error_code=code[:60],
        error_message=message,
        finished_at=timezone.now(),
    ):
        return  # cancelled or reaped meanwhile: that is what the import shows
    audit_entry_create(
        actor=dtsen_import.uploaded_by,
        action="dtsen_import_fail",
        target=dtsen_import,
        detail={"sha256": dtsen_import.sha256, "error_code": code},
    )


@transaction.atomic
def dtsen_import_overlap_confirm(*, dtsen_import: DtsenImport, actor: Any) -> DtsenImport:
    """Accept an import whose people were partly imported already this year.

    ``dtsen_import_overlap`` counts them when the import finishes; until an operator who
    may import has read that count and confirmed that the file is meant to be added (a
    corrected or supplementary extract, say), the import cannot be screened, so nobody is
    counted twice by accident. The audit entry keeps the counts and the earlier imports'
    numbers, never a NIK.
    """
    if not actor.has_perm("registry.import_extract"):
        raise PermissionDenied
    locked = DtsenImport.objects.select_for_update().get(pk=dtsen_import.pk)
    if not locked.overlap_unconfirmed:
        raise ValidationError(
            _("Impor ini tidak memerlukan konfirmasi tumpang tindih."), code="no_overlap"
        )
    locked.overlap_confirmed_by = actor
    locked.overlap_confirmed_at = timezone.now()
    locked.save(update_fields=["overlap_confirmed_by", "overlap_confirmed_at"])
    audit_entry_create(
        actor=actor,
        action="dtsen_import_overlap_confirm",
        target=locked,
        detail={
            "overlap": locked.overlap_count,
            "of": locked.overlap_of,
            "overlap_imports": [i["pk"] for i in locked.overlap_imports],
        },
    )
    return locked
