"""The least any screening command does (issue 16, target 1): start Python, read the extract
with pyarrow, write one decision line a row. No rule is judged.

``benchmarks.screen`` times this as a fresh process, as it times ``payung screen``, so the
report can say what ratio to the pyarrow read, and to the plain-Python loop, this machine
allows at best, whatever the engine.

    python -m benchmarks.screen_floor EXTRACT.csv OUT.csv
"""

from __future__ import annotations

import sys

import pyarrow as pa
import pyarrow.csv as pacsv


def floor_write(*, extract: str, out: str) -> int:
    """Read ``extract`` and write its rows as decision lines (row, NIK, status, reasons)."""
    table = pacsv.read_csv(extract)
    rows = table.num_rows
    decisions = pa.table(
        {
            "row": pa.array(range(1, rows + 1), pa.int32()),
            "nik": table.column(0),
            "status": pa.repeat("ineligible", rows),
            "reasons": pa.repeat("", rows),
        }
    )
    pacsv.write_csv(decisions, out)
    return rows


if __name__ == "__main__":
    floor_write(extract=sys.argv[1], out=sys.argv[2])
