"""On PostgreSQL, the names of an import's persons as a table of their own (issue 16, targets
2 and 4), in place of the pg_trgm index on every person's name.

A million persons hold about 111 000 distinct names. The GIN index of migration 0004 held a
million entries (86 MB) and made each search fetch and recheck every matching person: 9 700
for a first name such as "KOMAR", 25-80 ms before the decision list could choose its page,
and it was the dearest part of loading an import. Here each import's distinct names (in
capitals, as ``icontains`` compares them) are kept with the rows that hold them:

- ``registry_person_name (dtsen_import_id, nama, rows integer[])``, one line per import and
  name, with a pg_trgm GIN index on ``nama`` (4 MB for a million persons). A search reads a
  name's line and has its rows: "KOMAR" in 4-10 ms instead of 29-217.
- Statement-level triggers with transition tables keep it in step with ``registry_person``
  however persons are written, in the same transaction: the import's COPY, the roster's and
  the ORM's INSERTs (one grouped upsert per statement, not a trigger per row), a delete
  (retention, an import removed: the rows leave their names, a name with none left goes),
  an update that changes a name, and TRUNCATE (the test suite's flush).

It is no Django model: Django has no field for an integer array on SQLite, which keeps its
FTS5 index of migration 0004 unchanged. ``registry.selectors`` reads it.
"""

from django.db import migrations

TABLE = "registry_person_name"


def _add(persons: str) -> str:
    """The rows of ``persons`` join their names' lines: one grouped upsert a statement."""
    return f"""INSERT INTO {TABLE} AS n (dtsen_import_id, nama, rows)
    SELECT dtsen_import_id, UPPER(nama), array_agg("row") FROM {persons} GROUP BY 1, 2
    ON CONFLICT (dtsen_import_id, nama) DO UPDATE SET rows = n.rows || EXCLUDED.rows;"""


def _remove(persons: str) -> str:
    """The rows of ``persons`` leave their names' lines; a line none of whose rows is left
    goes (a row is in its line once, so all of them gone is as many gone as it holds)."""
    return f"""WITH gone AS (
        SELECT dtsen_import_id, UPPER(nama) AS nama, array_agg("row") AS rows
        FROM {persons} GROUP BY 1, 2
    ), emptied AS (
        DELETE FROM {TABLE} AS n USING gone AS g
        WHERE n.dtsen_import_id = g.dtsen_import_id AND n.nama = g.nama
        AND cardinality(n.rows) <= cardinality(g.rows)
    )
    UPDATE {TABLE} AS n
    SET rows = ARRAY(SELECT unnest(n.rows) EXCEPT SELECT unnest(g.rows))
    FROM gone AS g
    WHERE n.dtsen_import_id = g.dtsen_import_id AND n.nama = g.nama
    AND cardinality(n.rows) > cardinality(g.rows);"""


def _function(name: str, body: str) -> str:
    return f"""CREATE FUNCTION {TABLE}_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {body}
    RETURN NULL;
END $$"""


#: An update moves only the rows whose import, row or name (in capitals) changed.
_CHANGED = (
    '(o.dtsen_import_id, o."row", UPPER(o.nama)) '
    'IS DISTINCT FROM (a.dtsen_import_id, a."row", UPPER(a.nama))'
)
_OLD_MOVED = f"(SELECT o.* FROM removed AS o JOIN added AS a USING (id) WHERE {_CHANGED}) AS o"
_NEW_MOVED = f"(SELECT a.* FROM added AS a JOIN removed AS o USING (id) WHERE {_CHANGED}) AS a"

POSTGRES_FORWARD = [
    f"CREATE TABLE {TABLE} (dtsen_import_id bigint NOT NULL, nama text NOT NULL, "
    "rows integer[] NOT NULL, PRIMARY KEY (dtsen_import_id, nama))",
    f"CREATE INDEX {TABLE}_trgm ON {TABLE} USING gin (nama gin_trgm_ops)",
    _function("add", _add("added")),
    _function("remove", _remove("removed")),
    _function("move", _remove(_OLD_MOVED) + "\n    " + _add(_NEW_MOVED)),
    _function("clear", f"TRUNCATE {TABLE};"),
    f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON registry_person "
    f"REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_add()",
    f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON registry_person "
    f"REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_remove()",
    f"CREATE TRIGGER {TABLE}_au AFTER UPDATE ON registry_person "
    "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_move()",
    f"CREATE TRIGGER {TABLE}_at AFTER TRUNCATE ON registry_person "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_clear()",
    # The persons already stored, then the index they no longer need.
    _add("registry_person"),
    "DROP INDEX IF EXISTS person_nama_trgm",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS person_nama_trgm ON registry_person "
    "USING gin (UPPER(nama) gin_trgm_ops)",
    f"DROP TRIGGER IF EXISTS {TABLE}_ai ON registry_person",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad ON registry_person",
    f"DROP TRIGGER IF EXISTS {TABLE}_au ON registry_person",
    f"DROP TRIGGER IF EXISTS {TABLE}_at ON registry_person",
    f"DROP FUNCTION IF EXISTS {TABLE}_add()",
    f"DROP FUNCTION IF EXISTS {TABLE}_remove()",
    f"DROP FUNCTION IF EXISTS {TABLE}_move()",
    f"DROP FUNCTION IF EXISTS {TABLE}_clear()",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_person_nama_search"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
