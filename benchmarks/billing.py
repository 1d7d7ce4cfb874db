"""How fast Payung bills and reconciles a year of contributions (issue 11, Pasal 9).

A large regency (or a province running the scheme) pays for 100 000 participants: a year's
bill is 1.2 million participant-months, and BPJS's invoice for it as many lines. Measured:

* ``bill_compute``, the application's billing function (Python objects), on 100 000
  coverage periods for 12 months;
* ``reconcile_compute``, the application's reconciliation function, on that bill against the
  invoice's 1.2 million lines (from ``LARGE`` lines it runs on DuckDB);
* ``payung contributions bill`` and ``payung contributions reconcile`` end to end, as an
  auditor runs them on the roster and the invoice files (fresh process, best of N, peak RSS);
* ``payung synth bpjs-invoice`` writing the invoice, once.

Each function runs in its own process (``python -m benchmarks.billing --phase ...``) so its
peak memory is its own. Usage: ``scripts/bench billing [--participants N] [--seed S]
[--repeats N] [--json OUT]``; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

from benchmarks.screen import (
    DATA_DIR,
    MIB,
    ROOT,
    BenchError,
    CpuWatch,
    _payung,
    _say,
    machine,
)


def run_measured(command: list[str]) -> tuple[float, float, float, float]:
    """Run ``command``: (wall seconds, its own CPU seconds, peak MiB, others' CPU seconds).

    Its CPU time is the figure a busy shared machine disturbs least: the wall time of a run
    next to other engineers' test suites says more about them than about Payung. Reaped
    with ``os.wait4`` for the child's own rusage; this process stays small (it never holds
    the data), so the child's ``ru_maxrss`` is its own (see ``benchmarks.measure``).
    """
    watch = CpuWatch()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise BenchError(f"command failed ({process.returncode}): {' '.join(command)}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss * 1024 / MIB, watch.others()


POLICY: Final = "pandeglang-2025"
FIRST: Final = "2026-01"
LAST: Final = "2026-12"
#: What "fast" means here (the issue: "in a few seconds").
TARGET_SECONDS: Final = 5.0


def ensure_roster(participants: int, seed: int) -> Path:
    """A roster of ``participants`` people, cached under .data/: most covered all year, some
    ending, some starting late, and a few who ended and came back (two rows, one KPJ)."""
    path = DATA_DIR / f"roster-{participants}-seed{seed}.csv"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    year = date(2026, 1, 1)
    lines = ["NIK;KPJ;NAMA;TANGGAL_MULAI;TANGGAL_BERAKHIR"]
    for i in range(participants):
        nik = f"3601{i:012d}"  # unique, 16 digits
        kpj = f"{i + 1:011d}"
        roll = rng.random()
        start, end = year, ""
        if roll < 0.02:  # ended during the year (death, moved away)
            end = (year + timedelta(days=rng.randint(20, 330))).isoformat()
        elif roll < 0.03:  # a replacement, covered from a later month
            start = year + timedelta(days=rng.randint(20, 300))
        elif roll < 0.035:  # ended, then came back: two rows
            stop = year + timedelta(days=rng.randint(20, 150))
            lines.append(f"{nik};{kpj};PESERTA {i};{year.isoformat()};{stop.isoformat()}")
            start = stop + timedelta(days=rng.randint(10, 90))
        lines.append(f"{nik};{kpj};PESERTA {i};{start.isoformat()};{end}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ensure_invoice(roster: Path, participants: int, seed: int) -> tuple[Path, float, float, float]:
    """BPJS's synthetic invoice for the roster through ``payung synth bpjs-invoice``, written
    afresh each run: (path, wall seconds, CPU seconds, peak MiB)."""
    path = DATA_DIR / f"invoice-{participants}-seed{seed}.csv"
    command = [
        _payung(),
        "synth",
        "bpjs-invoice",
        str(roster),
        "--from",
        FIRST,
        "--to",
        LAST,
        "--policy",
        POLICY,
        "--seed",
        str(seed),
        "--out",
        str(path),
        "--quiet",
    ]
    seconds, cpu, peak, _others = run_measured(command)
    return path, seconds, cpu, peak


# --- phases, each run in its own process ------------------------------------------------------


def phase_bill_compute(roster: Path, out: Path) -> None:
    from payung.domain.policy import policy_get
    from payung.engine import Coverage, bill_compute, roster_read

    rows = roster_read(roster)
    coverages = [Coverage(r.nik, r.start, r.end) for r in rows]
    contribution = policy_get(POLICY).contribution
    started, cpu0 = time.perf_counter(), time.process_time()
    lines = bill_compute(
        coverages=coverages,
        first=date(2026, 1, 1),
        last=date(2026, 12, 1),
        contribution=contribution,
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu0
    total = sum(line.total for line in lines)
    out.write_text(
        json.dumps({"seconds": seconds, "in_cpu": cpu, "lines": len(lines), "total": total})
    )


def phase_reconcile_compute(roster: Path, invoice: Path, out: Path) -> None:
    from payung.domain.policy import policy_get
    from payung.engine import Coverage, bill_compute, invoice_read, reconcile_compute, roster_read

    rows = roster_read(roster)
    kpj_of = {r.nik: r.kpj for r in rows}
    lines = bill_compute(
        coverages=[Coverage(r.nik, r.start, r.end) for r in rows],
        first=date(2026, 1, 1),
        last=date(2026, 12, 1),
        contribution=policy_get(POLICY).contribution,
    )
    ours = [(kpj_of[line.key], line.month, line.total) for line in lines]
    theirs_rows = invoice_read(invoice, first=date(2026, 1, 1), last=date(2026, 12, 1))
    theirs = [(r.kpj, r.month, r.jkk + r.jkm) for r in theirs_rows]
    started, cpu0 = time.perf_counter(), time.process_time()
    result = reconcile_compute(payung=ours, bpjs=theirs)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu0
    counts: dict[str, int] = {}
    for row in result:
        counts[row.category] = counts.get(row.category, 0) + 1
    out.write_text(
        json.dumps(
            {
                "seconds": seconds,
                "in_cpu": cpu,
                "rows": len(result),
                "invoice_lines": len(theirs),
                **counts,
            }
        )
    )


def _phase(name: str, *paths: Path) -> dict[str, Any]:
    """Run one phase in a fresh measured process; its own timing plus wall time and RSS."""
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as tmp:
        report = Path(tmp) / "phase.json"
        command = [sys.executable, "-m", "benchmarks.billing", "--phase", name]
        command += [str(p) for p in paths] + [str(report)]
        wall, cpu, peak, others = run_measured(command)
        inner = json.loads(report.read_text(encoding="utf-8"))
    return {**inner, "wall": wall, "cpu": cpu, "peak_mib": peak, "others_cpu": others}


def _best(command: list[str], repeats: int) -> dict[str, Any]:
    runs, cpus, peaks, others = [], [], [], []
    for _ in range(repeats):
        wall, cpu, peak, other = run_measured(command)
        runs.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        others.append(other)
    best = min(range(repeats), key=runs.__getitem__)
    return {
        "runs": runs,
        "best": runs[best],
        "cpu": min(cpus),
        "peak_mib": max(peaks),
        "others_cpu": others[best],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        name, *paths = args.phase
        phases = {"bill_compute": phase_bill_compute, "reconcile_compute": phase_reconcile_compute}
        phases[name](*map(Path, paths))
        return 0

    watch = CpuWatch()
    results: dict[str, Any] = {"machine": machine(), "participants": args.participants}
    _say(f"roster of {args.participants:,} participants")
    roster = ensure_roster(args.participants, args.seed)
    _say("payung synth bpjs-invoice")
    invoice, synth_seconds, synth_cpu, synth_peak = ensure_invoice(
        roster, args.participants, args.seed
    )
    with invoice.open(encoding="utf-8-sig") as handle:
        invoice_lines = sum(1 for _ in handle) - 1
    results["invoice"] = {
        "lines": invoice_lines,
        "seconds": synth_seconds,
        "cpu": synth_cpu,
        "peak_mib": synth_peak,
    }
    _say("bill_compute")
    results["bill_compute"] = _phase("bill_compute", roster)
    _say("reconcile_compute")
    results["reconcile_compute"] = _phase("reconcile_compute", roster, invoice)
    payung = _payung()
    period = ["--from", FIRST, "--to", LAST, "--policy", POLICY, "--quiet"]
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as tmp:
        _say("payung contributions bill")
        results["cli_bill"] = _best(
            [payung, "contributions", "bill", str(roster), *period, "--out", f"{tmp}/b"],
            args.repeats,
        )
        _say("payung contributions reconcile")
        results["cli_reconcile"] = _best(
            [
                payung,
                "contributions",
                "reconcile",
                str(roster),
                str(invoice),
                *period,
                "--out",
                f"{tmp}/r",
            ],
            args.repeats,
        )
        summary = json.loads(Path(f"{tmp}/r/summary.json").read_text(encoding="utf-8"))
        results["cli_reconcile"]["categories"] = summary["categories"]
        bill = json.loads(Path(f"{tmp}/b/summary.json").read_text(encoding="utf-8"))
        results["cli_bill"]["months"] = bill["months"]
        results["cli_bill"]["grand_total"] = bill["grand_total"]
    results["others_cpu_total"] = watch.others()
    for line in report(results):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def report(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    n = results["participants"]
    out = [
        f"payung billing benchmark: {n:,} participants x 12 months, {m['date']}, "
        f"{m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}",
        f"  commit {m['commit']}",
        "",
        f"{'measurement':<56}{'wall s':>8}{'CPU s':>8}{'peak MiB':>10}{'others CPU s':>14}",
        "-" * 96,
    ]

    def row(label: str, wall: float, cpu: float, peak: float | None, others: float | None) -> None:
        peak_text = f"{peak:.0f}" if peak is not None else "-"
        others_text = f"{others:.1f}" if others is not None else "-"
        out.append(f"{label:<56}{wall:>8.2f}{cpu:>8.2f}{peak_text:>10}{others_text:>14}")

    bc = results["bill_compute"]
    row(
        f"bill_compute, {bc['lines']:,} lines (in process)", bc["seconds"], bc["in_cpu"], None, None
    )
    row("  its process: read roster, bill", bc["wall"], bc["cpu"], bc["peak_mib"], bc["others_cpu"])
    rc = results["reconcile_compute"]
    row(
        f"reconcile_compute, {rc['rows']:,} rows (in process)",
        rc["seconds"],
        rc["in_cpu"],
        None,
        None,
    )
    row(
        "  its process: read both, bill, reconcile",
        rc["wall"],
        rc["cpu"],
        rc["peak_mib"],
        rc["others_cpu"],
    )
    cb = results["cli_bill"]
    row(
        "payung contributions bill (best wall)",
        cb["best"],
        cb["cpu"],
        cb["peak_mib"],
        cb["others_cpu"],
    )
    cr = results["cli_reconcile"]
    row(
        "payung contributions reconcile (best wall)",
        cr["best"],
        cr["cpu"],
        cr["peak_mib"],
        cr["others_cpu"],
    )
    inv = results["invoice"]
    row(
        f"payung synth bpjs-invoice, {inv['lines']:,} lines",
        inv["seconds"],
        inv["cpu"],
        inv["peak_mib"],
        None,
    )
    out.append("(CPU s: the command's own CPU time, least disturbed by a busy machine;")
    out.append(" others CPU s: CPU seconds other processes used during that run: noise.)")
    out.append(
        f"(Over the whole benchmark other processes used {results['others_cpu_total']:.0f} CPU s.)"
    )
    out.append("")
    out.append(f"target: each at most {TARGET_SECONDS:.0f} s (wall; CPU in brackets)")
    for label, seconds, cpu in (
        ("bill_compute", bc["seconds"], bc["in_cpu"]),
        ("reconcile_compute", rc["seconds"], rc["in_cpu"]),
        ("payung contributions bill", cb["best"], cb["cpu"]),
        ("payung contributions reconcile", cr["best"], cr["cpu"]),
    ):
        verdict = "PASS" if seconds <= TARGET_SECONDS else "MISS"
        out.append(f"  {label:<40}{seconds:>8.2f} s ({cpu:.2f})  {verdict}")
    out.append("")
    out.append("reconciliation categories (payung contributions reconcile):")
    for category, cell in cr["categories"].items():
        out.append(f"  {category:<14}{cell['count']:>10,}")
    return out


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
