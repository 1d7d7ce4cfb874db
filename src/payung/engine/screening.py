"""Screening a DTSEN extract against a policy: one Ibis query from rows to decisions.

The pipeline is ``prepare`` (parse once: cleaned NIK, birth date parts, age, occupation
category, decile) → ``judge`` (data-quality codes, every failed rule, flags, priorities) →
``rank`` (Pasal 7(2) order, Pasal 6(2) quota). It is a single lazy expression, so the
backend runs it in one pass without per-row Python, and the same expression gives the same
decisions on DuckDB, Polars and Spark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from payung.domain.policy import Policy
from payung.domain.policy import normalize_term as normalize_text
from payung.engine import quality, ranking, rules
from payung.engine.backends import Backend
from payung.engine.expr import (
    clean_text,
    completed_years,
    date_key,
    join_codes,
    normalize_term,
    seeded_nik_hash,
    to_int,
    upper_collapsed,
    ymd_key,
)

#: Statuses a decision can have; with a budget, eligible splits into selected/waitlisted.
STATUSES = ("eligible", "selected", "waitlisted", "ineligible", "invalid")

#: The decision file's columns and types, fixed so every backend writes the same bytes.
DECISION_SCHEMA = pa.schema(
    [
        ("row", pa.int64()),
        ("nik", pa.string()),
        ("status", pa.string()),
        ("reasons", pa.string()),
        ("priority_rank", pa.int64()),
        ("priorities", pa.string()),
        ("flags", pa.string()),
        ("age", pa.int64()),
        ("desil", pa.int64()),
        ("occupation_category", pa.string()),
        ("kode_desa", pa.string()),
    ]
)


@dataclass(frozen=True)
class ScreeningResult:
    """Decisions (one row per input row, sorted by ``row``) and the counts behind them."""

    decisions: pa.Table
    counts: dict[str, Any] = field(default_factory=dict)
    quota: int | None = None


def _villages(region: str) -> list[str]:
    """Known village codes of the region, to flag codes that are not real villages."""
    from payung.domain import wilayah

    return [v.code for v in wilayah.villages(region)] if len(region) == 4 else []


def prepare(t: ir.Table, *, policy: Policy, as_of: date) -> ir.Table:
    """Parse every field once into typed, cleaned columns the rules read.

    Built in stages, each reading the columns of the stage before: Ibis inlines a reused
    expression, so one big ``mutate`` would repeat the parsing in the SQL many times over.
    """
    occ = policy.occupations
    not_working = sorted({normalize_text(v) for v in occ.not_working})
    known = sorted(
        set(occ.normalized_terms)
        | set(not_working)
        | {normalize_text(v) for v in occ.regular_employment}
    )
    t = t.mutate(
        nik_raw=t.nik,
        nik=quality.nik_clean(t.nik),
        birth_text=quality.birth_text(t.tanggal_lahir),
        occupation_norm=normalize_term(t.pekerjaan),
        desil_int=to_int(clean_text(t.desil)),
        tanggungan_int=to_int(clean_text(t.jumlah_tanggungan)),
        kode_desa_clean=quality.kode_desa_clean(t.kode_desa),
        jk=upper_collapsed(t.jenis_kelamin).substr(0, 1),
    )
    t = quality.birth_date_parts(t)
    return t.mutate(
        age=completed_years(t.by, t.bm, t.bd, as_of=as_of),
        occupation_category=t.occupation_norm.substitute(
            occ.normalized_terms, else_=ibis.null("string")
        ),
        not_working=t.occupation_norm.isin(not_working).fill_null(False),
        occupation_known=t.occupation_norm.isin(known).fill_null(False),
    )


def judge(t: ir.Table, *, policy: Policy, as_of: date) -> ir.Table:
    """Add invalid codes, every failed rule, flags and priorities to prepared rows."""
    # First occurrence of each NIK by aggregate + join, not a window: Ibis's Polars
    # backend has no window functions, and this runs the same everywhere.
    firsts = t.filter(t.nik.notnull()).group_by("nik").aggregate(first_row=t.row.min())
    t = t.left_join(firsts, "nik").drop("nik_right")
    t = quality.nik_checks(t, as_of=as_of)
    t = t.mutate(
        q_nik_duplicate=t.nik.notnull() & (t.row > t.first_row),
        q_tanggal_lahir_missing=t.birth_text.isnull(),
        q_tanggal_lahir_unparseable=t.birth_text.notnull() & t.by.isnull(),
        q_tanggal_lahir_future=(ymd_key(t.by, t.bm, t.bd) > date_key(as_of)).fill_null(False),
        q_kode_desa_missing=t.kode_desa_clean.isnull(),
        nik_sex=ibis.ifelse(t.nik_day_raw > 40, "P", "L"),
        jk_norm=ibis.cases(
            (t.jk == "L", "L"), (t.jk.isin(["P", "W"]), "P"), else_=ibis.null("string")
        ),
    )
    region = policy.region.code
    villages = _villages(region)
    unknown_village = ~t.kode_desa_clean.re_search("^[0-9]{10}$")
    if villages:
        in_region = t.kode_desa_clean.substr(0, len(region)) == region
        unknown_village = unknown_village | (in_region & ~t.kode_desa_clean.isin(villages))
    nik_ok = ~ibis.or_(
        *(t[quality.check_column(c)] for c in quality.INVALID_CODES if c.startswith("nik."))
    )
    fail_cols = {rules.rule_column(r.id): rules.failed(r, t) for r in policy.judged_rules}
    prio_cols = {rules.rule_column(p.id): rules.met(p, t) for p in policy.priorities}
    t = t.mutate(
        invalid_codes=join_codes([(t[quality.check_column(c)], c) for c in quality.INVALID_CODES]),
        flag_birth=nik_ok
        & t.by.notnull()
        & ((t.nik_day != t.bd) | (t.nik_month != t.bm) | (t.nik_year % 100 != t.by % 100)),
        flag_sex=nik_ok & t.jk_norm.notnull() & (t.nik_sex != t.jk_norm),
        flag_village=t.kode_desa_clean.notnull() & unknown_village,
        **fail_cols,
        **prio_cols,
    )
    t = t.mutate(
        rule_reasons=join_codes([(t[rules.rule_column(r.id)], r.id) for r in policy.judged_rules]),
        priority_ids=join_codes([(t[rules.rule_column(p.id)], p.id) for p in policy.priorities]),
        priority_count=sum(
            (ibis.ifelse(t[c], 1, 0) for c in prio_cols), ibis.literal(0, type="int64")
        ),
        flags=join_codes(
            [
                (t.flag_birth, "nik.birth_date_mismatch"),
                (t.flag_sex, "nik.sex_mismatch"),
                (~t.occupation_known, "pekerjaan.unknown"),
                (t.flag_village, "kode_desa.unknown"),
            ]
        ),
        **{k: ibis.ifelse(t.invalid_codes.isnull(), t[k], False) for k in fail_cols},
    )
    t = t.mutate(
        status=ibis.cases(
            (t.invalid_codes.notnull(), "invalid"),
            (t.rule_reasons.notnull(), "ineligible"),
            else_="eligible",
        )
    )
    return t.mutate(
        priorities=ibis.ifelse(t.status == "eligible", t.priority_ids, ibis.null("string"))
    )


def screen(
    table: pa.Table,
    *,
    policy: Policy,
    as_of: date,
    backend: Backend,
    budget: int | None = None,
    months: int | None = None,
) -> ScreeningResult:
    """Screen an extract (as read by ``engine.readers``) and return its decisions.

    ``as_of`` is the registration reference date that Pasal 5(2)b measures age on; it is an
    argument, never the clock, so a rerun next month gives the same file.
    """
    quota = policy.quota(budget, months) if budget is not None else None
    source = backend.load(table, name="extract")
    ranked = judge(prepare(source, policy=policy, as_of=as_of), policy=policy, as_of=as_of)
    fail_names = [rules.rule_column(r.id) for r in policy.judged_rules]
    out = ranked.select(
        "row",
        nik=ibis.coalesce(ranked.nik, ranked.nik_raw),
        status=ranked.status,
        reasons=ibis.coalesce(ranked.invalid_codes, ranked.rule_reasons),
        priorities=ranked.priorities,
        priority_count=ranked.priority_count,
        birth_key=ymd_key(ranked.by, ranked.bm, ranked.bd),
        nik_hash=seeded_nik_hash(ranked.nik, seed=policy.ranking.seed),
        flags=ranked.flags,
        age=ranked.age,
        desil=ranked.desil_int,
        occupation_category=ranked.occupation_category,
        kode_desa=ranked.kode_desa_clean,
        **{name: ranked[name] for name in fail_names},
    )
    result = out.to_pyarrow().sort_by([("row", "ascending")])
    rank = ranking.ranks(result, policy=policy)
    result = result.append_column("priority_rank", rank)
    if quota is not None:
        status = ranking.cut(result["status"], rank, quota=quota)
        result = result.set_column(result.schema.get_field_index("status"), "status", status)
    counts = _counts(result, policy=policy, fail_names=fail_names)
    decisions = result.select(DECISION_SCHEMA.names).cast(DECISION_SCHEMA)
    return ScreeningResult(decisions=decisions, counts=counts, quota=quota)


def _counts(result: pa.Table, *, policy: Policy, fail_names: list[str]) -> dict[str, Any]:
    """Counts by status, by failed rule, by data-quality code and by flag."""
    status_counts = {s: 0 for s in STATUSES}
    for item in pc.value_counts(result["status"]).to_pylist():
        status_counts[item["values"]] = item["counts"]
    by_rule = {
        r.id: int(pc.sum(result[name]).as_py() or 0)
        for r, name in zip(policy.judged_rules, fail_names, strict=True)
    }
    invalid = result.filter(pc.equal(result["status"], "invalid"))["reasons"]
    by_code = {
        code: int(pc.sum(pc.match_substring(invalid, code)).as_py() or 0)
        for code in quality.INVALID_CODES
    }
    by_flag = {
        code: int(pc.sum(pc.match_substring(pc.fill_null(result["flags"], ""), code)).as_py() or 0)
        for code in quality.FLAG_CODES
    }
    return {
        "rows": result.num_rows,
        "by_status": status_counts,
        "by_rule": by_rule,
        "by_invalid_code": {k: v for k, v in by_code.items() if v},
        "by_flag": by_flag,
    }
