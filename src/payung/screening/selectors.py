"""Reads of the screening stage: run totals, the filtered decision list, one person's reasons.

Nothing here decides eligibility again. Pass and fail come from the decision the engine
stored (its ``reasons``); this module only puts the policy's article and Indonesian sentence
and the person's own data beside it, so the page says why in the regulation's words
(Pasal 5 for the criteria, Pasal 7 ayat (2) for priority, Pasal 6 ayat (2) for the pagu).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from payung import wording
from payung.core.formatting import tanggal
from payung.core.lookups import InArray
from payung.core.paging import END, KeysetPage
from payung.core.places import kecamatan_label, kecamatan_name, village_label
from payung.core.worklist import Task
from payung.domain import rulekinds
from payung.domain.policy import Policy
from payung.engine import CANONICAL, FLAG_CODES, INVALID_CODES
from payung.programmes.selectors import programme_year_policy
from payung.screening.labels import STATUS_LABELS, status_label
from payung.screening.models import Decision, ScreeningRun

#: Rows per page of the decision list.
PAGE_SIZE = 50

# --- shared helpers ---------------------------------------------------------------------


def codes(value: str | None) -> list[str]:
    """A ``;``-joined code list (reasons, priorities, flags) as a list."""
    return [c for c in (value or "").split(";") if c]


def _has_code(field_name: str, code: str) -> Q:
    """Rows whose ``;``-joined field holds ``code`` exactly (not as part of another code)."""
    return (
        Q(**{field_name: code})
        | Q(**{f"{field_name}__startswith": f"{code};"})
        | Q(**{f"{field_name}__endswith": f";{code}"})
        | Q(**{f"{field_name}__contains": f";{code};"})
    )


def run_policy(run: ScreeningRun) -> Policy:
    """The policy a run applied: its programme year's pinned snapshot (parsed once)."""
    return programme_year_policy(programme_year=run.programme_year)


# --- runs -------------------------------------------------------------------------------------


def run_list(*, programme_year: Any) -> QuerySet[ScreeningRun]:
    """A year's screening runs, newest first, for the year page."""
    return (
        ScreeningRun.objects.filter(programme_year=programme_year)
        .select_related("dtsen_import", "started_by")
        .order_by("-created_at", "-pk")
    )


# --- run summary --------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """One line of a breakdown: a code, what it means, how many."""

    code: str
    label: str
    count: int
    article: str = ""
    #: For a deemed criterion: "(dianggap terpenuhi oleh 5(2)d)", why its count is d's.
    note: str = ""


@dataclass(frozen=True)
class KecamatanTotal:
    code: str
    name: str
    total: int
    by_status: dict[str, int]


@dataclass(frozen=True)
class RunSummary:
    run: ScreeningRun
    rows: int
    by_status: list[Total]
    by_rule: list[Total]
    by_invalid_code: list[Total]
    by_flag: list[Total]
    by_kecamatan: list[KecamatanTotal]
    statuses: list[str] = field(default_factory=list)


