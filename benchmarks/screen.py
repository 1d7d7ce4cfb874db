"""How fast ``payung screen`` is on a regency-sized extract, against two yardsticks.

A regency officer runs ``payung screen`` on a DTSEN extract of up to a million rows on an
ordinary office machine. Two numbers decide whether the engine earns its machinery:

* ``screen / pyarrow read`` (target at most 3x): reading the CSV is the floor no screening
  can go below, so this says how much the whole of parsing, judging, ranking and writing
  adds on top of merely reading the file.
* ``loop / screen`` (target at least 20x): the plain-Python csv loop
  (``benchmarks.loop_baseline``) is what one would write without the engine; the engine is
  only worth its dependencies if it is much faster than that.

``payung screen`` is timed as a user runs it (a fresh process, best of N wall times, peak
resident memory); the in-process phases are timed once to show where the time goes. The
loop's decisions are compared with ``payung screen``'s, row by row, as a cross-check of the
rules themselves. Usage: ``scripts/bench [--rows N] [--seed S] [--skip-loop]
[--engines duckdb,polars] [--json OUT]``; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import filecmp
import functools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Final
from unittest import mock

ROOT: Final = Path(__file__).resolve().parent.parent
#: Cached synthetic extracts, one per (rows, seed); git-ignored.
DATA_DIR: Final = ROOT / "benchmarks" / ".data"

POLICY: Final = "pandeglang-2025"
AS_OF: Final = "2026-01-01"
#: Rp2.016.000.000: 10.000 participants for 12 months, so the budget cut is exercised.
BUDGET: Final = 2_016_000_000
ENGINES: Final = ("duckdb", "polars", "spark")

TARGET_READ_RATIO: Final = 3.0
TARGET_LOOP_RATIO: Final = 20.0
#: Largest share of rows on which the loop and ``payung screen`` may disagree.
AGREEMENT_TOLERANCE: Final = 0.001
#: What the start-up measurement imports: the CLI plus the engine libraries it loads.
STARTUP_CODE: Final = "import payung.cli, ibis, duckdb"
VERSIONED: Final = ("payung", "ibis-framework", "duckdb", "polars", "pyarrow", "sqlglot")

MIB: Final = 1024 * 1024
#: Width of the label column of the printed tables.
W: Final = 54


class BenchError(Exception):
    """A step of the benchmark could not run (a command failed); the message says which."""


@dataclass
class Timing:
    """Wall times of repeated runs of one thing; ``best`` is what the table shows."""

    runs: list[float] = field(default_factory=list)
    peak_mib: float | None = None
    #: CPU seconds other processes used during each run: a noise gauge (see ``CpuWatch``).
    others_cpu: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def best_others_cpu(self) -> float:
        return self.others_cpu[self.runs.index(self.best)]


class CpuWatch:
    """CPU time the rest of the machine used while something was being measured.

    Timings on a shared 2-core machine are only as good as the machine was quiet; a test
    suite running next door can add half again. This compares the kernel's busy time for
    all CPUs (``/proc/stat``) with this process's and its reaped children's own CPU time,
    so every figure comes with how much other work competed with it.
    """

    def __init__(self) -> None:
        self._busy = self.machine_busy()
        self._own = self.own()

    @staticmethod
    def machine_busy() -> float:
        """Seconds all CPUs spent busy since boot (user, nice, system, irq, softirq)."""
        try:
            with open("/proc/stat", encoding="ascii") as handle:
                fields = handle.readline().split()
        except OSError:
            return 0.0
        user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[1:8])
        return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def own() -> float:
        """CPU seconds of this process and of every descendant it has reaped."""
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime

    def others(self) -> float:
        """CPU seconds used by other processes since this watch started (never negative)."""
        busy = self.machine_busy() - self._busy
        return max(0.0, busy - (self.own() - self._own))


@dataclass
class Agreement:
    """How far the loop's decisions match ``payung screen``'s, row by row."""

    engine: str
    rows: int
    status_agree: int
    reasons_agree: int
    disagreements: list[dict[str, Any]]
    confusion: dict[str, int]

    @property
    def status_pct(self) -> float:
        return 100.0 * self.status_agree / self.rows if self.rows else 100.0

    @property
    def reasons_pct(self) -> float:
        return 100.0 * self.reasons_agree / self.rows if self.rows else 100.0

    @property
    def ok(self) -> bool:
        return self.rows - self.status_agree <= AGREEMENT_TOLERANCE * self.rows


def _say(message: str) -> None:
    """Progress on stderr, so a long run can be followed while stdout keeps the results."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _payung() -> str:
    """The ``payung`` console script users run, from the project's virtual environment."""
    for candidate in (ROOT / ".venv" / "bin" / "payung", Path(sys.executable).with_name("payung")):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("payung")
    if found is None:
        raise BenchError("payung command not found; run scripts/setup")
    return found


