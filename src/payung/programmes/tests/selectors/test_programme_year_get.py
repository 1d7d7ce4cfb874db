"""One programme year by the pk a page's URL names."""

from __future__ import annotations

import pytest
from django.http import Http404

from payung.programmes import selectors
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.tests import factories

pytestmark = pytest.mark.django_db


def test_get_returns_the_year_with_its_lines_in_source_order(year: ProgrammeYear) -> None:
    factories.BudgetLineFactory(programme_year=year, source=BudgetLine.Source.OTHER, amount=5)

    got = selectors.programme_year_get(pk=year.pk)

    assert got == year
    assert [line.source for line in got.budget_lines.all()] == ["apbd", "lainnya"]


def test_get_returns_none_for_an_unknown_pk(year: ProgrammeYear) -> None:
    assert selectors.programme_year_get(pk=year.pk + 100) is None


def test_year_or_404_says_so_in_indonesian(year: ProgrammeYear) -> None:
    with pytest.raises(Http404, match="Tahun program tidak ditemukan"):
        selectors.year_or_404(year.pk + 100)
