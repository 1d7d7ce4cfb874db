"""``{% year_funnel year [states] as funnel %}``: the year's selection funnel for a page that shows
it beside other content (the workspace, issue 9), or None before a finished screening.

The template checks the reader's permissions (the same as the Ringkasan page's); the chart
is aggregates only: the run's stored counts and one GROUP BY over candidate states.
"""

from __future__ import annotations

from typing import Any

from django import template

from payung.core.charts import Chart
from payung.participants import chart_selectors

register = template.Library()


@register.simple_tag
def year_funnel(year: Any, states: dict[str, int] | None = None) -> Chart | None:
    """``states``: the year's candidates per state when the page has counted them already
    (``{% year_funnel year workspace.candidate_states as funnel %}``), so they are not
    counted twice."""
    run = chart_selectors.chart_run(programme_year=year)
    if run is None:
        return None
    return chart_selectors.funnel_chart(programme_year=year, run=run, states=states)
