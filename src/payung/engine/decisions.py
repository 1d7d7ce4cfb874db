"""Writing a screening's decision files: decisions.csv, decisions.parquet, summary.json.

Auditors compare files, so the same input, policy version and as-of date must give the same
bytes: fixed column order and types (``screening.DECISION_SCHEMA``), rows sorted by ``row``,
JSON with sorted keys and no timestamps or paths. Each file is written under a temporary
name in the same folder and renamed into place, so a crash never leaves half a file that
looks finished.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from payung.domain.policy import Policy
from payung.engine.screening import DECISION_SCHEMA, ScreeningResult

#: Rows per row group of decisions.parquet (pyarrow's default).
PARQUET_ROW_GROUP: Final = 1 << 20

#: How decisions.csv is written: every text quoted, and 65 536 rows rendered at a time
#: rather than pyarrow's 1 024 (the same bytes; at 10 million rows 1.67 → 1.36 CPU s, issue 16).
CSV_OPTIONS: Final = pacsv.WriteOptions(quoting_style="needed", batch_size=1 << 16)

#: How decisions.parquet encodes its columns. A dictionary only where values repeat (a
#: column of unique values fills its dictionary page, then starts over in plain encoding);
#: ``row`` counts up by one, which delta encoding stores in almost nothing; min/max
#: statistics only on the numbers a reader filters by (the text columns' statistics skip no
#: row group, since every million rows hold every status, and cost 0.7 s of a 3 s write at
#: 10 million rows; the NIK's would put two persons' NIKs in the footer). At 10 million
#: rows: 2.9-3.1 s and 112 MB before, 2.2 s and 96 MB after (issue 16).
PARQUET_OPTIONS: Final[dict[str, Any]] = {
    "compression": "zstd",
    "store_schema": True,
    "use_dictionary": [
        name for name in DECISION_SCHEMA.names if name not in {"row", "nik", "priority_rank"}
    ],
    "column_encoding": {"row": "DELTA_BINARY_PACKED"},
    "write_statistics": ["row", "priority_rank", "age", "desil"],
}


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def summary_build(
    result: ScreeningResult,
    *,
    policy: Policy,
    as_of: date,
    input_name: str,
    input_sha256: str,
    budget: int | None,
    months: int | None,
) -> dict[str, Any]:
    """The summary an operator reads first: counts, policy, input fingerprint, budget cut."""
    months_used = policy.coverage_months if months is None else months
    per_person = policy.annual_cost_per_person(months_used)
    summary: dict[str, Any] = {
        "policy": {"id": policy.id, "version": policy.version, "title": policy.short_title},
        "as_of": as_of.isoformat(),
        "input": {"name": input_name, "sha256": input_sha256, "rows": result.counts["rows"]},
        "counts": result.counts,
        "contribution": {
            "monthly_per_person": policy.contribution.monthly_total,
            "months": months_used,
            "cost_per_person": per_person,
        },
        "budget": None,
    }
    if budget is not None:
        selected = result.counts["by_status"]["selected"]
        summary["budget"] = {
            "pagu": budget,
            "quota": result.quota,
            "selected": selected,
            "waitlisted": result.counts["by_status"]["waitlisted"],
            "cost_selected": selected * per_person,
            "remaining": budget - selected * per_person,
        }
    return summary


def decisions_write(result: ScreeningResult, summary: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write the three files into ``out_dir`` and return their paths."""
    table: pa.Table = result.decisions

    def write_csv(tmp: Path) -> None:
        pacsv.write_csv(table, tmp, write_options=CSV_OPTIONS)

    def write_parquet(tmp: Path) -> None:
        # Parquet cuts its pages where the table's chunks end, and each backend hands back
        # its rows in chunks of its own: at 10 million rows DuckDB's and Polars's files
        # differed though every value was the same (issue 16). Each row group is written
        # from one chunk, so the bytes depend on the values alone.
        with pq.ParquetWriter(tmp, table.schema, **PARQUET_OPTIONS) as out:
            # An empty table still gets its one empty row group, as ``write_table`` gives.
            for start in range(0, max(table.num_rows, 1), PARQUET_ROW_GROUP):
                part = table.slice(start, PARQUET_ROW_GROUP).combine_chunks()
                out.write_table(part, row_group_size=PARQUET_ROW_GROUP)

    def write_json(tmp: Path) -> None:
        text = json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        tmp.write_text(text, encoding="utf-8")

    # The two big files are independent and pyarrow writes each without holding the GIL:
    # written side by side, a million rows take the longer of the two, not the sum (issue 16).
    with ThreadPoolExecutor(max_workers=1) as pool:
        parquet = pool.submit(atomic_write, out_dir / "decisions.parquet", write_parquet)
        csv_path = atomic_write(out_dir / "decisions.csv", write_csv)
        parquet_path = parquet.result()
    return [csv_path, parquet_path, atomic_write(out_dir / "summary.json", write_json)]
