"""Linking on Spark gives what DuckDB gives (issue 13: "Spark for national scale through the
same settings"; Pasal 5 ayat (2) huruf f).

What a regency relies on when it moves linkage to a cluster: the same pairs are judged the
same person with the same probabilities, relatives on one family card stay apart, and
``payung link --engine spark`` writes the very files the default engine writes. One Spark
session serves the module (starting one costs ten seconds or more).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from payung import cli
from payung.engine.linkage.model import COMPARISONS
from payung.engine.linkage.run import dedupe_list
from payung.engine.linkage.spark import level_sql_to_spark
from payung.engine.linkage.synth_pairs import LinkCase, synth_dupes, synth_pairs
from payung.engine.tests.test_linkage_run import canonical, pairs_of, truth_of

OUTPUTS = ("matches.csv", "review.csv", "summary.json")


@pytest.fixture(scope="module")
def spark_session():
    if shutil.which("java") is None:
        pytest.fail("Java is required for the Spark engine; scripts/setup installs it")
    from payung.engine.linkage.spark import _session

    return _session()


@pytest.fixture(scope="module")
def case() -> LinkCase:
    return synth_pairs(rows_a=2_000, rows_b=1_000, seed=7)


@pytest.fixture(scope="module")
def runs(case: LinkCase, spark_session, tmp_path_factory) -> dict[str, Path]:
    """``payung link A B`` through the console script's entry point, once per engine."""
    tmp = tmp_path_factory.mktemp("link")
    a, b = tmp / "a.parquet", tmp / "b.parquet"
    pq.write_table(case.a, a)
    pq.write_table(case.b, b)
    out = {}
    for engine in ("duckdb", "spark"):
        out[engine] = tmp / engine
        code = cli.main(
            ["link", str(a), str(b), "--out", str(out[engine]), "--engine", engine, "--quiet"]
        )
        assert code == 0, engine
    return out


def _matches(directory: Path) -> pa.Table:
    return pa_csv.read_csv(directory / "matches.csv")


@pytest.mark.spark
def test_spark_writes_the_files_duckdb_writes(runs: dict[str, Path], case: LinkCase) -> None:
    """The same pairs, the same six-decimal probabilities, evidence, counts and model."""
    for name in OUTPUTS:
        spark = (runs["spark"] / name).read_bytes()
        assert spark == (runs["duckdb"] / name).read_bytes(), name
    # Not two empty files: the run finds the people typed again on list B.
    found = pairs_of(_matches(runs["spark"]))
    truth = truth_of(case)
    assert len(found & truth) >= 0.95 * len(truth)


@pytest.mark.spark
def test_guards_hold_relatives_apart_on_spark(runs: dict[str, Path], case: LinkCase) -> None:
    import json

    a, b = canonical(case.a), canonical(case.b)
    kk_a = dict(zip(a["row"].to_pylist(), a["no_kk"].to_pylist(), strict=True))
    kk_b = dict(zip(b["row"].to_pylist(), b["no_kk"].to_pylist(), strict=True))
    truth = truth_of(case)
    same_card_wrong = [
        (x, y)
        for x, y in pairs_of(_matches(runs["spark"]))
        if (x, y) not in truth and kk_b[y] is not None and kk_a[x] == kk_b[y]
    ]
    summary = json.loads((runs["spark"] / "summary.json").read_text(encoding="utf-8"))
    assert case.hard_negatives > 0
    assert same_card_wrong == []
    assert summary["counts"]["guarded_family"] > 0


