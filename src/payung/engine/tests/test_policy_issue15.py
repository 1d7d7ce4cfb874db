"""Issue 15: Pekalongan's policy screens by its own rules, the policy diff counts who moves
and why (hand-computed cases), and a scaffolded policy for three other regions loads and
screens a synthetic extract of that region."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from payung.domain.policy import Policy, policy_get, policy_parse, policy_text
from payung.domain.policy_scaffold import ScaffoldError, policy_scaffold
from payung.engine.backends import Backend
from payung.engine.policy_changes import (
    CHANGES_HEADERS,
    policy_diff,
    policy_diff_changes_csv,
    policy_diff_rules,
    policy_diff_text,
)
from payung.engine.readers import read_extract
from payung.engine.screening import screen
from payung.engine.synth import synth_write
from payung.engine.tests.factories import AS_OF, BIRTH, People, extract

#: Kec. Kajen (33.26.08) and one of its villages: Pekalongan's seat.
KAJEN = "332608"
KAJEN_VILLAGE = "3326082001"


@pytest.fixture(scope="module")
def pekalongan() -> Policy:
    return policy_get("pekalongan-2025")


def _statuses(policy: Policy, rows: list[dict], backend: Backend) -> list[tuple[str, str]]:
    result = screen(extract(rows), policy=policy, as_of=AS_OF, backend=backend).decisions
    return list(zip(result["status"].to_pylist(), result["reasons"].to_pylist(), strict=True))


# --- Pekalongan screens by its own rules -----------------------------------------------


def test_pekalongan_screens_by_its_rules(pekalongan: Policy, duckdb_backend: Backend) -> None:
    """Expectations written from the file: informal work of any trade (minutes item 3: the
    Permendagri definition, no closed list), domicile 3326, 18-64, Desil I-IV, no other aid."""
    people = People()

    def local(**fields: object) -> dict:
        return people.person(district=KAJEN, kode_desa=KAJEN_VILLAGE, **fields)

    rows = [
        local(pekerjaan="PERAJIN BATIK"),  # listed informal trade
        local(pekerjaan="PEMBATIK TULIS"),  # a trade no list names: still informal work
        local(pekerjaan="KARYAWAN SWASTA"),  # wage employment
        local(pekerjaan="MENGURUS RUMAH TANGGA"),  # not working
        local(pekerjaan=""),  # nothing written
        local(desil="5"),
        local(birth=BIRTH.replace(year=1950)),  # 75 on the as-of date
        people.person(),  # lives in Pandeglang (3601)
        local(bantuan_iuran="APBD PROVINSI"),
    ]
    got = _statuses(pekalongan, rows, duckdb_backend)
    assert got == [
        ("eligible", None),
        ("eligible", None),
        ("ineligible", "rentan"),
        ("ineligible", "rentan"),
        ("ineligible", "rentan"),
        ("ineligible", "desil"),
        ("ineligible", "usia"),
        ("ineligible", "domisili"),
        ("ineligible", "bantuan_lain"),
    ]


def test_the_same_people_under_pandeglang_differ_where_the_rules_do(
    pekalongan: Policy, policy: Policy, duckdb_backend: Backend
) -> None:
    """The unlisted trade fails Pandeglang's closed list (Pasal 5 ayat (1)) but not
    Pekalongan's definition; a Pandeglang resident passes Pandeglang's domicile only."""
    people = People()
    rows = [
        people.person(pekerjaan="PEMBATIK TULIS"),
        people.person(district=KAJEN, kode_desa=KAJEN_VILLAGE, pekerjaan="PEMBATIK TULIS"),
    ]
    assert _statuses(policy, rows, duckdb_backend) == [
        ("ineligible", "5(1)"),
        ("ineligible", "5(1);5(2)a"),
    ]
    assert _statuses(pekalongan, rows, duckdb_backend) == [
        ("ineligible", "domisili"),
        ("eligible", None),
    ]


# --- the diff, against hand-computed cases ---------------------------------------------


def _variant(**replace: str) -> Policy:
    text = policy_text("pandeglang-2025")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return policy_parse(text, source="variant")


def _desil_i_to_v() -> Policy:
    return _variant(**{"      max_desil: 4\n": "      max_desil: 5\n"})


def test_rule_diff_of_one_changed_bound_names_both_articles(policy: Policy) -> None:
    changes = policy_diff_rules(policy, _desil_i_to_v())
    assert len(changes) == 1
    (change,) = changes
    assert (change.kind, change.section, change.item) == ("changed", "kriteria", "5(2)d")
    assert change.article_a == change.article_b == "Pasal 5 ayat (2) huruf d"
    assert change.details == ("max_desil: 4 → 5",)
    assert change.describe().startswith(
        "Diubah — kriteria [5(2)d] (A: Pasal 5 ayat (2) huruf d | B: Pasal 5 ayat (2) huruf d)"
    )


def test_identical_policies_have_no_differences(policy: Policy) -> None:
    assert policy_diff_rules(policy, policy_get("pandeglang-2025")) == []


def test_removed_and_added_rules_are_listed_with_their_side(policy: Policy) -> None:
    # Drop Pasal 5 ayat (2) huruf f (other aid) from B.
    text = policy_text("pandeglang-2025")
    start = text.index('  - id: "5(2)f"')
    end = text.index("\n# Pasal 5 ayat (1): the ten categories")
    without_f = policy_parse(text[:start] + text[end:], source="b")
    changes = policy_diff_rules(policy, without_f)
    assert [(c.kind, c.item, c.article_a, c.article_b) for c in changes] == [
        ("removed", "5(2)f", "Pasal 5 ayat (2) huruf f", "—")
    ]
    back = policy_diff_rules(without_f, policy)
    assert [(c.kind, c.item, c.article_b) for c in back] == [
        ("added", "5(2)f", "Pasal 5 ayat (2) huruf f")
    ]


def test_rules_of_one_kind_pair_across_ids(policy: Policy, pekalongan: Policy) -> None:
    """Pandeglang's 5(2)b and Pekalongan's 'usia' are one criterion with two articles."""
    changes = {c.item: c for c in policy_diff_rules(policy, pekalongan)}
    usia = changes["5(2)b ↔ usia"]
    assert (usia.article_a, usia.article_b) == ("Pasal 5 ayat (2) huruf b", "Pasal 5 huruf b")
    assert "min_age" not in " ".join(usia.details)  # same bounds
    assert changes["5(1)"].kind == "removed"
    assert changes["rentan"].kind == "added"
    assert changes["sanctions"].details[0] == "enabled: tidak → ya"
    assert changes["bankeuprov"].kind == "added"


def test_extract_diff_counts_moves_by_rule(policy: Policy, duckdb_backend: Backend) -> None:
    """Hand-computed: of five people only the one in Desil V moves (ineligible → eligible,
    under 5(2)d of A); Desil VI stays ineligible, the others stay as they were."""
    people = People()
    rows = [
        people.person(desil="3"),
        people.person(desil="5"),
        people.person(desil="6"),
        people.person(desil="5", pekerjaan="KARYAWAN SWASTA"),  # still fails 5(1)
        people.person(desil="4"),
    ]
    b = _desil_i_to_v()
    diff = policy_diff(policy, b, table=extract(rows), as_of=AS_OF, backend=duckdb_backend)
    assert diff.rows == 5
    assert diff.moves == {("ineligible", "eligible"): 1}
    assert [(c.status_a, c.status_b, c.rule, c.article, c.count) for c in diff.status_changes] == [
        ("ineligible", "eligible", "5(2)d", "Pasal 5 ayat (2) huruf d", 1)
    ]
    assert diff.changed_rows == [(2, rows[1]["nik"], "ineligible", "eligible", "5(2)d", "")]
    text = policy_diff_text(diff, a=policy, b=b)
    assert "tidak memenuhi syarat → memenuhi syarat: 1" in text


def test_a_stricter_b_counts_each_failed_rule(policy: Policy, duckdb_backend: Backend) -> None:
    """Tighter age (max 59) in B: the 62-year-old moves eligible → ineligible under 5(2)b
    of B; the 45-year-old does not move."""
    people = People()
    rows = [people.person(), people.person(birth=BIRTH.replace(year=1963))]
    b = _variant(**{"      max_age: 64\n": "      max_age: 59\n"})
    diff = policy_diff(policy, b, table=extract(rows), as_of=AS_OF, backend=duckdb_backend)
    assert diff.moves == {("eligible", "ineligible"): 1}
    assert [(c.rule, c.count) for c in diff.status_changes] == [("5(2)b", 1)]
    data = policy_diff_changes_csv(diff)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert parsed == [
        list(CHANGES_HEADERS),
        ["2", rows[1]["nik"], "eligible", "ineligible", "", "5(2)b"],
    ]


def test_changes_csv_neutralises_a_formula_in_a_nik_cell(
    policy: Policy, duckdb_backend: Backend
) -> None:
    rows = [People().person(nik="=1+1", desil="5")]
    diff = policy_diff(
        policy, _desil_i_to_v(), table=extract(rows), as_of=AS_OF, backend=duckdb_backend
    )
    body = policy_diff_changes_csv(diff).decode("utf-8-sig")
    assert "=1+1" not in body.replace("'=1+1", "")


# --- the scaffold, for a city, a regency in Papua and one in Aceh -------------------------


@pytest.mark.parametrize(
    ("code", "name", "head"),
    [
        ("3273", "Kota Bandung", "WALI KOTA BANDUNG"),
        ("9103", "Kabupaten Jayapura", "BUPATI JAYAPURA"),
        ("11.08", "Kabupaten Aceh Utara", "BUPATI ACEH UTARA"),
    ],
)
def test_scaffold_loads_and_screens_its_own_synthetic_extract(
    code: str, name: str, head: str, tmp_path: Path, duckdb_backend: Backend
) -> None:
    digits = code.replace(".", "")
    scaffold = policy_parse(policy_scaffold(region_code=code), source=code)
    assert (scaffold.region.code, scaffold.region.name) == (digits, name)
    assert {d.issuer for d in scaffold.decrees} >= {head}
    assert scaffold.districts and all(d.code.startswith(digits) for d in scaffold.districts)
    assert not any("Pandeglang" in b for b in scaffold.legal_bases)
    assert scaffold.sanctions.enabled is False
    rules = {r.kind: r for r in scaffold.rules}
    assert rules["domicile"].params.region == digits
    # Pandeglang's rules are a starting point, marked as assumptions until confirmed.
    assumed = {path for path, _entry in scaffold_assumptions(scaffold)}
    assert {"rules", "priorities", "contribution", "decrees"} <= assumed
    assert "region" not in assumed

    path = synth_write(rows=400, seed=7, out=tmp_path / "x.csv", region=digits)
    table = read_extract(path)
    result = screen(table, policy=scaffold, as_of=AS_OF, backend=duckdb_backend)
    decisions = result.decisions.to_pydict()
    assert result.counts["by_status"]["eligible"] > 0
    # Domicile fails exactly for the rows living outside the region.
    outside = {
        row
        for row, village in zip(
            table["row"].to_pylist(), table["kode_desa"].to_pylist(), strict=True
        )
        if village and not village.replace(".", "").startswith(digits)
    }
    domicile_id = rules["domicile"].id
    failed = {
        row
        for row, status, reasons in zip(
            decisions["row"], decisions["status"], decisions["reasons"], strict=True
        )
        if status == "ineligible" and domicile_id in (reasons or "").split(";")
    }
    assert failed and failed <= outside


def scaffold_assumptions(policy: Policy) -> list:
    from payung.domain.policy import policy_assumptions

    return policy_assumptions(policy)


def test_scaffold_refuses_what_is_no_regency() -> None:
    with pytest.raises(ScaffoldError, match="bukan kabupaten/kota"):
        policy_scaffold(region_code="33")
    with pytest.raises(ScaffoldError, match="bukan kabupaten/kota"):
        policy_scaffold(region_code="9999")


def test_synthetic_extract_of_another_region_lives_there(tmp_path: Path) -> None:
    path = synth_write(rows=500, seed=3, out=tmp_path / "p.csv", region="3326")
    villages = read_extract(path)["kode_desa"].to_pylist()
    regions = Counter((v or "").replace(".", "")[:4] for v in villages)
    assert regions.most_common(1)[0][0] == "3326"
    assert "3601" not in regions
