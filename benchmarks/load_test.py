"""The pages under load (issue 16, target 4): gunicorn with production settings and one
``payung worker`` beside it, locust headless with N users across roles
(``benchmarks/locustfile.py``) while a 1 M-row import runs, p50/p95/p99 per page and the
errors, against p95 ≤ 150 ms for list, search, person and workspace pages and 0 errors.

Uses the data ``benchmarks.pages --build`` made, in the database the environment names
(``DATABASE_URL`` for PostgreSQL, else SQLite in ``PAYUNG_DATA_DIR``). The clock starts when
every user has logged in; then an operator uploads a second synthetic extract
(``--import-rows``, seed 8, written once into the data directory) through the import page
and the worker imports it during the measured window. After the window the harness waits
for the import (at most ``--import-wait`` seconds), reports whether and when it finished,
and deletes it again (unless ``--keep-import``) so that the next run finds the same 1 M
persons. Traffic goes to 127.0.0.1 only and stops after ``--run-time``.

    scripts/bench load-test [--users 50] [--spawn-rate 10] [--run-time 3m]
        [--workers 2] [--threads 4] [--port 8001] [--think 4,12]
        [--import-rows 1000000 | --import-rows 0] [--import-wait 600] [--worker-nice 10]
        [--json OUT]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

TARGET_MS = 150.0
#: The pages the target names (list, search, person, workspace); the rest are reported.
TARGETED = (
    "decision list",
    "search",
    "person page",
    "workspace",
    "proposal",
    "run summary",
    "contributions year",
)
VENV = Path(sys.executable).parent
IMPORT_SEED = 8
#: The logins (Argon2, before the clock) may take this long before the run is cut short.
LOGIN_BOUND_S = 300


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    import django

    django.setup()


def _targets(path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "benchmarks.pages", "--targets", str(path)],
        check=True,
        env=dict(os.environ),
    )


def _wait(url: str, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server at {url} did not answer")


def _seconds(text: str) -> float:
    """``3m``, ``90s``, ``1m30s`` or plain seconds."""
    total, number = 0.0, ""
    for ch in text.strip():
        if ch.isdigit() or ch == ".":
            number += ch
        else:
            total += float(number or 0) * {"h": 3600, "m": 60, "s": 1}[ch]
            number = ""
    return total + float(number or 0)


def _ms(value: str) -> float:
    """A percentile from locust's CSV ("N/A" when a page had no request in the window)."""
    try:
        return float(value)
    except ValueError:
        return float("nan")


def _loadavg() -> list[float]:
    return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]


def _cpu_busy() -> tuple[float, float]:
    """The machine's busy and total jiffies (all cores), from /proc/stat."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


class _Sampler(threading.Thread):
    """The 1-minute load average every 10 s, during the run."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.wait(10):
            self.samples.append(_loadavg()[0])

    def stop(self) -> None:
        self._stop.set()


class _ImportWatch(threading.Thread):
    """When the uploaded import's progress first showed each value (10: read, 30: checked,
    60: households found, the database load next), so a page's time can be set against the
    phase of the import it met."""

    def __init__(self, state_file: Path) -> None:
        super().__init__(daemon=True)
        self.state_file = state_file
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()

    def run(self) -> None:
        from django.db import connection

        from payung.registry.models import DtsenImport

        try:
            while not self._stop.wait(0.5):
                state = json.loads(self.state_file.read_text()) if self.state_file.exists() else {}
                if not state.get("import_pk"):
                    continue
                progress = (
                    DtsenImport.objects.filter(pk=state["import_pk"])
                    .values_list("progress", flat=True)
                    .first()
                )
                if progress is not None:
                    self.seen.setdefault(progress, time.time())
                if progress == 100:
                    break
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()


def _cpu_s(process: subprocess.Popen[Any]) -> float:
    """CPU seconds of a process we started and its reaped children (gunicorn's workers)."""
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_utime + usage.ru_stime