def run_summary(*, run: ScreeningRun) -> RunSummary:
    """Totals of a finished run: by status, by failed article, by data problem, by kecamatan.

    Counts by status, rule, code and flag are the engine's own (stored with the run), so
    they match ``summary.json`` of ``payung screen``. The kecamatan breakdown is one
    aggregate query over the stored decisions.
    """
    counts = run.counts or {}
    by_status_counts: dict[str, int] = counts.get("by_status", {})
    statuses = [s for s in STATUS_LABELS if by_status_counts.get(s)]
    # With a pagu the eligible are split (Pasal 6 ayat (2)); without one there is no split.
    hidden = {"eligible"} if run.budget is not None else {"selected", "waitlisted"}
    by_status = [
        Total(code=s, label=status_label(s), count=by_status_counts.get(s, 0))
        for s in STATUS_LABELS
        if s not in hidden
    ]
    # Orders come from the policy and the engine's code lists, never from the stored JSON
    # (PostgreSQL's jsonb does not keep key order).
    rule_counts: dict[str, int] = counts.get("by_rule", {})
    by_rule = []
    for r in run_policy(run).rules:
        # Pasal 5 ayat (2) huruf c is not judged on its own: it is not met exactly when the
        # rule it is deemed shown by is not, so it shows that rule's count (as the list does).
        source = r.id if rulekinds.rule_is_judged(r) else r.params.deemed_by
        if source in rule_counts:
            by_rule.append(
                Total(
                    code=r.id,
                    label=r.sentence,
                    count=rule_counts[source],
                    article=r.article,
                    note="" if source == r.id else deemed_note(source),
                )
            )
    invalid_counts: dict[str, int] = counts.get("by_invalid_code", {})
    by_invalid = [
        Total(code=c, label=wording.describe(c), count=invalid_counts[c])
        for c in INVALID_CODES
        if invalid_counts.get(c)
    ]
    flag_counts: dict[str, int] = counts.get("by_flag", {})
    by_flag = [
        Total(code=c, label=wording.describe(c), count=flag_counts[c])
        for c in FLAG_CODES
        if flag_counts.get(c)
    ]
    region = run_policy(run).region.code
    # Retention (payung.people) freezes this breakdown into the counts before it removes the
    # rows of people never selected; until then it is read from the decisions.
    grouped: dict[str, dict[str, int]] = dict(counts.get("by_kecamatan") or {})
    for item in (
        ()
        if "by_kecamatan" in counts
        else Decision.objects.filter(run=run)
        .values("kode_kecamatan", "status")
        .annotate(n=Count("id"))
        .order_by("kode_kecamatan", "status")
    ):
        grouped.setdefault(item["kode_kecamatan"], {})[item["status"]] = item["n"]
    by_kecamatan = [
        KecamatanTotal(
            code=code,
            name=kecamatan_label(code, region=region),
            total=sum(per.values()),
            by_status={s: per.get(s, 0) for s in statuses},
        )
        for code, per in sorted(grouped.items())
    ]
    return RunSummary(
        run=run,
        rows=int(counts.get("rows", 0)),
        by_status=by_status,
        by_rule=by_rule,
        by_invalid_code=by_invalid,
        by_flag=by_flag,
        by_kecamatan=by_kecamatan,
        statuses=statuses,
    )


def decision_area_counts(*, decisions: Any) -> dict[str, Any]:
    """The run's totals by kecamatan and status and by village, from the engine's decision
    table (Arrow), kept in the run's ``counts`` so the summary and the list's filters never
    group a million stored rows on a page view (issue 16). A kecamatan is the village code's
    first six digits, as ``Decision.kode_kecamatan`` is stored."""
    import pyarrow as pa
    import pyarrow.compute as pc

    desa = pc.fill_null(decisions.column("kode_desa"), "")
    kecamatan = pc.if_else(
        pc.greater_equal(pc.utf8_length(desa), 6), pc.utf8_slice_codeunits(desa, 0, 6), ""
    )
    table = pa.table({"kec": kecamatan, "desa": desa, "status": decisions.column("status")})
    by_kecamatan: dict[str, dict[str, int]] = {}
    grouped = table.group_by(["kec", "status"]).aggregate([("desa", "count")]).to_pylist()
    for row in grouped:
        by_kecamatan.setdefault(row["kec"], {})[row["status"]] = row["desa_count"]
    by_desa = {
        row["desa"]: row["status_count"]
        for row in table.group_by("desa").aggregate([("status", "count")]).to_pylist()
    }
    return {"by_kecamatan": by_kecamatan, "by_desa": by_desa}


# --- decision list ------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionFilters:
    """What the decision list, and its export, are narrowed by. Empty values do not filter."""

    status: str = ""
    article: str = ""
    kecamatan: str = ""
    desa: str = ""
    occupation: str = ""
    desil: int | None = None
    priority: str = ""
    search: str = ""

    def as_audit_detail(self) -> dict[str, Any]:
        """The filters that were set, for the audit trail; of a search, only that there was one.

        A searched NIK or name is personal data about the person searched for, and the audit
        trail is read by more people than the list (and kept for years): the entry says
        ``"search": "ya"``. A masked NIK or a hash would not do: a NIK prefix with its
        region and birth date, or a name's hash, is guessed back in seconds.
        """
        detail = {k: v for k, v in asdict(self).items() if v not in ("", None)}
        if "search" in detail:
            detail["search"] = "ya"
        return detail


