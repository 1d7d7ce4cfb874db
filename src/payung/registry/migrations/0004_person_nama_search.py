"""A substring index on ``Person.nama`` for the name searches (issue 16, target 4).

``nama__icontains`` read every name of a million-row import (1.0-1.5 s a decision-list
search, 240 ms a header search on SQLite). Each database gets the index it has for a
substring:

- PostgreSQL: a pg_trgm GIN index on ``UPPER(nama)``, the very expression Django writes for
  ``icontains`` there, so the planner uses it for the unchanged query. pg_trgm is a trusted
  extension since PostgreSQL 13: the database owner may create it.
- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34+), external content over
  ``registry_person`` and kept in step by triggers, so every way a Person is written (the
  roster, the ORM) and deleted (an import removed, retention) updates it in the same
  transaction; the import's bulk load pauses the insert trigger and indexes its rows in one
  statement in its own transaction. ``registry.selectors.person_name_matches`` reads it as a pre-filter
  and still applies ``icontains``, so the results are exactly the scan's.

Neither is a model index (Django has no FTS5 index and a GIN index cannot be created on
SQLite), so the model's state does not change.
"""

from django.db import migrations

FTS = "registry_person_nama_fts"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(nama, content='registry_person', "
    "content_rowid='id', tokenize='trigram', columnsize=0)",
    # While the import's bulk load holds a row here, it indexes its rows in one statement
    # afterwards (``registry.services.person_rows_load``): row by row through the trigger
    # costs the load about three times as much.
    f"CREATE TABLE {FTS}_paused (id INTEGER PRIMARY KEY)",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON registry_person "
    f"WHEN NOT EXISTS (SELECT 1 FROM {FTS}_paused) BEGIN "
    f"INSERT INTO {FTS}(rowid, nama) VALUES (new.id, new.nama); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON registry_person BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, nama) VALUES ('delete', old.id, old.nama); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF nama ON registry_person BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, nama) VALUES ('delete', old.id, old.nama); "
    f"INSERT INTO {FTS}(rowid, nama) VALUES (new.id, new.nama); END",
    # The rows already stored.
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
    f"DROP TABLE IF EXISTS {FTS}_paused",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_nama_trgm ON registry_person "
    "USING gin (UPPER(nama) gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS person_nama_trgm"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_person_nik"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