def run_measured(command: Sequence[str]) -> tuple[float, float, float]:
    """Run ``command`` through ``benchmarks.measure``: (wall seconds, peak MiB, others' CPU s).

    The wrapper is what makes the peak memory the command's own (see its docstring).
    """
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as tmp:
        report = Path(tmp) / "report.json"
        wrapped = [sys.executable, "-m", "benchmarks.measure", str(report), "--", *command]
        watch = CpuWatch()
        done = subprocess.run(
            wrapped, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        others = watch.others()
        if done.returncode != 0 or not report.exists():
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise BenchError(f"command failed ({done.returncode}): {' '.join(command)}\n{tail}")
        measured = json.loads(report.read_text(encoding="utf-8"))
    return float(measured["seconds"]), measured["maxrss_kib"] * 1024 / MIB, others


def repeat_measured(command: Sequence[str], repeats: int) -> Timing:
    """Best-of-N wall time; the peak memory is the largest seen in any run."""
    timing = Timing()
    for _ in range(repeats):
        seconds, peak, others = run_measured(command)
        timing.runs.append(seconds)
        timing.others_cpu.append(others)
        timing.peak_mib = max(peak, timing.peak_mib or 0.0)
    return timing


def ensure_extract(rows: int, seed: int) -> Path:
    """The synthetic extract for (rows, seed), generated once and cached under .data/."""
    path = DATA_DIR / f"synth-{rows}-seed{seed}.csv"
    if path.exists():
        _say(f"reusing {path.relative_to(ROOT)}")
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Written under another name and renamed, so an interrupted run never caches half a file.
    partial = path.with_name(f".partial-{os.getpid()}-{path.name}")
    _say(f"generating {rows:,} synthetic rows (seed {seed}) with payung synth")
    command = [_payung(), "synth", "--rows", str(rows), "--seed", str(seed)]
    done = subprocess.run(
        [*command, "--out", str(partial), "--quiet"], capture_output=True, text=True
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BenchError(f"payung synth failed ({done.returncode}): {done.stderr.strip()}")
    os.replace(partial, path)
    return path


def time_pyarrow_read(path: Path, repeats: int) -> Timing:
    """``pyarrow.csv.read_csv`` with default options: the cost of merely reading the file."""
    import pyarrow.csv as pacsv

    timing = Timing()
    for _ in range(repeats):
        watch = CpuWatch()
        started = time.perf_counter()
        table = pacsv.read_csv(path)
        timing.runs.append(time.perf_counter() - started)
        timing.others_cpu.append(watch.others())
        del table
    return timing


def screen_command(extract: Path, out: Path, engine: str) -> list[str]:
    """``payung screen`` exactly as an officer would type it, budget cut included."""
    return [
        _payung(),
        "screen",
        str(extract),
        "--policy",
        POLICY,
        "--as-of",
        AS_OF,
        "--budget",
        str(BUDGET),
        "--out",
        str(out),
        "--quiet",
        "--engine",
        engine,
    ]


@contextmanager
def _instrumented(watch: Counter[str], backend: Any) -> Iterator[None]:
    """Time the stages inside ``engine.screening.screen`` without copying its code.

    The functions ``screen`` calls are wrapped for the duration: the backend's ``load``,
    Ibis's ``to_pyarrow`` (compiling and running the one query, fetching Arrow), the
    ranking, the budget cut and the counts. What is left is building the expression,
    sorting by row and casting to the decision schema.
    """
    import ibis.expr.types as ir

    from payung.engine import ranking, screening

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                watch[label] += time.perf_counter() - started

        return wrapper

    with ExitStack() as stack:
        patch = stack.enter_context
        patch(mock.patch.object(backend, "load", timed("load into backend", backend.load)))
        execute = timed("execute query -> Arrow", ir.Table.to_pyarrow)
        patch(mock.patch.object(ir.Table, "to_pyarrow", execute))
        patch(mock.patch.object(ranking, "ranks", timed("rank (Pasal 7(2))", ranking.ranks)))
        patch(mock.patch.object(ranking, "cut", timed("budget cut", ranking.cut)))
        patch(mock.patch.object(screening, "_counts", timed("counts", screening._counts)))
        yield


def in_process_phases(extract: Path, engines: Sequence[str]) -> dict[str, dict[str, float]]:
    """Time what ``payung screen`` does, phase by phase, once per engine, in this process.

    Mirrors ``payung.cli.cmd_screen`` (read + fingerprint, connect, screen, summary and
    files) through the same engine functions, so the phases add up to roughly the CLI's
    wall time minus Python's start-up and imports.
    """
    from payung.domain.policy import policy_get
    from payung.engine.backends import connect
    from payung.engine.decisions import decisions_write, summary_build
    from payung.engine.readers import file_sha256, read_extract
    from payung.engine.screening import screen

    policy = policy_get(POLICY)
    as_of = date.fromisoformat(AS_OF)
    started = time.perf_counter()
    table = read_extract(extract)
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    sha = file_sha256(extract)
    sha_seconds = time.perf_counter() - started

    phases: dict[str, dict[str, float]] = {}
    for engine in engines:
        watch: Counter[str] = Counter()
        noise = CpuWatch()
        started = time.perf_counter()
        with connect(engine) as backend:
            watch["connect"] = time.perf_counter() - started
            with _instrumented(watch, backend):
                started = time.perf_counter()
                result = screen(table, policy=policy, as_of=as_of, backend=backend, budget=BUDGET)
                screen_seconds = time.perf_counter() - started
        inner = sum(v for k, v in watch.items() if k != "connect")
        with tempfile.TemporaryDirectory(prefix="payung-bench-") as tmp:
            started = time.perf_counter()
            summary = summary_build(
                result,
                policy=policy,
                as_of=as_of,
                input_name=extract.name,
                input_sha256=sha,
                budget=BUDGET,
                months=None,
            )
            decisions_write(result, summary, Path(tmp))
            write_seconds = time.perf_counter() - started
        phases[engine] = {
            "read_extract": read_seconds,
            "sha256": sha_seconds,
            "connect": watch["connect"],
            "screen": screen_seconds,
            **{f"screen: {k}": v for k, v in watch.items() if k != "connect"},
            "screen: build expression, sort, cast": screen_seconds - inner,
            "write (summary + csv/parquet/json)": write_seconds,
        }
        phases[engine]["total"] = (
            read_seconds + sha_seconds + watch["connect"] + screen_seconds + write_seconds
        )
        # Not a phase: CPU other processes took meanwhile, to judge how far to trust these.
        phases[engine]["others CPU s (noise)"] = noise.others()
        del result
    return phases


def compare(engine: str, decisions: Path, loop: Path) -> Agreement:
    """Status (and, for information, reasons) of every row: loop vs ``payung screen``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    def load(path: Path, side: str) -> pa.Table:
        options = pacsv.ConvertOptions(
            column_types={"row": pa.int64(), "status": pa.string(), "reasons": pa.string()},
            include_columns=["row", "status", "reasons"],
        )
        table = pacsv.read_csv(path, convert_options=options)
        return table.rename_columns(["row", f"status_{side}", f"reasons_{side}"])

    joined = load(decisions, "screen").join(load(loop, "loop"), "row", join_type="full outer")
    joined = joined.sort_by("row")

    def same(a: str, b: str) -> pa.ChunkedArray:
        return pc.equal(pc.fill_null(joined[a], ""), pc.fill_null(joined[b], ""))

    status_same = same("status_screen", "status_loop")
    reasons_same = same("reasons_screen", "reasons_loop")
    differing = joined.filter(pc.invert(status_same))
    confusion = Counter(
        f"{a} -> {b}"
        for a, b in zip(
            differing["status_screen"].to_pylist(),
            differing["status_loop"].to_pylist(),
            strict=True,
        )
    )
    return Agreement(
        engine=engine,
        rows=joined.num_rows,
        status_agree=int(pc.sum(status_same).as_py() or 0),
        reasons_agree=int(pc.sum(reasons_same).as_py() or 0),
        disagreements=differing.slice(0, 10).to_pylist(),
        confusion=dict(confusion.most_common()),
    )


def _commit() -> str | None:
    """The checked-out commit, marked ``+dirty`` when src/ has uncommitted changes.

    The engine changes quickly; a figure is only comparable with another of the same code.
    """
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def machine() -> dict[str, Any]:
    """What the figures were measured on, so a reader can tell whether they transfer."""
    memory_gib = None
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": date.today().isoformat(),
        "commit": _commit(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def _verdict(ok: bool) -> str:
    """PASS/MISS rather than True/False: a benchmark reports, it does not assert speed."""
    return "PASS" if ok else "MISS"


def report(results: dict[str, Any], agreement: Agreement | None) -> list[str]:
    """The printed table: measurements, ratios against the targets, the cross-check."""
    lines: list[str] = []
    meta = results["machine"]
    lines.append(
        f"payung screen benchmark: {results['rows']:,} rows (seed {results['seed']}), "
        f"{meta['date']}, {meta['cores']} cores, {meta['memory_gib']} GiB, Python {meta['python']}"
    )
    lines.append(f"  commit {meta['commit']}")
    lines.append("  " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()))
    lines.append("")
    header = f"{'measurement':<{W}}{'seconds':>10}{'peak MiB':>10}{'others CPU s':>14}"
    lines += [header, "-" * len(header)]

    def row(label: str, timing: dict[str, Any]) -> None:
        peak = timing["peak_mib"]
        peak_text = f"{peak:>10.0f}" if peak is not None else f"{'-':>10}"
        lines.append(
            f"{label:<{W}}{timing['best']:>10.2f}{peak_text}{timing['others_cpu_best']:>14.1f}"
        )

    repeats = results["repeats"]
    row(f"pyarrow.csv.read_csv, defaults (best of {repeats})", results["pyarrow_read"])
    for engine, timing in results["screen"].items():
        row(f"payung screen --engine {engine} (best of {repeats})", timing)
    if results.get("loop"):
        row("plain-Python csv loop (1 run)", results["loop"])
    else:
        lines.append(f"{'plain-Python csv loop':<{W}}{'skipped':>10}")
    row(f"start-up: {STARTUP_CODE} (best of {repeats})", results["startup"])
    noise = results["noise"]
    lines.append("(others CPU s: CPU seconds other processes used during that run: noise.)")
    lines.append(
        f"(Over the whole benchmark other processes used {noise['others_cpu']:.0f} CPU s, "
        f"{noise['share']:.0%} of {noise['seconds']:.0f} s x {meta['cores']} cores.)"
    )
    lines.append("")
    header = f"{'ratio':<{W}}{'value':>10}{'target':>10}  result"
    lines += [header, "-" * len(header)]
    for name, ratio in results["ratios"].items():
        target = ratio["target"]
        lines.append(f"{name:<{W}}{ratio['value']:>9.1f}x{target:>10}  {_verdict(ratio['ok'])}")
    lines.append("")
    for engine, phases in results["phases"].items():
        lines.append(f"in-process phases, --engine {engine} (one run)")
        for phase, seconds in phases.items():
            indent = "    " if phase.startswith("screen: ") else "  "
            label = phase.removeprefix("screen: ")
            lines.append(f"{indent}{label:<{W - 2}}{seconds:>10.2f}")
        lines.append("")
    if results.get("identical_across_engines") is not None:
        same = "yes" if results["identical_across_engines"] else "NO"
        lines.append(f"decisions.csv byte-identical across engines: {same}")
    if agreement is not None:
        lines.append(
            f"loop vs payung screen --engine {agreement.engine}: status agrees on "
            f"{agreement.status_agree:,} of {agreement.rows:,} rows ({agreement.status_pct:.3f}%), "
            f"reasons on {agreement.reasons_pct:.3f}%; "
            f"tolerance {AGREEMENT_TOLERANCE:.1%} -> {_verdict(agreement.ok)}"
        )
        if agreement.disagreements:
            lines.append(
                "  status pairs (screen -> loop): "
                + ", ".join(f"{k}: {v}" for k, v in agreement.confusion.items())
            )
            lines.append("  first disagreements (row, screen status/reasons, loop status/reasons):")
            for item in agreement.disagreements:
                lines.append(
                    f"    row {item['row']}: screen {item['status_screen']} "
                    f"[{item['reasons_screen'] or ''}] / loop {item['status_loop']} "
                    f"[{item['reasons_loop'] or ''}]"
                )
    return lines


def _ratios(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each engine's screen time over the pyarrow read, and the loop's time over it."""
    ratios: dict[str, dict[str, Any]] = {}
    read = results["pyarrow_read"]["best"]
    for engine, timing in results["screen"].items():
        value = timing["best"] / read
        ratios[f"screen {engine} / pyarrow read"] = {
            "value": value,
            "target": f"<= {TARGET_READ_RATIO:g}x",
            "ok": value <= TARGET_READ_RATIO,
        }
    if results.get("loop"):
        for engine, timing in results["screen"].items():
            value = results["loop"]["best"] / timing["best"]
            ratios[f"loop / screen {engine}"] = {
                "value": value,
                "target": f">= {TARGET_LOOP_RATIO:g}x",
                "ok": value >= TARGET_LOOP_RATIO,
            }
    return ratios


def _timing_dict(timing: Timing) -> dict[str, Any]:
    """A Timing as plain data for the report and the JSON file (all runs kept, not just best)."""
    return {
        "best": timing.best,
        "runs": timing.runs,
        "peak_mib": timing.peak_mib,
        "others_cpu_best": timing.best_others_cpu,
        "others_cpu": timing.others_cpu,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; exit 1 only when a step failed or the loop and the engine disagree.

    A missed speed target is a finding to report, not a failure: the command still exits 0.
    """
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the extract")
    parser.add_argument("--seed", type=int, default=7, help="payung synth seed")
    parser.add_argument("--skip-loop", action="store_true", help="skip the plain-Python loop")
    parser.add_argument("--engines", default="duckdb,polars", help="comma-separated engines")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if not engines or unknown or args.rows < 1 or args.repeats < 1:
        parser.error(f"engines must be among {', '.join(ENGINES)}; rows and repeats positive")

    try:
        return _run(args, engines)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, engines: list[str]) -> int:
    """Every measurement, in an order that keeps them apart.

    Command-line runs come before the in-process phases, and nothing runs concurrently, so no
    measurement competes with another for the two cores.
    """
    extract = ensure_extract(args.rows, args.seed)
    watch, started = CpuWatch(), time.perf_counter()
    results: dict[str, Any] = {
        "rows": args.rows,
        "seed": args.seed,
        "repeats": args.repeats,
        "extract": {"path": str(extract.relative_to(ROOT)), "bytes": extract.stat().st_size},
        "command": {"policy": POLICY, "as_of": AS_OF, "budget": BUDGET},
        "machine": machine(),
    }

    _say("timing pyarrow.csv.read_csv")
    results["pyarrow_read"] = _timing_dict(time_pyarrow_read(extract, args.repeats))

    _say("timing Python start-up and imports")
    startup = [sys.executable, "-c", STARTUP_CODE]
    results["startup"] = _timing_dict(repeat_measured(startup, args.repeats))

    agreement: Agreement | None = None
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as tmp:
        work = Path(tmp)
        results["screen"] = {}
        for engine in engines:
            _say(f"timing payung screen --engine {engine} ({args.repeats} runs)")
            command = screen_command(extract, work / engine, engine)
            results["screen"][engine] = _timing_dict(repeat_measured(command, args.repeats))
        outputs = [work / engine / "decisions.csv" for engine in engines]
        results["identical_across_engines"] = (
            all(filecmp.cmp(outputs[0], other, shallow=False) for other in outputs[1:])
            if len(outputs) > 1
            else None
        )

        _say("timing the in-process phases")
        results["phases"] = in_process_phases(extract, engines)

        if not args.skip_loop:
            _say("running the plain-Python loop (takes a while)")
            loop_out = work / "loop" / "decisions.csv"
            command = [
                *(sys.executable, "-m", "benchmarks.loop_baseline", str(extract), str(loop_out)),
                *("--policy", POLICY, "--as-of", AS_OF, "--budget", str(BUDGET)),
            ]
            results["loop"] = _timing_dict(repeat_measured(command, 1))
            reference = "duckdb" if "duckdb" in engines else engines[0]
            _say(f"comparing the loop with payung screen --engine {reference}")
            agreement = compare(reference, work / reference / "decisions.csv", loop_out)
            results["agreement"] = {
                **asdict(agreement),
                "status_pct": agreement.status_pct,
                "reasons_pct": agreement.reasons_pct,
                "tolerance": AGREEMENT_TOLERANCE,
                "ok": agreement.ok,
            }

    results["ratios"] = _ratios(results)
    seconds, others = time.perf_counter() - started, watch.others()
    results["noise"] = {
        "seconds": seconds,
        "others_cpu": others,
        "share": others / (seconds * (os.cpu_count() or 1)),
    }
    print("\n".join(report(results, agreement)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n"
        args.json.write_text(text, encoding="utf-8")
    return 0 if agreement is None or agreement.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
