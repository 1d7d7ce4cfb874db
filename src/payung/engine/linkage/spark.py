"""The linkage model on Spark: the same settings, training steps and guards as on DuckDB.

Issue 13 asks for Splink "DuckDB embedded by default, Spark for national scale through the
same settings" (Pasal 5 ayat (2) huruf f at the scale of a province or of BPJS's roster).
Only the scoring moves to Spark; everything around it stays where it is, so the two engines
cannot drift apart:

- the features are built by :func:`payung.engine.linkage.features.features_build` in DuckDB,
  as for the DuckDB engine, and handed to Spark as Parquet files (the way a cluster reads a
  national list; the pandas route would turn missing text into ``'NaN'``);
- the comparison levels of :mod:`payung.engine.linkage.model` are written once, in DuckDB's
  SQL, and transpiled here with sqlglot; of the functions Spark lacks, ``damerau_levenshtein``
  is the Splink jar's (true Damerau-Levenshtein, as DuckDB's), ``list_has_all`` is "nothing
  left after array_except", and Jaro-Winkler is DuckDB's own, run in Spark's Python workers:
  the jar's (Apache Commons Text) gives other values on a third of name pairs, and the name
  levels' bounds were measured with DuckDB's;
- u is sampled from the same rows: Splink picks them by a hash of the row's id and the
  seed, and Spark's ``hash`` is not DuckDB's, so the DuckDB bucket of every row is computed
  in DuckDB and Spark samples by it. With the same u and the same EM pairs the two engines
  learn the same model and give the same probabilities (floating-point sums in another
  order: equal to far more than the six decimals written);
- the scored pairs come back to DuckDB, where :mod:`payung.engine.linkage.run` labels the
  evidence and applies the family and other-person guards with the very SQL the DuckDB
  engine uses: no relative can be matched on Spark that DuckDB would keep apart.

The one place the engines may differ: an EM round with more than
:data:`payung.engine.linkage.run.EM_MAX_PAIRS` blocked pairs is sampled with each engine's
own hash (a 1 M x 1 M national run), so its m values agree within sampling error only.

Spark runs in local mode (``local[2]``, or ``PAYUNG_SPARK_MASTER``) in the screening
engine's session (:mod:`payung.engine.backends.spark`): one per process.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any, Final

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp

from payung.engine.backends import BackendUnavailable

__all__ = ["SparkLinkage", "level_sql_to_spark", "spark_linkage_start"]

#: Splink's modulus for its deterministic sample (splink.internals.dialects); a test
#: asserts that Spark's u values equal DuckDB's, which fails if Splink changes it.
_SAMPLE_MODULUS: Final = 1_000_000_000
#: The column carrying each row's DuckDB sample bucket to Spark.
_BUCKET: Final = "payung_u_bucket"
#: DuckDB's Jaro-Winkler as a Spark function (see :func:`_jaro_winkler_register`).
_JARO_WINKLER: Final = "payung_jaro_winkler"
#: Splink's separator in a composite id (splink.internals.constants.CONCAT_SEPARATOR).
_SEPARATOR: Final = "-__-"


def _null_safe(call: exp.Expression, *args: exp.Expression) -> exp.Expression:
    """The jar's functions return 0 on a missing value where DuckDB's return NULL."""
    missing = exp.or_(*(exp.Is(this=arg.copy(), expression=exp.Null()) for arg in args))
    return exp.Case(ifs=[exp.If(this=missing, true=exp.Null())], default=call)


def _to_spark(node: exp.Expression) -> exp.Expression:
    name = node.sql_name().upper() if isinstance(node, exp.Func) else ""
    if isinstance(node, exp.Anonymous):
        name = str(node.this).upper()
    args = [a for a in node.args.values() if isinstance(a, exp.Expression)]
    if isinstance(node, exp.Anonymous):
        args = list(node.expressions)
    if name in {"JARO_WINKLER_SIMILARITY", "JAROWINKLERSIMILARITY"}:
        left, right = args[:2]
        call = exp.Anonymous(this=_JARO_WINKLER, expressions=[left, right])
        return _null_safe(call, left, right)
    if name == "DAMERAU_LEVENSHTEIN":
        left, right = args[:2]
        call = exp.Anonymous(this="damerau_levenshtein", expressions=[left, right])
        return _null_safe(call, left, right)
    if name in {"LIST_HAS_ALL", "ARRAY_HAS_ALL", "ARRAYCONTAINSALL"}:
        # list_has_all(x, y): every element of y is in x.
        whole, part = args[:2]
        missing = exp.Anonymous(this="array_except", expressions=[part, whole])
        test = exp.EQ(
            this=exp.Anonymous(this="size", expressions=[missing]), expression=exp.Literal.number(0)
        )
        return _null_safe(exp.Paren(this=test), whole, part)
    return node


def level_sql_to_spark(sql: str) -> str:
    """A comparison level's condition (DuckDB SQL, :mod:`.model`) in Spark SQL."""
    if sql.strip().upper() == "ELSE":
        return sql
    tree = sqlglot.parse_one(sql, read="duckdb")
    return tree.transform(_to_spark).sql(dialect="spark")


