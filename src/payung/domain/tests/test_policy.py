"""The policy model: the shipped Perbup Pandeglang 63/2025 loads as the regulation says, a
broken policy file is refused with the file, line and field, and the budget quota is exact."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payung.domain import rulekinds
from payung.domain.policy import (
    Policy,
    PolicyError,
    PolicyProblem,
    normalize_term,
    policy_get,
    policy_load,
    policy_parse,
    shipped_ids,
)

POLICY_ID = "pandeglang-2025"
SHIPPED_TEXT = (resources.files("payung") / "policies" / f"{POLICY_ID}.yaml").read_text(
    encoding="utf-8"
)

#: Pasal 9 ayat (2): JKK Rp10.000 + JKM Rp6.800 a month, 12 months a year.
MONTHLY = 10_000 + 6_800
ANNUAL = MONTHLY * 12


@pytest.fixture(scope="module")
def policy() -> Policy:
    return policy_get(POLICY_ID)


def mutated(old: str, new: str) -> str:
    """The shipped policy text with one exact fragment replaced (it must occur once)."""
    assert SHIPPED_TEXT.count(old) == 1, f"{old!r} must occur exactly once in the policy"
    return SHIPPED_TEXT.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """1-based line of the single line containing ``fragment``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(hits) == 1, f"{fragment!r} found on lines {hits}"
    return hits[0]


def problems_of(text: str, source: str = "rusak.yaml") -> list[PolicyProblem]:
    with pytest.raises(PolicyError) as info:
        policy_parse(text, source=source)
    assert info.value.source == source
    assert info.value.problems, "a PolicyError must list at least one problem"
    return info.value.problems


def only_problem(text: str, location_part: str) -> PolicyProblem:
    problems = problems_of(text)
    matching = [p for p in problems if location_part in p.location]
    assert matching, f"no problem at {location_part!r}: {problems}"
    return matching[0]


# --- the shipped policy ---------------------------------------------------------------


def test_shipped_policy_identity(policy: Policy) -> None:
    assert POLICY_ID in shipped_ids()
    assert policy.id == POLICY_ID
    assert policy.version == "2025.1"
    assert policy.region.code == "3601"
    assert "Pandeglang" in policy.region.name
    assert "63" in policy.short_title
    assert policy.effective_date.isoformat() == "2025-09-29"


def test_shipped_policy_contribution_rates(policy: Policy) -> None:
    rates = {c.code: c.monthly for c in policy.contribution.components}
    assert rates == {"JKK": 10_000, "JKM": 6_800}
    assert all(type(c.monthly) is int for c in policy.contribution.components)
    assert policy.contribution.monthly_total == MONTHLY
    assert policy.contribution.article == "Pasal 9 ayat (2)"
    assert policy.coverage_months == 12
    assert policy.annual_cost_per_person() == ANNUAL == 201_600
    assert policy.annual_cost_per_person(6) == MONTHLY * 6


def test_shipped_rule_ids_in_regulation_order(policy: Policy) -> None:
    assert [r.id for r in policy.rules] == [
        "5(1)",
        "5(2)a",
        "5(2)b",
        "5(2)c",
        "5(2)d",
        "5(2)e",
        "5(2)f",
    ]
    # The deemed criterion never fails anyone on its own, so it is not judged.
    assert [r.id for r in policy.judged_rules] == [
        "5(1)",
        "5(2)a",
        "5(2)b",
        "5(2)d",
        "5(2)e",
        "5(2)f",
    ]
    assert [p.id for p in policy.priorities] == ["7(2)a", "7(2)b", "7(2)c"]


def _article_for(rule_id: str) -> str:
    """``5(2)a`` -> ``Pasal 5 ayat (2) huruf a``; ``5(1)`` -> ``Pasal 5 ayat (1)``."""
    match = re.fullmatch(r"(\d+)\((\d+)\)([a-z]?)", rule_id)
    assert match, rule_id
    pasal, ayat, huruf = match.groups()
    return f"Pasal {pasal} ayat ({ayat})" + (f" huruf {huruf}" if huruf else "")


def test_every_rule_and_priority_is_citable(policy: Policy) -> None:
    for item in [*policy.rules, *policy.priorities]:
        assert item.id and item.article and item.sentence.strip()
        assert item.article == _article_for(item.id)
        assert policy.rule(item.id) is item
    with pytest.raises(KeyError):
        policy.rule("5(3)")


def test_deemed_rule_points_at_the_decile_rule(policy: Policy) -> None:
    deemed = policy.rule("5(2)c")
    assert isinstance(deemed, rulekinds.deemed.Rule)
    assert deemed.kind == "deemed"
    assert deemed.params.deemed_by == "5(2)d"
    assert policy.rule("5(2)d").kind == "decile"


