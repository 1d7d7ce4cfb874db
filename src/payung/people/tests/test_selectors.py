"""The header search's reads (``people.selectors.person_search``): a common name is read up to
``SEARCH_ROWS`` rows and said to be a part; a rarer one lists every holder, by name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.people import selectors
from payung.screening.tests.factories import DtsenImportFactory, PersonFactory, ProgrammeYearFactory

pytestmark = pytest.mark.django_db


def _persons(names: list[str], *, year: int = 2026, first_row: int = 2) -> None:
    """Persons of one year's import, each with a NIK of their own."""
    dtsen_import = DtsenImportFactory(programme_year=ProgrammeYearFactory(year=year))
    for row, name in enumerate(names, start=first_row):
        PersonFactory(dtsen_import=dtsen_import, row=row, nama=name, nik=f"36010141{row:08d}")


def test_a_name_held_by_fewer_than_the_rows_read_lists_every_holder_by_name() -> None:
    _persons(["SITI ROHANI", "ADE SUNARSIH", "SITI AMINAH", "ASEP", "NENG SITI"])

    found = selectors.person_search(term="siti")

    assert [h.name for h in found.hits] == ["NENG SITI", "SITI AMINAH", "SITI ROHANI"]
    assert found.partial is False


def test_a_name_held_by_more_than_the_rows_read_is_a_part_in_name_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selectors, "SEARCH_ROWS", 4)
    _persons([f"YATI {letter}" for letter in "QWERTYUIOP"] + ["ASEP"])

    found = selectors.person_search(term="yati")

    names = [h.name for h in found.hits]
    assert len(names) == 4 and names == sorted(names)
    assert all("YATI" in n for n in names)
    assert found.partial is True


def test_more_people_than_the_list_shows_are_said_to_be_a_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    _persons(["ELA A", "ELA B", "ELA C"])
    assert selectors.person_search(term="ela").partial is False
    _persons(["ELA D"], year=2027, first_row=10)

    found = selectors.person_search(term="ela")

    assert [h.name for h in found.hits] == ["ELA A", "ELA B", "ELA C"]
    assert found.partial is True


def test_the_result_page_says_when_the_list_is_a_part(
    monkeypatch: pytest.MonkeyPatch, operator_dinsos: Any
) -> None:
    monkeypatch.setattr(selectors, "SEARCH_ROWS", 2)
    _persons(["HASAN A", "HASAN B", "HASAN C"])
    client = Client()
    client.force_login(operator_dinsos)

    listing = client.get(client.post(reverse("people:person_search"), {"q": "hasan"})["Location"])

    html = listing.content.decode()
    assert "2 orang ditemukan" in html
    assert "Hanya sebagian yang ditampilkan" in html
