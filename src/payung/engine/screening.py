"""Screening a DTSEN extract against a policy: one Ibis query from rows to decisions.

The pipeline is ``prepare`` (parse once: cleaned NIK, birth date parts, age, occupation
category, decile) → ``judge`` (data-quality codes, every failed rule, flags, priorities) →
``rank`` (Pasal 7(2) order, Pasal 6(2) quota). It is a single lazy expression, so the
backend runs it in one pass without per-row Python, and the same expression gives the same
decisions on DuckDB, Polars and Spark.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

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
    code_list,
    codes_text,
    completed_years,
    date_key,
    normalize_term,
    per_value,
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


#: Columns of the extract that no rule reads.
_UNUSED: Final = ("no_kk", "nama", "alamat")


def _occupation_facts(policy: Policy) -> Callable[[ir.Table, ir.StringValue], ir.Table]:
    """Per distinct PEKERJAAN: the Pasal 5(1) category and whether the policy knows the term."""
    occ = policy.occupations
    not_working = sorted({normalize_text(v) for v in occ.not_working})
    regular = sorted({normalize_text(v) for v in occ.regular_employment})
    known = sorted(set(occ.normalized_terms) | set(not_working) | set(regular))

    def derive(values: ir.Table, cell: ir.StringValue) -> ir.Table:
        values = values.mutate(occupation_norm=normalize_term(cell))
        norm = values.occupation_norm
        return values.mutate(
            occupation_category=norm.substitute(occ.normalized_terms, else_=ibis.null("string")),
            not_working=norm.isin(not_working).fill_null(False),
            occupation_known=norm.isin(known).fill_null(False),
            # issue 15: wage employment and an empty cell, for ``informal_work``
            regular_employment=norm.isin(regular).fill_null(False),
            occupation_empty=norm.isnull() | (norm == ""),
        )

    return derive


def _village_facts(policy: Policy) -> Callable[[ir.Table, ir.StringValue], ir.Table]:
    """Per distinct KODE_DESA: the code as digits, and whether it is a village we know."""
    region = policy.region.code
    villages = _villages(region)

    def derive(values: ir.Table, cell: ir.StringValue) -> ir.Table:
        values = values.mutate(kode_desa_clean=quality.kode_desa_clean(cell))
        code = values.kode_desa_clean
        unknown_village = ~code.re_search("^[0-9]{10}$")
        if villages:
            in_region = code.substr(0, len(region)) == region
            unknown_village = unknown_village | (in_region & ~code.isin(villages))
        return values.mutate(flag_village=code.notnull() & unknown_village)

    return derive


def _sex_facts(values: ir.Table, cell: ir.StringValue) -> ir.Table:
    """Per distinct JENIS_KELAMIN: L or P (W counts as P), NULL for anything else."""
    values = values.mutate(jk=upper_collapsed(cell).substr(0, 1))
    jk = values.jk
    return values.mutate(
        jk_norm=ibis.cases((jk == "L", "L"), (jk.isin(["P", "W"]), "P"), else_=ibis.null("string"))
    )


def _cell(name: str, parse: Callable[[ir.StringValue], ir.Value]) -> Callable[..., ir.Table]:
    """A per-value ``derive`` adding one column ``name`` = ``parse(cell)``."""

    def derive(values: ir.Table, cell: ir.StringValue) -> ir.Table:
        return values.mutate(**{name: parse(cell)})

    return derive


def prepare(t: ir.Table, *, policy: Policy, as_of: date) -> ir.Table:
    """Parse every field once into typed, cleaned columns the rules read.

    What a cell means depends on that cell alone, and most columns hold few distinct texts
    (a few dozen occupations, some thousands of birth dates), so each column is parsed once
    per distinct value and joined back (``expr.per_value``). The NIK, unique per row, takes
    a fast path when it is 16 plain digits (``quality.nik_facts``).
    """
    source = t
    lookups: list[tuple[str, Callable[..., ir.Table], tuple[str, ...], dict[str, Any]]] = [
        (
            "tanggal_lahir",
            quality.birth_facts,
            ("birth_missing", "by", "bm", "bd"),
            {"birth_missing": True},
        ),
        (
            "pekerjaan",
            _occupation_facts(policy),
            (
                "occupation_category",
                "not_working",
                "occupation_known",
                "regular_employment",
                "occupation_empty",
            ),
            {
                "not_working": False,
                "occupation_known": False,
                "regular_employment": False,
                "occupation_empty": True,
            },
        ),
        (
            "kode_desa",
            _village_facts(policy),
            ("kode_desa_clean", "flag_village"),
            {"flag_village": False},
        ),
        ("jenis_kelamin", _sex_facts, ("jk_norm",), {}),
        ("desil", _cell("desil_int", lambda c: to_int(clean_text(c))), ("desil_int",), {}),
        (
            "jumlah_tanggungan",
            _cell("tanggungan_int", lambda c: to_int(clean_text(c))),
            ("tanggungan_int",),
            {},
        ),
        *(
            (name, _cell(f"{name}_upper", upper_collapsed), (f"{name}_upper",), {})
            for name in ("bantuan_iuran", "disabilitas", "status_perkawinan")
        ),
    ]
    t = quality.nik_facts(quality.formula_check(t), as_of=as_of)
    for column, derive, keep, if_null in lookups:
        t = per_value(t, column, derive, keep, values_from=source, if_null=if_null)
    t = t.mutate(age=completed_years(t.by, t.bm, t.bd, as_of=as_of))
    # ``judge`` reads the prepared rows twice (all rows, and the first row of each NIK).
    # Named, they become one common table expression, computed once; unnamed, Ibis would
    # write the whole of ``prepare`` out twice. The raw cells are parsed by now: dropped,
    # so what the backend keeps in between is narrow.
    parsed = [column for column, *_ in lookups]
    return t.drop(*parsed, *_UNUSED).alias("payung_prepared")


def judge(t: ir.Table, *, policy: Policy, as_of: date) -> ir.Table:
    """Add invalid codes, every failed rule, flags and priorities to prepared rows."""
    # First occurrence of each NIK by aggregate + join, not a window: Ibis's Polars
    # backend has no window functions, and this runs the same everywhere.
    firsts = t.filter(t.nik.notnull()).group_by("nik").aggregate(first_row=t.row.min())
    t = t.left_join(firsts, "nik").drop("nik_right")
    t = quality.nik_checks(t)
    t = t.mutate(
        q_nik_duplicate=t.nik.notnull() & (t.row > t.first_row),
        q_tanggal_lahir_missing=t.birth_missing,
        q_tanggal_lahir_unparseable=~t.birth_missing & t.by.isnull(),
        q_tanggal_lahir_future=(ymd_key(t.by, t.bm, t.bd) > date_key(as_of)).fill_null(False),
        q_kode_desa_missing=t.kode_desa_clean.isnull(),
        nik_sex=ibis.ifelse(t.nik_day_raw > 40, "P", "L"),
    )
    nik_ok = ~ibis.or_(
        *(t[quality.check_column(c)] for c in quality.INVALID_CODES if c.startswith("nik."))
    )
    fail_cols = {rules.rule_column(r.id): rules.failed(r, t) for r in policy.judged_rules}
    prio_cols = {rules.rule_column(p.id): rules.met(p, t) for p in policy.priorities}
    t = t.mutate(
        invalid_list=code_list([(t[quality.check_column(c)], c) for c in quality.INVALID_CODES]),
        flag_birth=nik_ok
        & t.by.notnull()
        & ((t.nik_day != t.bd) | (t.nik_month != t.bm) | (t.nik_year % 100 != t.by % 100)),
        flag_sex=nik_ok & t.jk_norm.notnull() & (t.nik_sex != t.jk_norm),
        **fail_cols,
        **prio_cols,
    )
    # The code lists are columns before they become text (``expr.codes_text``). A rule is
    # reported failed only for a row that is not invalid; the reasons list every rule.
    judged = t.invalid_list == ""
    t = t.mutate(
        rule_list=code_list([(t[rules.rule_column(r.id)], r.id) for r in policy.judged_rules]),
        priority_list=code_list([(t[rules.rule_column(p.id)], p.id) for p in policy.priorities]),
        priority_count=sum(
            (ibis.ifelse(t[c], 1, 0) for c in prio_cols), ibis.literal(0, type="int64")
        ),
        flag_list=code_list(
            [
                (t.flag_birth, "nik.birth_date_mismatch"),
                (t.flag_sex, "nik.sex_mismatch"),
                (~t.occupation_known, "pekerjaan.unknown"),
                (t.flag_village, "kode_desa.unknown"),
            ]
        ),
        **{k: ibis.ifelse(judged, t[k], False) for k in fail_cols},
    )
    invalid, ineligible = t.invalid_list != "", t.rule_list != ""
    return t.mutate(
        status=ibis.cases((invalid, "invalid"), (ineligible, "ineligible"), else_="eligible"),
        reasons=codes_text(ibis.ifelse(invalid, t.invalid_list, t.rule_list)),
        priorities=ibis.ifelse(
            invalid | ineligible, ibis.null("string"), codes_text(t.priority_list)
        ),
        flags=codes_text(t.flag_list),
    )


def screen(
    table: pa.Table,
    *,
    policy: Policy,
    as_of: date,
    backend: Backend,
    budget: int | None = None,
    months: int | None = None,
    year: int | None = None,
    first: frozenset[str] | None = None,
) -> ScreeningResult:
    """Screen an extract (as read by ``engine.readers``) and return its decisions.

    ``as_of`` is the registration reference date that Pasal 5(2)b measures age on; it is an
    argument, never the clock, so a rerun next month gives the same file. ``year`` is the
    programme year whose dated rates price the budget cut (needed when a rate changes).
    ``first`` is a set of NIKs ranked ahead of the others (``ranking.ranks``); the counts
    then record its size and the SHA-256 of its sorted members, so the decision file can be
    reproduced from the same set, and without it every output is as before.
    """
    quota = policy.quota(budget, months, year=year) if budget is not None else None
    source = backend.load(table, name="extract")
    ranked = judge(prepare(source, policy=policy, as_of=as_of), policy=policy, as_of=as_of)
    fail_names = [rules.rule_column(r.id) for r in policy.judged_rules]
    out = ranked.select(
        "row",
        nik=ibis.coalesce(ranked.nik, ranked.nik_raw),
        status=ranked.status,
        reasons=ranked.reasons,
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
    rank = ranking.ranks(result, policy=policy, first=first)
    result = result.append_column("priority_rank", rank)
    if quota is not None:
        status = ranking.cut(result["status"], rank, quota=quota)
        result = result.set_column(result.schema.get_field_index("status"), "status", status)
    counts = _counts(result, policy=policy, fail_names=fail_names)
    if first is not None:
        counts["first"] = first_fingerprint(first, ranked=_ranked_first(result, first))
    decisions = result.select(DECISION_SCHEMA.names).cast(DECISION_SCHEMA)
    return ScreeningResult(decisions=decisions, counts=counts, quota=quota)


def first_fingerprint(first: frozenset[str], *, ranked: int) -> dict[str, Any]:
    """The ranked-first set as the run records it: its size, how many of it were eligible
    (and so ranked first), and the SHA-256 of its members sorted and joined by newlines."""
    digest = hashlib.sha256("\n".join(sorted(first)).encode()).hexdigest()
    return {"count": len(first), "ranked": ranked, "sha256": digest}


def _ranked_first(result: pa.Table, first: frozenset[str]) -> int:
    members = pc.is_in(result["nik"], value_set=pa.array(sorted(first), type=pa.string()))
    ranked = pc.and_(pc.fill_null(members, False), pc.is_valid(result["priority_rank"]))
    return int(pc.sum(ranked).as_py() or 0)


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
