"""How fast Payung prints its long documents (issue 16, target 3).

* the annex of a participants decree (Lampiran Keputusan, Pasal 7 ayat (4)) of 100 000 rows as
  PDF: target <= 60 s and <= 1 GiB peak memory;
* the berita acara (Pasal 10 ayat (2) huruf c) of a 50 000-candidate year: target <= 15 s;
* for comparison, WeasyPrint on the same table (the amending annex, still an HTML template,
  with the annex's table CSS) on ``--weasyprint-rows`` rows, and Typst on as many.

Each document is rendered in its own process (``python -m benchmarks.documents --render ...``)
from synthetic contexts (``payung.documents.tests.factories``: no database), reaped with
``os.wait4`` for its own CPU time; memory is sampled every 0.2 s over the process and its
children (Typst lays out each part in a child process), summed, and the peak reported.
Usage: ``scripts/bench documents [--annex-rows N] [--ba-rows N] [--weasyprint-rows N]
[--repeats N] [--only annex,berita-acara,weasyprint] [--part-rows N] [--json OUT]``
(``--only berita-acara`` measures one document while iterating; ``--part-rows`` tries
another part size than ``typeset.PART_ROWS``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Final

from benchmarks.screen import MIB, ROOT, BenchError, CpuWatch, _say, machine

ANNEX_TARGET_S: Final = 60.0
ANNEX_TARGET_MIB: Final = 1024.0
BA_TARGET_S: Final = 15.0


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MiB (from /proc)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total / 1024


def run_measured(command: list[str]) -> dict[str, float]:
    """Run ``command``: wall and CPU seconds (its own and its children's), the peak of the
    summed memory of its process tree, the load average before, others' CPU seconds."""
    watch = CpuWatch()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_mib(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise BenchError(f"command failed: {' '.join(command)}")
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_tree_mib": round(peak[0], 1),
        "peak_process_mib": round(usage.ru_maxrss * 1024 / MIB, 1),
        "loadavg_1m": round(load, 2),
        "others_cpu_s": round(watch.others(), 1),
    }


def render(kind: str, rows: int, out: Path, part_rows: int | None = None) -> None:
    """In the measured child: build the context and write the PDF."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings_test")
    import django

    django.setup()
    if part_rows:
        from payung.documents import typeset

        typeset.PART_ROWS = part_rows
    from payung.documents.contexts import ChangeRow
    from payung.documents.render import pdf_render
    from payung.documents.tests import factories

    if kind == "annex":
        data = pdf_render("lampiran-peserta", factories.decree_context(count=rows, draft=False))
    elif kind == "berita-acara":
        data = pdf_render("berita-acara", factories.berita_acara_context(count=rows))
    elif kind == "weasyprint":
        from payung.documents.contexts import AmendingDecreeContext

        base = factories.decree_context(count=rows, draft=False)
        additions = [
            ChangeRow(r.no, r.nama, r.nik, r.pekerjaan, r.desa, r.kecamatan, "Pengganti")
            for r in base.annex
        ]
        fields = {f.name: getattr(base, f.name) for f in dataclasses.fields(base)}
        context = AmendingDecreeContext(**fields | {"annex": [], "additions": additions})
        data = pdf_render("lampiran-perubahan-peserta", context)
    else:
        raise BenchError(f"unknown document {kind}")
    out.write_bytes(data)


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def measure(
    kind: str, rows: int, repeats: int, folder: Path, part_rows: int | None = None
) -> list[dict[str, Any]]:
    runs = []
    for attempt in range(1, repeats + 1):
        out = folder / f"{kind}-{rows}-{attempt}.pdf"
        _say(f"{kind}, {rows} rows, run {attempt}")
        command = [sys.executable, "-m", "benchmarks.documents", "--render", kind]
        command += ["--part-rows", str(part_rows)] if part_rows else []
        result = run_measured([*command, "--rows", str(rows), "--out", str(out)])
        result |= {"rows": rows, "pages": _pages(out), "bytes": out.stat().st_size}
        runs.append(result)
        out.unlink()
    return runs


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--annex-rows", type=int, default=100_000)
    parser.add_argument("--ba-rows", type=int, default=50_000)
    parser.add_argument("--weasyprint-rows", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--only",
        default="annex,berita-acara,weasyprint",
        help="comma-separated: annex, berita-acara, weasyprint (with Typst on as many rows)",
    )
    parser.add_argument("--part-rows", type=int, help="rows per Typst part (default PART_ROWS)")
    args = parser.parse_args(argv)
    if args.render:
        render(args.render, args.rows, args.out, args.part_rows)
        return 0

    folder = Path(os.environ.get("PAYUNG_BENCH_DIR", "/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    unknown = only - {"annex", "berita-acara", "weasyprint"}
    if unknown:
        raise BenchError(f"--only: unknown document(s) {', '.join(sorted(unknown))}")

    def runs(kind: str, rows: int, wanted: str) -> list[dict[str, Any]]:
        if wanted not in only:
            return []
        return measure(kind, rows, args.repeats, folder, args.part_rows)

    results = {
        "machine": machine(),
        "annex": runs("annex", args.annex_rows, "annex"),
        "berita_acara": runs("berita-acara", args.ba_rows, "berita-acara"),
        "weasyprint": runs("weasyprint", args.weasyprint_rows, "weasyprint"),
        "typst_same_rows": runs("annex", args.weasyprint_rows, "weasyprint"),
    }
    print(f"{'figure':58} {'value':>16} {'target':>10}  verdict")
    for run in results["annex"]:
        print(
            f"{'annex PDF, ' + format(run['rows'], ',') + ' rows, wall (cpu) s':58} "
            f"{run['wall_s']:>8} ({run['cpu_s']:>5}) {'<= 60':>10}  "
            f"{verdict(run['wall_s'] <= ANNEX_TARGET_S)}  load {run['loadavg_1m']}"
        )
        print(
            f"{'annex PDF, peak memory, process tree (largest) MiB':58} "
            f"{run['peak_tree_mib']:>8} ({run['peak_process_mib']:>5}) {'<= 1024':>10}  "
            f"{verdict(run['peak_tree_mib'] <= ANNEX_TARGET_MIB)}  {run['pages']} pages"
        )
    for run in results["berita_acara"]:
        print(
            f"{'berita acara PDF, ' + format(run['rows'], ',') + ' candidates, wall (cpu) s':58} "
            f"{run['wall_s']:>8} ({run['cpu_s']:>5}) {'<= 15':>10}  "
            f"{verdict(run['wall_s'] <= BA_TARGET_S)}  load {run['loadavg_1m']}"
        )
        print(
            f"{'berita acara PDF, peak memory, process tree (largest) MiB':58} "
            f"{run['peak_tree_mib']:>8} ({run['peak_process_mib']:>5}) {'':>10}  "
            f"{run['pages']} pages"
        )
    for name, key in (("WeasyPrint", "weasyprint"), ("Typst", "typst_same_rows")):
        for run in results[key]:
            per_row = 1000 * run["cpu_s"] / run["rows"]
            print(
                f"{name + ', ' + format(run['rows'], ',') + ' rows, wall (cpu) s, cpu ms/row':58} "
                f"{run['wall_s']:>8} ({run['cpu_s']:>5}) {per_row:>9.2f}  load {run['loadavg_1m']}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
