"""Factories for the registry tests: programme years, budget lines, imports, mappings."""

from __future__ import annotations

import factory
import pyarrow as pa
from factory.django import DjangoModelFactory

from payung.core.models import JobStatus
from payung.engine.columns import CANONICAL
from payung.programmes.tests.factories import (  # noqa: F401  (the registry's tests use them from here)
    COST_PER_PERSON,
    BudgetLineFactory,
    ProgrammeYearFactory,
    UserFactory,
)
from payung.registry.models import ColumnMappingProfile, DtsenImport, Person


class DtsenImportFactory(DjangoModelFactory):
    """An import row without a file behind it, for pages and lists."""

    class Meta:
        model = DtsenImport

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    file_name = "dtsen-sintetis.csv"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size_bytes = 1024
    stored_path = ""
    status = JobStatus.DONE
    progress = 100
    row_count = 0
    household_count = 0
    invalid_count = 0
    uploaded_by = factory.SubFactory(UserFactory)


class ColumnMappingProfileFactory(DjangoModelFactory):
    class Meta:
        model = ColumnMappingProfile

    name = factory.Sequence(lambda n: f"Sumber {n}")
    mapping = factory.LazyFunction(lambda: {"No Induk": "NIK"})
    created_by = factory.SubFactory(UserFactory)


def persons_create(*, dtsen_import: DtsenImport, table: pa.Table) -> None:
    """Store an extract's rows as Persons the way an import does (empty cells as "")."""
    Person.objects.bulk_create(
        Person(
            dtsen_import=dtsen_import,
            row=item["row"],
            nik_numeric_cell=bool(item["nik_numeric_cell"]),
            **{name: item[name] or "" for name in CANONICAL},
        )
        for item in table.to_pylist()
    )
