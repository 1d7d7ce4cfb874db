"""What the pagu buys: the yearly cost of one participant and the quota (Pasal 6(2), 9(2))."""

from __future__ import annotations

import pytest

from payung.domain.policy import policy_sha256
from payung.programmes import selectors
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.tests import factories

pytestmark = pytest.mark.django_db


def test_the_pagu_buys_5000_participants_at_rp201600(year: ProgrammeYear) -> None:
    """Rp1.008.000.000 / ((Rp10.000 + Rp6.800) × 12) = 5.000 (Pasal 6(2), 9(2))."""
    cost = selectors.programme_year_cost(programme_year=selectors.programme_year_get(pk=year.pk))

    assert cost is not None
    assert cost.cost_per_person == 201_600 == factories.COST_PER_PERSON
    assert cost.monthly_per_person == 16_800
    assert cost.pagu_total == 1_008_000_000
    assert cost.quota == 5000
    assert cost.policy.version == year.policy_version


def test_quota_rounds_down_and_follows_the_months(year: ProgrammeYear) -> None:
    year.coverage_months = 6
    factories.BudgetLineFactory(programme_year=year, source=BudgetLine.Source.OTHER, amount=99)

    cost = selectors.programme_year_cost(programme_year=year)

    assert cost is not None
    assert cost.cost_per_person == 100_800
    assert cost.quota == 1_008_000_099 // 100_800 == 10_000


def test_cost_is_none_when_the_pinned_policy_cannot_be_loaded(year: ProgrammeYear) -> None:
    year.policy_text = "id: rusak\n"
    year.policy_sha256 = policy_sha256(year.policy_text)
    assert selectors.programme_year_cost(programme_year=year) is None


def test_cost_comes_from_the_snapshot_even_when_the_shipped_file_is_gone(
    year: ProgrammeYear,
) -> None:
    year.policy_id = "hilang-2020"
    cost = selectors.programme_year_cost(programme_year=year)
    assert cost is not None and cost.monthly_per_person == 16_800