def _spark_settings(settings: dict[str, Any]) -> dict[str, Any]:
    spark = dict(settings)
    spark["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {**level, "sql_condition": level_sql_to_spark(level["sql_condition"])}
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in settings["comparisons"]
    ]
    spark["blocking_rules_to_generate_predictions"] = [
        {
            "blocking_rule": sqlglot.transpile(rule["blocking_rule"], read="duckdb", write="spark")[
                0
            ],
            "sql_dialect": "spark",
        }
        for rule in settings["blocking_rules_to_generate_predictions"]
    ]
    return spark


def _session() -> Any:
    """The process's Spark session with the Splink jar's functions registered."""
    from payung.engine.backends.spark import _session as screening_session

    # The Python workers (DuckDB's Jaro-Winkler) need this environment's packages; on a
    # cluster PYSPARK_PYTHON names the workers' Python.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = screening_session()  # BackendUnavailable without pyspark or Java
    session.sparkContext.pythonExec = os.environ["PYSPARK_PYTHON"]
    try:
        from splink.backends.spark import similarity_jar_location
        from splink.internals.spark.jar_location import get_scala_udfs
    except ImportError:  # pragma: no cover - splink[spark] extras missing
        raise BackendUnavailable(
            "Mesin 'spark' untuk pencocokan membutuhkan Splink dengan dukungan Spark."
        ) from None
    if not getattr(session, "_payung_splink_jar", False):
        # The session may predate linkage (screening started it): ADD JAR works on a live
        # session, spark.jars only at its start.
        session.sql(f"ADD JAR '{similarity_jar_location()}'")
        for name, java_class, return_type in get_scala_udfs():
            session.udf.registerJavaFunction(name, java_class, return_type)
        _jaro_winkler_register(session)
        session._payung_splink_jar = True
    return session


