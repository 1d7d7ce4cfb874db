"""Import benchmark: storing a regency's extract in the database (issue target ≥ 300k rows/s).

Measures, on the database named by ``DATABASE_URL`` (PostgreSQL for the target; SQLite for
comparison), the load phase of an import — ``payung.core.bulk.bulk_load`` of N Person rows in
one transaction (COPY on PostgreSQL, executemany on SQLite) — and the whole
``dtsen_import_execute`` service (read, row checks through the engine, households, persons).

    DATABASE_URL=postgres://payung:payung@127.0.0.1:5432/payung_bench \\
        .venv/bin/python -m benchmarks.import_load --rows 1000000

The database is created if missing (PostgreSQL) and emptied of Payung's tables first by
migrating a fresh schema: point it at a throw-away database, never at production.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def _prepare_database() -> None:
    """Create the PostgreSQL database if needed, then migrate from zero."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-service", action="store_true")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="payung-bench-"))
    os.environ.setdefault("PAYUNG_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    os.environ.setdefault("PAYUNG_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from django.core.files import File
    from django.db import connection, transaction

    from payung.accounts.services import agency_get_or_create, user_create
    from payung.core.bulk import bulk_load_arrow
    from payung.engine.synth import synth_write
    from payung.programmes.services import programme_year_create
    from payung.registry.models import DtsenImport, Person
    from payung.registry.services import dtsen_import_create, dtsen_import_execute, person_table

    _prepare_database()
    vendor = connection.vendor
    print(f"database: {vendor}, rows: {args.rows:,}")

    csv_path = data_dir / "extract.csv"
    synth_write(rows=args.rows, seed=args.seed, out=csv_path)
    agency = agency_get_or_create(kind="dinsos", name="Dinas Sosial")
    user = user_create(
        username="bench.operator",
        password="bench-pass-123!",
        role="operator_pendataan",
        agency=agency,
    )
    year = programme_year_create(
        created_by=user,
        year=2026,
        policy_id="pandeglang-2025",
        as_of=date(2026, 1, 1),
        coverage_months=12,
        budgets={"apbd": 1_008_000_000},
    )
    with csv_path.open("rb") as fh:
        imp = dtsen_import_create(
            programme_year=year, uploaded_file=File(fh, name=csv_path.name), uploaded_by=user
        )

    # 1. The load phase alone: N person rows through bulk_load in one transaction.
    from payung.engine.readers import read_extract

    table = read_extract(csv_path)
    # The service's own row builder, so the benchmark loads exactly what an import loads;
    # building the Arrow table is timed too, as it is part of every import.
    started = time.perf_counter()
    with transaction.atomic():
        loaded = bulk_load_arrow(Person, person_table(imp.pk, table, {}))
    load_seconds = time.perf_counter() - started
    print(
        f"bulk_load of {loaded:,} person rows: {load_seconds:.2f} s "
        f"= {loaded / load_seconds:,.0f} rows/s (target on PostgreSQL: >= 300,000)"
    )
    Person.objects.filter(dtsen_import=imp).delete()

    # 2. The whole import service: read, checks through the engine, households, persons.
    if not args.skip_service:
        started = time.perf_counter()
        dtsen_import_execute(dtsen_import=DtsenImport.objects.get(pk=imp.pk))
        seconds = time.perf_counter() - started
        imp.refresh_from_db()
        print(
            f"dtsen_import_execute: {seconds:.2f} s for {imp.row_count:,} rows "
            f"= {imp.row_count / seconds:,.0f} rows/s end to end (status {imp.status})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
