"""The least any screening command does (issue 16, target 1): start Python, read the extract
with pyarrow, write one decision line a row. No rule is judged.

``benchmarks.screen`` times this as a fresh process, as it times ``payung screen``, so the
report can say what ratio to the pyarrow read, and to the plain-Python loop, this machine
allows at best, whatever the engine. With ``--engine NAME`` the process first starts the
backend ``payung screen --engine NAME`` uses (Ibis and the backend's modules imported, a
connection opened and closed) and still judges nothing: the least a screening through Ibis
(design.md: the engine's batch work) can do here.

    python -m benchmarks.screen_floor EXTRACT.csv OUT.csv [--engine polars]
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


def engine_start(name: str) -> None:
    """Start and stop Payung's backend ``name`` as ``payung screen --engine`` does."""
    from payung.engine.backends import connect

    with connect(name):
        pass


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[3] == "--engine":
        engine_start(sys.argv[4])
    floor_write(extract=sys.argv[1], out=sys.argv[2])