def _jaro_winkler_register(session: Any) -> None:
    """Register DuckDB's own ``jaro_winkler_similarity`` as a vectorised Spark function.

    The Splink jar's ``jaro_winkler`` (Apache Commons Text) and DuckDB's differ on about a
    third of random name pairs (DuckDB's is higher by up to 0.05; one pair in a thousand
    crosses a level's bound): the name levels' bounds (0.95, 0.88) were measured with
    DuckDB's, so Spark computes DuckDB's, batch by batch, in the Python workers.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf
    from pyspark.sql.types import DoubleType

    def jaro_winkler(left, right):  # type: ignore[no-untyped-def]
        import duckdb as duck

        batch = pa.table(
            {"l": pa.array(left, pa.string(), from_pandas=True),
             "r": pa.array(right, pa.string(), from_pandas=True)}
        )  # fmt: skip
        con = duck.connect()
        try:
            con.register("batch", batch)
            out = con.execute("SELECT jaro_winkler_similarity(l, r) AS j FROM batch")
            return out.to_arrow_table().column("j").to_pandas()
        finally:
            con.close()

    # Real classes, not this module's postponed (string) annotations: pandas_udf reads them.
    jaro_winkler.__annotations__ = {"left": pd.Series, "right": pd.Series, "return": pd.Series}
    session.udf.register(_JARO_WINKLER, pandas_udf(jaro_winkler, DoubleType()))


@dataclass
class SparkLinkage:
    """A Splink linker on Spark and what must be cleaned up after it."""

    linker: Any
    session: Any
    tmp: str
    views: list[str] = field(default_factory=list)

    def predictions_to_duckdb(
        self, con: duckdb.DuckDBPyConnection, predictions: Any, *, name: str
    ) -> str:
        """Bring the scored pairs (at or above the review threshold: few) into ``con``."""
        frame = predictions.as_spark_dataframe()
        table: pa.Table = frame.toArrow()
        con.register(name, table)
        return name

    def close(self) -> None:
        """Drop Splink's tables (persisted: they hold NIKs and names) and the Parquet files."""
        for view in self.session.catalog.listTables():
            if view.isTemporary and (view.name.startswith("__splink") or view.name in self.views):
                self.session.table(view.name).unpersist()
                self.session.catalog.dropTempView(view.name)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _bucket_sql(*, source: str | None, seed: int) -> str:
    """DuckDB's expression for Splink's sample bucket of a row (DuckDBDialect)."""
    composite = "unique_id" if source is None else f"'{source}' || '{_SEPARATOR}' || unique_id"
    composite = f"({composite}) || '_{seed}'"
    return f"CAST(hash({composite}) % {_SAMPLE_MODULUS} AS BIGINT)"


def _sample_filter(proportion: float) -> str:
    """Splink's DuckDB sample (``DuckDBDialect.proportion_sample_sql``), read from the bucket
    column DuckDB computed: the rows DuckDB samples for u, whatever Spark's hash says."""
    if proportion >= 1.0:
        return ""
    threshold = max(1, round(proportion * _SAMPLE_MODULUS))
    return f" AND {_BUCKET} < {threshold}"


def spark_linkage_start(
    *, con: duckdb.DuckDBPyConnection, settings: dict[str, Any], dedupe: bool, seed: int
) -> SparkLinkage:
    """A Splink linker on Spark over the feature tables ``feat_a`` (and ``feat_b``) of ``con``,
    with the settings of :func:`payung.engine.linkage.model.settings_build` transpiled."""
    session = _session()
    from splink import Linker, SparkAPI

    tmp = tempfile.mkdtemp(prefix="payung-link-spark-")
    os.chmod(tmp, 0o700)  # personal data: the features hold NIKs and names
    linkage = SparkLinkage(linker=None, session=session, tmp=tmp)
    try:
        names = [("feat_a", "list_a")] if dedupe else [("feat_a", "list_a"), ("feat_b", "list_b")]
        db_api = SparkAPI(
            spark_session=session, break_lineage_method="persist", register_udfs_automatically=False
        )
        inputs = []
        for feature_table, list_name in names:
            path = os.path.join(tmp, f"{feature_table}.parquet")
            bucket = _bucket_sql(source=None if dedupe else list_name, seed=seed)
            con.execute(
                f"COPY (SELECT *, {bucket} AS {_BUCKET} FROM {feature_table}) TO '{path}' "
                "(FORMAT parquet)"
            )
            view = f"payung_{list_name}_{os.path.basename(tmp).replace('-', '_')}"
            session.read.parquet(path).createOrReplaceTempView(view)
            linkage.views.append(view)
            inputs.append(db_api.register(view, table_name=list_name))
        linker = Linker(inputs[0] if dedupe else inputs, _spark_settings(settings), log_level=None)

        bucket_seed = seed

        def sample_sql(proportion: float, unique_id_cols: Any, seed: int | None = None) -> str:
            if seed != bucket_seed:
                raise ValueError("u must be sampled with the seed the buckets were built for")
            return _sample_filter(proportion)

        linker._proportion_sample_sql = sample_sql
        linkage.linker = linker
    except BaseException:
        linkage.close()
        raise
    return linkage
