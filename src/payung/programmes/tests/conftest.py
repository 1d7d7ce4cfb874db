"""Fixtures for the programme year tests: Pandeglang 2026 with its pagu."""

from __future__ import annotations

from typing import Any

import pytest

from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.tests import factories


@pytest.fixture
def year(operator_dinsos: Any) -> ProgrammeYear:
    """Pandeglang 2026 with a pagu of Rp1.008.000.000 (5.000 participants)."""
    year = factories.ProgrammeYearFactory(year=2026, created_by=operator_dinsos)
    factories.BudgetLineFactory(
        programme_year=year, source=BudgetLine.Source.APBD, amount=1_008_000_000
    )
    return year