def _nik_prefix(term: str) -> str | None:
    """The term as a NIK prefix (digits, spaces and dots dropped), or None for a name."""
    digits = "".join(ch for ch in term if not ch.isspace() and ch != ".")
    return digits if digits.isdigit() else None


def _filtered(*, run: ScreeningRun, filters: DecisionFilters) -> QuerySet[Decision]:
    """The run's decisions narrowed by ``filters``, unordered and without the person's name.

    Every filter is one the list's indexes serve (``Decision.Meta.indexes``). A NIK prefix
    is a range (``nik >= "3601" and nik < "3602"``), which both databases read from the
    (run, nik) index; ``LIKE '3601%'`` is not, on SQLite. A name is looked up among the
    run's own import's persons (the person's row is the decision's row).
    """
    qs = Decision.objects.filter(run=run)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.article:
        qs = qs.filter(_has_code("reasons", _judged_source(run, filters.article)))
    if filters.kecamatan:
        qs = qs.filter(kode_kecamatan=filters.kecamatan)
    if filters.desa:
        qs = qs.filter(kode_desa=filters.desa)
    if filters.occupation:
        qs = qs.filter(occupation_category=filters.occupation)
    if filters.desil is not None:
        qs = qs.filter(desil=filters.desil)
    if filters.priority:
        qs = qs.filter(_has_code("priorities", filters.priority))
    if term := filters.search.strip():
        prefix = _nik_prefix(term)
        if prefix is not None:
            following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            qs = qs.filter(nik__gte=prefix, nik__lt=following)
        else:
            from payung.registry.selectors import person_rows_named

            # A name's rows, read once and kept; on SQLite a name held by many: a subquery.
            few = _named_few(run=run, term=term)
            if few is None:
                qs = qs.filter(
                    row__in=person_rows_named(dtsen_import_id=run.dtsen_import_id, term=term)
                )
            elif connection.vendor == "postgresql":
                qs = qs.filter(InArray(F("row"), few))
            else:
                qs = qs.filter(row__in=few)
    return qs


def _with_person(qs: QuerySet[Decision]) -> QuerySet[Decision]:
    return qs.annotate(nama=F("person__nama"), pekerjaan=F("person__pekerjaan"))


def decision_list(*, run: ScreeningRun, filters: DecisionFilters) -> QuerySet[Decision]:
    """The run's decisions narrowed by ``filters``, in priority order, then file order.

    ``priority_rank`` is the Pasal 7 ayat (2) order, so the list reads as the queue the pagu
    is cut from; rows without a rank (not eligible) follow in file order. The person's name
    comes along as ``nama`` through one join, so a page costs the same queries whatever its
    length. The export streams this; the pages read it a keyset page at a time
    (``decision_page``).
    """
    return _with_person(_filtered(run=run, filters=filters)).order_by(
        F("priority_rank").asc(nulls_last=True), "row"
    )


#: A name search over a million rows is counted up to this many, then "lebih dari".
COUNT_CAP = 1_000