def test_rule_parameters_match_pasal_5(policy: Policy) -> None:
    assert policy.rule("5(1)").kind == "occupation"
    assert policy.rule("5(2)a").params.region == "3601"
    age = policy.rule("5(2)b").params
    assert (age.min_age, age.max_age) == (18, 64)
    decile = policy.rule("5(2)d").params
    assert (decile.min_desil, decile.max_desil) == (1, 4)
    assert policy.rule("5(2)e").kind == "working"
    assert set(policy.rule("5(2)f").params.excluded_sources) == {"APBN", "APBD PROVINSI", "APBD"}


def test_priorities_match_pasal_7_ayat_2(policy: Policy) -> None:
    assert policy.rule("7(2)a").params.age == 60
    assert "TIDAK" in policy.rule("7(2)b").params.none_values
    family = policy.rule("7(2)c").params
    assert family.single_values == ["BELUM KAWIN"]
    assert family.min_dependants == 1
    assert policy.ranking.order == ["priority_count", "desil", "birth_date", "nik_hash", "nik"]


def test_ten_occupation_categories_of_pasal_5_ayat_1(policy: Policy) -> None:
    letters = sorted(c.letter for c in policy.occupations.categories.values())
    assert letters == list("abcdefghij")
    assert set(policy.occupations.terms.values()) <= set(policy.occupations.categories)


@pytest.mark.parametrize(
    ("term", "category"),
    [
        ("PETANI/PEKEBUN", "petani"),
        ("NELAYAN/PERIKANAN", "nelayan"),
        ("PETERNAK", "peternak"),
        ("PEMBUDIDAYA IKAN", "peternak"),
        ("PEDAGANG", "usaha_mikro"),
        ("PEDAGANG KAKI LIMA", "usaha_mikro"),
        ("PENGEMUDI ANGKUTAN UMUM", "pengemudi_angkutan_umum"),
        ("SOPIR", "pengemudi_angkutan_umum"),
        ("PENGEMUDI RENTAL", "pengemudi_rental"),
        ("TUKANG OJEK", "pengemudi_ojek"),
        ("PENGEMUDI OJEK", "pengemudi_ojek"),
        ("JURU PARKIR", "juru_parkir"),
        ("PEMULUNG", "pemulung"),
        ("BURUH HARIAN LEPAS", "buruh_harian"),
    ],
)
def test_occupation_terms_map_to_categories(policy: Policy, term: str, category: str) -> None:
    assert policy.occupations.normalized_terms[term] == category


def test_not_working_and_regular_employment_are_not_categories(policy: Policy) -> None:
    occ = policy.occupations
    not_working = {normalize_term(v) for v in occ.not_working}
    regular = {normalize_term(v) for v in occ.regular_employment}
    assert {
        "BELUM/TIDAK BEKERJA",
        "MENGURUS RUMAH TANGGA",
        "PELAJAR/MAHASISWA",
        "PENSIUNAN",
    } <= not_working
    assert {
        "PEGAWAI NEGERI SIPIL",
        "KARYAWAN SWASTA",
        "GURU",
        "PERANGKAT DESA",
        "KEPOLISIAN RI",
        "DOKTER",
    } <= regular
    assert not (not_working | regular) & set(occ.normalized_terms)
    assert not not_working & regular


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("petani / pekebun", "PETANI/PEKEBUN"),
        ("  Buruh   Harian\tLepas ", "BURUH HARIAN LEPAS"),
        ("Belum /Tidak Bekerja", "BELUM/TIDAK BEKERJA"),
        ("PELAJAR/ MAHASISWA", "PELAJAR/MAHASISWA"),
        ("juru\u00a0parkir", "JURU PARKIR"),
    ],
)
def test_normalize_term(raw: str, normalized: str) -> None:
    assert normalize_term(raw) == normalized


def test_policy_get_accepts_a_path(tmp_path: Path, policy: Policy) -> None:
    path = tmp_path / "kebijakan.yaml"
    path.write_text(SHIPPED_TEXT, encoding="utf-8")
    assert policy_get(str(path)) == policy
    assert policy_load(path) == policy


# --- refusing broken policy files ------------------------------------------------------


def test_bad_integer_names_file_line_and_field() -> None:
    text = mutated("max_age: 64", "max_age: banyak")
    problem = only_problem(text, "max_age")
    assert problem.code == "policy.field"
    assert problem.location.endswith("params.max_age")
    assert problem.location.startswith("rules.2")
    # The line of the offending key, not the start of the rule that holds it.
    assert problem.line == line_of(text, "max_age: banyak")
    assert problem.describe("rusak.yaml").startswith(f"rusak.yaml:{problem.line} ")


def test_missing_field_names_the_block_that_lacks_it() -> None:
    text = mutated("      max_age: 64\n", "")
    problem = only_problem(text, "max_age")
    assert problem.location.startswith("rules.2")
    # The params block (its first line): the key itself is absent.
    assert problem.line == line_of(text, "min_age: 18")


