"""The name index (issue 16, target 4): a search through it finds exactly what a scan finds.

A name search over a million-row import read every name. ``person_name_matches`` reads the
index each database has (SQLite: an FTS5 trigram table kept by triggers; PostgreSQL: a table
of each import's distinct names and their rows, kept by statement triggers and searched
through its pg_trgm index) and must still give ``nama__icontains``'s rows, however the
persons were written (bulk load, ORM, an update, a delete) and whatever the term holds.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from payung.registry.models import DtsenImport, Person
from payung.registry.selectors import (
    PERSON_NAMA_FTS,
    PERSON_NAME_TABLE,
    person_name_matches,
    person_rows_named,
    person_rows_named_few,
)
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db

NAMES = [
    "SITI AMINAH",
    "Siti Nurhaliza",
    "siti",
    "ÉLODIE MARTIN",
    "élodie",
    'AHMAD "UDIN" SAPUTRA',
    "DISKON 50% A_B",
    "DEDE SUTISNA",
    "ADE",
    "",
]
TERMS = [
    "siti",
    "SITI AMINAH",
    "iti",
    "ti",
    "élo",
    "ÉLO",
    "É",
    '"UDIN"',
    'n" s',
    "50%",
    "A_B",
    "%",
    "_",
    "ade",
    "de s",
    "dede sutisna",
    "tidak ada",
    "SITI AMINAH BINTI",
]


def _matches(term: str) -> set[int]:
    return set(Person.objects.filter(person_name_matches(term=term)).values_list("pk", flat=True))


def _scan(term: str) -> set[int]:
    return set(Person.objects.filter(nama__icontains=term).values_list("pk", flat=True))


def _bulk_load(dtsen_import: DtsenImport, names: list[str], first_row: int) -> None:
    factories.person_rows_bulk_load(dtsen_import=dtsen_import, names=names, first_row=first_row)


def _assert_same_as_a_scan() -> None:
    for term in TERMS:
        assert _matches(term) == _scan(term), term
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # FTS5's own check of the index against the table (raises on any difference).
            cursor.execute(
                f"INSERT INTO {PERSON_NAMA_FTS}({PERSON_NAMA_FTS}, rank) "
                "VALUES ('integrity-check', 1)"
            )
        else:
            # The names' table holds exactly the persons' names and rows, each row once.
            cursor.execute(
                "SELECT dtsen_import_id, nama, ARRAY(SELECT unnest(rows) ORDER BY 1) "
                f"FROM {PERSON_NAME_TABLE} ORDER BY 1, 2"
            )
            kept = cursor.fetchall()
            cursor.execute(
                'SELECT dtsen_import_id, UPPER(nama), array_agg("row" ORDER BY "row") '
                "FROM registry_person GROUP BY 1, 2 ORDER BY 1, 2"
            )
            assert kept == cursor.fetchall()


def test_a_name_search_finds_exactly_what_a_scan_finds_after_loads_updates_and_deletes() -> None:
    loaded = factories.DtsenImportFactory()
    _bulk_load(loaded, NAMES, first_row=1)
    created = factories.DtsenImportFactory()
    Person.objects.bulk_create(
        Person(dtsen_import=created, row=i, nama=name) for i, name in enumerate(NAMES, 1)
    )
    _assert_same_as_a_scan()
    assert len(_matches("siti")) == 6  # both imports, any case
    assert len(_matches("SITI AMINAH")) == 2
    assert len(_matches('"UDIN"')) == 2  # a quote is a character, not query syntax
    assert len(_matches("A_B")) == 2 and len(_matches("%")) == 2  # nor a LIKE wildcard

    # An update moves the person in the index; a delete takes them out.
    aminah = Person.objects.filter(dtsen_import=created, nama="SITI AMINAH")
    aminah.update(nama="RATNA SARI")
    Person.objects.filter(dtsen_import=loaded, nama="DEDE SUTISNA").delete()
    _assert_same_as_a_scan()
    assert len(_matches("SITI AMINAH")) == 1
    assert len(_matches("ratna")) == 1
    assert len(_matches("dede sutisna")) == 1

    # Deleting a whole import (as removing it does) leaves nothing of it in the index.
    loaded.delete()
    _assert_same_as_a_scan()
    assert len(_matches("siti")) == 2  # the renamed one is no Siti any more


def test_an_imports_rows_named_are_its_own_rows_only() -> None:
    first = factories.DtsenImportFactory()
    second = factories.DtsenImportFactory()
    _bulk_load(first, ["SITI AMINAH", "DEDE", "Siti Rahma"], first_row=1)
    # The other import's Siti stands at the first import's "DEDE" row.
    _bulk_load(second, ["RATNA", "SITI AMINAH"], first_row=1)

    def rows(term: str) -> list[int]:
        named = person_rows_named(dtsen_import_id=first.pk, term=term)
        persons = Person.objects.filter(dtsen_import=first, row__in=named)
        return sorted(persons.values_list("row", flat=True))

    assert rows("siti") == [1, 3]
    assert rows("de") == [2]
    assert person_rows_named_few(dtsen_import_id=first.pk, term="siti", limit=3) == (1, 3)
    # As many as the limit or more: too many to keep.
    assert person_rows_named_few(dtsen_import_id=first.pk, term="i", limit=2) is None


def test_a_limited_search_stops_at_its_limit() -> None:
    """The header search reads at most a few hundred of a common name's holders."""
    target = factories.DtsenImportFactory()
    _bulk_load(target, ["SITI A", "SITI B", "SITI C", "DEDE"], first_row=1)
    limited = Person.objects.filter(person_name_matches(term="siti", limit=2))
    assert limited.count() == (2 if connection.vendor == "postgresql" else 3)
    assert set(limited.values_list("nama", flat=True)) <= {"SITI A", "SITI B", "SITI C"}


