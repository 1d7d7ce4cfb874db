"""The programme years a user may see, with their total pagu (Pasal 13 sources together)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payung.programmes import selectors
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.tests import factories

pytestmark = pytest.mark.django_db


def test_years_for_a_role_with_the_permission_with_their_total_pagu(
    year: ProgrammeYear, bendahara_disnaker: Any
) -> None:
    factories.BudgetLineFactory(
        programme_year=year, source=BudgetLine.Source.OTHER, amount=8_000_000
    )
    empty = factories.ProgrammeYearFactory(year=2027)

    years = list(selectors.programme_year_list(user=bendahara_disnaker))

    assert [y.year for y in years] == [2027, 2026]
    assert years[1].pagu_total == 1_016_000_000
    assert years[0].pagu_total is None
    assert empty in years


def test_no_years_without_the_permission(year: ProgrammeYear) -> None:
    outsider = factories.UserFactory(username="tamu")
    assert not selectors.programme_year_list(user=outsider).exists()


def test_year_list_query_count_does_not_grow_with_years(operator_dinsos: Any) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for y in selectors.programme_year_list(user=operator_dinsos):
                list(y.budget_lines.all())
        return len(ctx.captured_queries)

    factories.BudgetLineFactory(programme_year=factories.ProgrammeYearFactory())
    queries()  # the user's permissions are cached after the first call
    few = queries()
    for _ in range(5):
        factories.BudgetLineFactory(programme_year=factories.ProgrammeYearFactory())
    assert queries() == few == 2  # the years with their totals, and their budget lines
