"""Screening a DTSEN extract against a policy: one Ibis query from rows to decisions.

The pipeline is ``prepare`` (parse once: cleaned NIK, birth date parts, age, occupation
category, decile) → ``judge`` (data-quality codes, every failed rule, flags, priorities) →
``rank`` (Pasal 7(2) order, Pasal 6(2) quota). It is a single lazy expression, so the
backend runs it in one pass without per-row Python, and the same expression gives the same
decisions on DuckDB, Polars and Spark. A province's extract goes through it a batch of rows
at a time (``BATCH_ROWS``), so its memory stays bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from payung.domain.policy import Policy
from payung.domain.policy import normalize_term as normalize_text
from payung.domain.rulekinds import rule_kind_get
from payung.engine import quality, ranking, rules
from payung.engine.backends import Backend
from payung.engine.expr import (
    Lookup,
    LookupValues,
    clean_text,
    code_mask,
    combined,
    completed_years,
    date_key,
    keyed_text,
    lookups_apply,
    lookups_derive,
    lookups_gather,
    mask_codes,
    mask_count,
    mask_text,
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

    return wilayah.village_codes(region) if len(region) == 4 else []


#: Columns of the extract that no rule reads.
_UNUSED: Final = ("no_kk", "nama", "alamat")

#: Rows parsed and judged at a time by ``screen``: large enough that most regencies' extracts
#: are one batch, small enough that a province's parsed columns (about 125 bytes a row) and
#: the backend's copy and work on them stay inside the reference machine's 4 GiB (issue 16:
#: at 10 million rows Polars peaked at 3 628 MiB with batches of 1 million, 4 022 with 2).
BATCH_ROWS: Final = 1_000_000


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


def screening_lookups(policy: Policy) -> tuple[Lookup, ...]:
    """The extract's columns parsed once per distinct value, and what each gives the rows.

    What a cell means depends on that cell alone, and most columns hold few distinct texts
    (a few dozen occupations, some thousands of birth dates), so each is parsed once per
    distinct value (``expr.lookups_derive``). The NIK, unique per row, takes a fast path when
    it is 16 plain digits: only the other cells are looked up (``quality.NIK_LOOKUP``).
    """
    return (
        quality.NIK_LOOKUP,
        Lookup(
            "tanggal_lahir",
            quality.birth_facts,
            ("birth_missing", "by", "bm", "bd"),
            if_null={"birth_missing": True},
        ),
        Lookup(
            "pekerjaan",
            _occupation_facts(policy),
            (
                "occupation_category",
                "not_working",
                "occupation_known",
                "regular_employment",
                "occupation_empty",
            ),
            if_null={
                "not_working": False,
                "occupation_known": False,
                "regular_employment": False,
                "occupation_empty": True,
            },
        ),
        Lookup(
            "kode_desa",
            _village_facts(policy),
            ("kode_desa_clean", "flag_village"),
            if_null={"flag_village": False},
        ),
        Lookup("jenis_kelamin", _sex_facts, ("jk_norm",)),
        Lookup("desil", _cell("desil_int", lambda c: to_int(clean_text(c))), ("desil_int",)),
        Lookup(
            "jumlah_tanggungan",
            _cell("tanggungan_int", lambda c: to_int(clean_text(c))),
            ("tanggungan_int",),
        ),
        *(
            Lookup(name, _cell(f"{name}_upper", upper_collapsed), (f"{name}_upper",))
            for name in ("bantuan_iuran", "disabilitas", "status_perkawinan")
        ),
    )


def prepare(t: ir.Table, *, as_of: date) -> ir.Table:
    """Typed, cleaned columns the rules read, from rows ``screening_lookups`` has parsed."""
    t = quality.nik_facts(t, as_of=as_of)
    return t.mutate(age=completed_years(t.by, t.bm, t.bd, as_of=as_of))


def judge(t: ir.Table, *, policy: Policy, as_of: date) -> ir.Table:
    """Add invalid codes, every failed rule, flags and priorities to prepared rows."""
    t = quality.nik_checks(t)
    t = t.mutate(
        # The first row of each NIK is found in Arrow (``quality.nik_repeated_arrow``).
        q_nik_duplicate=t.nik_repeated,
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
        flag_birth=nik_ok
        & t.by.notnull()
        & ((t.nik_day != t.bd) | (t.nik_month != t.bm) | (t.nik_year % 100 != t.by % 100)),
        flag_sex=nik_ok & t.jk_norm.notnull() & (t.nik_sex != t.jk_norm),
        **fail_cols,
        **prio_cols,
    )
    # Each list of codes is one integer per row, bit i for code i (``expr.code_mask``); the
    # text (``a;b``), the status and the failed-rule columns are derived from the masks
    # after the query (``decisions_from_masks``), once per distinct mask.
    return t.mutate(
        invalid_mask=code_mask([t[quality.check_column(c)] for c in quality.INVALID_CODES]),
        rule_mask=code_mask([t[c] for c in fail_cols]),
        priority_mask=code_mask([t[c] for c in prio_cols]),
        flag_mask=code_mask([t.flag_birth, t.flag_sex, ~t.occupation_known, t.flag_village]),
    )


#: The flags in the bit order of ``judge``'s ``flag_mask``.
FLAG_ORDER: Final = (
    "nik.birth_date_mismatch",
    "nik.sex_mismatch",
    "pekerjaan.unknown",
    "kode_desa.unknown",
)


#: Helper column of ``decisions_from_masks``: a row's data-quality codes as a negative mask
#: when it has any, else its failed rules as a mask (0: none). One key for the reasons.
REASON_KEY: Final = "_reason_key"


def decisions_from_masks(result: pa.Table, *, policy: Policy) -> pa.Table:
    """Status, reasons, priorities and flags from ``judge``'s masks.

    A row with any data-quality code is invalid and not judged (its reasons are the codes);
    otherwise it is ineligible when it fails a criterion of Pasal 5 (the reasons list every
    failed one, in policy order) and eligible otherwise, with the Pasal 7 ayat (2)
    priorities it meets. Done in Arrow on the collected rows, so it is the same on every
    backend, and per distinct mask, so it costs little: the reasons come from one key per
    row (``REASON_KEY``), so each text is made once and gathered once (at 10 million rows
    two texts gathered and then chosen between cost a second, issue 16).
    """
    invalid_mask = combined(result["invalid_mask"])
    rule_mask = combined(result["rule_mask"])
    invalid = pc.not_equal(invalid_mask, 0)
    ineligible = pc.not_equal(rule_mask, 0)
    rule_ids = [r.id for r in policy.judged_rules]
    status = pc.if_else(
        invalid, "invalid", pc.if_else(ineligible, "ineligible", pa.scalar("eligible"))
    )
    reason_key = pc.if_else(invalid, pc.negate(invalid_mask), rule_mask)

    def reasons_of(key: int) -> str | None:
        return mask_codes(-key, quality.INVALID_CODES) if key < 0 else mask_codes(key, rule_ids)

    judged_priorities = pc.if_else(
        pc.or_(invalid, ineligible), pa.scalar(None, pa.int64()), result["priority_mask"]
    )
    columns = {
        "status": status,
        "reasons": keyed_text(reason_key, reasons_of),
        "priorities": mask_text(judged_priorities, [p.id for p in policy.priorities]),
        "priority_count": mask_count(result["priority_mask"]),
        "flags": mask_text(result["flag_mask"], FLAG_ORDER),
        REASON_KEY: reason_key,
    }
    for name, values in columns.items():
        result = result.append_column(name, values)
    return result


class ExtractHandover:
    """An extract given to ``screen`` to keep, so its rows can go once they are judged.

    A caller that passes a table holds it until ``screen`` returns, so at 10 million rows
    its 1.7 GiB of text columns would sit beside the decisions being built; handed over,
    they are freed first, and ``payung screen`` of a province stays inside 4 GiB (issue 16).
    """

    def __init__(self, table: pa.Table) -> None:
        self._table: pa.Table | None = table

    def take(self) -> pa.Table:
        """The extract, once: the handover keeps no reference to it."""
        table, self._table = self._table, None
        if table is None:
            raise RuntimeError("the extract was already taken")
        return table


def screen(
    table: pa.Table | ExtractHandover,
    *,
    policy: Policy,
    as_of: date,
    backend: Backend,
    budget: int | None = None,
    months: int | None = None,
    year: int | None = None,
    first: frozenset[str] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ScreeningResult:
    """Screen an extract (as read by ``engine.readers``) and return its decisions.

    ``as_of`` is the registration reference date that Pasal 5(2)b measures age on; it is an
    argument, never the clock, so a rerun next month gives the same file. ``year`` is the
    programme year whose dated rates price the budget cut (needed when a rate changes).
    ``first`` is a set of NIKs ranked ahead of the others (``ranking.ranks``); the counts
    then record its size and the SHA-256 of its sorted members, so the decision file can be
    reproduced from the same set, and without it every output is as before. ``table`` may
    be an ``ExtractHandover``, whose extract ``screen`` then frees as soon as it can.

    The rows are parsed and judged ``batch_rows`` at a time (``_batch_parsed``,
    ``_batch_judged``): a row's decision depends on that row alone, once each NIK's first
    row is known (found over the whole extract first), so batches give the same decisions,
    and only two batches' parsed columns (the one judged, the next one gathered) and the
    backend's work on one are alive at once: at 10 million rows DuckDB peaks at about
    3 GiB instead of 6 (issue 16).
    """
    quota = policy.quota(budget, months, year=year) if budget is not None else None
    if isinstance(table, ExtractHandover):
        table = table.take()
    table = backend_input(table)
    lookups = screening_lookups(policy)
    # The columns whose values repeat are parsed once for the whole extract, each batch
    # gathering what it needs (``expr.lookups_gather``); a damaged NIK is a value of its
    # own row, so those are parsed batch by batch and never held for the whole extract.
    shared = tuple(lookup for lookup in lookups if lookup.skip is None)
    own = tuple(lookup for lookup in lookups if lookup.skip is not None)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # One batch finds its repeats itself, from the NIKs it cleans anyway. Otherwise the
        # repeats are found over the whole extract in Arrow (a sort on one core, 1.6 s at
        # 10 million rows) while the backend parses the shared values (issue 16).
        repeats = (
            pool.submit(
                quality.nik_repeated_arrow,
                _nik_cleaned(table, backend=backend, policy=policy, as_of=as_of),
            )
            if table.num_rows > batch_rows
            else None
        )
        found = lookups_derive(
            table,
            shared,
            backend=backend,
            key=lambda values: screening_query_key(values, policy=policy, as_of=as_of),
        )
        repeated = None if repeats is None else repeats.result()
    # Each row's position among its columns' values is kept (``LookupValues.positions``),
    # so the raw cells can go: at 10 million rows 851 MiB of text for 348 of positions.
    table = table.drop_columns([lookup.column for lookup in shared if lookup.drop])

    def own_values(part: pa.Table) -> LookupValues:
        return lookups_derive(
            part,
            own,
            backend=backend,
            key=lambda values: ("own", *screening_query_key(values, policy=policy, as_of=as_of)),
        )

    judged = (
        _batch_judged(parsed, ready, policy=policy, as_of=as_of, backend=backend)
        for parsed, ready in _parsed_batches(
            table,
            repeated,
            batch_rows=batch_rows,
            gathered=(
                (own, lambda part, _start: own_values(part)),
                (shared, lambda part, start: found.rows(start, part.num_rows)),
            ),
            loadable=backend.loadable,
        )
    )
    parts = _finished_in_turn(judged, lambda part: decisions_from_masks(part, policy=policy))
    del table, repeated
    result = _row_ordered(pa.concat_tables(parts))
    del parts
    rank = ranking.ranks(result, policy=policy, first=first)
    result = result.append_column("priority_rank", rank)
    if quota is not None:
        status = ranking.cut(result["status"], rank, quota=quota)
        result = result.set_column(result.schema.get_field_index("status"), "status", status)
    counts = _counts(result, policy=policy)
    if first is not None:
        counts["first"] = first_fingerprint(first, ranked=_ranked_first(result, first))
    decisions = result.select(DECISION_SCHEMA.names).cast(DECISION_SCHEMA)
    return ScreeningResult(decisions=decisions, counts=counts, quota=quota)


#: The cleaned NIK alone, for finding each NIK's first row over the whole extract.
_NIK_CLEANED: Final = replace(quality.NIK_LOOKUP, keep=("nikv",))


def _nik_cleaned(table: pa.Table, *, backend: Backend, policy: Policy, as_of: date) -> pa.Table:
    """Every row's cleaned NIK, for ``quality.nik_repeated_arrow`` to find ``nik.duplicate``
    over the whole extract before it is cut into batches.

    Whether a row repeats a NIK depends on the rows before it, so it is the one fact found
    over the whole extract; it needs only the cleaned NIK.
    """
    return lookups_apply(
        table.select(["row", "nik", "nik_plain"]),
        (_NIK_CLEANED,),
        backend=backend,
        key=lambda values: (
            "nik_cleaned",
            *screening_query_key(values, policy=policy, as_of=as_of),
        ),
    )


#: Lookups and how to get their values for a batch, given the batch and its first row's
#: position in the extract (called in the caller's thread: the backend's).
Gathered = tuple[tuple[tuple[Lookup, ...], Callable[[pa.Table, int], LookupValues]], ...]


def _parsed_batches(
    table: pa.Table,
    repeated: pa.Array | None,
    *,
    batch_rows: int,
    gathered: Gathered,
    loadable: Callable[[pa.Table], Any],
) -> Iterator[tuple[pa.Table, Any]]:
    """``table``'s batches as ``_batch_parsed`` gives them, each with what ``loadable``
    (the backend's) makes of it, made in a thread while the caller judges the one before:
    gathering is Arrow on one core and the backend's query uses both, and at 10 million
    rows each took about as long as the other (issue 16). A batch's values are found here,
    in the caller's thread, since only that thread uses the backend. At most two batches'
    parsed columns are alive at once."""

    def ready(
        part: pa.Table,
        part_repeated: pa.Array | None,
        values: tuple[tuple[tuple[Lookup, ...], LookupValues], ...],
    ) -> tuple[pa.Table, Any]:
        parsed = _batch_parsed(part, part_repeated, values)
        return parsed, loadable(parsed)

    def submit(pool: ThreadPoolExecutor, start: int) -> Future[tuple[pa.Table, Any]]:
        part_repeated = None if repeated is None else repeated.slice(start, batch_rows)
        part = table.slice(start, batch_rows)
        values = tuple((lookups, values_of(part, start)) for lookups, values_of in gathered)
        return pool.submit(ready, part, part_repeated, values)

    starts = range(0, max(table.num_rows, 1), batch_rows)
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = submit(pool, starts[0])
        for following in [*starts[1:], None]:
            parsed = upcoming.result()
            if following is not None:
                upcoming = submit(pool, following)
            yield parsed


def _finished_in_turn(
    results: Iterator[pa.Table], finish: Callable[[pa.Table], pa.Table]
) -> list[pa.Table]:
    """Each of ``results`` put through ``finish``, in a thread while the next is made.

    ``finish`` (``decisions_from_masks``) is Arrow on one core, and while it ran between
    two batches' queries the other core waited: 0.14 s a million rows (issue 16). At most
    one result waits to be finished, so the batches' memory stays bounded.
    """
    finished: list[pa.Table] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future[pa.Table] | None = None
        try:
            for result in results:
                if pending is not None:
                    finished.append(pending.result())
                pending = pool.submit(finish, result)
        except BaseException as error:
            # Making the next result can fail while the one before is still being
            # finished; if that failed too, it failed first and is the one to report,
            # as it was when each result was finished before the next was made.
            earlier = None if pending is None else pending.exception()
            if earlier is not None and earlier is not error:
                raise earlier from error
            raise
        if pending is not None:
            finished.append(pending.result())
    return finished


def _batch_parsed(
    part: pa.Table,
    repeated: pa.Array | None,
    values: tuple[tuple[tuple[Lookup, ...], LookupValues], ...],
) -> pa.Table:
    """One batch's rows as ``screening_query`` reads them, all in Arrow: each group of
    lookups' columns gathered from its values, and ``nik_repeated``, the batch's
    ``nik.duplicate`` found over the whole extract (or here, when ``repeated`` is None
    because the batch is all of it)."""
    parsed = part
    for lookups, found in values:
        parsed = lookups_gather(parsed, lookups, found)
    if repeated is None:
        repeated = quality.nik_repeated_arrow(parsed)
    positions = pa.array(np.arange(parsed.num_rows, dtype=np.int64))
    return parsed.append_column("nik_repeated", repeated).append_column(BATCH_POSITION, positions)


def _batch_judged(
    parsed: pa.Table, ready: Any, *, policy: Policy, as_of: date, backend: Backend
) -> pa.Table:
    """One batch's query result (``screening_query``) in row order, with its text columns;
    ``ready`` is the batch as ``backend.loadable`` made it."""
    source = backend.load(ready, name="extract")
    result = _row_ordered(
        backend.collect(
            lambda: screening_query(source, policy=policy, as_of=as_of),
            key=screening_query_key(source, policy=policy, as_of=as_of),
        )
    )
    return _with_text_columns(result, parsed)


#: A batch's own row positions (0, 1, …), through the query and back: the result comes back
#: in row-number order, which is not the batch's order when rows were given out of order.
BATCH_POSITION: Final = "payung_position"


def _with_text_columns(result: pa.Table, parsed: pa.Table) -> pa.Table:
    """The query's result with the decision file's text columns, taken from the parsed rows.

    The NIK as reported (the cleaned one, else the cell as typed), the Pasal 5 ayat (1)
    category and the village code are all worked out before the query (``lookups_gather``),
    so the backend does not hand them back: copying three columns of text out of DuckDB
    cost more than a tenth of its query (issue 16). Each result row names its parsed row
    (``BATCH_POSITION``); when they are in the same order, as an extract read from a file
    is, nothing is gathered.
    """
    if result.num_rows != parsed.num_rows:
        raise RuntimeError("the screening query lost rows")
    positions = np.asarray(result[BATCH_POSITION])
    texts = parsed.select(["nikv", "nik", "occupation_category", "kode_desa_clean"])
    if not np.array_equal(positions, np.arange(len(positions))):
        texts = texts.take(pa.array(positions))
    return (
        result.drop_columns([BATCH_POSITION])
        .append_column("nik", pc.coalesce(texts["nikv"], texts["nik"]))
        .append_column("occupation_category", texts["occupation_category"])
        .append_column("kode_desa", texts["kode_desa_clean"])
    )


def _row_ordered(table: pa.Table) -> pa.Table:
    """``table`` sorted by row number, untouched when it already is (as a backend that keeps
    the scan's order returns it): sorting copies every column, 1.1 s at 10 million rows.
    Checked chunk by chunk, each read in place, and across each chunk's edge: the batches'
    results put together are ten chunks of ten million rows, and making them one array
    only to look at it took 0.24 s (issue 16)."""
    previous = None
    for chunk in table["row"].chunks:
        if len(chunk) == 0:
            continue
        rows = chunk.to_numpy()
        if (previous is not None and rows[0] <= previous) or not bool((rows[1:] > rows[:-1]).all()):
            return table.sort_by([("row", "ascending")])
        previous = rows[-1]
    return table


def screening_query(source: ir.Table, *, policy: Policy, as_of: date) -> ir.Table:
    """The one query of a screening: per row, the masks and the numbers ranking reads (the
    text columns are added after it, ``_with_text_columns``)."""
    ranked = judge(prepare(source, as_of=as_of), policy=policy, as_of=as_of)
    return ranked.select(
        "row",
        BATCH_POSITION,
        invalid_mask=ranked.invalid_mask,
        rule_mask=ranked.rule_mask,
        priority_mask=ranked.priority_mask,
        flag_mask=ranked.flag_mask,
        birth_key=ymd_key(ranked.by, ranked.bm, ranked.bd),
        nik_hash=seeded_nik_hash(ranked.nik, seed=policy.ranking.seed),
        age=ranked.age,
        desil=ranked.desil_int,
    )


def screening_query_key(source: ir.Table, *, policy: Policy, as_of: date) -> tuple[Any, ...]:
    """Everything ``screening_query``'s text depends on, for ``Backend.collect``'s reuse.

    The whole policy (its SHA-256 over every parameter: rules, priorities, occupations,
    region, seed), the as-of date (Pasal 5 ayat (2) huruf b ages are measured on it, and it
    is written into the query as a literal), the loaded table's name and schema, and the
    rule-kind modules the policy's rules are built by. The rows are not part of it: the
    query reads them by table name at each run. A budget, months or ranked-first set only
    act after the query, so one compiled query serves them all.
    """
    digest = hashlib.sha256(policy.model_dump_json().encode()).hexdigest()
    kinds = tuple(rule_kind_get(item.kind) for item in (*policy.judged_rules, *policy.priorities))
    schema = tuple((name, str(dtype)) for name, dtype in source.schema().items())
    return ("screening", digest, as_of.isoformat(), source.get_name(), schema, kinds)


def backend_input(table: pa.Table) -> pa.Table:
    """The extract as the backend gets it: the per-row text tests done, unread columns gone.

    Whether a cell holds a formula (``cell.formula``) and whether the NIK is 16 plain digits
    are found here in Arrow, once, with the same answers the Ibis expressions give
    (``quality.formula_check_arrow``, ``quality.nik_plain_arrow``); names, addresses and
    family card numbers, which no rule reads, are then left out, so the backend copies and
    carries less (at 10 million rows, gigabytes).
    """
    table = table.append_column("q_cell_formula", quality.formula_check_arrow(table))
    table = table.append_column("nik_plain", quality.nik_plain_arrow(table["nik"]))
    return table.drop_columns([name for name in _UNUSED if name in table.column_names])


def first_fingerprint(first: frozenset[str], *, ranked: int) -> dict[str, Any]:
    """The ranked-first set as the run records it: its size, how many of it were eligible
    (and so ranked first), and the SHA-256 of its members sorted and joined by newlines."""
    digest = hashlib.sha256("\n".join(sorted(first)).encode()).hexdigest()
    return {"count": len(first), "ranked": ranked, "sha256": digest}


def _ranked_first(result: pa.Table, first: frozenset[str]) -> int:
    members = pc.is_in(result["nik"], value_set=pa.array(sorted(first), type=pa.string()))
    ranked = pc.and_(pc.fill_null(members, False), pc.is_valid(result["priority_rank"]))
    return int(pc.sum(ranked).as_py() or 0)


def _counts(result: pa.Table, *, policy: Policy) -> dict[str, Any]:
    """Counts by status, by failed rule, by data-quality code and by flag.

    The last three from the masks, per distinct mask (``_bit_counts``): a rule is counted
    on the judged rows that fail it, a code on the invalid rows that have it, exactly what
    the reasons and flags list.
    """
    status_counts = {s: 0 for s in STATUSES}
    for item in pc.value_counts(result["status"]).to_pylist():
        status_counts[item["values"]] = item["counts"]
    by_reason = _mask_rows(result[REASON_KEY])
    failed = [(key, rows) for key, rows in by_reason if key > 0]
    invalid = [(-key, rows) for key, rows in by_reason if key < 0]
    by_rule = _bit_counts(failed, [r.id for r in policy.judged_rules])
    by_code = _bit_counts(invalid, quality.INVALID_CODES)
    by_flag = _bit_counts(_mask_rows(result["flag_mask"]), FLAG_ORDER)
    return {
        "rows": result.num_rows,
        "by_status": status_counts,
        "by_rule": by_rule,
        "by_invalid_code": {code: by_code[code] for code in quality.INVALID_CODES if by_code[code]},
        "by_flag": {code: by_flag[code] for code in quality.FLAG_CODES},
    }


def _mask_rows(masks: pa.ChunkedArray) -> list[tuple[int, int]]:
    """Each distinct mask and how many rows have it."""
    return [(item["values"], item["counts"]) for item in pc.value_counts(masks).to_pylist()]


def _bit_counts(masks: list[tuple[int, int]], codes: Sequence[str]) -> dict[str, int]:
    """Rows per code: ``masks`` holds (mask, how many rows have it); bit ``i`` is ``codes[i]``."""
    counts = dict.fromkeys(codes, 0)
    for mask, rows in masks:
        for bit, code in enumerate(codes):
            if mask >> bit & 1:
                counts[code] += rows
    return counts
