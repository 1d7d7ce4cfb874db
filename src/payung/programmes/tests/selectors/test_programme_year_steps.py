"""The year's step tracker: every status in workflow order, the current one marked."""

from __future__ import annotations

import pytest

from payung.programmes import selectors
from payung.programmes.models import ProgrammeYear

pytestmark = pytest.mark.django_db

LABELS = ["Draf", "Pendataan", "Verifikasi", "Ditetapkan", "Berjalan", "Ditutup"]


def test_a_new_year_is_at_its_first_step(year: ProgrammeYear) -> None:
    steps = selectors.programme_year_steps(programme_year=year)

    assert [s.label for s in steps] == LABELS
    assert [s.state for s in steps] == ["current"] + ["todo"] * 5


def test_steps_before_the_status_are_done(year: ProgrammeYear) -> None:
    year.status = ProgrammeYear.Status.VERIFIKASI

    steps = selectors.programme_year_steps(programme_year=year)

    assert [s.state for s in steps] == ["done", "done", "current", "todo", "todo", "todo"]


def test_a_closed_year_has_every_step_done_but_the_last(year: ProgrammeYear) -> None:
    year.status = ProgrammeYear.Status.CLOSED
    states = [s.state for s in selectors.programme_year_steps(programme_year=year)]
    assert states == ["done"] * 5 + ["current"]
