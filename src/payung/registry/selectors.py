"""Reads on programme years and imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import pyarrow as pa
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from payung.core.models import JobStatus
from payung.core.worklist import Task, worklist_memo
from payung.engine import CANONICAL, NIK_NUMERIC_CELL, ROW
from payung.programmes.models import ProgrammeYear
from payung.registry.models import ColumnMappingProfile, DtsenImport, Person

#: Rows fetched per database round trip by ``persons_as_arrow``.
PERSON_CHUNK: Final = 20_000

#: The table ``persons_as_arrow`` returns: exactly what ``engine.readers.read_extract`` gives.
PERSON_SCHEMA: Final = pa.schema(
    [
        (ROW, pa.int64()),
        *((name, pa.string()) for name in CANONICAL),
        (NIK_NUMERIC_CELL, pa.bool_()),
    ]
)


def dtsen_import_list(programme_year: ProgrammeYear) -> QuerySet[DtsenImport]:
    """The year's imports, newest first, with their mapping, uploader and screening runs."""
    related = ["screening_runs"] if hasattr(DtsenImport, "screening_runs") else []
    return (
        DtsenImport.objects.filter(programme_year=programme_year)
        .select_related("mapping", "uploaded_by")
        .prefetch_related(*related)
        .order_by("-created_at", "-pk")
    )


def screening_run_list(*, programme_year: ProgrammeYear) -> list[Any]:
    """The year's screening runs, newest first, for links from the year page.

    Read through the reverse relation the screening app declares, so the registry does not
    import the screening app (which depends on it); empty while that app is not installed.
    """
    if not hasattr(ProgrammeYear, "screening_runs"):
        return []
    return list(
        programme_year.screening_runs.select_related("dtsen_import").order_by("-created_at", "-pk")
    )


def dtsen_import_get(*, pk: int) -> DtsenImport | None:
    """One import with its year, mapping and uploader, or None."""
    return (
        DtsenImport.objects.select_related("programme_year", "mapping", "uploaded_by")
        .filter(pk=pk)
        .first()
    )


#: The SQLite trigram index of ``Person.nama`` (migration ``registry.0004``).
PERSON_NAMA_FTS: Final = "registry_person_nama_fts"
#: A row here pauses the name index's insert trigger (``registry.services.person_rows_load``).
PERSON_NAMA_FTS_PAUSED: Final = f"{PERSON_NAMA_FTS}_paused"
#: PostgreSQL's table of each import's distinct names and their rows (migration
#: ``registry.0005``), searched through its own trigram index.
PERSON_NAME_TABLE: Final = "registry_person_name"
#: A trigram is three characters: a shorter term has nothing to look up in the index.
_TRIGRAM: Final = 3


def _name_pattern(term: str) -> str:
    """``term`` as ``icontains`` gives it to PostgreSQL's ``UPPER(...) LIKE UPPER(%s)``:
    its ``%``, ``_`` and backslash escaped, so they are characters, not wildcards."""
    return f"%{connection.ops.prep_for_like_query(term)}%"


def person_name_matches(*, term: str, limit: int | None = None) -> Q:
    """Persons whose name contains ``term``, whatever the case: ``nama__icontains``, read
    through the name index each database has (issue 16: a scan of a million names took
    0.25-1.5 s a search). With ``limit``, PostgreSQL stops at that many persons (a search
    that shows a part of a common name's holders need not gather them all).

    PostgreSQL compares the import's distinct names (``PERSON_NAME_TABLE``, in capitals)
    exactly as ``icontains`` compares a person's (``UPPER(nama) LIKE UPPER(...)``) and joins
    each matching name's rows to their persons by the (import, row) key. SQLite's FTS5
    trigram table only narrows the rows (to names holding some of the term's trigrams,
    folded more widely than ``LIKE``'s ASCII case folding, so at least every row ``LIKE``
    finds) and ``icontains`` then decides. Both give exactly what the plain scan gave.
    """
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT p.id FROM {PERSON_NAME_TABLE} AS n "
            'CROSS JOIN LATERAL unnest(n.rows) AS r("row") '
            "JOIN registry_person AS p "
            'ON p.dtsen_import_id = n.dtsen_import_id AND p."row" = r."row" '
            "WHERE n.nama LIKE UPPER(%s)"
        )
        params: list[Any] = [_name_pattern(term)]
        if limit is not None:
            sql, params = f"{sql} LIMIT %s", [*params, limit]
        return Q(pk__in=RawSQL(sql, params))
    matches = Q(nama__icontains=term)
    if connection.vendor == "sqlite" and len(term) >= _TRIGRAM:
        lookup = f"SELECT rowid FROM {PERSON_NAMA_FTS} WHERE {PERSON_NAMA_FTS} MATCH %s"
        matches &= Q(pk__in=RawSQL(lookup, (_trigrams_all(term),)))
    return matches


