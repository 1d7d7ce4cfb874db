"""Import benchmark: storing a regency's extract in the database (issue 16, target 2).

Target: 1 000 000 screened persons stored at >= 300 000 rows/s, on PostgreSQL and on the
embedded SQLite default, with the constraints the application keeps (the (import, row)
unique key, one transaction per import). For each database, in its own process, two runs of:

* the persons load alone: ``payung.registry.services.person_rows_load`` (the service's
  ``bulk_load_arrow``, and the name index: on SQLite after the load, on PostgreSQL the
  names' table its statement trigger fills) of the service's own
  ``person_table``, in one transaction, committed (COPY from Arrow on PostgreSQL,
  multi-row INSERTs on SQLite);
* the whole ``dtsen_import_execute`` service (read, length and character checks, the
  engine's data-quality checks, households, persons, overlap count, audit).

Each figure is printed with its wall time, the benchmark process's own CPU time and, on
PostgreSQL, the server backend's CPU time (read from /proc, same machine), because on a
shared 2-core machine the wall time says as much about the neighbours as about Payung.
The load average is printed next to every figure.

    scripts/bench load [--rows 1000000] [--databases postgresql,sqlite] [--json OUT]

PostgreSQL is reached by ``--postgres URL`` (default ``$PAYUNG_BENCH_POSTGRES`` or
``postgres://payung:payung@127.0.0.1:5432/payung_bench``); that database is DROPPED and
created again: point it at a throw-away database, never at production. SQLite uses a fresh
file in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
#: Cached synthetic extracts, one per (rows, seed); git-ignored.
DATA_DIR: Final = ROOT / "benchmarks" / ".data"
#: Issue 16 target 2, for the persons load on both databases.
TARGET_ROWS_PER_SECOND: Final = 300_000
DEFAULT_POSTGRES: Final = "postgres://payung:payung@127.0.0.1:5432/payung_bench"
RUNS: Final = 2


def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of another process on this machine, or 0 if unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _extract(rows: int, seed: int) -> Path:
    """The synthetic extract for (rows, seed), written once and cached under .data/."""
    from payung.engine.synth import synth_write

    path = DATA_DIR / f"extract-{rows}-seed{seed}.csv"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        synth_write(rows=rows, seed=seed, out=path)
    return path


def _prepare_database() -> None:
    """Create the PostgreSQL database afresh if that is the target, then migrate from zero."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class _Clock:
    """Wall time, this process's CPU time and the database server's CPU time of one step."""

    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid

    def __enter__(self) -> _Clock:
        self.load = _loadavg()
        self._server = _proc_cpu(self.server_pid) if self.server_pid else 0.0
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        self.server_cpu = _proc_cpu(self.server_pid) - self._server if self.server_pid else None

    def figure(self, rows: int) -> dict[str, Any]:
        return {
            "rows": rows,
            "seconds": round(self.wall, 3),
            "rows_per_second": round(rows / self.wall),
            "cpu_seconds": round(self.cpu, 2),
            "server_cpu_seconds": (
                round(self.server_cpu, 2) if self.server_cpu is not None else None
            ),
            "loadavg": self.load,
        }


