"""Factories for the registry tests: programme years, budget lines, imports, mappings."""

from __future__ import annotations

from datetime import date

import factory
import pyarrow as pa
from factory.django import DjangoModelFactory

from payung.accounts.models import User
from payung.domain.policy import policy_sha256, policy_text
from payung.engine.columns import CANONICAL
from payung.registry.models import (
    BudgetLine,
    ColumnMappingProfile,
    DtsenImport,
    JobStatus,
    Person,
    ProgrammeYear,
)

#: Pandeglang's yearly cost of one participant: (Rp10.000 + Rp6.800) × 12 (Pasal 9 ayat (2)).
COST_PER_PERSON = 201_600


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"pendata{n}")


class ProgrammeYearFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeYear

    year = factory.Sequence(lambda n: 2026 + n)
    region_code = "3601"
    region_name = "Kabupaten Pandeglang"
    policy_id = "pandeglang-2025"
    policy_version = "2025.1"
    as_of = date(2026, 1, 1)
    coverage_months = 12
    created_by = factory.SubFactory(UserFactory)
    # The snapshot a year pins when created, as programme_year_create stores it.
    policy_text = factory.LazyAttribute(lambda o: policy_text(o.policy_id))
    policy_sha256 = factory.LazyAttribute(lambda o: policy_sha256(o.policy_text))


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    source = BudgetLine.Source.APBD
    amount = 5000 * COST_PER_PERSON


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