def _trigrams_all(term: str) -> str:
    """An FTS5 query for the names holding every third trigram of ``term`` and its last one.

    Every name containing ``term`` holds them (so ``icontains`` after it loses nothing), and
    they narrow as well as the whole phrase in practice at a fifth of its cost: a phrase
    checks the positions of all of the term's trigrams (25-35 ms against 3-7 ms here for a
    million names). Each trigram is quoted, so no character of the term is query syntax.
    """
    grams = [term[i : i + _TRIGRAM] for i in range(0, len(term) - _TRIGRAM + 1, _TRIGRAM)]
    if (len(term) - _TRIGRAM) % _TRIGRAM:
        grams.append(term[-_TRIGRAM:])
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def _rows_named_sql(*, dtsen_import_id: int, term: str) -> RawSQL:
    """PostgreSQL: the rows of one import's names that contain ``term``, from the names'
    own table, without reading a person."""
    return RawSQL(
        f"SELECT unnest(rows) FROM {PERSON_NAME_TABLE} "
        "WHERE dtsen_import_id = %s AND nama LIKE UPPER(%s)",
        (dtsen_import_id, _name_pattern(term)),
    )


def person_rows_named(*, dtsen_import_id: int, term: str) -> QuerySet[Person] | RawSQL:
    """The rows (``row``) of one import whose name contains ``term``, as a subquery for
    ``row__in``.

    On PostgreSQL they come from the names' table, without reading a person. On SQLite
    with the trigram index, the import is compared as ``dtsen_import_id + 0``: as a plain
    column SQLite's planner (which keeps no statistics) would read all of the import's rows
    through the (import, row) key and test each against the index's list, which is the
    scan the index is there to avoid; this way it reads the index's rows by id.
    """
    if connection.vendor == "postgresql":
        return _rows_named_sql(dtsen_import_id=dtsen_import_id, term=term)
    persons = Person.objects.filter(person_name_matches(term=term))
    if connection.vendor == "sqlite":
        persons = persons.alias(import_key=F("dtsen_import_id") + 0).filter(
            import_key=dtsen_import_id
        )
    else:
        persons = persons.filter(dtsen_import_id=dtsen_import_id)
    return persons.values("row")


def person_rows_named_few(
    *, dtsen_import_id: int, term: str, limit: int | None
) -> tuple[int, ...] | None:
    """The rows of ``person_rows_named`` in row order if fewer than ``limit`` (or all of
    them, without one), else None.

    Read once per import and term, then kept (``worklist_memo``: Django's cache, a day): an
    import's persons never change, and a list view of a name search asked the name index
    three times (its count and the two halves of its page; 15-19 ms each on PostgreSQL for a
    full name among a million), and again for every next page (issue 16, target 4). The term
    goes into the memo's hashed version: the searched name is personal data and is kept
    nowhere in clear.
    """

    def read() -> tuple[int, ...] | None:
        rows = person_rows_named(dtsen_import_id=dtsen_import_id, term=term)
        if isinstance(rows, RawSQL):
            with connection.cursor() as cursor:
                cursor.execute(f"{rows.sql} LIMIT %s", (*rows.params, limit))
                fetched = [row for (row,) in cursor.fetchall()]
        else:
            fetched = list(rows.order_by().values_list("row", flat=True)[:limit])
        return tuple(sorted(fetched)) if limit is None or len(fetched) < limit else None

    return worklist_memo(key=f"named-rows:{dtsen_import_id}", version=(limit, term), compute=read)


def column_mapping_profile_list() -> QuerySet[ColumnMappingProfile]:
    """Saved column mappings, by name, for the upload form."""
    return ColumnMappingProfile.objects.order_by("name")


def persons_as_arrow(*, dtsen_import: DtsenImport) -> pa.Table:
    """The import's persons as the table ``read_extract`` gave for the file.

    Same columns, types and nulls (an empty text is NULL again), rows in file order, so
    screening the database gives the same decisions as screening the file. Fetched in chunks
    so a regency's million rows never sit in memory twice as model instances.
    """
    fields = [ROW, *CANONICAL, NIK_NUMERIC_CELL]
    rows = (
        Person.objects.filter(dtsen_import=dtsen_import)
        .order_by(ROW)
        .values_list(*fields)
        .iterator(chunk_size=PERSON_CHUNK)
    )
    batches: list[pa.RecordBatch] = []
    chunk: list[tuple[Any, ...]] = []
    for values in rows:
        chunk.append(values)
        if len(chunk) >= PERSON_CHUNK:
            batches.append(_batch(chunk))
            chunk = []
    if chunk:
        batches.append(_batch(chunk))
    return pa.Table.from_batches(batches, schema=PERSON_SCHEMA)