def test_load_error_message_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pandeglang-rusak.yaml"
    path.write_text(mutated("coverage_months: 12", "coverage_months: 13"), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        policy_load(path)
    line = line_of(path.read_text(encoding="utf-8"), "coverage_months: 13")
    (problem,) = info.value.problems
    assert problem.location == "coverage_months"
    assert problem.line == line
    assert f"{path}:{line}" in str(info.value)
    assert "coverage_months" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "index"),
    [
        ("monthly: 10000}", "monthly: 10000.0}", 0),
        ("monthly: 10000}", "monthly: 10000.5}", 0),
        ("monthly: 6800}", "monthly: 6800.5}", 1),
        ("monthly: 6800}", 'monthly: "6800"}', 1),
        ("monthly: 6800}", "monthly: 0}", 1),
    ],
)
def test_monthly_rate_must_be_positive_integer_rupiah(old: str, new: str, index: int) -> None:
    text = mutated(old, new)
    problem = only_problem(text, "monthly")
    assert problem.location == f"contribution.components.{index}.monthly"
    assert problem.line == line_of(text, new)


def test_unknown_occupation_category_in_terms() -> None:
    text = mutated("PEMULUNG: pemulung\n", "PEMULUNG: pemulung_sampah\n")
    problem = only_problem(text, "occupations")
    assert "pemulung_sampah" in problem.detail
    assert problem.line is not None
    # the section itself, not its provenance entry (issue 15) further down
    assert problem.line >= text.splitlines().index("occupations:") + 1


def test_duplicate_rule_id() -> None:
    text = mutated('- id: "5(2)b"', '- id: "5(2)a"')
    problems = problems_of(text)
    assert any("5(2)a" in p.detail for p in problems), problems
    assert all(p.line is not None for p in problems)


def test_rule_id_shared_with_a_priority_is_a_duplicate() -> None:
    problems = problems_of(mutated('- id: "7(2)a"', '- id: "5(1)"'))
    assert any("5(1)" in p.detail for p in problems), problems


def test_min_age_above_max_age() -> None:
    text = mutated("min_age: 18", "min_age: 70")
    problem = only_problem(text, "params")
    assert problem.location.startswith("rules.2")
    assert "min_age" in problem.detail
    # The params block (its key or its first line), not the start of the rule.
    assert problem.line in {line_of(text, "min_age: 70") - 1, line_of(text, "min_age: 70")}


def test_deemed_rule_must_point_at_a_known_rule() -> None:
    problems = problems_of(mutated('deemed_by: "5(2)d"', 'deemed_by: "5(2)z"'))
    assert any("5(2)z" in p.detail for p in problems), problems


def test_unknown_key_is_refused() -> None:
    text = mutated("coverage_months: 12", "coverage_months: 12\nbonus_pagu: 1")
    problem = only_problem(text, "bonus_pagu")
    assert problem.line == line_of(text, "bonus_pagu")


def test_unknown_rule_kind_is_refused() -> None:
    text = mutated("kind: working", "kind: bekerja")
    problem = only_problem(text, "rules.5")
    assert problem.line is not None


def test_ranking_must_end_on_nik() -> None:
    text = mutated(
        "order: [priority_count, desil, birth_date, nik_hash, nik]",
        "order: [priority_count, desil, nik, birth_date]",
    )
    problem = only_problem(text, "ranking.order")
    assert problem.line == line_of(text, "order: [priority_count, desil, nik, birth_date]")


def test_every_problem_is_reported_at_once() -> None:
    text = mutated("max_age: 64", "max_age: banyak").replace("monthly: 6800}", "monthly: 6.8}")
    locations = {p.location for p in problems_of(text)}
    assert any(loc.endswith("max_age") for loc in locations), locations
    assert "contribution.components.1.monthly" in locations


def test_invalid_yaml_reports_its_line() -> None:
    text = mutated("name: Kabupaten Pandeglang", "name: Kabupaten: Pandeglang")
    (problem,) = problems_of(text)
    assert problem.code == "policy.yaml"
    assert problem.line == line_of(text, "name: Kabupaten: Pandeglang")


@pytest.mark.parametrize("text", ["", "# hanya komentar\n", "- satu\n- dua\n", "teks\n"])
def test_empty_or_non_mapping_policy(text: str) -> None:
    (problem,) = problems_of(text)
    assert problem.code == "policy.empty"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        policy_load(tmp_path / "tidak-ada.yaml")
    assert [p.code for p in info.value.problems] == ["policy.not_found"]


def test_unknown_policy_id_lists_the_available_ones() -> None:
    with pytest.raises(PolicyError) as info:
        policy_get("pandeglang-2099")
    (problem,) = info.value.problems
    assert problem.code == "policy.unknown"
    assert "pandeglang-2099" in problem.detail
    for known in shipped_ids():
        assert known in problem.detail
    assert POLICY_ID in str(info.value)