#: Pairs at the edges of every level: Jaro-Winkler where the Splink jar's and DuckDB's
#: disagree, transpositions, dates across a month and a year, a dropped middle name, nulls.
_EDGE_PAIRS: tuple[dict[str, object], ...] = (
    {
        "nama_join": ("ILHAMSUNARYA", "ILHAMSUMARNA"),
        "nama_norm": ("ILHAM SUNARYA", "ILHAM SUMARNA"),
    },
    {"nama_join": ("SRIROSIDAH", "IMASROSIDAH"), "nama_norm": ("SRI ROSIDAH", "IMAS ROSIDAH")},
    {
        "nama_join": ("DEDENSUDRAJAT", "DEDENJUHANA"),
        "nama_norm": ("DEDEN SUDRAJAT", "DEDEN JUHANA"),
    },
    {"nama_join": ("SITIAMINAH", "AMINAH"), "nama_norm": ("SITI AMINAH", "AMINAH")},
    {"nama_join": ("ASEPSAEPUL", None), "nama_norm": ("ASEP SAEPUL", None)},
    {"nik": ("3601011503100001", "3601011503100010"), "dob": ("2010-03-15", "2010-03-16")},
    {"nik": ("3601011503100001", "3601015103100001"), "dob": ("2010-03-15", None)},
    {"nik": ("3601011503100001", "3601011503190021"), "dob": ("2010-12-31", "2011-01-01")},
    {"nik": ("3601011503100001", "3602011503100001"), "dob": ("2010-03-15", "2011-03-15")},
    {"nik": ("3601011503100001", None), "prefix": (None, "360101150310000")},
    {"nik": ("3601011503100001", None), "prefix": (None, "36")},
    {"nik": ("3601011503100001", "3601011503100000"), "dob": ("2010-03-01", "2010-01-03")},
)


def _edge_table() -> pa.Table:
    columns: dict[str, list] = {"pair": []}
    fields = ("nik16", "nik10", "nik_prefix", "nama_join", "nama_norm", "dob", "sex", "desa")
    fields += ("kec", "kk")
    for side in ("l", "r"):
        for name in fields:
            columns[f"{name}_{side}"] = []
    for index, edge in enumerate(_EDGE_PAIRS):
        columns["pair"].append(index)
        for position, side in enumerate(("l", "r")):
            nik = edge.get("nik", (None, None))[position]
            dob = edge.get("dob", ("2000-01-01", "2000-01-01"))[position]
            values = {
                "nik16": nik,
                "nik10": nik[-10:] if nik else None,
                "nik_prefix": edge.get("prefix", (None, None))[position],
                "nama_join": edge.get("nama_join", ("BUDI", "BUDI"))[position],
                "nama_norm": edge.get("nama_norm", ("BUDI", "BUDI"))[position],
                "dob": dob,
                "sex": "L",
                "desa": "3601012001",
                "kec": "360101",
                "kk": None,
            }
            for name, value in values.items():
                columns[f"{name}_{side}"].append(value)
    table = pa.table(columns)
    for side in ("l", "r"):
        index = table.schema.get_field_index(f"dob_{side}")
        table = table.set_column(index, f"dob_{side}", table[f"dob_{side}"].cast(pa.date32()))
    return table


def _gamma_sql(levels: list[dict], translate) -> str:
    whens = []
    for position, level in enumerate(levels):
        gamma = -1 if position == 0 else len(levels) - 1 - position
        if level["sql_condition"] == "ELSE":
            whens.append(f"ELSE {gamma}")
        else:
            whens.append(f"WHEN {translate(level['sql_condition'])} THEN {gamma}")
    return f"CASE {' '.join(whens)} END"


