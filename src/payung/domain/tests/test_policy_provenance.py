"""Issue 15: Pekalongan's policy as the minutes of 24 July 2025 shape it, provenance on every
value, the assumptions a legal division must confirm, sanctions and funding sources."""

from __future__ import annotations

import pytest

from payung.domain.policy import (
    DEFAULT_FUNDING_SOURCES,
    PolicyError,
    policy_assumption_lines,
    policy_assumptions,
    policy_funding_sources,
    policy_get,
    policy_parse,
    policy_provenance_of,
    policy_text,
    policy_unsourced,
    shipped_ids,
)


@pytest.fixture(scope="module")
def pekalongan():
    return policy_get("pekalongan-2025")


def test_pekalongan_follows_the_minutes(pekalongan) -> None:
    assert (pekalongan.region.code, pekalongan.region.name) == ("3326", "Kabupaten Pekalongan")
    # item 2a: UU 11/2023 on Central Java Province, with its gazette numbers
    uu = [b for b in pekalongan.legal_bases if "Nomor 11 Tahun 2023" in b]
    assert len(uu) == 1 and "Nomor 58" in uu[0] and "Nomor 6867" in uu[0]
    # item 3: the definition follows the Minister of Home Affairs' regulation, not a list
    assert pekalongan.rules[0].kind == "informal_work"
    assert "Peraturan Menteri Dalam Negeri" in pekalongan.rules[0].sentence
    # item 2c: funding sources of Kaje Keren are budget-line kinds
    assert [s.code for s in policy_funding_sources(pekalongan)] == [
        "apbd",
        "bankeuprov",
        "lainnya",
    ]
    # items 2d and 4: sanctions on, with PP 86/2013's ladder
    s = pekalongan.sanctions
    assert s.enabled and "86 Tahun 2013" in s.basis
    assert (s.warnings, s.warning_working_days, s.fine_permille_per_month, s.fine_max_days) == (
        2,
        10,
        1,
        30,
    )
    # item 1: Dinkop UKM dan Naker, not Disnakertrans, drafts the list of names
    assert "KOPERASI" in pekalongan.decree("daftar_nama").issuer
    assert len(pekalongan.districts) == 19


def test_pandeglang_has_sanctions_off_and_default_sources() -> None:
    pandeglang = policy_get("pandeglang-2025")
    assert pandeglang.sanctions.enabled is False
    assert policy_funding_sources(pandeglang) == list(DEFAULT_FUNDING_SOURCES)


@pytest.mark.parametrize("ref", shipped_ids())
def test_every_value_of_a_shipped_policy_has_provenance(ref: str) -> None:
    assert policy_unsourced(policy_get(ref)) == []


def test_pekalongan_lists_its_assumptions_with_reasons(pekalongan) -> None:
    assumed = dict(policy_assumptions(pekalongan))
    # what the minutes do not settle is an assumption, with a sentence why
    assert {"rules.rentan", "rules.desil", "effective_date", "sanctions.article"} <= set(assumed)
    assert all(entry.why.strip() for entry in assumed.values())
    # what the minutes or another regulation settle is not
    assert "sanctions" not in assumed and "funding_sources" not in assumed
    assert "region" not in assumed
    lines = policy_assumption_lines(pekalongan)
    assert len(lines) == len(assumed)
    assert any(
        line.startswith("Kriteria Pasal 1 (definisi Pekerja Rentan): Notulen butir 3")
        for line in lines
    )


def test_the_most_specific_provenance_applies(pekalongan) -> None:
    region = policy_provenance_of(pekalongan, "rules.domisili.params.region")
    assert (region.source, "Kepmendagri" in region.ref) == ("peraturan", True)
    inherited = policy_provenance_of(pekalongan, "rules.usia.params.max_age")
    assert inherited.source == "asumsi"
    assert policy_provenance_of(pekalongan, "sanctions.warnings").source == "notulen"
    assert policy_provenance_of(pekalongan, "sanctions.article").source == "asumsi"
    bankeu = policy_provenance_of(pekalongan, "funding_sources.bankeuprov")
    assert bankeu.source == "asumsi"
    assert policy_provenance_of(pekalongan, "funding_sources.apbd").source == "notulen"


def test_a_rule_without_an_entry_is_sourced_by_its_own_article() -> None:
    pandeglang = policy_get("pandeglang-2025")
    entry = policy_provenance_of(pandeglang, "rules.5(2)b.params.max_age")
    assert (entry.source, entry.ref) == ("pasal", "Pasal 5 ayat (2) huruf b")


def test_a_provenance_path_that_names_nothing_is_refused_with_its_line() -> None:
    text = policy_text("pekalongan-2025").replace("  rules.usia:\n", "  rules.umur:\n")
    with pytest.raises(PolicyError) as err:
        policy_parse(text, source="x.yaml")
    assert "provenance 'rules.umur'" in str(err.value)


def test_an_assumption_needs_a_reason_and_a_source_a_reference() -> None:
    base = policy_text("pandeglang-2025")
    no_why = base.replace(
        '  title: {source: pasal, ref: "Perbup Pandeglang 63/2025, judul"}',
        "  title: {source: asumsi}",
    )
    with pytest.raises(PolicyError, match="asumsi harus disertai alasan"):
        policy_parse(no_why, source="x.yaml")
    no_ref = base.replace(
        '  title: {source: pasal, ref: "Perbup Pandeglang 63/2025, judul"}',
        "  title: {source: pasal}",
    )
    with pytest.raises(PolicyError, match="harus menyebut rujukannya"):
        policy_parse(no_ref, source="x.yaml")


def test_unsourced_values_are_reported() -> None:
    text = policy_text("pandeglang-2025")
    start = text.index("\nprovenance:")
    bare = policy_parse(text[:start] + "\n", source="bare")
    missing = policy_unsourced(bare)
    assert "region" in missing and "contribution" in missing
    assert not any(p.startswith("rules.") for p in missing)  # rules cite their articles


def test_sanctions_bounds_follow_pp_86_2013() -> None:
    text = policy_text("pekalongan-2025").replace("  warnings: 2\n", "  warnings: 3\n")
    with pytest.raises(PolicyError, match=r"sanctions\.warnings"):
        policy_parse(text, source="x.yaml")


def test_documents_print_only_the_assumptions_they_depend_on(pekalongan) -> None:
    from payung.domain.policy import SCREENING_SECTIONS

    lines = policy_assumption_lines(pekalongan, sections=SCREENING_SECTIONS)
    assert any(line.startswith("Kriteria Pasal 5 huruf c:") for line in lines)
    assert not any(line.startswith(("Siklus tahunan", "Sanksi")) for line in lines)
    assert len(lines) == len(policy_assumption_lines(pekalongan)) - 2


def test_a_district_outside_the_region_is_refused() -> None:
    text = policy_text("pekalongan-2025").replace('code: "332619"', 'code: "360119"')
    with pytest.raises(PolicyError, match="kecamatan di luar wilayah 3326: 360119"):
        policy_parse(text, source="x.yaml")