def _stop(process: subprocess.Popen[Any], timeout: float = 30) -> float:
    process.send_signal(signal.SIGTERM)
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        pid, _status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = 0
            return usage.ru_utime + usage.ru_stime
        time.sleep(0.2)
    process.kill()
    return _cpu_s(process)


def _extract(rows: int) -> Path:
    """The extract the operator uploads during the run (written once, seed 8)."""
    from django.conf import settings

    path = Path(settings.DATA_DIR) / "bench" / f"synth-{rows}-seed{IMPORT_SEED}.csv"
    if not path.exists():
        from payung.engine import synth_write

        path.parent.mkdir(parents=True, exist_ok=True)
        synth_write(rows=rows, seed=IMPORT_SEED, out=path)
    return path


def _import_follow(*, pk: int, wait_s: float) -> dict[str, Any]:
    """Wait (bounded) for the uploaded import, then for the duplicate check it queues, and
    report their status and times."""
    from django.db import close_old_connections

    from payung.core.models import JobStatus
    from payung.registry.models import DtsenImport, DuplicateCheck

    until = time.monotonic() + wait_s
    running = (JobStatus.QUEUED, JobStatus.RUNNING)
    while True:
        close_old_connections()
        imp = DtsenImport.objects.get(pk=pk)
        if imp.status not in running or time.monotonic() > until:
            break
        time.sleep(2)
    check = None
    while imp.status == JobStatus.DONE:
        close_old_connections()
        check = DuplicateCheck.objects.filter(dtsen_import_id=pk).order_by("-pk").first()
        if check is None or check.status not in running or time.monotonic() > until:
            break
        time.sleep(2)
    return {
        "status": str(imp.status),
        "rows": imp.row_count,
        "finished_at": imp.finished_at.timestamp() if imp.finished_at else None,
        "error": imp.error_message or "",
        "check_finished_at": (
            check.finished_at.timestamp() if check is not None and check.finished_at else None
        ),
    }


#: The PostgreSQL settings the pages' figures depend on, printed with them.
SERVER_SETTINGS = ("shared_buffers", "max_parallel_workers_per_gather", "work_mem")


