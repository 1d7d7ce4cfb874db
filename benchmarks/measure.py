"""Run one command and report its wall time and its own peak resident memory.

Why a separate process: on Linux a child's ``ru_maxrss`` starts from the high-water mark of
the address space it was exec'd from, so a command launched straight from the benchmark
(which by then holds a million-row Arrow table) would report the benchmark's memory, not
its own. This wrapper is a small, fresh Python process; the command it launches inherits
only the wrapper's few MiB, and ``os.wait4`` hands back that command's own rusage.

Usage: ``python -m benchmarks.measure REPORT.json -- COMMAND [ARG...]``. The report is
``{"seconds": float, "cpu_seconds": float, "maxrss_kib": int, "returncode": int}``
(``cpu_seconds``: the command's own user + system time, which other processes on a shared
machine disturb far less than the wall time); the wrapper exits with the command's return
code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def measure(command: list[str]) -> dict[str, float | int]:
    """Start ``command``, reap it with ``os.wait4`` and return its time, memory and exit code.

    ``os.wait4`` instead of ``Popen.wait``: only the former returns the rusage of exactly
    this child, which is what makes the peak memory per run rather than per benchmark.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    # Tell Popen the child is reaped, so it does not try (and fail) to wait for it again.
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "maxrss_kib": usage.ru_maxrss,  # KiB on Linux
        "returncode": process.returncode,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse ``REPORT -- COMMAND...``, measure, write the report, pass the exit code on."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[1] != "--":
        print(
            "usage: python -m benchmarks.measure REPORT.json -- COMMAND [ARG...]", file=sys.stderr
        )
        return 2
    report = measure(args[2:])
    Path(args[0]).write_text(json.dumps(report) + "\n", encoding="utf-8")
    return int(report["returncode"])


if __name__ == "__main__":
    raise SystemExit(main())
