"""The budget simulator's arithmetic (issue 14; Pasal 6 ayat (2), Pasal 9 ayat (2)).

The figures a budget office plans with: covered = min(eligible, floor(pagu / cost)), the
years of a constant pagu (ceil(eligible / covered)) or of a growing one (the first year the
cumulative reaches everyone), and the cases with no answer (nobody eligible, a pagu below
one person-year) as None with a reason, never a division by zero.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pyarrow as pa
import pytest

from payung.domain.policy import Policy, policy_parse, policy_text
from payung.engine.backends import Backend
from payung.engine.screening import screen
from payung.engine.simulation import (
    BEYOND_HORIZON,
    NO_ELIGIBLE,
    PAGU_BELOW_ONE,
    EligibleRows,
    SimulationError,
    growth_parse,
    plan_compute,
    simulation_compare,
    simulation_compute,
    simulation_json,
)
from payung.engine.tests.factories import AS_OF, extract, population

COST = 201_600  # Rp16.800 x 12 months (Pasal 9 ayat (2))


def _people(kecamatan: list[str], priorities: list[str] | None = None) -> EligibleRows:
    n = len(kecamatan)
    return EligibleRows(
        ranks=list(range(1, n + 1)),
        kecamatan=kecamatan,
        priorities=priorities if priorities is not None else [""] * n,
    )


# --- the plan of one pagu --------------------------------------------------------------


def test_covered_is_the_pagu_divided_by_the_cost_rounded_down() -> None:
    plan = plan_compute(eligible=1_000, cost_per_person_year=COST, pagu=20_000_000, growth=0)
    assert plan.covered == 20_000_000 // COST == 99


def test_covered_never_exceeds_the_eligible() -> None:
    plan = plan_compute(eligible=10, cost_per_person_year=COST, pagu=10**12, growth=0)
    assert plan.covered == 10
    assert plan.years_to_full_coverage() == (1, None)
    assert plan.years_until_pagu_covers_all() == (1, None)


def test_constant_pagu_years_are_the_ceiling_of_eligible_over_covered() -> None:
    plan = plan_compute(eligible=1_000, cost_per_person_year=COST, pagu=20_000_000, growth=0)
    assert plan.years_to_full_coverage() == (math.ceil(1_000 / 99), None) == (11, None)
    # One year's constant pagu never pays for everyone at once.
    assert plan.years_until_pagu_covers_all() == (None, BEYOND_HORIZON)


def test_an_exact_multiple_takes_exactly_that_many_years() -> None:
    plan = plan_compute(eligible=300, cost_per_person_year=COST, pagu=100 * COST, growth=0)
    assert plan.years_to_full_coverage() == (3, None)


def test_zero_eligible_covers_nobody_and_has_no_years() -> None:
    plan = plan_compute(eligible=0, cost_per_person_year=COST, pagu=1_008_000_000, growth=0)
    assert plan.covered == 0
    assert plan.years_to_full_coverage() == (None, NO_ELIGIBLE)
    assert plan.years_until_pagu_covers_all() == (None, NO_ELIGIBLE)


def test_a_pagu_below_one_person_year_covers_nobody_and_has_no_years() -> None:
    plan = plan_compute(eligible=500, cost_per_person_year=COST, pagu=COST - 1, growth=0)
    assert plan.covered == 0
    assert plan.years_to_full_coverage() == (None, PAGU_BELOW_ONE)
    assert plan.years_until_pagu_covers_all() == (None, PAGU_BELOW_ONE)


def test_a_zero_pagu_that_grows_still_covers_nobody() -> None:
    plan = plan_compute(eligible=500, cost_per_person_year=COST, pagu=0, growth=Decimal(10))
    assert plan.years_to_full_coverage() == (None, PAGU_BELOW_ONE)


def test_growth_counts_years_until_the_cumulative_reaches_everyone() -> None:
    # Year n's pagu is floor(100 x COST x 1.5^(n-1)): it pays for 100, 150, 225, 337 people;
    # the cumulative 100, 250, 475, 812 first reaches 700 in year 4, and one year's pagu
    # first pays for all 700 in year 6 (100 x 1.5^5 = 759.375).
    plan = plan_compute(eligible=700, cost_per_person_year=COST, pagu=100 * COST, growth=50)
    assert plan.yearly_covered[:4] == (100, 150, 225, 337)
    assert plan.years_to_full_coverage() == (4, None)
    assert plan.years_until_pagu_covers_all() == (6, None)
    assert [row["cumulative"] for row in plan.schedule()] == [100, 250, 475, 700]


def test_growth_lets_a_pagu_below_one_person_year_get_there() -> None:
    # Rp100.800 is half a person-year; doubled it pays for one, then two, four ...
    plan = plan_compute(eligible=5, cost_per_person_year=COST, pagu=COST // 2, growth=100)
    assert plan.covered == 0
    assert plan.yearly_covered[:4] == (0, 1, 2, 4)
    assert plan.years_to_full_coverage() == (4, None)  # 0 + 1 + 2 + 4 >= 5


def test_growth_never_takes_longer_than_a_constant_pagu() -> None:
    for eligible in (1, 99, 1_000, 12_345):
        constant = plan_compute(
            eligible=eligible, cost_per_person_year=COST, pagu=50_000_000, growth=0
        ).years_to_full_coverage()[0]
        growing = plan_compute(
            eligible=eligible, cost_per_person_year=COST, pagu=50_000_000, growth=Decimal("2.5")
        ).years_to_full_coverage()[0]
        assert growing is not None and constant is not None and growing <= constant


def test_a_tiny_growth_beyond_the_horizon_is_none_not_a_guess() -> None:
    plan = plan_compute(eligible=10**6, cost_per_person_year=COST, pagu=COST, growth="0.01")
    assert plan.years_to_full_coverage() == (None, BEYOND_HORIZON)


@pytest.mark.parametrize("text", ["-1", "100.5", "abc", "2.555", "nan"])
def test_a_growth_out_of_range_or_too_precise_is_refused(text: str) -> None:
    with pytest.raises(SimulationError):
        growth_parse(text)


def test_growth_accepts_a_comma_and_is_kept_exact() -> None:
    assert growth_parse("2,5") == Decimal("2.5")
    assert growth_parse("5.00") == Decimal(5)


def test_a_negative_pagu_is_refused() -> None:
    with pytest.raises(SimulationError):
        plan_compute(eligible=1, cost_per_person_year=COST, pagu=-1, growth=0)


# --- the whole simulation ----------------------------------------------------------------


def test_kecamatan_rows_count_their_people_and_their_place_in_the_queue(policy: Policy) -> None:
    # Ranks 1..5: Sumur, Cimanggu, Sumur, Cimanggu, Cimanggu; the pagu pays for 2 a year.
    people = _people(["360101", "360102", "360101", "360102", "360102"])
    sim = simulation_compute(people, policy=policy, pagu=2 * COST + 5, year=2027)
    assert (sim["eligible"], sim["covered"], sim["years_to_full_coverage"]) == (5, 2, 3)
    assert sim["pagu_remaining"] == 5
    assert sim["pagu_for_full_coverage"] == 5 * COST
    assert sim["by_kecamatan"] == [
        {
            "code": "360101",
            "name": "Sumur",
            "eligible": 2,
            "covered": 1,
            "pagu_for_full_coverage": 2 * COST,
            "years_to_full_coverage": 2,  # rank 3 is reached in year 2
            "years_to_full_coverage_reason": None,
        },
        {
            "code": "360102",
            "name": "Cimanggu",
            "eligible": 3,
            "covered": 1,
            "pagu_for_full_coverage": 3 * COST,
            "years_to_full_coverage": 3,  # rank 5 is reached in year 3
            "years_to_full_coverage_reason": None,
        },
    ]
    assert sum(r["eligible"] for r in sim["by_kecamatan"]) == sim["eligible"]
    assert sum(r["covered"] for r in sim["by_kecamatan"]) == sim["covered"]


def test_priority_groups_follow_the_policy_and_count_those_with_none(policy: Policy) -> None:
    people = _people(["360101"] * 4, ["7(2)a;7(2)b", "7(2)a", "", "7(2)c"])
    sim = simulation_compute(people, policy=policy, pagu=COST, year=2027)
    counts = {row["id"]: (row["eligible"], row["covered"]) for row in sim["by_priority"]}
    assert counts == {"7(2)a": (2, 1), "7(2)b": (1, 1), "7(2)c": (1, 0), None: (1, 0)}
    group_a = sim["by_priority"][0]
    assert group_a["article"] == "Pasal 7 ayat (2) huruf a"
    assert group_a["years_to_full_coverage"] == 2
    # Nobody meets 7(2)b and no other: a group with nobody in it has no years.
    sim = simulation_compute(_people(["360101"]), policy=policy, pagu=COST, year=2027)
    assert sim["by_priority"][1]["years_to_full_coverage_reason"] == NO_ELIGIBLE


def test_zero_eligible_gives_an_empty_simulation_without_errors(policy: Policy) -> None:
    sim = simulation_compute(_people([]), policy=policy, pagu=1_008_000_000, year=2027)
    assert sim["eligible"] == sim["covered"] == sim["pagu_for_full_coverage"] == 0
    assert sim["years_to_full_coverage"] is None
    assert sim["years_to_full_coverage_reason"] == NO_ELIGIBLE
    assert sim["by_kecamatan"] == []
    assert sim["pagu_remaining"] == 1_008_000_000


def test_a_pagu_below_one_person_year_in_the_whole_simulation(policy: Policy) -> None:
    sim = simulation_compute(_people(["360101"] * 3), policy=policy, pagu=COST - 1, year=2027)
    assert sim["covered"] == 0
    assert sim["years_to_full_coverage_reason"] == PAGU_BELOW_ONE
    assert sim["by_kecamatan"][0]["years_to_full_coverage"] is None
    assert sim["pagu_shortfall"] == 3 * COST - (COST - 1)


def test_months_and_dated_rates_price_the_person_year(policy: Policy) -> None:
    text = policy_text("pandeglang-2025")
    # A JKK rate of Rp12.000 from 1 July 2027: the last 6 months of 2027 are charged it.
    old = "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000}\n"
    assert old in text
    dated = text.replace(
        old,
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000, valid_to: 2027-06-30}\n"
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 12000, "
        "valid_from: 2027-07-01}\n",
    )
    changed = policy_parse(dated, source="dated.yaml")
    people = _people(["360101"])
    assert (
        simulation_compute(people, policy=policy, pagu=0, months=6, year=2027)[
            "cost_per_person_year"
        ]
        == 6 * 16_800
    )
    sim = simulation_compute(people, policy=changed, pagu=0, months=12, year=2027)
    assert sim["cost_per_person_year"] == 6 * 16_800 + 6 * 18_800
    assert sim["rates_by_month"][6] == {
        "month": "2027-07",
        "rates": {"JKK": 12000, "JKM": 6800},
        "total": 18_800,
    }


def test_years_by_growth_includes_the_chosen_growth_in_order(policy: Policy) -> None:
    sim = simulation_compute(
        _people(["360101"] * 50), policy=policy, pagu=10 * COST, growth="7.5", year=2027
    )
    steps = [row["growth_pct"] for row in sim["years_by_growth"]]
    assert steps == ["0", "5", "7.5", "10", "15", "20"]
    years = [row["years_to_full_coverage"] for row in sim["years_by_growth"]]
    assert years[0] == 5 and years == sorted(years, reverse=True)


def test_the_json_is_byte_identical_for_the_same_input(policy: Policy) -> None:
    people = _people(["360102", "360101", "360101"], ["7(2)a", "", ""])
    first = simulation_json(simulation_compute(people, policy=policy, pagu=COST, year=2027))
    again = simulation_json(simulation_compute(people, policy=policy, pagu=COST, year=2027))
    assert first == again
    assert first.index('"by_kecamatan"') < first.index('"covered"')  # keys sorted


def test_on_a_screened_extract_it_agrees_with_the_screening(
    policy: Policy, duckdb_backend: Backend
) -> None:
    """Eligible and covered are the screening's own: the eligible count, and the selected of
    the same extract screened with the pagu as its budget (Pasal 6 ayat (2) cut)."""
    rows = population(300, seed=14)
    villages = ["3601012001", "3601022001", "3601032001"]
    for i, row in enumerate(rows):
        row["kode_desa"] = villages[i % 3]
    table = extract(rows)
    pagu = 40 * COST + 1_000
    plain = screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend)
    cut = screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend, budget=pagu, year=2026)
    sim = simulation_compute(
        EligibleRows.from_decisions(plain.decisions), policy=policy, pagu=pagu, year=2026
    )
    assert sim["eligible"] == plain.counts["by_status"]["eligible"] > 40
    assert sim["covered"] == cut.counts["by_status"]["selected"] == 40
    selected = cut.decisions.filter(pa.compute.equal(cut.decisions["status"], "selected"))
    per_kec = {}
    for code in selected["kode_desa"].to_pylist():
        per_kec[code[:6]] = per_kec.get(code[:6], 0) + 1
    assert {r["code"]: r["covered"] for r in sim["by_kecamatan"] if r["covered"]} == per_kec


def test_a_second_policy_is_compared_figure_by_figure(policy: Policy) -> None:
    base = simulation_compute(_people(["360101"] * 3), policy=policy, pagu=COST, year=2027)
    other = simulation_compute(
        _people(["360101"] * 3 + ["360102"] * 2), policy=policy, pagu=COST, year=2027
    )
    diff = simulation_compare(base, other)
    assert diff["headline"]["eligible"] == {"base": 3, "other": 5, "change": 2}
    assert diff["headline"]["years_to_full_coverage"] == {"base": 3, "other": 5}
    assert [(r["code"], r["change"]) for r in diff["by_kecamatan_eligible"]] == [
        ("360101", 0),
        ("360102", 2),
    ]
