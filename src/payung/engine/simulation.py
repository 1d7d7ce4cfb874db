"""The budget simulator (issue 14): what full coverage costs and how fast a pagu gets there.

Pasal 6 ayat (2) phases the cover by the regency's financial capacity, so the budget office
(BPKD) and planning (Bapperida) ask four questions of a screened extract: how many people are
eligible (Pasal 5), what one person-year costs (Pasal 9 ayat (2): JKK + JKM at the rates in
force on the first day of each covered month), how many a given pagu pays for, and how many
years of that pagu -- constant, or growing by a percentage a year -- reach everyone. The same
per kecamatan and per priority of Pasal 7 ayat (2).

The arithmetic is pure and integer (rupiah are ``int``; the growth is an exact ``Decimal``
turned into a ``Fraction``), so the same input gives the same figures on every machine. The
people come from the engine's own screening (``screening.screen``): this module never
re-implements a rule, it only counts the eligible and reads their Pasal 7 ayat (2) rank.

Definitions (docs/planning.md says the same in words):

* ``covered = min(eligible, floor(pagu / cost_per_person_year))`` (Pasal 6 ayat (2)).
* Year ``n`` (1-based) has the pagu ``pagu_n = floor(pagu * (1 + growth/100) ** (n - 1))``
  and pays for ``covered_n = min(eligible, floor(pagu_n / cost_per_person_year))`` people.
* ``years_to_full_coverage``: the least ``N`` with ``covered_1 + ... + covered_N >=
  eligible``: each year's pagu pays for the next people of the Pasal 7 ayat (2) queue not yet
  reached, so by year ``N`` everyone has had a year of cover. With a constant pagu this is
  ``ceil(eligible / covered)``, the issue's contract.
* ``years_until_pagu_covers_all``: the least ``N`` with ``covered_N == eligible``, the year
  in which one year's pagu pays for everyone at once (only a growing pagu gets there if the
  first year's does not).
* A kecamatan's or priority group's years: the year in which the queue reaches its last
  eligible person (its highest rank); its ``covered``: its people among the first
  ``covered`` ranks.

No answer is a number when there is none: ``None`` with a reason code (``no_eligible``,
``pagu_below_one_person_year``, ``beyond_horizon``), worded in Indonesian by the caller.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from payung.domain import wilayah
from payung.domain.policy import Policy

#: Statuses of the eligible in a decision table: Pasal 5 met; with a budget cut split in two.
ELIGIBLE_STATUSES: Final = ("eligible", "selected", "waitlisted")
#: Years a growing pagu is followed before the answer is "beyond the horizon" (None).
HORIZON_YEARS: Final = 100
#: Rows of the year-by-year schedule written out (the figures beyond are not needed to plan).
SCHEDULE_YEARS: Final = 30
#: Growth rates (percent a year) of the "years to full coverage by growth" comparison.
GROWTH_STEPS: Final = (Decimal(0), Decimal(5), Decimal(10), Decimal(15), Decimal(20))
#: Largest growth accepted (percent a year): a budget that doubles yearly is not a plan.
MAX_GROWTH: Final = Decimal(100)

#: Why a number of years is None.
NO_ELIGIBLE: Final = "no_eligible"
PAGU_BELOW_ONE: Final = "pagu_below_one_person_year"
BEYOND_HORIZON: Final = "beyond_horizon"
REASONS: Final = (NO_ELIGIBLE, PAGU_BELOW_ONE, BEYOND_HORIZON)


class SimulationError(ValueError):
    """An argument the user can fix (a negative pagu, a growth out of range); the message is
    a stable code, worded in Indonesian at the edge."""


def growth_parse(text: str | Decimal | int) -> Decimal:
    """A growth percentage as typed (``5``, ``2.5``, ``2,5``) -> an exact Decimal in
    [0, 100] with at most two decimals; raises ``SimulationError`` otherwise."""
    if isinstance(text, bool):
        raise SimulationError("growth.invalid")
    raw = str(text).strip().replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise SimulationError("growth.invalid") from None
    if not value.is_finite() or value < 0 or value > MAX_GROWTH:
        raise SimulationError("growth.range")
    if value != value.quantize(Decimal("0.01")):
        raise SimulationError("growth.precision")
    # Canonical text: "5" not "5.00", "2.5" not "2.50" (the JSON carries it as text).
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def growth_text(growth: Decimal) -> str:
    """The growth as the JSON writes it: ``"0"``, ``"5"``, ``"2.5"`` (never a float)."""
    return format(growth_parse(growth), "f")


@dataclass(frozen=True)
class Plan:
    """The year-by-year path of one pagu toward full coverage (see the module docstring)."""

    eligible: int
    cost_per_person_year: int
    pagu: int
    growth: Decimal
    #: ``covered_n`` for n = 1.. until the cumulative reaches ``eligible`` or the horizon.
    yearly_pagu: tuple[int, ...]
    yearly_covered: tuple[int, ...]
    cumulative: tuple[int, ...]

    @property
    def covered(self) -> int:
        return self.yearly_covered[0] if self.yearly_covered else 0

    @property
    def constant(self) -> bool:
        return self.growth == 0

    def year_reaching(self, rank: int) -> tuple[int | None, str | None]:
        """The year in which the queue reaches ``rank`` (1-based), or None and why."""
        if rank <= 0 or self.eligible == 0:
            return None, NO_ELIGIBLE
        if self.constant:
            if self.covered == 0:
                return None, PAGU_BELOW_ONE
            return math.ceil(rank / self.covered), None
        index = bisect.bisect_left(self.cumulative, rank)
        if index < len(self.cumulative):
            return index + 1, None
        if self.pagu == 0:
            return None, PAGU_BELOW_ONE
        return None, BEYOND_HORIZON

    def years_to_full_coverage(self) -> tuple[int | None, str | None]:
        return self.year_reaching(self.eligible)

    def years_until_pagu_covers_all(self) -> tuple[int | None, str | None]:
        """The first year whose own pagu pays for every eligible person."""
        if self.eligible == 0:
            return None, NO_ELIGIBLE
        if self.covered >= self.eligible:
            return 1, None
        if self.pagu == 0 or (self.constant and self.covered == 0):
            return None, PAGU_BELOW_ONE
        if not self.constant:
            full = self.eligible * self.cost_per_person_year
            factor = 1 + Fraction(self.growth) / 100
            exact = Fraction(self.pagu)
            for n in range(2, HORIZON_YEARS + 1):
                exact *= factor
                if math.floor(exact) >= full:
                    return n, None
        return None, BEYOND_HORIZON

    def schedule(self) -> list[dict[str, int]]:
        """The first years (at most ``SCHEDULE_YEARS``): pagu, people paid for, cumulative."""
        rows = []
        cumulative = 0
        for n in range(1, SCHEDULE_YEARS + 1):
            pagu_n, covered_n = self._year(n)
            cumulative = min(self.eligible, cumulative + covered_n)
            rows.append({"year": n, "pagu": pagu_n, "covered": covered_n, "cumulative": cumulative})
            if cumulative >= self.eligible or (self.constant and covered_n == 0):
                break
        return rows

    def _year(self, n: int) -> tuple[int, int]:
        if n <= len(self.yearly_pagu):
            return self.yearly_pagu[n - 1], self.yearly_covered[n - 1]
        pagu_n = _pagu_in_year(self.pagu, self.growth, n)
        return pagu_n, min(self.eligible, pagu_n // self.cost_per_person_year)


def _pagu_in_year(pagu: int, growth: Decimal, n: int) -> int:
    """``floor(pagu * (1 + growth/100) ** (n - 1))``, exactly (no float rounding)."""
    factor = 1 + Fraction(growth) / 100
    return math.floor(pagu * factor ** (n - 1))


def plan_compute(*, eligible: int, cost_per_person_year: int, pagu: int, growth: Decimal) -> Plan:
    """The path of ``pagu`` (growing by ``growth`` percent a year) toward covering
    ``eligible`` people at ``cost_per_person_year`` each (Pasal 6 ayat (2), Pasal 9 ayat (2)).

    A constant pagu needs only its first year (the rest is ``ceil``); a growing one is
    followed year by year until the cumulative reaches everyone or ``HORIZON_YEARS``.
    """
    for name, value in (("eligible", eligible), ("pagu", pagu)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SimulationError(f"{name}.invalid")
    if isinstance(cost_per_person_year, bool) or cost_per_person_year <= 0:
        raise SimulationError("cost.invalid")
    growth = growth_parse(growth)
    pagus: list[int] = []
    covers: list[int] = []
    sums: list[int] = []
    total = 0
    factor = 1 + Fraction(growth) / 100
    exact = Fraction(pagu)
    for _n in range(1, (1 if growth == 0 else HORIZON_YEARS) + 1):
        pagu_n = math.floor(exact)
        covered_n = min(eligible, pagu_n // cost_per_person_year)
        total += covered_n
        pagus.append(pagu_n)
        covers.append(covered_n)
        sums.append(total)
        if total >= eligible or pagu == 0:
            break
        exact *= factor
    return Plan(
        eligible=eligible,
        cost_per_person_year=cost_per_person_year,
        pagu=pagu,
        growth=growth,
        yearly_pagu=tuple(pagus),
        yearly_covered=tuple(covers),
        cumulative=tuple(sums),
    )


def cost_per_person_year(*, policy: Policy, months: int, year: int) -> int:
    """Rupiah one participant costs for ``months`` months of ``year`` (the last months of
    the year, each at the JKK + JKM rates in force on its first day: Pasal 9 ayat (2))."""
    return policy.annual_cost_per_person(months, year=year)


def rates_by_month(*, policy: Policy, months: int, year: int) -> list[dict[str, Any]]:
    """The rates behind ``cost_per_person_year``, month by month (what an auditor checks)."""
    rows = []
    for month in range(13 - months, 13):
        rates = policy.contribution.rates_on(date(year, month, 1))
        rows.append(
            {"month": f"{year:04d}-{month:02d}", "rates": rates, "total": sum(rates.values())}
        )
    return rows


@dataclass(frozen=True)
class EligibleRows:
    """The eligible of a screening, as the simulator reads them: rank, kecamatan, priorities."""

    ranks: list[int]
    kecamatan: list[str]
    priorities: list[str]

    @classmethod
    def from_decisions(cls, decisions: pa.Table) -> EligibleRows:
        """From a decision table (``screen(...).decisions``, or the rows a web selector read:
        ``status``, ``priority_rank``, ``priorities`` and ``kode_kecamatan`` or
        ``kode_desa``). Sorted by rank, so the result never depends on row order."""
        mask = pc.is_in(decisions["status"], value_set=pa.array(ELIGIBLE_STATUSES))
        rows = decisions.filter(pc.fill_null(mask, False))
        ranks = rows["priority_rank"].to_pylist()
        if "kode_kecamatan" in rows.column_names:
            kecs = [wilayah.kecamatan_code(c or "") for c in rows["kode_kecamatan"].to_pylist()]
        else:
            kecs = [wilayah.kecamatan_code(c or "") for c in rows["kode_desa"].to_pylist()]
        prios = [p or "" for p in rows["priorities"].to_pylist()]
        if any(r is None for r in ranks):
            raise SimulationError("rank.missing")
        order = sorted(range(len(ranks)), key=lambda i: ranks[i])
        return cls(
            ranks=[int(ranks[i]) for i in order],
            kecamatan=[kecs[i] for i in order],
            priorities=[prios[i] for i in order],
        )


def _group(
    name_fields: dict[str, Any], ranks: list[int], *, plan: Plan, cost: int
) -> dict[str, Any]:
    years, reason = plan.year_reaching(max(ranks) if ranks else 0)
    return {
        **name_fields,
        "eligible": len(ranks),
        "covered": sum(1 for r in ranks if r <= plan.covered),
        "pagu_for_full_coverage": len(ranks) * cost,
        "years_to_full_coverage": years,
        "years_to_full_coverage_reason": reason,
    }


def simulation_compute(
    people: EligibleRows,
    *,
    policy: Policy,
    pagu: int,
    growth: Decimal | str | int = 0,
    months: int | None = None,
    year: int,
) -> dict[str, Any]:
    """Every figure of the simulation, as JSON-ready values (ints, text, None).

    ``people`` are the eligible of a screening under ``policy`` (their Pasal 7 ayat (2)
    ranks 1..eligible); ``year`` is the programme year whose dated rates price the months.
    """
    months = policy.coverage_months if months is None else months
    growth = growth_parse(growth)
    cost = cost_per_person_year(policy=policy, months=months, year=year)
    eligible = len(people.ranks)
    if people.ranks != list(range(1, eligible + 1)):
        raise SimulationError("rank.not_contiguous")
    plan = plan_compute(eligible=eligible, cost_per_person_year=cost, pagu=pagu, growth=growth)
    years, reason = plan.years_to_full_coverage()
    single, single_reason = plan.years_until_pagu_covers_all()
    covered = plan.covered

    by_kec: dict[str, list[int]] = {}
    for rank, code in zip(people.ranks, people.kecamatan, strict=True):
        by_kec.setdefault(code, []).append(rank)
    kecamatan = []
    for code in sorted(by_kec):
        region = wilayah.lookup(code) if code else None
        fields = {"code": code or None, "name": region.name if region else None}
        kecamatan.append(_group(fields, by_kec[code], plan=plan, cost=cost))

    priority = []
    split = [set(p.split(";")) - {""} for p in people.priorities]
    for item in policy.priorities:
        ranks = [r for r, codes in zip(people.ranks, split, strict=True) if item.id in codes]
        fields = {"id": item.id, "article": item.article, "sentence": item.sentence}
        priority.append(_group(fields, ranks, plan=plan, cost=cost))
    none = [r for r, codes in zip(people.ranks, split, strict=True) if not codes]
    priority.append(
        _group({"id": None, "article": None, "sentence": None}, none, plan=plan, cost=cost)
    )

    by_growth = []
    for step in sorted({*GROWTH_STEPS, growth}):
        other = plan_compute(eligible=eligible, cost_per_person_year=cost, pagu=pagu, growth=step)
        y, why = other.years_to_full_coverage()
        by_growth.append(
            {"growth_pct": growth_text(step), "years_to_full_coverage": y, "reason": why}
        )

    return {
        "year": year,
        "months": months,
        "rates_by_month": rates_by_month(policy=policy, months=months, year=year),
        "cost_per_person_year": cost,
        "pagu": pagu,
        "growth_pct": growth_text(growth),
        "eligible": eligible,
        "covered": covered,
        "not_covered": eligible - covered,
        "pagu_used": covered * cost,
        "pagu_remaining": pagu - covered * cost,
        "pagu_for_full_coverage": eligible * cost,
        "pagu_shortfall": max(0, eligible * cost - pagu),
        "years_to_full_coverage": years,
        "years_to_full_coverage_reason": reason,
        "years_until_pagu_covers_all": single,
        "years_until_pagu_covers_all_reason": single_reason,
        "schedule": plan.schedule(),
        "by_kecamatan": kecamatan,
        "by_priority": priority,
        "years_by_growth": by_growth,
    }


def simulation_compare(base: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """What changes from ``base`` to ``other`` (a second policy, e.g. decile I-V instead of
    I-IV): the headline figures side by side with their difference, and per kecamatan."""
    keys = ("eligible", "cost_per_person_year", "covered", "pagu_for_full_coverage")
    headline = {
        key: {"base": base[key], "other": other[key], "change": other[key] - base[key]}
        for key in keys
    }
    for key in ("years_to_full_coverage", "years_until_pagu_covers_all"):
        headline[key] = {"base": base[key], "other": other[key]}
    rows: dict[str | None, dict[str, Any]] = {}
    for side, table in (("base", base["by_kecamatan"]), ("other", other["by_kecamatan"])):
        for row in table:
            entry = rows.setdefault(
                row["code"], {"code": row["code"], "name": row["name"], "base": 0, "other": 0}
            )
            entry[side] = row["eligible"]
    kecamatan = [
        {**entry, "change": entry["other"] - entry["base"]}
        for _code, entry in sorted(rows.items(), key=lambda kv: kv[0] or "")
    ]
    return {"headline": headline, "by_kecamatan_eligible": kecamatan}


def simulation_json(simulation: dict[str, Any]) -> str:
    """The JSON text, byte-identical for the same figures: sorted keys, no timestamps."""
    return json.dumps(simulation, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def simulation_write(simulation: dict[str, Any], out_dir: Path) -> Path:
    """Write ``out_dir/simulation.json`` atomically (a crash never leaves half a file)."""
    from payung.engine.decisions import atomic_write

    text = simulation_json(simulation)
    return atomic_write(
        out_dir / "simulation.json", lambda tmp: tmp.write_text(text, encoding="utf-8")
    )
