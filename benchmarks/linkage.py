"""Linkage at a regency's scale and its accuracy against labelled synthetic lists (issue 13).

What is measured, each ``payung`` command in a fresh process through ``benchmarks.measure``
(wall time and the command's own peak RSS):

1. ``payung link A B --out DIR --quiet``: list A and list B of ``--rows`` rows each (default
   1,000,000), from :func:`payung.engine.linkage.synth_pairs.synth_pairs` (40% of B are A's
   people typed again with noise; the rest include relatives on the same family card,
   twins and namesakes). End to end: reading both Parquet files, features, training,
   scoring, writing.
2. ``payung link A --out DIR --quiet``: duplicates within list A.
3. Accuracy of (1): precision, recall and F1 of matches.csv against the truth, beside the
   exact-NIK baseline (the pairs whose NIK cells are equal, the way Payung matched before).

The lists are generated once and cached as Parquet under ``benchmarks/.data/`` (git-ignored).
Usage: ``python -m benchmarks.linkage [--rows N] [--seed S] [--skip-dedupe] [--json OUT]``;
``--accuracy-seeds 1,2,3 --rows 20000 [--no-sex-column]`` measures only the accuracy, in
process, over several labelled pairs of lists.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "benchmarks" / ".data"


def _payung() -> str:
    return str(Path(sys.executable).with_name("payung"))


def ensure_lists(rows: int, seed: int) -> tuple[Path, Path, Path, float]:
    """(A, B, truth) Parquet paths, generated on first use; and the generation seconds."""
    from payung.engine.linkage.synth_pairs import synth_pairs

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"link-{rows}-seed{seed}"
    paths = [DATA_DIR / f"{stem}-{part}.parquet" for part in ("a", "b", "truth")]
    if all(path.exists() for path in paths):
        return (*paths, 0.0)
    started = time.perf_counter()
    case = synth_pairs(rows_a=rows, rows_b=rows, seed=seed)
    for table, path in zip((case.a, case.b, case.truth), paths, strict=True):
        pq.write_table(table, path)
    return (*paths, time.perf_counter() - started)


def run_measured(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MiB) of ``command`` in its own process."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.measure", report.name, "--", *command],
            cwd=ROOT,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(command)}")
        result = json.loads(Path(report.name).read_text(encoding="utf-8"))
    return result["seconds"], result["maxrss_kib"] / 1024


def scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    true_positives = len(found & truth)
    precision = true_positives / len(found) if found else 0.0
    recall = true_positives / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(found),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def accuracy(a: Path, b: Path, truth_path: Path, matches: Path) -> dict[str, dict[str, float]]:
    truth_table = pq.read_table(truth_path)
    truth = set(
        zip(truth_table["a_row"].to_pylist(), truth_table["b_row"].to_pylist(), strict=True)
    )
    found_table = pacsv.read_csv(matches)
    found = set(
        zip(found_table["a_row"].to_pylist(), found_table["b_row"].to_pylist(), strict=True)
    )
    # Baseline: equal NIK cells (rows numbered as the CLI numbers them, 1 = first data row).
    a_nik = pq.read_table(a, columns=["NIK"])
    b_nik = pq.read_table(b, columns=["NIK"])
    left = pa.table({"nik": a_nik["NIK"], "a_row": pa.array(range(1, a_nik.num_rows + 1))})
    right = pa.table({"nik": b_nik["NIK"], "b_row": pa.array(range(1, b_nik.num_rows + 1))})
    joined = left.join(right, "nik", join_type="inner")
    exact = set(zip(joined["a_row"].to_pylist(), joined["b_row"].to_pylist(), strict=True))
    return {"model": scores(found, truth), "exact_nik": scores(exact, truth)}


def _pairs(table: pa.Table) -> set[tuple[int, int]]:
    return set(zip(table["a_row"].to_pylist(), table["b_row"].to_pylist(), strict=True))


def accuracy_sweep(rows: int, seeds: list[int], *, sex_column: bool) -> list[dict[str, object]]:
    """Precision, recall and F1 of the model and of exact NIK per seed, in process (no
    timing): how much the figures move from one labelled pair of lists to the next."""
    from payung.engine.linkage.run import link_lists
    from payung.engine.linkage.synth_pairs import synth_pairs

    def canonical(table: pa.Table) -> pa.Table:
        names = {"NAMA_PESERTA": "nama", "TGL_LAHIR": "tanggal_lahir"}
        columns = {"row": pa.array(range(1, table.num_rows + 1), pa.int64())}
        for name in table.column_names:
            columns[names.get(name, name.lower())] = table.column(name)
        return pa.table(columns)

    out = []
    for seed in seeds:
        case = synth_pairs(rows_a=rows, rows_b=rows // 2, seed=seed, b_sex_column=sex_column)
        result = link_lists(a=canonical(case.a), b=canonical(case.b), seed=1)
        truth = _pairs(case.truth)
        found = _pairs(result.matches)
        left = pa.table({"nik": case.a["NIK"], "a_row": pa.array(range(1, rows + 1))})
        right = pa.table({"nik": case.b["NIK"], "b_row": pa.array(range(1, rows // 2 + 1))})
        joined = left.join(right, "nik", join_type="inner")
        exact = _pairs(joined)
        out.append(
            {
                "seed": seed,
                "model": scores(found, truth),
                "exact_nik": scores(exact, truth),
                "hard_negatives": case.hard_negatives,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--skip-dedupe", action="store_true")
    parser.add_argument(
        "--engine", default="duckdb", choices=["duckdb", "spark"], help="payung link --engine"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--accuracy-seeds",
        help="only the accuracy, in process, for these comma-separated seeds (A = --rows, "
        "B = half of it)",
    )
    parser.add_argument("--no-sex-column", action="store_true", help="list B without sex")
    args = parser.parse_args(argv)
    if args.accuracy_seeds:
        seeds = [int(s) for s in args.accuracy_seeds.split(",")]
        sweep = accuracy_sweep(args.rows, seeds, sex_column=not args.no_sex_column)
        print(f"{'seed':>5}{'model P':>9}{'R':>8}{'F1':>8}{'exact P':>9}{'R':>8}{'F1':>8}")
        for item in sweep:
            m, e = item["model"], item["exact_nik"]
            print(
                f"{item['seed']:>5}{m['precision']:>9}{m['recall']:>8}{m['f1']:>8}"
                f"{e['precision']:>9}{e['recall']:>8}{e['f1']:>8}"
            )
        if args.json:
            args.json.write_text(json.dumps(sweep, indent=2) + "\n", encoding="utf-8")
        return 0

    a, b, truth, generated = ensure_lists(args.rows, args.seed)
    print(f"lists ready ({generated:.0f} s to generate)", file=sys.stderr)
    results: dict[str, object] = {"rows": args.rows, "seed": args.seed, "engine": args.engine}
    engine = ["--engine", args.engine]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "link"
        seconds, peak = run_measured(
            [_payung(), "link", str(a), str(b), "--out", str(out), "--quiet", *engine]
        )
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        results["link"] = {"seconds": round(seconds, 1), "peak_mib": round(peak)}
        results["link_counts"] = summary["counts"]
        results["accuracy"] = accuracy(a, b, truth, out / "matches.csv")
        if not args.skip_dedupe:
            out = Path(tmp) / "dedupe"
            seconds, peak = run_measured(
                [_payung(), "link", str(a), "--out", str(out), "--quiet", *engine]
            )
            summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            results["dedupe"] = {"seconds": round(seconds, 1), "peak_mib": round(peak)}
            results["dedupe_counts"] = summary["counts"]

    rows = f"{args.rows:,}".replace(",", ".")
    print(f"engine: {args.engine}")
    print(f"{'measurement':<46}{'seconds':>9}{'peak MiB':>10}")
    link = results["link"]
    print(f"{'payung link A B (' + rows + ' x ' + rows + ')':<46}"
          f"{link['seconds']:>9}{link['peak_mib']:>10}")  # fmt: skip
    if "dedupe" in results:
        dedupe = results["dedupe"]
        print(f"{'payung link A (duplicates in ' + rows + ')':<46}"
              f"{dedupe['seconds']:>9}{dedupe['peak_mib']:>10}")  # fmt: skip
    print(f"\n{'matching':<14}{'pairs':>10}{'precision':>11}{'recall':>9}{'F1':>8}")
    for name, score in results["accuracy"].items():
        print(
            f"{name:<14}{score['pairs']:>10}{score['precision']:>11}"
            f"{score['recall']:>9}{score['f1']:>8}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