def test_the_name_index_exists_and_a_long_enough_term_reads_it() -> None:
    """Without the index every search scans the table (what issue 16 measured): the SQLite
    query reads the trigram table, PostgreSQL's the trigram index of the names' table, which
    its triggers keep."""
    sql, params = Person.objects.filter(person_name_matches(term="siti")).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[3]) for row in cursor.fetchall())
            assert f"SCAN {PERSON_NAMA_FTS} VIRTUAL TABLE" in plan
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
            assert {f"{PERSON_NAMA_FTS}_{s}" for s in ("ai", "ad", "au")} <= triggers
        else:
            # A few test rows are read faster by a scan, or by walking the primary key and
            # testing each name: the planner is told not to.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert f"{PERSON_NAME_TABLE}_trgm" in plan
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'registry_person'::regclass"
            )
            triggers = {row[0] for row in cursor.fetchall()}
            assert {f"{PERSON_NAME_TABLE}_{s}" for s in ("ai", "ad", "au", "at")} <= triggers
            # Its rows are the names' table's: the persons keep no index of their names.
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'person_nama_trgm'")
            assert cursor.fetchone() is None


def test_a_failed_load_indexes_nothing_and_leaves_the_index_kept_row_by_row() -> None:
    """A bulk load that fails (a row twice) is undone whole, its pause of the index's
    trigger with it: a person written afterwards is found."""
    target = factories.DtsenImportFactory()
    _bulk_load(target, ["SITI AMINAH"], first_row=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _bulk_load(target, ["SITI RAHMA", "DEDE"], first_row=1)
    Person.objects.create(dtsen_import=target, row=9, nama="Siti Rahma")
    _assert_same_as_a_scan()
    assert len(_matches("siti")) == 2


def test_emptying_the_persons_empties_the_names_table_on_postgresql() -> None:
    """The test suite's flush and any other TRUNCATE of the persons leave no name behind
    for a later import to inherit."""
    if connection.vendor != "postgresql":
        pytest.skip("the names' table is PostgreSQL's")
    _bulk_load(factories.DtsenImportFactory(), ["SITI AMINAH"], first_row=1)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_person CASCADE")
        cursor.execute(f"SELECT count(*) FROM {PERSON_NAME_TABLE}")
        assert cursor.fetchone() == (0,)
