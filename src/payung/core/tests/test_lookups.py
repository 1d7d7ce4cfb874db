"""``core.lookups.InArray``: a set of rows as one PostgreSQL array."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F

from payung.core.lookups import InArray
from payung.registry.models import Person
from payung.registry.tests.factories import DtsenImportFactory
from payung.screening.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_in_array_keeps_the_rows_in_the_set_as_in_does() -> None:
    """The same rows as ``__in`` with the same values, none for an empty set; on SQLite
    (no arrays) it refuses rather than send something else."""
    dtsen_import = DtsenImportFactory()
    for row in range(2, 9):
        PersonFactory(dtsen_import=dtsen_import, row=row)
    persons = Person.objects.filter(dtsen_import=dtsen_import)
    if connection.vendor != "postgresql":
        with pytest.raises(NotImplementedError):
            list(persons.filter(InArray(F("row"), [3])))
        return
    wanted = [8, 3, 5, 40]
    got = sorted(persons.filter(InArray(F("row"), wanted)).values_list("row", flat=True))
    assert got == sorted(persons.filter(row__in=wanted).values_list("row", flat=True)) == [3, 5, 8]
    assert not persons.filter(InArray(F("row"), [])).exists()