def decision_count(*, run: ScreeningRun, filters: DecisionFilters) -> tuple[int, bool]:
    """How many decisions ``filters`` leave, and whether the count stopped at ``COUNT_CAP``.

    Counting a million rows on every page view is what made the list slow (issue 16): the
    run keeps its totals (``counts``: rows, by status, by kecamatan and status), so the
    list with no filter, a status, a kecamatan or both is counted from them. Other filters
    are counted in their index; a name search, which reads the import's names, stops at
    ``COUNT_CAP``.
    """
    counts = run.counts or {}
    others = replace(filters, status="", kecamatan="")
    if counts.get("rows") and others == DecisionFilters():
        by_kecamatan = counts.get("by_kecamatan")
        if filters.kecamatan and by_kecamatan is not None:
            per = by_kecamatan.get(filters.kecamatan, {})
            if filters.status:
                return int(per.get(filters.status, 0)), False
            return int(sum(per.values())), False
        if not filters.kecamatan:
            if filters.status:
                return int(counts.get("by_status", {}).get(filters.status, 0)), False
            return int(counts["rows"]), False
    term = filters.search.strip()
    if term and _nik_prefix(term) is None and replace(filters, search="") == DecisionFilters():
        # A name and nothing else: the run holds one decision per person of its import (the
        # rule ``counts["rows"]`` above relies on), so the name's kept rows are the count.
        # Asking the database sent the name's rows again (a common first name's 9 500: 7-14
        # ms, most of it parsing and planning the array) to count what is already known.
        kept = _named_few(run=run, term=term)
        if kept is not None:
            return min(len(kept), COUNT_CAP), len(kept) > COUNT_CAP
    qs = _filtered(run=run, filters=filters).order_by()
    if term and _nik_prefix(term) is None:
        if connection.vendor == "sqlite":
            # Counted from the name's side: the import's named persons, each with a decision
            # of the run at its row that the other filters keep, stopping at the cap. As
            # ``row IN (...)`` SQLite first gathers every named row (45 ms for a common name
            # among a million) before counting the first thousand. Same number: one person
            # per (import, row), one decision per (run, row).
            from payung.registry.selectors import person_rows_named

            kept = _filtered(run=run, filters=replace(filters, search=""))
            named = person_rows_named(dtsen_import_id=run.dtsen_import_id, term=term)
            kept_at_row = named.filter(Exists(kept.filter(row=OuterRef("row"))))
            n = kept_at_row.order_by().values("pk")[: COUNT_CAP + 1].count()
        else:
            n = qs.values("pk")[: COUNT_CAP + 1].count()
        return min(n, COUNT_CAP), n > COUNT_CAP
    return qs.count(), False


def _cursor(decision: Decision) -> str:
    """A decision's place in the list's order: its rank (``x`` for none) and its row."""
    rank = "x" if decision.priority_rank is None else str(decision.priority_rank)
    return f"{rank}.{decision.row}"


def _cursor_parse(value: str) -> tuple[int | None, int] | None:
    rank, dot, row = (value or "").partition(".")
    if not dot or not row.isdigit() or not (rank == "x" or rank.isdigit()):
        return None
    return (None if rank == "x" else int(rank)), int(row)


#: A name held by at least this many of the import's persons is paged by walking the
#: list's order index (on SQLite); one held by fewer is fetched by row and sorted. Walking
#: the order index and testing each row against the name's list reads about ``PAGE_SIZE`` ×
#: rows ÷ matches entries: a few thousand for a common first name (9 769 of a million here:
#: 51 rows in 2-3 ms), but every ranked row (145 000 here, ~10 ms) for one person. Fetching
#: the name's rows through the (run, row) key and sorting them costs about 5 µs a match:
#: little for one person, 50 ms for the common name. Both give the same rows in the same
#: order, so this choice changes only the cost (issue 16).
NAMED_MANY = 1_000
#: On PostgreSQL a name's rows are always kept and sent as one array (``InArray``): they
#: come from the names' table (``registry.selectors.PERSON_NAME_TABLE``) without reading a
#: person, and a first view costs the same queries for every name. As a subquery
#: (``row IN (SELECT unnest(...))``) PostgreSQL probed the decisions' key for every row:
#: "YATI" (38 000 of a million) 345 ms against 77 as an array, "ANA" 700 against 190.


def _named_few(*, run: ScreeningRun, term: str) -> tuple[int, ...] | None:
    """The rows of the run's import's persons with ``term`` in their name: all of them on
    PostgreSQL, on SQLite only if fewer than ``NAMED_MANY`` (else None)
    (``registry.selectors.person_rows_named_few``: asked of the name index once per import
    and term)."""
    from payung.registry.selectors import person_rows_named_few

    limit = None if connection.vendor == "postgresql" else NAMED_MANY
    return person_rows_named_few(dtsen_import_id=run.dtsen_import_id, term=term, limit=limit)