@pytest.mark.spark
def test_every_level_gives_the_duckdb_level_on_spark(spark_session, tmp_path: Path) -> None:
    """Each comparison level, transpiled, puts each edge pair in the level DuckDB does: the
    name levels use DuckDB's Jaro-Winkler (the Splink jar's differs on these names)."""
    table = _edge_table()
    con = duckdb.connect()
    con.register("edges", table)
    pq.write_table(table, tmp_path / "edges.parquet")
    spark_session.read.parquet(str(tmp_path / "edges.parquet")).createOrReplaceTempView(
        "payung_edges"
    )
    for comparison in COMPARISONS:
        levels = comparison["comparison_levels"]
        name = comparison["output_column_name"]
        on_duckdb = con.execute(
            f"SELECT pair, {_gamma_sql(levels, str)} AS g FROM edges ORDER BY pair"
        ).fetchall()
        on_spark = spark_session.sql(
            f"SELECT pair, {_gamma_sql(levels, level_sql_to_spark)} AS g FROM payung_edges "
            "ORDER BY pair"
        ).collect()
        assert [tuple(row) for row in on_spark] == on_duckdb, name
    # The edges reach the levels they were written for, not all the same one.
    nik = next(c for c in COMPARISONS if c["output_column_name"] == "nik")["comparison_levels"]
    gammas = {
        g for _, g in con.execute(f"SELECT pair, {_gamma_sql(nik, str)} FROM edges").fetchall()
    }
    assert len(gammas) >= 5


@pytest.mark.parametrize("source", ["list_a", "list_b", None])
def test_spark_samples_u_from_the_rows_duckdb_samples(source: str | None) -> None:
    """u is counted on a sample chosen by a hash; Spark reads DuckDB's bucket of each row,
    so both engines count the same pairs (None: a dedupe, where the id is the row alone)."""
    from splink.internals.dialects import DuckDBDialect
    from splink.internals.input_column import InputColumn

    from payung.engine.linkage.spark import _BUCKET, _bucket_sql, _sample_filter

    names = ["unique_id"] if source is None else ["source_dataset", "unique_id"]
    columns = [InputColumn(name, sqlglot_dialect_str="duckdb") for name in names]
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE t AS SELECT range + 1 AS unique_id, '{source}' AS source_dataset "
        "FROM range(20000)"
    )
    for proportion, seed in ((0.3, 1), (0.05, 7)):
        splink = con.execute(
            "SELECT unique_id FROM t WHERE 1=1 "
            f"{DuckDBDialect().proportion_sample_sql(proportion, columns, seed=seed)} ORDER BY 1"
        ).fetchall()
        ours = con.execute(
            f"SELECT unique_id FROM (SELECT *, {_bucket_sql(source=source, seed=seed)} AS "
            f"{_BUCKET} FROM t) WHERE 1=1 {_sample_filter(proportion)} ORDER BY 1"
        ).fetchall()
        assert 0 < len(ours) < 20000
        assert ours == splink


@pytest.mark.spark
def test_dedupe_on_spark_finds_what_duckdb_finds(spark_session) -> None:
    """Duplicates within one list (a village's list: the model keeps its priors)."""
    table = canonical(synth_dupes(rows=1_000, seed=5).a).slice(0, 400)
    on_duckdb = dedupe_list(table=table, seed=1)
    on_spark = dedupe_list(table=table, seed=1, backend="spark")
    assert on_spark.matches.num_rows > 0
    assert on_spark.matches.equals(on_duckdb.matches)
    assert on_spark.review.equals(on_duckdb.review)
    assert on_spark.summary == on_duckdb.summary


def test_spark_without_java_is_one_indonesian_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input, the ``payung screen`` standard: exit 2, one sentence, no traceback."""
    import payung.engine.backends.spark as spark_backend

    case = synth_pairs(rows_a=50, rows_b=20, seed=3)
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pq.write_table(case.a, a)
    pq.write_table(case.b, b)
    monkeypatch.setattr(spark_backend, "_SESSION", None)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    code = cli.main(["link", str(a), str(b), "--out", str(tmp_path / "out"), "--engine", "spark"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "Java" in err or "pyspark" in err
    assert not (tmp_path / "out" / "matches.csv").exists()


def test_an_unknown_engine_is_refused() -> None:
    table = canonical(synth_dupes(rows=1_000, seed=5).a)
    with pytest.raises(ValueError, match="backend"):
        dedupe_list(table=table, seed=1, backend="excel")
