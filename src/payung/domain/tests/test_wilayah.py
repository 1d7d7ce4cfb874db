"""Region-code lookup against the packaged Kepmendagri 2025 table.

Pandeglang (36.01) and Pekalongan (33.26) are the pilot regencies, so their districts and
villages are pinned by name; national totals guard against a truncated data file.
"""

from __future__ import annotations

import pytest

from payung.domain import wilayah
from payung.domain.wilayah import (
    Region,
    ancestors,
    children,
    dotted_code,
    is_within,
    lookup,
    normalize,
    village_kind,
    villages,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("36", "36"),
        ("36.01", "3601"),
        (" 36.01.01.2001 ", "3601012001"),
        ("3601012001", "3601012001"),
        ("99.99", "9999"),  # format only: existence is lookup()'s job
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "36-01", "36 01", "abc", "٣٦"])
def test_normalize_rejects_non_digits(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize(raw)


def test_lookup_province() -> None:
    assert lookup("36") == Region(code="36", name="Banten", level="provinsi", parent=None)


def test_lookup_regency() -> None:
    region = lookup("3601")
    assert region is not None
    assert region.name == "Kabupaten Pandeglang"
    assert region.level == "kabkota"
    assert region.parent == "36"
    assert region.dotted == "36.01"


def test_lookup_district_dotted() -> None:
    region = lookup("36.01.01")
    assert region == Region(code="360101", name="Sumur", level="kecamatan", parent="3601")


@pytest.mark.parametrize("code", ["36.01.01.2001", "3601012001", " 3601012001\n"])
def test_lookup_village_dotted_and_undotted(code: str) -> None:
    region = lookup(code)
    assert region is not None
    assert region.code == "3601012001"
    assert region.name == "Sumberjaya"
    assert region.level == "desakel"
    assert region.parent == "360101"
    assert region.dotted == "36.01.01.2001"


@pytest.mark.parametrize("code", ["99", "3699", "36.01.99.2001", "", "abc", "360"])
def test_lookup_unknown_is_none(code: str) -> None:
    assert lookup(code) is None


def test_region_is_immutable() -> None:
    region = lookup("36")
    assert region is not None
    with pytest.raises(AttributeError):
        region.name = "Jawa Barat"  # type: ignore[misc]


def test_dotted_code() -> None:
    assert dotted_code("3601012001") == "36.01.01.2001"
    assert dotted_code("360101") == "36.01.01"
    assert dotted_code("36") == "36"


def test_pekalongan_has_districts_and_villages() -> None:
    regency = lookup("33.26")
    assert regency is not None
    assert regency.name == "Kabupaten Pekalongan"
    districts = children("33.26")
    assert len(districts) == 19
    assert {d.name for d in districts} >= {"Kajen", "Kandangserang", "Paninggaran"}
    assert all(d.level == "kecamatan" and d.parent == "3326" for d in districts)
    pekalongan = villages("3326")
    assert len(pekalongan) == 285
    assert all(v.level == "desakel" and v.code.startswith("3326") for v in pekalongan)
    kajen = lookup("33.26.08.1016")
    assert kajen is not None
    assert kajen.name == "Kajen"


def test_pandeglang_villages() -> None:
    pandeglang = villages("36.01")
    assert len(pandeglang) == 339
    assert pandeglang[0].code == "3601012001"
    assert [v.code for v in pandeglang] == sorted(v.code for v in pandeglang)
    assert all(is_within(v.code, "3601") for v in pandeglang)


@pytest.mark.parametrize("code", ["36", "360101", "3601012001", "9999", "x"])
def test_villages_requires_a_regency(code: str) -> None:
    with pytest.raises(ValueError):
        villages(code)


@pytest.mark.parametrize("regency", ["36.01", "3326", "3171", "9401", "1101"])
def test_village_codes_without_the_table_are_those_of_villages(regency: str) -> None:
    """The screening's fast path (issue 16) reads only the regency's lines, and must list
    exactly the villages the table lists, in the same order."""
    wilayah._table.cache_clear()
    fast = wilayah.village_codes(regency)
    assert wilayah._table.cache_info().currsize == 0  # the whole table was not built
    assert fast == [v.code for v in villages(regency)]
    assert fast and wilayah.village_codes(regency) == fast  # the loaded table agrees too


@pytest.mark.parametrize("code", ["36", "360101", "3601012001", "9999", "x"])
def test_village_codes_requires_a_regency(code: str) -> None:
    wilayah._table.cache_clear()
    with pytest.raises(ValueError):
        wilayah.village_codes(code)


def test_national_totals() -> None:
    counts = {level: len(wilayah.regions(level)) for level in wilayah.LEVELS}
    assert counts == {"provinsi": 38, "kabkota": 514, "kecamatan": 7285, "desakel": 83762}
    assert len(wilayah.regions()) == sum(counts.values())


def test_regions_rejects_unknown_level() -> None:
    with pytest.raises(ValueError):
        wilayah.regions("kota")


def test_every_regency_has_villages() -> None:
    """Any of the 514 regencies must be able to run Payung, so none may be empty."""
    for regency in wilayah.regions("kabkota"):
        assert villages(regency.code), regency


def test_children_sorted_and_direct() -> None:
    banten = children("36")
    assert [r.code for r in banten] == sorted(r.code for r in banten)
    assert banten[0].name == "Kabupaten Pandeglang"
    assert all(r.level == "kabkota" and r.parent == "36" for r in banten)
    assert children("36.01.01")[0].code == "3601012001"
    assert children("3601012001") == []
    assert children("99") == []
    assert children("not a code") == []


def test_children_returns_a_copy() -> None:
    first = children("36")
    first.clear()
    assert children("36")


def test_ancestors() -> None:
    chain = ancestors("36.01.01.2001")
    assert [r.code for r in chain] == ["36", "3601", "360101"]
    assert [r.name for r in chain] == ["Banten", "Kabupaten Pandeglang", "Sumur"]
    assert ancestors("3601") == [lookup("36")]
    assert ancestors("36") == []
    assert ancestors("9999") == []


@pytest.mark.parametrize(
    ("code", "parent", "expected"),
    [
        ("3601012001", "3601", True),
        ("36.01.01.2001", "36.01.01", True),
        ("3601012001", "36", True),
        ("3601", "3601", True),
        ("3326012001", "3601", False),
        ("3601", "3601012001", False),
        ("3601012001", "360", False),  # would cut through a segment
        ("36010", "36", False),  # not a level's length
        ("abc", "36", False),
    ],
)
def test_is_within(code: str, parent: str, expected: bool) -> None:
    assert is_within(code, parent) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("36.01.01.2001", "desa"),
        ("3326081016", "kelurahan"),
        ("33.26.08.1016", "kelurahan"),
        ("91.03.01.3007", None),  # desa adat: neither, needs a human decision
        ("360101", None),
        ("3601", None),
        ("", None),
    ],
)
def test_village_kind(code: str, expected: str | None) -> None:
    assert village_kind(code) == expected


def test_village_kind_matches_names_in_pilots() -> None:
    """Every pilot village gets a kind; kelurahan are a minority in rural regencies."""
    for regency in ("3601", "3326"):
        kinds = [village_kind(v.code) for v in villages(regency)]
        assert None not in kinds
        assert kinds.count("desa") > kinds.count("kelurahan") > 0


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("3601202014", "360120"),
        ("36.01.20.2014", "360120"),
        (" 36.01.20.2014 ", "360120"),
        ("3601", ""),
        ("36.01.x", ""),
        ("", ""),
    ],
)
def test_kecamatan_code_reads_dotted_and_plain_village_codes(code: str, expected: str) -> None:
    assert wilayah.kecamatan_code(code) == expected