def decision_page(
    *, run: ScreeningRun, filters: DecisionFilters, after: str = "", before: str = ""
) -> KeysetPage:
    """``PAGE_SIZE`` decisions of ``decision_list`` after the cursor ``after`` (or before
    ``before``; ``before=akhir`` is the last page), read in order from the list's indexes.

    The order has two parts, the ranked in rank order and then the unranked in row order,
    each a range of one index, so a page is at most two short reads however deep it lies:
    page 500 costs what page 1 costs (issue 16). A cursor that cannot be read gives the
    first page.
    """
    filtered = _filtered(run=run, filters=filters)
    rank, row = "priority_rank", "row"
    term = filters.search.strip()
    # A name search's kept rows (``_named_few``); None for no name, a NIK or (on SQLite) a
    # name held by many, which ``_filtered`` reads through a subquery.
    kept = _named_few(run=run, term=term) if term and _nik_prefix(term) is None else None
    # Kept rows on PostgreSQL (an array): the page's keys are read from the order index
    # alone, then its rows with their names; joined first, every row the walk passed over
    # would be read (``core.lookups.InArray``).
    keyed = kept is not None and connection.vendor == "postgresql"
    base = filtered if keyed else _with_person(filtered)

    def read(part: QuerySet[Decision], *order: str, n: int) -> list[Any]:
        """The part's first ``n`` decisions in ``order``; their rows only, when keyed."""
        if not keyed:
            return list(part.order_by(*order)[:n])
        return list(part.order_by(*order).values_list("row", flat=True)[:n])

    def decisions(read_rows: list[Any]) -> list[Decision]:
        """What ``read`` gave as decisions with their names: keyed, in one query."""
        if not keyed:
            return read_rows
        fetched = _with_person(Decision.objects.filter(run=run, row__in=read_rows)).order_by()
        found = {d.row: d for d in fetched}
        return [found[key] for key in read_rows if key in found]

    if kept is not None and connection.vendor == "sqlite":
        # A name's rows are few (``NAMED_MANY``): they are fetched through the (run, row)
        # key and sorted. Compared and ordered as plain columns, SQLite's planner (it keeps
        # no statistics) would rather walk the run's order index and test each of its rows
        # against the name's list, reading all of them for a name held by a few; as
        # ``column + 0`` it cannot. A name held by many is read the other way, as every
        # other filter is.
        base = base.alias(rank_key=F("priority_rank") + 0, row_key=F("row") + 0)
        rank, row = "rank_key", "row_key"
    ranked = base.filter(**{f"{rank}__isnull": False})
    unranked = base.filter(**{f"{rank}__isnull": True})

    # The redundant bound on the rank alone is the index range to start from: PostgreSQL
    # reads "rank > r OR (rank = r AND row > x)" as a filter over the run's whole order,
    # every row before the cursor included (206 ms 25 000 rows in, 0.7 ms with the bound).
    def before_cursor(at_rank: int, at_row: int) -> Q:
        return Q(**{f"{rank}__lte": at_rank}) & (
            Q(**{f"{rank}__lt": at_rank}) | Q(**{rank: at_rank, f"{row}__lt": at_row})
        )

    def after_cursor(at_rank: int, at_row: int) -> Q:
        return Q(**{f"{rank}__gte": at_rank}) & (
            Q(**{f"{rank}__gt": at_rank}) | Q(**{rank: at_rank, f"{row}__gt": at_row})
        )

    size = PAGE_SIZE
    backwards = bool(before)
    cursor = None if before == END else _cursor_parse(before or after)
    if backwards and (cursor is not None or before == END):
        rows: list[Any] = []
        if cursor is None or cursor[0] is None:
            part = unranked if cursor is None else unranked.filter(**{f"{row}__lt": cursor[1]})
            rows = read(part, f"-{rank}", f"-{row}", n=size + 1)
        if len(rows) <= size:
            part = ranked
            if cursor is not None and cursor[0] is not None:
                part = ranked.filter(before_cursor(cursor[0], cursor[1]))
            rows += read(part, f"-{rank}", f"-{row}", n=size + 1 - len(rows))
        more = len(rows) > size
        shown = list(reversed(decisions(rows[:size])))
        return KeysetPage(
            object_list=shown,
            next_cursor=_cursor(shown[-1]) if shown and before != END else "",
            previous_cursor=_cursor(shown[0]) if more else "",
            is_first=not more,
            is_last=before == END,
        )
    rows = []
    if cursor is None or cursor[0] is not None:
        part = ranked
        if cursor is not None and cursor[0] is not None:
            part = ranked.filter(after_cursor(cursor[0], cursor[1]))
        rows = read(part, rank, row, n=size + 1)
    if len(rows) <= size:
        part = unranked
        if cursor is not None and cursor[0] is None:
            part = unranked.filter(**{f"{row}__gt": cursor[1]})
        # By the rank (NULL in every row here) and then the row: the same order, and the
        # order of each filter's index, which PostgreSQL cannot see in "rank IS NULL" alone;
        # ordered by the row only it walked the run's (run, row) key and filtered (invalid
        # in one kecamatan: 244 000 rows passed over, 50 ms, against 2 400 and 14 ms).
        rows += read(part, rank, row, n=size + 1 - len(rows))
    more = len(rows) > size
    shown = decisions(rows[:size])
    return KeysetPage(
        object_list=shown,
        next_cursor=_cursor(shown[-1]) if more else "",
        previous_cursor=_cursor(shown[0]) if cursor is not None and shown else "",
        is_first=cursor is None,
        is_last=not more,
    )


