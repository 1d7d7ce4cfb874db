"""PySpark: local mode here, the user's cluster in production.

The Arrow table goes to Spark through a Parquet file rather than through pandas: the
pandas route turns missing strings into the text 'NaN', and Parquet is how a cluster would
read a national extract anyway. The session is created once per process (Spark's own rule)
and configured for reproducible results: session time zone Asia/Jakarta.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Hashable
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from payung.engine.backends import BackendUnavailable

_SESSION: Any = None


def _session() -> Any:
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise BackendUnavailable(
            "Mesin 'spark' membutuhkan paket pyspark: pasang dengan pip install 'payung[spark]'."
        ) from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise BackendUnavailable("Mesin 'spark' membutuhkan Java (JRE 17 atau lebih baru).")
    builder = (
        SparkSession.builder.master(os.environ.get("PAYUNG_SPARK_MASTER", "local[2]"))
        .appName("payung")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "Asia/Jakarta")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", os.environ.get("PAYUNG_SPARK_DRIVER_MEMORY", "4g"))
    )
    _SESSION = builder.getOrCreate()
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


class SparkBackend:
    name = "spark"

    def __init__(self) -> None:
        self._session = _session()
        self._con = ibis.pyspark.connect(self._session)
        self._tmp = tempfile.mkdtemp(prefix="payung-spark-")

    def loadable(self, table: pa.Table) -> pa.Table:
        """The table itself: Spark reads it from the Parquet file ``load`` writes."""
        return table

    def load(self, table: pa.Table, *, name: str) -> ir.Table:
        path = os.path.join(self._tmp, f"{name}-{uuid.uuid4().hex}.parquet")
        pq.write_table(table, path)
        return self._con.read_parquet(path, table_name=name)

    def collect(self, build: Callable[[], ir.Table], *, key: Hashable | None = None) -> pa.Table:
        """Run ``build()``'s query; ``key`` is not used (Spark plans each run itself)."""
        return build().to_pyarrow()

    def close(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)