def run_one_database(rows: int, seed: int) -> dict[str, Any]:
    """Inside a child process whose environment names the database: both measurements."""
    # The parent names a temporary folder it removes afterwards (the SQLite file, uploads).
    if not os.environ.get("PAYUNG_DATA_DIR"):
        os.environ["PAYUNG_DATA_DIR"] = tempfile.mkdtemp(prefix="payung-bench-load-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    os.environ.setdefault("PAYUNG_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from django.core.files import File
    from django.db import connection, transaction

    from payung.accounts.services import agency_get_or_create, user_create
    from payung.engine.readers import read_extract
    from payung.programmes.services import programme_year_create
    from payung.registry.models import DtsenImport
    from payung.registry.services import (
        dtsen_import_create,
        dtsen_import_execute,
        person_rows_load,
        person_table,
    )

    csv_path = _extract(rows, seed)
    _prepare_database()
    vendor = connection.vendor
    server_pid = None
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server_pid = cursor.fetchone()[0]
    agency = agency_get_or_create(kind="dinsos", name="Dinas Sosial")
    user = user_create(
        username="bench.operator",
        password="bench-pass-123!",
        role="operator_pendataan",
        agency=agency,
    )

    def new_import(year: int) -> DtsenImport:
        # One programme year per import: the same file is imported once per year.
        programme_year = programme_year_create(
            created_by=user,
            year=year,
            policy_id="pandeglang-2025",
            as_of=date(2026, 1, 1),
            coverage_months=12,
            budgets={"apbd": 1_008_000_000},
        )
        with csv_path.open("rb") as fh:
            return dtsen_import_create(
                programme_year=programme_year,
                uploaded_file=File(fh, name=csv_path.name),
                uploaded_by=user,
            )

    result: dict[str, Any] = {"database": vendor, "rows": rows, "load": [], "service": []}
    table = read_extract(csv_path)
    for run in range(RUNS):
        imp = new_import(2026 + run)
        # The service's own row builder (timed: every import builds it), one transaction,
        # committed, into a table that already holds the earlier runs' rows.
        with _Clock(server_pid) as clock, transaction.atomic():
            loaded = person_rows_load(table=person_table(imp.pk, table, {}))
        figure = clock.figure(loaded)
        result["load"].append(figure)
        _print_figure(vendor, "persons load", run + 1, figure)
    result["floor"] = _floors(vendor, table, new_import(2026 + RUNS * 2).pk)
    del table
    for run in range(RUNS):
        imp = new_import(2026 + RUNS + run)
        with _Clock(server_pid) as clock:
            imp = dtsen_import_execute(dtsen_import=DtsenImport.objects.get(pk=imp.pk))
        if imp.status != "done":
            raise SystemExit(f"import failed: {imp.error_code}")
        figure = clock.figure(imp.row_count or 0)
        result["service"].append(figure)
        _print_figure(vendor, "import service", run + 1, figure)
    return result


def _floors(vendor: str, table: Any, import_id: int) -> list[dict[str, Any]]:
    """What this machine allows at best (``benchmarks.load_floor``), each figure printed."""
    from benchmarks.load_floor import floor_postgres, floor_sqlite
    from payung.core.bulk import CHUNK_ROWS
    from payung.registry.services import person_table

    def build() -> Any:
        return person_table(import_id, table, {})

    def clock() -> _Clock:
        return _Clock(None)  # other connections do the work: no one backend to read

    if vendor == "postgresql":
        url = os.environ["DATABASE_URL"]
        figures = floor_postgres(url=url, build=build, clock=clock, chunk_rows=CHUNK_ROWS)
    else:
        figures = floor_sqlite(build=build, clock=clock)
    for label, run, figure in figures:
        _print_figure(vendor, label, run, figure)
    return [{"what": label, "run": run, **figure} for label, run, figure in figures]


def _verdict(rows_per_second: float) -> str:
    return "met" if rows_per_second >= TARGET_ROWS_PER_SECOND else "missed"


def _print_figure(vendor: str, what: str, run: int, figure: dict[str, Any]) -> None:
    server = (
        f", server {figure['server_cpu_seconds']:.2f} CPU s"
        if figure["server_cpu_seconds"] is not None
        else ""
    )
    print(
        f"{vendor:10s} {what:15s} run {run}: {figure['rows']:,} rows in "
        f"{figure['seconds']:.2f} s = {figure['rows_per_second']:,} rows/s "
        f"(own {figure['cpu_seconds']:.2f} CPU s{server}; load average {figure['loadavg']}) "
        f"target >= {TARGET_ROWS_PER_SECOND:,}: {_verdict(figure['rows_per_second'])}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument(
        "--postgres", default=os.environ.get("PAYUNG_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:  # one database, named by the environment; results on the last line
        result = run_one_database(args.rows, args.seed)
        print("RESULT " + json.dumps(result), flush=True)
        return 0

    results = []
    for database in args.databases.split(","):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        data_dir = tempfile.TemporaryDirectory(prefix="payung-bench-load-")
        env["PAYUNG_DATA_DIR"] = data_dir.name
        if database == "postgresql":
            env["DATABASE_URL"] = args.postgres
        elif database != "sqlite":
            parser.error(f"unknown database {database!r}")
        command = [sys.executable, "-m", "benchmarks.import_load", "--child"]
        command += ["--rows", str(args.rows), "--seed", str(args.seed)]
        with subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:  # each figure as soon as it is measured
                if line.startswith("RESULT "):
                    results.append(json.loads(line[len("RESULT ") :]))
                else:
                    print(line, end="", flush=True)
        data_dir.cleanup()
        if child.returncode != 0:
            print(f"{database}: benchmark failed", file=sys.stderr)
            return child.returncode

    print(f"\nissue 16 target 2: >= {TARGET_ROWS_PER_SECOND:,} rows/s (best of {RUNS} runs)")
    for result in results:
        for key, what in (("load", "persons load"), ("service", "import service")):
            best = max(f["rows_per_second"] for f in result[key])
            runs = " / ".join(f"{f['seconds']:.2f} s" for f in result[key])
            print(
                f"  {result['database']:10s} {what:15s} {best:>9,} rows/s "
                f"(runs {runs}): {_verdict(best)}"
            )
        floors: dict[str, list[dict[str, Any]]] = {}
        for floor in result.get("floor", []):
            floors.setdefault(floor["what"], []).append(floor)
        for what, runs in floors.items():
            # The best run: what such a load can do on this machine when nothing intervenes.
            best = max(f["rows_per_second"] for f in runs)
            reach = "within reach" if best >= TARGET_ROWS_PER_SECOND else "out of reach"
            seconds = " / ".join(f"{f['seconds']:.2f} s" for f in runs)
            print(
                f"  {result['database']:10s} {what:30s} {best:>9,} rows/s "
                f"(runs {seconds}): the target {reach} of such a load here"
            )
    if args.json:
        payload = {"target_rows_per_second": TARGET_ROWS_PER_SECOND, "results": results}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