@dataclass(frozen=True)
class FilterChoices:
    kecamatan: list[tuple[str, str]]
    desa: list[tuple[str, str]]
    article: list[tuple[str, str]]
    priority: list[tuple[str, str]]
    occupation: list[tuple[str, str]]
    status: list[tuple[str, str]]


def decision_filter_choices(*, run: ScreeningRun) -> FilterChoices:
    """The values the filter form offers: the run's kecamatan and villages, the policy's ids."""
    policy = run_policy(run)
    counts = run.counts or {}
    if "by_kecamatan" in counts and "by_desa" in counts:
        # Kept on the run (issue 16): two DISTINCTs over a million rows on every list view
        # were most of the list's time.
        kec_codes: Any = [c for c in counts["by_kecamatan"] if c]
        desa_codes: Any = [c for c in counts["by_desa"] if c]
    else:
        decisions = Decision.objects.filter(run=run).order_by()
        kec_codes = (
            decisions.exclude(kode_kecamatan="").values_list("kode_kecamatan", flat=True).distinct()
        )
        desa_codes = decisions.exclude(kode_desa="").values_list("kode_desa", flat=True).distinct()
    return FilterChoices(
        kecamatan=[
            (c, f"{kecamatan_label(c, region=policy.region.code)} ({c})")
            for c in sorted(set(kec_codes))
        ],
        desa=list(_village_choices(tuple(sorted(set(desa_codes))))),
        article=[(r.id, f"{r.id} — {r.article}") for r in policy.rules],
        priority=[(p.id, f"{p.id} — {p.article}") for p in policy.priorities],
        occupation=[
            (key, f"{cat.letter}. {cat.label}")
            for key, cat in policy.occupations.categories.items()
        ],
        status=[(code, str(label)) for code, label in STATUS_LABELS.items()],
    )


