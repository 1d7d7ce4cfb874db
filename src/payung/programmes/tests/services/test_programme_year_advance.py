"""The year's status follows the work forward and never back."""

from __future__ import annotations

import pytest

from payung.programmes import services
from payung.programmes.models import ProgrammeYear

pytestmark = pytest.mark.django_db


def test_advance_moves_forward_and_stores_it(year: ProgrammeYear) -> None:
    assert services.programme_year_advance(
        programme_year=year, status=ProgrammeYear.Status.PENDATAAN
    )
    year.refresh_from_db()
    assert year.status == ProgrammeYear.Status.PENDATAAN


def test_advance_never_moves_back(year: ProgrammeYear) -> None:
    ProgrammeYear.objects.filter(pk=year.pk).update(status=ProgrammeYear.Status.VERIFIKASI)
    year.refresh_from_db()

    assert not services.programme_year_advance(
        programme_year=year, status=ProgrammeYear.Status.PENDATAAN
    )
    year.refresh_from_db()
    assert year.status == ProgrammeYear.Status.VERIFIKASI