# --- the budget quota (Pasal 6 ayat (2)) ----------------------------------------------


@pytest.mark.parametrize(
    ("budget", "months", "quota"),
    [
        (0, None, 0),
        (ANNUAL - 1, None, 0),
        (ANNUAL, None, 1),
        (ANNUAL * 1000 + ANNUAL - 1, None, 1000),
        (1_000_000_000, None, 4960),
        (MONTHLY * 6 * 3, 6, 3),
        (MONTHLY * 6 * 3 - 1, 6, 2),
        (MONTHLY, 1, 1),
        (ANNUAL, 12, 1),
    ],
)
def test_quota_examples(policy: Policy, budget: int, months: int | None, quota: int) -> None:
    assert policy.quota(budget, months) == quota


@given(budget=st.integers(min_value=0, max_value=10**15), months=st.integers(1, 12))
def test_quota_is_the_largest_affordable_count(policy: Policy, budget: int, months: int) -> None:
    cost = MONTHLY * months
    assert policy.annual_cost_per_person(months) == cost
    quota = policy.quota(budget, months)
    assert isinstance(quota, int)
    assert quota * cost <= budget < (quota + 1) * cost


@given(budget=st.integers(min_value=0, max_value=10**15))
def test_quota_defaults_to_the_policy_coverage_months(policy: Policy, budget: int) -> None:
    assert policy.quota(budget) == policy.quota(budget, 12) == budget // ANNUAL


@pytest.mark.parametrize("budget", [-1, -ANNUAL, 1.5, float(ANNUAL), True, False, "201600", None])
def test_quota_rejects_non_rupiah_budgets(policy: Policy, budget: object) -> None:
    with pytest.raises(ValueError):
        policy.quota(budget)  # type: ignore[arg-type]


def test_shipped_decrees_follow_pasal_7_and_10(policy: Policy) -> None:
    """Pasal 7 ayat (4): the Regent fixes participants; Pasal 10 ayat (2) huruf d: the head of
    Disnakertrans lists the names; Pasal 10 ayat (5): the team by the Regent's decree."""
    got = [(d.id, d.article, d.subject, d.establishes_participants) for d in policy.decrees]
    assert got == [
        ("peserta", "Pasal 7 ayat (4)", "participants", True),
        ("daftar_nama", "Pasal 10 ayat (2) huruf d", "participants", False),
        ("tim", "Pasal 10 ayat (5)", "team", False),
    ]
    assert policy.decree("peserta").issuer == "BUPATI PANDEGLANG"
    assert "{year}" in policy.decree("tim").title


def test_only_one_decree_may_fix_the_participants() -> None:
    text = mutated(
        "  - id: daftar_nama\n", "  - id: daftar_nama\n    establishes_participants: true\n"
    )
    problem = only_problem(text, "")
    assert "hanya satu keputusan" in problem.detail


def test_duplicate_decree_id() -> None:
    text = mutated("  - id: daftar_nama\n", "  - id: peserta\n")
    assert "id keputusan ganda" in only_problem(text, "").detail


# --- the year after the decree (issue 12) ------------------------------------------------


def test_shipped_cycle_settings_follow_pasal_5_ayat_2_huruf_b(policy: Policy) -> None:
    # Age is judged at registration: turning 65 during the year ends nothing in Pandeglang.
    assert policy.cycle.age_ends_cover is False
    assert policy.cycle.carry_over_first is True
    assert policy.cycle.appeal_answer_days == 14
    assert policy.cycle.appeal_eligible_to == "waiting_list"


def test_policy_without_cycle_takes_pandeglang_defaults() -> None:
    start = SHIPPED_TEXT.index("cycle:\n")
    end = SHIPPED_TEXT.index("# The decrees of the yearly cycle")
    without = SHIPPED_TEXT[:start] + SHIPPED_TEXT[end:]
    assert "appeal_answer_days: 14" not in without  # its provenance entry may stay
    parsed = policy_parse(without, source="tanpa-cycle.yaml")
    assert parsed.cycle.appeal_answer_days == 14
    assert parsed.cycle.age_ends_cover is False


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("appeal_answer_days: 14", "appeal_answer_days: 0", "appeal_answer_days"),
        (
            "appeal_eligible_to: waiting_list",
            "appeal_eligible_to: langsung",
            "appeal_eligible_to",
        ),
        ("age_ends_cover: false", "age_ends_cover: barangkali", "age_ends_cover"),
    ],
)
def test_bad_cycle_setting_names_its_line(old: str, new: str, field: str) -> None:
    text = mutated(old, new)
    problem = only_problem(text, field)
    assert problem.location == f"cycle.{field}"
    assert problem.line == line_of(text, new)
