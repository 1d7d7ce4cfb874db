"""Link two lists, or find duplicates in one: the entry points of the linkage engine.

Pasal 5 ayat (2) huruf f excludes workers whose contributions another budget already pays;
the other budgets' lists reach the regency typed by other hands, so exact NIK matching
misses about a quarter of the people on both. :func:`link_lists` and :func:`dedupe_list`
score every plausible pair with the Splink model of :mod:`payung.engine.linkage.model`
(DuckDB, in process) and return the pairs judged the same person, the uncertain band for a
person to review, and a summary with the model's parameters.

A model proposes; a person decides. Two guards keep people apart whatever the scores say
(:data:`FAMILY_GUARD`: relatives on one family card; :data:`OTHER_PERSON_GUARD`: different
NIKs and different names); such pairs are counted in the summary, never matched.

Determinism: the same inputs and seed give byte-identical outputs. Splink's sampling is
seeded and hash-based (the same rows whatever the threads), training counts are integers,
probabilities are rounded to six decimals and every output is sorted by row numbers.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from payung.engine.linkage.features import features_build
from payung.engine.linkage.model import COMPARISONS, TRAINING_BLOCKS, settings_build

__all__ = [
    "DEFAULT_REVIEW_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "LinkResult",
    "dedupe_list",
    "link_lists",
    "link_write",
]

#: At or above: the same person (measured on the labelled sets, see README "Linkage").
DEFAULT_THRESHOLD: Final = 0.9
#: From here up to the threshold: shown to a person to decide (review.csv).
DEFAULT_REVIEW_THRESHOLD: Final = 0.5
#: Share of real matches exact NIK matching finds on such lists (issue 13): the prior.
EXACT_NIK_RECALL: Final = 0.75
#: Pairs sampled for u: enough for every level to be seen, small enough for 1 M rows.
U_SAMPLE_PAIRS: Final = 250_000
#: Fewer possible pairs than this: u keeps its priors (a sample of a few pairs says little).
U_MIN_PAIRS: Final = 100_000
#: Fewer blocked pairs than this: the EM round is skipped and m keeps its priors.
EM_MIN_PAIRS: Final = 200
#: Pairs per EM round at most (Splink samples them deterministically by hash).
EM_MAX_PAIRS: Final = 1_000_000
#: Probability decimals written: beyond them floating-point noise would break determinism.
DECIMALS: Final = 6
#: Where the pairs are scored: DuckDB in process (default) or Spark (national scale).
BACKENDS: Final[tuple[str, ...]] = ("duckdb", "spark")


def _gamma(comparison: str, label: str) -> int:
    """Splink's number for a level: the null level is -1, then the last (ELSE) is 0 and
    the first after the null level the highest."""
    levels = next(c for c in COMPARISONS if c["output_column_name"] == comparison)[
        "comparison_levels"
    ]
    labels = [level["label_for_charts"] for level in levels]
    position = labels.index(label)
    return -1 if position == 0 else len(labels) - 1 - position


#: Two people on one family card (spouses, siblings, twins, a parent and a child): the same
#: card, and either names that differ beyond a typo (neither whole nor first name close,
#: neither name's words contained in the other's), or birth dates that differ with no NIK
#: to say otherwise. Such a pair is never a match, whatever its score: the card number
#: agrees for relatives exactly as for duplicates, which the model's independence
#: assumption cannot see.
FAMILY_GUARD: Final = (
    "kk_l IS NOT NULL AND kk_l = kk_r AND coalesce(nik16_l <> nik16_r, true) AND (("
    "jaro_winkler_similarity(nama_join_l, nama_join_r) < 0.93 "
    "AND jaro_winkler_similarity(nama_first_l, nama_first_r) < 0.85 "
    "AND NOT list_has_all(string_split(nama_norm_l, ' '), string_split(nama_norm_r, ' ')) "
    "AND NOT list_has_all(string_split(nama_norm_r, ' '), string_split(nama_norm_l, ' '))) "
    f"OR (gamma_tanggal_lahir = {_gamma('tanggal_lahir', 'beda')} AND gamma_nik IN ("
    f"{_gamma('nik', 'kosong')}, {_gamma('nik', 'rusak_excel_notasi_e')}, "
    f"{_gamma('nik', 'beda_kode_wilayah')}, {_gamma('nik', 'beda')})))"
)

#: Two well-formed NIKs that differ, and names that differ beyond every variant the name
#: comparison knows (or differ at all, in another village; or the NIK's region and the
#: village both differ): two people, however much else agrees. People born on the same day in
#: one kecamatan have NIKs one serial digit apart, so a NIK close to another is no
#: evidence on its own of one person (issue 13: a false match refuses a person).
OTHER_PERSON_GUARD: Final = (
    "nik16_l IS NOT NULL AND nik16_r IS NOT NULL AND nik16_l <> nik16_r AND ("
    f"gamma_nama = {_gamma('nama', 'beda')} "
    # A NIK close to another agrees on the birth date it encodes, so with the birth date
    # it counts the same evidence twice: a near NIK, a name that is not the same and another
    # village are two people born on one day (measured at 1 M x 1 M, issue 13).
    f"OR (gamma_nama < {_gamma('nama', 'mirip_0_95')} "
    f"AND gamma_wilayah IN ({_gamma('wilayah', 'kecamatan_sama')}, {_gamma('wilayah', 'beda')}))"
    # The same last ten digits under another region code, in another kecamatan: the same
    # birth date and serial in two kecamatans, not a typo.
    f" OR (gamma_nik = {_gamma('nik', 'beda_kode_wilayah')} "
    f"AND gamma_wilayah = {_gamma('wilayah', 'beda')}))"
)

EVIDENCE_COLUMNS: Final[tuple[str, ...]] = tuple(c["output_column_name"] for c in COMPARISONS)


@dataclass(frozen=True)
class LinkResult:
    """``matches`` and ``review``: one row per pair (``a_row``, ``b_row``,
    ``match_probability``, then one evidence code per comparison); for a dedupe the columns
    are ``row_1`` < ``row_2``. ``summary`` is JSON-ready."""

    matches: pa.Table
    review: pa.Table
    summary: dict[str, Any] = field(default_factory=dict)
    #: Seconds per phase (prepare, u, em, predict): for the benchmark, not in summary.json,
    #: which must be byte-identical between runs.
    timings: dict[str, float] = field(default_factory=dict)


def link_lists(
    *,
    a: pa.Table,
    b: pa.Table,
    seed: int = 1,
    threshold: float = DEFAULT_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    threads: int | None = None,
    backend: str = "duckdb",
) -> LinkResult:
    """Link list ``a`` (a DTSEN-style extract) to list ``b`` (another funder's list).

    Both are tables with ``row`` (1-based data row) and any of the linkage columns as text
    (``payung.engine.linkage.lists.list_read`` gives that shape). ``backend`` is where the
    pairs are scored: ``duckdb`` (in process) or ``spark`` (:mod:`.spark`, national scale,
    the same model and guards; issue 13).
    """
    return _run(
        a=a, b=b, seed=seed, threshold=threshold, review_threshold=review_threshold,
        threads=threads, backend=backend,
    )  # fmt: skip


def dedupe_list(
    *,
    table: pa.Table,
    seed: int = 1,
    threshold: float = DEFAULT_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    threads: int | None = None,
    backend: str = "duckdb",
) -> LinkResult:
    """Find the same person twice within one list (for instance under two NIKs)."""
    return _run(
        a=table, b=None, seed=seed, threshold=threshold, review_threshold=review_threshold,
        threads=threads, backend=backend,
    )  # fmt: skip


def _check_thresholds(threshold: float, review_threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    if not 0 < review_threshold <= threshold:
        raise ValueError("review_threshold must be in (0, threshold]")


def _run(
    *,
    a: pa.Table,
    b: pa.Table | None,
    seed: int,
    threshold: float,
    review_threshold: float,
    threads: int | None,
    backend: str = "duckdb",
) -> LinkResult:
    _check_thresholds(threshold, review_threshold)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}")
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    dedupe = b is None
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    rows_a = features_build(con, a, name="feat_a")
    rows_b = rows_a if dedupe else features_build(con, b, name="feat_b")
    total_pairs = rows_a * (rows_a - 1) // 2 if dedupe else rows_a * rows_b
    exact = _exact_nik_pairs(con, dedupe=dedupe)
    prior = max(exact / EXACT_NIK_RECALL, 1.0) / max(total_pairs, 1)
    prior = min(prior, 0.5)
    settings = settings_build(
        link_type="dedupe_only" if dedupe else "link_only",
        probability_two_random_records_match=prior,
    )

    spark = None
    if backend == "spark":
        from payung.engine.linkage.spark import spark_linkage_start

        spark = spark_linkage_start(con=con, settings=settings, dedupe=dedupe, seed=seed)
        linker = spark.linker
    else:
        db_api = DuckDBAPI(connection=con)
        inputs = [db_api.register("feat_a", table_name="list_a")]
        if not dedupe:
            inputs.append(db_api.register("feat_b", table_name="list_b"))
        linker = Linker(inputs if not dedupe else inputs[0], settings, log_level=None)
    try:
        return _train_predict(
            con=con, linker=linker, spark=spark, seed=seed, threshold=threshold,
            review_threshold=review_threshold, dedupe=dedupe, total_pairs=total_pairs,
            rows=(rows_a, rows_b), exact=exact, timings=timings, clock=clock,
        )  # fmt: skip
    finally:
        if spark is not None:
            spark.close()
        con.close()


def _train_predict(
    *,
    con: duckdb.DuckDBPyConnection,
    linker: Any,
    spark: Any,
    seed: int,
    threshold: float,
    review_threshold: float,
    dedupe: bool,
    total_pairs: int,
    rows: tuple[int, int],
    exact: int,
    timings: dict[str, float],
    clock: float,
) -> LinkResult:
    """The same training steps, prediction and guards whichever engine scores the pairs."""
    rows_a, rows_b = rows

    timings["prepare"] = _lap(clock)
    clock = time.perf_counter()
    if total_pairs >= U_MIN_PAIRS:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(U_SAMPLE_PAIRS, total_pairs),
            seed=seed,
            min_count_per_level=None,
            num_chunks=1,
        )
    timings["u"] = _lap(clock)
    clock = time.perf_counter()
    trained: list[str] = []
    for rule in TRAINING_BLOCKS:
        if _blocked_count(con, rule, dedupe=dedupe) < EM_MIN_PAIRS:
            continue  # too few pairs to learn from: keep the priors for this round
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
        )
        trained.append(rule)
    timings["em"] = _lap(clock)
    clock = time.perf_counter()

    predictions = linker.inference.predict(
        threshold_match_probability=review_threshold, warning_mode="never"
    )
    scored = predictions.physical_name
    if spark is not None:
        # Labels and guards run in DuckDB on Spark's pairs: the very SQL of the DuckDB engine.
        scored = spark.predictions_to_duckdb(con, predictions, name="spark_predictions")
    pairs = _pairs(con, scored, dedupe=dedupe)
    matches, review, guarded = _split(pairs, threshold=threshold, dedupe=dedupe)
    timings["predict"] = _lap(clock)
    summary = {
        "mode": "dedupe" if dedupe else "link",
        "rows": {"a": rows_a} if dedupe else {"a": rows_a, "b": rows_b},
        "counts": {
            "pairs_before_guards": _count(con, scored),
            "exact_nik_pairs": exact,
            "matches": matches.num_rows,
            "review": review.num_rows,
            "guarded_family": guarded["keluarga"],
            "guarded_other_person": guarded["orang_lain"],
        },
        "thresholds": {"match": threshold, "review": review_threshold},
        "seed": seed,
        "model": _parameters(linker, trained=trained),
    }
    return LinkResult(matches=matches, review=review, summary=summary, timings=timings)


def _lap(since: float) -> float:
    return round(time.perf_counter() - since, 2)


def _exact_nik_pairs(con: duckdb.DuckDBPyConnection, *, dedupe: bool) -> int:
    if dedupe:
        sql = (
            "SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM feat_a "
            "WHERE nik16 IS NOT NULL GROUP BY nik16)"
        )
    else:
        sql = "SELECT count(*) FROM feat_a l JOIN feat_b r ON l.nik16 = r.nik16"
    return int(con.execute(sql).fetchone()[0])


def _blocked_count(con: duckdb.DuckDBPyConnection, rule: str, *, dedupe: bool) -> int:
    right = "feat_a" if dedupe else "feat_b"
    extra = " AND l.unique_id < r.unique_id" if dedupe else ""
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM feat_a l JOIN {right} r ON {rule}{extra} "
        f"LIMIT {EM_MIN_PAIRS})"
    )
    return int(con.execute(sql).fetchone()[0])


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _pairs(con: duckdb.DuckDBPyConnection, table: str, *, dedupe: bool) -> pa.Table:
    """The scored pairs with evidence labels, rows ordered low-high, sorted."""
    label_cases = []
    for comparison in COMPARISONS:
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        # Splink numbers levels from the last (ELSE = 0) up; the null level is -1.
        whens = [f"WHEN gamma_{name} = -1 THEN '{levels[0]['label_for_charts']}'"]
        for position, level in enumerate(levels[1:]):
            gamma = len(levels) - 2 - position
            whens.append(f"WHEN gamma_{name} = {gamma} THEN '{level['label_for_charts']}'")
        label_cases.append(f"CASE {' '.join(whens)} END AS {name}")
    first, second = ("row_1", "row_2") if dedupe else ("a_row", "b_row")
    if dedupe:
        ids = (
            f"least(unique_id_l, unique_id_r) AS {first}, "
            f"greatest(unique_id_l, unique_id_r) AS {second}"
        )
    else:
        ids = (
            f"CASE WHEN source_dataset_l = 'list_a' THEN unique_id_l ELSE unique_id_r END AS "
            f"{first}, CASE WHEN source_dataset_l = 'list_a' THEN unique_id_r ELSE unique_id_l "
            f"END AS {second}"
        )
    guard = (
        f"CASE WHEN {FAMILY_GUARD} THEN 'keluarga' WHEN {OTHER_PERSON_GUARD} THEN 'orang_lain' "
        "END AS guarded"
    )
    sql = (
        f"SELECT {ids}, round(match_probability, {DECIMALS}) AS match_probability, "
        f"{', '.join(label_cases)}, {guard} FROM {table} ORDER BY 1, 2"
    )
    return con.execute(sql).to_arrow_table()


def _split(
    pairs: pa.Table, *, threshold: float, dedupe: bool
) -> tuple[pa.Table, pa.Table, dict[str, int]]:
    guarded = pairs.column("guarded")
    kept = pairs.filter(pc.is_null(guarded)).drop_columns(["guarded"])
    above = pc.greater_equal(kept.column("match_probability"), threshold)
    counts = {
        kind: int(pc.sum(pc.equal(guarded, kind)).as_py() or 0)
        for kind in ("keluarga", "orang_lain")
    }
    return kept.filter(above), kept.filter(pc.invert(above)), counts


def _parameters(linker: Any, *, trained: list[str]) -> dict[str, Any]:
    """λ and every level's m and u, rounded: what an auditor needs to re-run the judgement."""
    settings = linker._settings_obj  # Splink 5 keeps the trained values here
    comparisons: dict[str, Any] = {}
    for comparison in settings.comparisons:
        levels = {}
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            levels[level.label_for_charts] = {
                "m": _round(level.m_probability),
                "u": _round(level.u_probability),
            }
        comparisons[comparison.output_column_name] = levels
    return {
        "probability_two_random_records_match": _round(
            settings._probability_two_random_records_match
        ),
        "em_blocking_rules": trained,
        "comparisons": comparisons,
    }


def _round(value: Any) -> float | None:
    if not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(f"{value:.6g}")


def link_write(result: LinkResult, out_dir: Path) -> list[Path]:
    """Write matches.csv, review.csv and summary.json into ``out_dir`` (atomically each)."""
    from payung.engine.decisions import atomic_write

    def csv_writer(table: pa.Table):
        def write(tmp: Path) -> None:
            options = pa_csv.WriteOptions(quoting_style="needed")
            pa_csv.write_csv(table, tmp, write_options=options)

        return write

    def write_json(tmp: Path) -> None:
        text = json.dumps(result.summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        tmp.write_text(text, encoding="utf-8")

    out_dir = Path(out_dir)
    return [
        atomic_write(out_dir / "matches.csv", csv_writer(result.matches)),
        atomic_write(out_dir / "review.csv", csv_writer(result.review)),
        atomic_write(out_dir / "summary.json", write_json),
    ]
