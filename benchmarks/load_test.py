"""The pages under load (issue 16, target 4): gunicorn with production settings, locust
headless with N users across roles (``benchmarks/locustfile.py``), p50/p95/p99 per page and
the errors, against p95 ≤ 150 ms for list, search, person and workspace pages and 0 errors.

Uses the data ``benchmarks.pages --build`` made, in the database the environment names
(``DATABASE_URL`` for PostgreSQL, else SQLite in ``PAYUNG_DATA_DIR``). Traffic goes to
127.0.0.1 only and stops after ``--run-time``.

    scripts/bench load-test [--users 50] [--spawn-rate 10] [--run-time 3m]
        [--workers 4] [--threads 2] [--port 8001] [--json OUT]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

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


def _targets(path: Path) -> None:
    env = dict(os.environ)
    subprocess.run(
        [sys.executable, "-m", "benchmarks.pages", "--targets", str(path)], check=True, env=env
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="3m")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("PAYUNG_OTP_REQUIRED", "0")
    os.environ.setdefault("PAYUNG_DEBUG", "0")
    host = f"http://127.0.0.1:{args.port}"
    work = Path(tempfile.mkdtemp(prefix="payung-load-"))
    targets = work / "targets.json"
    _targets(targets)
    os.environ["PAYUNG_BENCH_TARGETS"] = str(targets)
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
        ]
    )
    try:
        _wait(f"{host}/akun/masuk/")
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        cpu_before = os.times()
        subprocess.run(
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
                args.run_time,
                "--host",
                host,
                "--csv",
                str(work / "load"),
                "--only-summary",
            ],
            check=False,
        )
        load_after = Path("/proc/loadavg").read_text().split()[:3]
        del cpu_before
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    rows = list(csv.DictReader((work / "load_stats.csv").open(encoding="utf-8")))
    print(
        f"\npayung load test: {args.users} users, {args.run_time}, gunicorn -w {args.workers} "
        f"--threads {args.threads}, {time.strftime('%Y-%m-%d %H:%M')} UTC, "
        f"load {' '.join(load_before)} -> {' '.join(load_after)}"
    )
    print(f"{'page':<34} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}  target")
    results = []
    for row in rows:
        name = row["Name"]
        if name == "Aggregated":
            continue
        p95 = float(row["95%"] or 0)
        targeted = any(t in name for t in TARGETED) and "(form)" not in name
        errors = int(row["Failure Count"])
        verdict = ("met" if p95 <= TARGET_MS and not errors else "MISSED") if targeted else ""
        results.append(
            {
                "page": f"{row['Type']} {name}",
                "requests": int(row["Request Count"]),
                "errors": errors,
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": p95,
                "p99_ms": float(row["99%"] or 0),
                "verdict": verdict,
            }
        )
        print(
            f"{row['Type'] + ' ' + name:<34} {row['Request Count']:>8} {errors:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}  {verdict}"
        )
    total_errors = sum(r["errors"] for r in results)
    print(f"errors: {total_errors} (target 0: {'met' if not total_errors else 'MISSED'})")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "errors": total_errors}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
