"""On PostgreSQL, Person's NIK index as a hash index (issue 16, target 2).

The NIK is looked up only for equality (the person page, the header search, an import's
overlap with earlier ones), never by range or in order. A B-tree over a million random
16-digit keys is dear to maintain: 1 000 000 rows COPYed into a bare copy of the persons'
table took 10.9 s with it, 5.7 s with a hash index in its place and 3.8 s without any; in
the whole persons load (with the names' table of migration 0005) the hash index saves
7-10 %, in the import service 15-20 % (benchmarks/README.md, "Loading an import"). The
index keeps its name, so the model's ``models.Index(fields=["nik"], name="person_nik")``
still names it; SQLite keeps its B-tree (it has no hash index, and its bulk load builds the
B-tree sorted instead).
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS person_nik",
    "CREATE INDEX person_nik ON registry_person USING hash (nik)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS person_nik",
    "CREATE INDEX person_nik ON registry_person (nik)",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_person_name_table"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