@functools.lru_cache(maxsize=16)
def _village_choices(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The villages' labels, made once per set of codes: the region's reference data does
    not change while the server runs, and 340 labels on every list view cost ~50 ms."""
    return tuple((c, f"{c} — {village_label(c)}") for c in codes)


@dataclass(frozen=True)
class ExportRow:
    row: int
    nik: str
    nama: str
    pekerjaan: str
    kode_kecamatan: str
    kecamatan: str
    kode_desa: str
    desa: str
    occupation_category: str
    desil: int | None
    age: int | None
    status: str
    reasons: str
    reasons_text: str
    priorities: str
    priority_rank: int | None
    flags: str
    # Issue 9: every code has its words beside it (the code stays for those who filter on it).
    occupation_label: str = ""
    status_code: str = ""
    priorities_text: str = ""


def decision_export_rows(*, run: ScreeningRun, filters: DecisionFilters) -> Iterator[ExportRow]:
    """The filtered decisions in list order, with names and reasons in words, streamed."""
    policy = run_policy(run)
    qs = decision_list(run=run, filters=filters)
    kec_names: dict[str, str] = {}
    villages: dict[str, str] = {}
    for d in qs.iterator(chunk_size=2000):
        if d.kode_kecamatan not in kec_names:
            kec_names[d.kode_kecamatan] = kecamatan_name(d.kode_kecamatan)
        if d.kode_desa not in villages:
            villages[d.kode_desa] = village_label(d.kode_desa) if d.kode_desa else ""
        yield ExportRow(
            row=d.row,
            nik=d.nik,
            nama=d.nama,
            pekerjaan=d.pekerjaan,
            kode_kecamatan=d.kode_kecamatan,
            kecamatan=kec_names[d.kode_kecamatan] if d.kode_kecamatan else "",
            kode_desa=d.kode_desa,
            desa=villages[d.kode_desa],
            occupation_category=d.occupation_category,
            desil=d.desil,
            age=d.age,
            status=status_label(d.status),
            reasons=d.reasons,
            reasons_text="; ".join(
                reason_text(policy, c) for c in reasons_shown(policy, d.reasons)
            ),
            priorities=d.priorities,
            priority_rank=d.priority_rank,
            flags="; ".join(wording.problem_label(c) for c in codes(d.flags)),
            occupation_label=_occupation_label(policy, d.occupation_category),
            status_code=d.status,
            priorities_text="; ".join(_priority_text(policy, c) for c in codes(d.priorities)),
        )


def _occupation_label(policy: Policy, key: str | None) -> str:
    """``a. Petani``: the Pasal 5 ayat (1) category as the regulation lists it, not its key."""
    category = policy.occupations.categories.get(key or "")
    return f"{category.letter}. {category.label}" if category else ""


def _priority_text(policy: Policy, code: str) -> str:
    """A priority id (``7(2)a``) as its article and sentence."""
    for p in policy.priorities:
        if p.id == code:
            return f"{p.article}: {p.sentence}"
    return code


def reason_text(policy: Policy, code: str) -> str:
    """A reason in words: a rule id as its article, a data-quality code as its sentence."""
    try:
        rule = policy.rule(code)
    except KeyError:
        return wording.describe(code)
    if rulekinds.rule_is_judged(rule):
        return rule.article
    return f"{rule.article} {deemed_note(rule.params.deemed_by)}"


def deemed_note(source: str) -> str:
    """How a deemed criterion (Pasal 5 ayat (2) huruf c) is shown on every page."""
    return _("(dianggap terpenuhi oleh %(rule)s)") % {"rule": source}


def _judged_source(run: ScreeningRun, rule_id: str) -> str:
    """The rule whose failure a rule id stands for: itself, or the one a deemed rule follows."""
    try:
        rule = run_policy(run).rule(rule_id)
    except KeyError:
        return rule_id
    return rule_id if rulekinds.rule_is_judged(rule) else rule.params.deemed_by


def reasons_shown(policy: Policy, value: str | None) -> list[str]:
    """A decision's failed rules in the regulation's order, a deemed rule with its source.

    The engine records a failure of Pasal 5 ayat (2) huruf d only; huruf c is not met
    whenever d is not, so the list names both (a-f), as the summary and person page do.
    """
    failed = set(codes(value))
    shown = []
    for rule in policy.rules:
        source = rule.id if rulekinds.rule_is_judged(rule) else rule.params.deemed_by
        if source in failed:
            shown.append(rule.id)
    known = {r.id for r in policy.rules}
    return shown + [c for c in codes(value) if c not in known]


# --- one person -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    """One criterion of the policy for one person: passed (None: not judged) and the value."""

    id: str
    article: str
    sentence: str
    passed: bool | None
    value: str
    deemed_by: str = ""

    @property
    def deemed_note(self) -> str:
        return deemed_note(self.deemed_by) if self.deemed_by else ""


@dataclass(frozen=True)
class PriorityRow:
    id: str
    article: str
    sentence: str
    met: bool
    value: str


@dataclass(frozen=True)
class Explanation:
    decision: Decision
    status_label: str
    criteria: list[CriterionRow]
    problems: list[Total]
    flags: list[Total]
    priorities: list[PriorityRow]
    priorities_judged: bool
    rank: int | None
    quota: int | None
    policy_title: str
    as_of: str


def decision_explain(*, decision: Decision) -> Explanation:
    """Why this person was (not) chosen: every criterion of the policy with the value used.

    Pass and fail are read from the decision's ``reasons`` as the engine wrote them; an
    invalid row was not judged against the criteria at all (its data could not be read
    honestly), so each criterion shows "not judged" and the data problems are listed instead.
    A deemed criterion (Pasal 5 ayat (2) huruf c) has no data of its own and follows the rule
    it is deemed shown by (huruf d), in the regulation's order a-f, saying so on every page.
    ``decision`` should come with ``run`` and ``person``
    loaded (``select_related``).
    """
    run = decision.run
    policy = run_policy(run)
    judged = decision.status != "invalid"
    failed = set(codes(decision.reasons)) if judged else set()
    values = _judged_values(decision, policy)
    criteria: list[CriterionRow] = []
    for rule in policy.rules:
        # A deemed criterion passes or fails with the rule it follows (Pasal 5(2)c by d).
        deemed_by = "" if rulekinds.rule_is_judged(rule) else rule.params.deemed_by
        told = rulekinds.rule_explain(rule=rule, values=values)
        criteria.append(
            CriterionRow(
                id=rule.id,
                article=told.criterion,
                sentence=told.sentence,
                passed=((deemed_by or rule.id) not in failed) if judged else None,
                value=told.value,
                deemed_by=deemed_by,
            )
        )
    eligible = decision.status in ("eligible", "selected", "waitlisted")
    met = set(codes(decision.priorities))
    priorities = []
    for p in policy.priorities:
        told = rulekinds.rule_explain(rule=p, values=values)
        priorities.append(
            PriorityRow(
                id=p.id,
                article=told.criterion,
                sentence=told.sentence,
                met=p.id in met,
                value=told.value,
            )
        )
    return Explanation(
        decision=decision,
        status_label=status_label(decision.status),
        criteria=criteria,
        problems=[
            Total(code=c, label=wording.describe(c), count=1)
            for c in codes(decision.reasons)
            if not judged
        ],
        flags=[Total(code=c, label=wording.describe(c), count=1) for c in codes(decision.flags)],
        priorities=priorities,
        priorities_judged=eligible,
        rank=decision.priority_rank,
        quota=run.quota,
        policy_title=policy.short_title,
        as_of=tanggal(run.as_of),
    )


#: Cells that identify a person and that no rule judges: not handed to the rule kinds.
_IDENTITY_CELLS = ("nik", "no_kk", "nama", "alamat")


def _judged_values(decision: Decision, policy: Policy) -> rulekinds.Values:
    """What the engine judged this person on: their cells and its reading of them."""
    person = decision.person
    return rulekinds.Values(
        as_of=decision.run.as_of,
        policy=policy,
        cells={
            name: getattr(person, name) or "" for name in CANONICAL if name not in _IDENTITY_CELLS
        },
        age=decision.age,
        desil=decision.desil,
        occupation_category=decision.occupation_category or "",
        kode_desa=decision.kode_desa or "",
    )


def screening_tasks(*, user: Any, programme_year: Any) -> list[Task]:
    """What screening leaves to Dinas Sosial's operator (Pasal 5, Pasal 7 ayat (2)): a
    finished import not screened yet, or a failed run to repeat. One query."""
    from django.urls import reverse

    from payung.core.models import JobStatus
    from payung.registry.models import DtsenImport

    if not user.has_perm("screening.run_screening"):
        return []
    imports = list(
        DtsenImport.objects.filter(programme_year=programme_year, status=JobStatus.DONE)
        .annotate(
            runs_ok=Count("screening_runs", filter=~Q(screening_runs__status=JobStatus.FAILED)),
            runs_failed=Count("screening_runs", filter=Q(screening_runs__status=JobStatus.FAILED)),
        )
        .filter(Q(overlap_count=0) | Q(overlap_confirmed_by__isnull=False))
        .values("pk", "runs_ok", "runs_failed")
    )
    # Once any import of the year is screened the work moves on; an older import left
    # unscreened is a choice, not a task.
    if any(i["runs_ok"] for i in imports):
        return []
    article = _("Pasal 5, Pasal 7 ayat (2)")
    tasks: list[Task] = []
    if any(i["runs_failed"] for i in imports):
        tasks.append(
            Task(
                text=_("Penyaringan gagal: ulangi penyaringan"),
                url=reverse("registry:year_detail", args=[programme_year.pk]),
                level="error",
                article=article,
            )
        )
    elif imports:
        tasks.append(
            Task(
                text=_("Jalankan penyaringan atas ekstrak yang sudah diimpor"),
                url=reverse("registry:year_detail", args=[programme_year.pk]),
                count=len(imports),
                article=article,
            )
        )
    return tasks
