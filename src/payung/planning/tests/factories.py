"""Fixtures of the budget simulator: a screened year (the participants' factory: 500
synthetic people through the real screening service) and a simulation kept by the service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from payung.participants.tests.factories import screened_year
from payung.planning.models import Simulation
from payung.planning.services import simulation_create
from payung.programmes.tests.factories import COST_PER_PERSON
from payung.screening.models import ScreeningRun


def simulated_year(
    *, operator: Any, member: Any, places: int = 30, growth: str = "0", rows: int = 500
) -> tuple[ScreeningRun, Simulation]:
    """A 2026 year screened by ``operator`` and simulated by ``member`` with a pagu paying
    for ``places`` people a whole year."""
    run = screened_year(operator=operator, rows=rows)
    simulation = simulation_create(
        programme_year=run.programme_year,
        pagu=places * COST_PER_PERSON,
        growth=Decimal(growth),
        months=12,
        created_by=member,
    )
    return run, simulation