def _server_settings() -> dict[str, str]:
    """The database server's settings in ``SERVER_SETTINGS`` (PostgreSQL; {} on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        found = {}
        for name in SERVER_SETTINGS:
            cursor.execute(f"SHOW {name}")
            found[name] = cursor.fetchone()[0]
    connection.close()
    return found


def _p95(values: list[float]) -> float | None:
    return values[min(len(values) - 1, int(0.95 * len(values)))] if values else None


def _split_print(
    *, timed: list[tuple[float, str, float]], phases: list[tuple[str, float, float]]
) -> list[dict[str, Any]]:
    """p95 of each targeted page for the requests sent in each phase (while the import read
    and checked the file, while it loaded the database, while its duplicate check ran, after
    both): whether a page misses because of its own work or because a background job held
    the cores."""
    print(f"{'page (p95 ms of n requests)':<42}" + "".join(f" {name:>19}" for name, _, _ in phases))
    split = []
    for page in sorted({name for _, name, _ in timed}):
        if not any(t in page for t in TARGETED) or "(form)" in page:
            continue
        row: dict[str, Any] = {"page": page}
        shown = []
        for phase, start, end in phases:
            values = sorted(ms for at, name, ms in timed if name == page and start <= at < end)
            row[phase] = {"p95_ms": _p95(values), "requests": len(values)}
            shown.append(f"{_p95(values):.0f} of {len(values)}" if values else "-")
        split.append(row)
        print(f"{page:<42}" + "".join(f" {cell:>19}" for cell in shown))
    return split


def _import_delete(*, pk: int) -> float:
    """Remove the run's import again: its duplicate check, its persons in one statement (the
    ORM would collect a million objects), then the import and what cascades from it, and its
    stored file."""
    from django.conf import settings
    from django.db import connection

    from payung.registry.models import DtsenImport, DuplicateCheck, Person

    began = time.perf_counter()
    imp = DtsenImport.objects.get(pk=pk)
    stored = Path(settings.MEDIA_ROOT) / imp.stored_path if imp.stored_path else None
    table = Person._meta.db_table
    # The duplicate check the import queues may have run: its pairs name the persons.
    DuplicateCheck.objects.filter(dtsen_import_id=pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE dtsen_import_id = %s", [pk])
    imp.delete()
    if stored is not None and stored.is_file():
        stored.unlink()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="3m", help="the measured window, after the logins")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--think", default="4,12", help="seconds between actions, min,max")
    parser.add_argument("--import-rows", type=int, default=1_000_000, help="0: no import")
    parser.add_argument("--import-wait", type=float, default=600)
    parser.add_argument("--worker-nice", type=int, default=10, help="niceness of the worker")
    parser.add_argument("--keep-import", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("PAYUNG_OTP_REQUIRED", "0")
    os.environ.setdefault("PAYUNG_DEBUG", "0")
    _setup()
    from django.db import connection

    from benchmarks.pages import static_ready

    static_ready()
    # Every run starts with nothing kept: the figures the workers share (files that outlive a
    # restart) are counted again once inside the window, as on the first view after a change.
    from django.core.cache import caches

    from payung.core.worklist import SHARED_CACHE

    caches[SHARED_CACHE].clear()

    host = f"http://127.0.0.1:{args.port}"
    work = Path(tempfile.mkdtemp(prefix="payung-load-"))
    targets = work / "targets.json"
    state_file = work / "state.json"
    _targets(targets)
    settings = _server_settings()
    env = dict(os.environ)
    env["PAYUNG_BENCH_TARGETS"] = str(targets)
    env["PAYUNG_BENCH_STATE"] = str(state_file)
    requests_file = work / "requests.json"
    env["PAYUNG_BENCH_REQUESTS"] = str(requests_file)
    env["PAYUNG_BENCH_THINK"] = args.think
    window_s = _seconds(args.run_time)
    env["PAYUNG_BENCH_WINDOW"] = str(window_s)
    if args.import_rows:
        env["PAYUNG_BENCH_IMPORT"] = str(_extract(args.import_rows))
    connection.close()
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "payung.web.wsgi",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "-b",
            f"127.0.0.1:{args.port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    # A background import may yield the cores to the pages (as systemd's Nice= would).
    nice = ["nice", "-n", str(args.worker_nice)] if args.worker_nice else []
    worker = subprocess.Popen([*nice, str(VENV / "payung"), "worker"], env=env)
    cpu: dict[str, float] = {}
    try:
        _wait(f"{host}/akun/masuk/")
        load_before = _loadavg()
        sampler = _Sampler()
        sampler.start()
        watch = _ImportWatch(state_file)
        watch.start()
        busy_before = _cpu_busy()
        locust = subprocess.Popen(
            [
                str(VENV / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "--run-time",
                # The window starts when every user has logged in; this only bounds the run.
                f"{window_s + LOGIN_BOUND_S:.0f}s",
                "--host",
                host,
                "--csv",
                str(work / "load"),
                "--only-summary",
            ],
            env=env,
        )
        cpu["locust"] = _cpu_s(locust)
        ended = time.time()
        busy_after = _cpu_busy()
        sampler.stop()
        watch.stop()
        load_after = _loadavg()
        state = json.loads(state_file.read_text()) if state_file.exists() else {}
        imported: dict[str, Any] = {}
        if state.get("import_pk"):
            imported = _import_follow(pk=state["import_pk"], wait_s=args.import_wait)
    finally:
        cpu["worker"] = _stop(worker)
        cpu["gunicorn"] = _stop(server)
    rows = list(csv.DictReader((work / "load_stats.csv").open(encoding="utf-8")))
    timed = json.loads(requests_file.read_text()) if requests_file.exists() else []
    shutil.rmtree(work)  # the targets file names synthetic NIKs and names: not left behind
    window = ended - state["clock_started"] if "clock_started" in state else float("nan")
    busy = (busy_after[0] - busy_before[0]) / max(1.0, busy_after[1] - busy_before[1])
    load_during = sampler.samples or [load_after[0]]
    print(
        f"\npayung load test: {args.users} users (think {args.think} s), {args.run_time} "
        f"({window:.0f} s measured after the logins), gunicorn -w {args.workers} "
        f"--threads {args.threads} + 1 worker (nice {args.worker_nice}), {connection.vendor}, "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC"
    )
    if settings:
        print("server: " + ", ".join(f"{k} {v}" for k, v in settings.items()))
    print(
        f"load average {load_before[0]:.2f} before, {min(load_during):.2f}-{max(load_during):.2f}"
        f" during, {load_after[0]:.2f} after; machine busy {busy:.0%} of 2 cores; CPU s: "
        f"gunicorn {cpu['gunicorn']:.1f}, worker {cpu['worker']:.1f}, locust {cpu['locust']:.1f}"
    )
    print(f"{'page':<42} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}  target")
    results = []
    for row in rows:
        name = row["Name"]
        if name == "Aggregated":
            continue
        p95 = _ms(row["95%"])
        targeted = any(t in name for t in TARGETED) and "(form)" not in name
        errors = int(row["Failure Count"])
        verdict = ("met" if p95 <= TARGET_MS and not errors else "MISSED") if targeted else ""
        results.append(
            {
                "page": f"{row['Type']} {name}",
                "requests": int(row["Request Count"]),
                "errors": errors,
                "p50_ms": _ms(row["50%"]),
                "p95_ms": p95,
                "p99_ms": _ms(row["99%"]),
                "verdict": verdict,
            }
        )
        print(
            f"{row['Type'] + ' ' + name:<42} {row['Request Count']:>8} {errors:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}  {verdict}"
        )
    total_errors = sum(r["errors"] for r in results)
    met = sum(1 for r in results if r["verdict"] == "met")
    aimed = sum(1 for r in results if r["verdict"])
    print(
        f"{met} of {aimed} pages met p95 <= {TARGET_MS:.0f} ms; errors: {total_errors} "
        f"(target 0: {'met' if not total_errors else 'MISSED'})"
    )
    report_import: dict[str, Any] = {}
    if args.import_rows:
        if "import_pk" not in state or not state.get("import_pk"):
            print(f"import: NOT started ({state.get('import_upload_error') or state})")
        else:
            began = state["import_upload_began"]
            finished = imported.get("finished_at")
            took = f"{finished - began:.0f} s after the upload began" if finished else "-"
            inside = finished is not None and finished <= ended
            print(
                f"import of {args.import_rows} rows: upload {state['import_upload_s']:.1f} s, "
                f"status {imported['status']}, {took} "
                f"({'inside' if inside else 'after'} the measured window of {window:.0f} s"
                f"{', which it began ' + format(began - state['clock_started'], '.0f') + ' s in'})"
                + (f"; error: {imported['error']}" if imported.get("error") else "")
            )
            report_import = {**imported, "upload_s": state["import_upload_s"], "began": began}
            if finished:
                checked = imported.get("check_finished_at") or ended
                if imported.get("check_finished_at"):
                    print(f"its duplicate check finished {checked - began:.0f} s after the upload")
                # The database load begins after 60 %; before it, reading and checks.
                loading = min((t for p, t in watch.seen.items() if p >= 60), default=finished)
                phases = [
                    ("import: read, check", began, loading),
                    ("import: db load", loading, finished),
                    ("its dup. check", finished, checked),
                    ("after both", checked, ended),
                ]
                report_import["split"] = _split_print(timed=timed, phases=phases)
                report_import["progress_seen"] = watch.seen
            if not args.keep_import:
                print(f"import deleted again in {_import_delete(pk=state['import_pk']):.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "results": results,
                    "errors": total_errors,
                    "window_s": window,
                    "load": {"before": load_before, "during": load_during, "after": load_after},
                    "cpu_s": cpu,
                    "busy": busy,
                    "server": settings,
                    "import": report_import,
                    # (start, page, ms) of every request in the window: pages, no data.
                    "requests": timed,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
