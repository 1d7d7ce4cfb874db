"""The decision files are the same bytes whatever the engine (issue 16).

An auditor compares a rerun's files with the originals; the engine that screened them, and
how it happened to hand its rows back, must not show in the bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from payung.domain.policy import Policy
from payung.engine import decisions as decisions_module
from payung.engine.backends import Backend
from payung.engine.decisions import PARQUET_OPTIONS, decisions_write, summary_build
from payung.engine.screening import DECISION_SCHEMA, ScreeningResult, screen
from payung.engine.tests.factories import AS_OF, extract, population


def _rechunked(table: pa.Table, sizes: list[int]) -> pa.Table:
    """The same rows, cut into chunks of the given sizes (the rest in one last chunk)."""
    pieces, start = [], 0
    for size in sizes:
        pieces.append(table.slice(start, size))
        start += size
    pieces.append(table.slice(start))
    return pa.concat_tables(pieces)


def _files(decisions: pa.Table, policy: Policy, out: Path) -> dict[str, bytes]:
    result = ScreeningResult(decisions=decisions, counts={"rows": decisions.num_rows})
    summary = summary_build(
        result,
        policy=policy,
        as_of=AS_OF,
        input_name="dtsen.csv",
        input_sha256="0" * 64,
        budget=None,
        months=None,
    )
    return {path.name: path.read_bytes() for path in decisions_write(result, summary, out)}


def _many_decisions(rows: int) -> pa.Table:
    """Decisions of ``rows`` distinct NIKs: enough text that Parquet's pages and dictionary
    fill up where the chunks end, as at a regency's size."""
    columns = {field.name: pa.nulls(rows, field.type) for field in DECISION_SCHEMA}
    columns["row"] = pa.array(np.arange(1, rows + 1))
    columns["nik"] = pa.array([f"3601{i:012d}" for i in range(rows)])
    columns["status"] = pa.repeat("eligible", rows).cast(pa.string())
    return pa.table(columns, schema=DECISION_SCHEMA)


def test_parquet_bytes_do_not_depend_on_how_rows_were_chunked(
    policy: Policy, tmp_path: Path
) -> None:
    """Each backend returns its rows in chunks of its own size (DuckDB's and Polars's files
    of a 10-million-row screening differed with every value the same)."""
    decisions = _many_decisions(150_000)
    whole = _files(decisions, policy, tmp_path / "whole")
    for sizes in ([50_000, 50_000], [65_536], [7, 13, 29]):
        assert _files(_rechunked(decisions, sizes), policy, tmp_path / str(sizes)) == whole
    assert pq.read_table(tmp_path / "whole" / "decisions.parquet").equals(decisions)
    # Rendered 65 536 rows at a time, the CSV is what pyarrow's defaults write.
    plain = tmp_path / "plain.csv"
    pacsv.write_csv(decisions, plain, write_options=pacsv.WriteOptions(quoting_style="needed"))
    assert whole["decisions.csv"] == plain.read_bytes()


def test_parquet_row_groups_hold_a_fixed_number_of_rows(
    policy: Policy, duckdb_backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decisions_module, "PARQUET_ROW_GROUP", 40)
    table = extract(population(100, seed=3))
    decisions = screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend).decisions
    files = _files(_rechunked(decisions, [7, 13, 29]), policy, tmp_path / "chunked")
    assert files == _files(decisions, policy, tmp_path / "one")
    written = pq.ParquetFile(tmp_path / "one" / "decisions.parquet")
    sizes = [written.metadata.row_group(i).num_rows for i in range(written.num_row_groups)]
    assert sizes == [40, 40, 20]
    assert written.read().equals(decisions)


def test_an_empty_screening_writes_a_readable_parquet(policy: Policy, tmp_path: Path) -> None:
    files = _files(DECISION_SCHEMA.empty_table(), policy, tmp_path)
    assert set(files) == {"decisions.csv", "decisions.parquet", "summary.json"}
    assert pq.read_table(tmp_path / "decisions.parquet").equals(DECISION_SCHEMA.empty_table())
    # The bytes pyarrow's own ``write_table`` gives: one empty row group, as before.
    plain = tmp_path / "plain.parquet"
    pq.write_table(DECISION_SCHEMA.empty_table(), plain, **PARQUET_OPTIONS)
    assert files["decisions.parquet"] == plain.read_bytes()


def test_parquet_footer_names_no_person(policy: Policy, tmp_path: Path) -> None:
    """Min/max statistics sit in the footer, which tools print without reading a row: none
    for the NIK, so a file's metadata shown in a ticket or a log names no one."""
    decisions = _many_decisions(1_000)
    _files(decisions, policy, tmp_path)
    metadata = pq.ParquetFile(tmp_path / "decisions.parquet").metadata
    columns = {
        metadata.row_group(0).column(i).path_in_schema: metadata.row_group(0).column(i)
        for i in range(metadata.num_columns)
    }
    assert not columns["nik"].is_stats_set
    assert columns["row"].statistics.min == 1
    assert columns["row"].statistics.max == 1_000
    footer = (tmp_path / "decisions.parquet").read_bytes()[-metadata.serialized_size - 8 :]
    assert b"3601000000000000" not in footer
