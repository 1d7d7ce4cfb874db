"""Place names from region codes: one function per name, dots or no dots."""

from __future__ import annotations

import pytest

from payung.core import places


@pytest.mark.parametrize("code", ["3601012001", "36.01.01.2001", " 36.01.01.2001 "])
def test_a_village_reads_the_same_with_or_without_dots(code: str) -> None:
    assert places.village_name(code) == "Desa Sumberjaya"
    assert places.village_label(code) == "Desa Sumberjaya, Kec. Sumur"


@pytest.mark.parametrize("code", ["360101", "36.01.01"])
def test_a_kecamatan_reads_the_same_with_or_without_dots(code: str) -> None:
    assert places.kecamatan_name(code) == "Sumur"


def test_an_unknown_code_stays_traceable_and_an_empty_one_says_so() -> None:
    assert places.kecamatan_name("999999") == "999999"
    assert places.kecamatan_name("") == "(kosong)"
    assert places.village_name("3601011001") == ""
    assert places.village_label("bukan-kode") == "tidak dikenal"


@pytest.mark.parametrize("code", ["360201", "36.02.01"])
def test_a_kecamatan_outside_the_region_names_its_regency(code: str) -> None:
    assert places.kecamatan_label(code, region="3601") == "Malingping (Kabupaten Lebak)"
    assert places.kecamatan_label("360101", region="3601") == "Sumur"


def test_pages_name_places_through_the_payung_filters() -> None:
    """Screening, participants and verification pages load these filters from ``payung``."""
    from django.template import Context, Template

    template = Template(
        "{% load payung %}{{ v|village_label }}|{{ v|village_name }}|{{ k|kecamatan_name }}"
        "|{{ none|village_label }}"
    )
    out = template.render(Context({"v": "36.01.01.2001", "k": "360101", "none": None}))
    assert out == "Desa Sumberjaya, Kec. Sumur|Desa Sumberjaya|Sumur|"
