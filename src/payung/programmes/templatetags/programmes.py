"""Template helpers for programme years: the step tracker every year page and list shows."""

from __future__ import annotations

from django import template

from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import YearStep, programme_year_steps

register = template.Library()


@register.filter
def year_steps(programme_year: ProgrammeYear) -> list[YearStep]:
    """The year's steps with the current one marked (no query: the status is on the row)."""
    return programme_year_steps(programme_year=programme_year)
