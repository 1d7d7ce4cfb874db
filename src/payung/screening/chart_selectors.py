"""The screening run's aggregates behind the year's charts (issue 9): tables, never persons.

Every figure comes from the counts the engine stored with the run (``ScreeningRun.counts``,
the same numbers as ``summary.json`` of ``payung screen``); what the run did not store is one
GROUP BY query over its decisions (kecamatan, priorities), never a scan of the rows in Python.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from payung.core.places import kecamatan_label
from payung.domain import rulekinds
from payung.programmes.selectors import programme_year_policy
from payung.screening.models import Decision, ScreeningRun

#: Statuses of the eligible: Pasal 5 met; with a pagu split into selected and waitlisted.
ELIGIBLE_STATUSES = ("eligible", "selected", "waitlisted")


@dataclass(frozen=True)
class ArticleRow:
    article: str  # "Pasal 5 ayat (2) huruf b"
    sentence: str
    count: int


@dataclass(frozen=True)
class KecamatanRow:
    name: str
    eligible: int
    selected: int


@dataclass(frozen=True)
class PriorityRow:
    label: str  # "Pasal 7 ayat (2) huruf a" or "Tanpa prioritas"
    sentence: str
    count: int


def _run_key(run: ScreeningRun) -> tuple[Any, ...]:
    """What identifies a run's aggregates: a finished run's decisions are never changed, only
    removed by retention, which first freezes its breakdowns into ``counts``; the language is
    in the key because the rows carry translated labels."""
    counts = json.dumps(run.counts or {}, sort_keys=True)
    return (run.pk, run.finished_at, hashlib.sha256(counts.encode()).hexdigest(), get_language())


def run_status_counts(*, run: ScreeningRun) -> dict[str, int]:
    """The run's stored counts by status (``invalid``, ``ineligible``, ``selected`` ...)."""
    return {k: int(v) for k, v in (run.counts or {}).get("by_status", {}).items()}


def run_failures_by_article(*, run: ScreeningRun, judged_only: bool = False) -> list[ArticleRow]:
    """People failing each criterion of Pasal 5, in the policy's article order, from the
    run's stored counts. A person may fail several, so the rows do not add up to the
    ineligible. Pasal 5 ayat (2) huruf c is deemed met by huruf d and shows d's count, as the
    run page does; ``judged_only`` leaves it out, as the berita acara's table does."""
    rule_counts: dict[str, int] = (run.counts or {}).get("by_rule", {})
    rows = []
    for rule in programme_year_policy(programme_year=run.programme_year).rules:
        judged = rulekinds.rule_is_judged(rule)
        source = rule.id if judged else rule.params.deemed_by
        if source in rule_counts and (judged or not judged_only):
            rows.append(
                ArticleRow(
                    article=rule.article, sentence=rule.sentence, count=int(rule_counts[source])
                )
            )
    return rows


def run_kecamatan_rows(*, run: ScreeningRun) -> list[KecamatanRow]:
    """Eligible (Pasal 5 met) and selected (within the pagu, Pasal 6 ayat (2)) per kecamatan,
    named from the wilayah data, in name order; kecamatan with no eligible person left out.

    Retention stores this breakdown in the counts before it removes rows; until then it is one
    GROUP BY over the run's decisions (indexed on run, kecamatan), once per run and process:
    a finished run's decisions do not change (``_run_key``)."""
    return list(_kecamatan_rows(_run_key(run), run))


@functools.lru_cache(maxsize=32)
def _kecamatan_rows(key: tuple[Any, ...], run: ScreeningRun) -> tuple[KecamatanRow, ...]:
    counts = run.counts or {}
    grouped: dict[str, dict[str, int]] = {
        code: dict(per) for code, per in (counts.get("by_kecamatan") or {}).items()
    }
    if "by_kecamatan" not in counts:
        for item in (
            Decision.objects.filter(run=run, status__in=ELIGIBLE_STATUSES)
            .values("kode_kecamatan", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            grouped.setdefault(item["kode_kecamatan"], {})[item["status"]] = item["n"]
    region = programme_year_policy(programme_year=run.programme_year).region.code
    rows = [
        KecamatanRow(
            name=kecamatan_label(code, region=region),
            eligible=sum(per.get(s, 0) for s in ELIGIBLE_STATUSES),
            selected=per.get("selected", 0),
        )
        for code, per in grouped.items()
    ]
    return tuple(sorted((r for r in rows if r.eligible), key=lambda r: (r.name.casefold(), r.name)))


def run_priority_rows(*, run: ScreeningRun) -> list[PriorityRow]:
    """How many of the selected meet each priority of Pasal 7 ayat (2), and how many none, in
    the policy's order. One person may meet several: the rows add up to more than the selected.

    One aggregate query: the selected grouped by their stored priority codes (a handful of
    combinations), split here; once per run and process, as the kecamatan rows."""
    return list(_priority_rows(_run_key(run), run))


@functools.lru_cache(maxsize=32)
def _priority_rows(key: tuple[Any, ...], run: ScreeningRun) -> tuple[PriorityRow, ...]:
    combos = (
        Decision.objects.filter(run=run, status="selected")
        .values_list("priorities")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_code: dict[str, int] = {}
    none = 0
    for value, n in combos:
        found = [c for c in (value or "").split(";") if c]
        if not found:
            none += n
        for code in found:
            per_code[code] = per_code.get(code, 0) + n
    policy = programme_year_policy(programme_year=run.programme_year)
    rows = [
        PriorityRow(label=p.article, sentence=p.sentence, count=per_code.get(p.id, 0))
        for p in policy.priorities
    ]
    rows.append(
        PriorityRow(
            label=_("Tanpa prioritas"),
            sentence=_("Tidak memenuhi satu pun prioritas Pasal 7 ayat (2)."),
            count=none,
        )
    )
    return tuple(rows)


def run_selected_count(*, run: ScreeningRun) -> int:
    """The selected of a run from its stored counts (for the totals beside the charts)."""
    return run_status_counts(run=run).get("selected", 0)


__all__ = [
    "ArticleRow",
    "KecamatanRow",
    "PriorityRow",
    "run_failures_by_article",
    "run_kecamatan_rows",
    "run_priority_rows",
    "run_selected_count",
    "run_status_counts",
]