def _batch(chunk: list[tuple[Any, ...]]) -> pa.RecordBatch:
    columns = list(zip(*chunk, strict=True))
    arrays = [pa.array(columns[0], pa.int64())]
    arrays += [pa.array([v or None for v in column], pa.string()) for column in columns[1:-1]]
    arrays.append(pa.array([bool(v) for v in columns[-1]], pa.bool_()))
    return pa.RecordBatch.from_arrays(arrays, schema=PERSON_SCHEMA)


def person_values_as_arrow(values: list[tuple[Any, ...]]) -> pa.Table:
    """Rows in ``PERSON_FIELDS`` order as the table ``persons_as_arrow`` gives, so a few
    persons with corrected fields can be screened again by the same engine."""
    if not values:
        return PERSON_SCHEMA.empty_table()
    return pa.Table.from_batches([_batch(values)], schema=PERSON_SCHEMA)


#: Field order of the tuples ``person_values_as_arrow`` takes.
PERSON_FIELDS: tuple[str, ...] = (ROW, *CANONICAL, NIK_NUMERIC_CELL)


@dataclass(frozen=True)
class ImportOverlap:
    """People of an import already present in the year's earlier imports, by NIK.

    ``count`` distinct NIKs of the import are in at least one earlier import, out of ``of``
    distinct non-empty NIKs in the import; ``imports`` lists each earlier import holding
    some of them as {pk, file_name, created_at (ISO), count}. Counts only: no NIK leaves here.
    """

    count: int
    of: int
    imports: list[dict[str, Any]]


def dtsen_import_overlap(*, dtsen_import: DtsenImport) -> ImportOverlap:
    """Count the import's people who were already imported into the same programme year.

    The same file twice is refused by its SHA-256; the same people in a file with other
    bytes (re-exported, re-sorted, another format) are not, and would be screened and
    counted twice. Compared by NIK as stored (trimmed text), in the database, so a million
    rows never pass through Python. Earlier imports are the year's other finished imports.
    """
    mine = Person.objects.filter(dtsen_import_id=dtsen_import.pk).exclude(nik="")
    of = mine.values("nik").distinct().count()
    earlier = list(
        DtsenImport.objects.filter(
            programme_year_id=dtsen_import.programme_year_id, status=JobStatus.DONE
        )
        .exclude(pk=dtsen_import.pk)
        .order_by("created_at", "pk")
        .only("pk", "file_name", "created_at")
    )
    if not of or not earlier:
        return ImportOverlap(count=0, of=of, imports=[])

    def present_in(import_ids: list[int]) -> int:
        known = Person.objects.filter(dtsen_import_id__in=import_ids).exclude(nik="")
        return mine.filter(nik__in=known.values("nik")).values("nik").distinct().count()

    imports = []
    for other in earlier:
        n = present_in([other.pk])
        if n:
            imports.append(
                {
                    "pk": other.pk,
                    "file_name": other.file_name,
                    "created_at": other.created_at.isoformat(),
                    "count": n,
                }
            )
    if not imports:
        return ImportOverlap(count=0, of=of, imports=[])
    count = imports[0]["count"] if len(imports) == 1 else present_in([i["pk"] for i in imports])
    return ImportOverlap(count=count, of=of, imports=imports)


def registry_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """What the year's imports leave to Dinas Sosial's operator (Pasal 7 ayat (1)): the
    first extract to upload, a failed import to fix, an overlap to confirm. One query."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not user.has_perm("registry.import_extract"):
        return []
    imports = list(
        DtsenImport.objects.filter(programme_year=programme_year)
        .order_by("-created_at", "-pk")
        .values("pk", "status", "overlap_count", "overlap_confirmed_by_id")
    )
    article = _("Pasal 7 ayat (1)")
    if not imports:
        return [
            Task(
                text=_("Unggah ekstrak DTSEN tahun ini"),
                url=reverse("registry:import_create", args=[programme_year.pk]),
                article=article,
            )
        ]
    tasks: list[Task] = []
    done = [i for i in imports if i["status"] == JobStatus.DONE]
    # A failed import matters only while no later import of the year succeeded.
    failed = [i for i in imports if i["status"] == JobStatus.FAILED]
    if failed and not done:
        tasks.append(
            Task(
                text=_("Impor gagal: perbaiki berkas atau pemetaan kolom, lalu unggah ulang"),
                url=reverse("registry:import_detail", args=[failed[0]["pk"]]),
                count=len(failed),
                level="error",
                article=article,
            )
        )
    overlap = [i for i in done if i["overlap_count"] and not i["overlap_confirmed_by_id"]]
    if overlap:
        tasks.append(
            Task(
                text=_("Konfirmasi orang yang sudah ada pada impor sebelumnya"),
                url=reverse("registry:import_detail", args=[overlap[0]["pk"]]) + "#tumpang-tindih",
                count=len(overlap),
                level="warning",
                article=article,
            )
        )
    return tasks
