"""Factories for the registry tests: programme years, budget lines, imports, mappings."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final

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
from payung.registry.models import (
    ColumnMappingProfile,
    DtsenImport,
    DuplicateCheck,
    DuplicatePair,
    LinkedPair,
    Person,
)
from payung.registry.services import PERSON_COLUMNS, person_rows_load


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


def person_rows_bulk_load(
    *, dtsen_import: DtsenImport, names: list[str], first_row: int, niks: list[str] | None = None
) -> None:
    """Persons stored as the import stores them (``person_rows_load``: COPY or multi-row
    INSERTs, on SQLite the names indexed after the load), every other column empty."""
    n = len(names)
    columns = {name: pa.array([""] * n) for name in PERSON_COLUMNS}
    columns["dtsen_import_id"] = pa.array([dtsen_import.pk] * n, pa.int64())
    columns["household_id"] = pa.array([None] * n, pa.int64())
    columns["row"] = pa.array(range(first_row, first_row + n), pa.int64())
    columns["nama"] = pa.array(names)
    if niks is not None:
        columns["nik"] = pa.array(niks)
    columns["nik_numeric_cell"] = pa.array([False] * n)
    person_rows_load(table=pa.table(columns).select(list(PERSON_COLUMNS)))


class DuplicateCheckFactory(DjangoModelFactory):
    """A finished duplicate search of an import (no engine run behind it)."""

    class Meta:
        model = DuplicateCheck

    dtsen_import = factory.SubFactory(DtsenImportFactory)
    status = JobStatus.DONE
    progress = 100
    requested_by = factory.SelfAttribute("dtsen_import.uploaded_by")


class DuplicatePairFactory(DjangoModelFactory):
    """A pending pair on two persons of the check's import (give ``person_1``/``person_2``)."""

    class Meta:
        model = DuplicatePair

    duplicate_check = factory.SubFactory(DuplicateCheckFactory)
    probability = Decimal("0.973000")
    band = LinkedPair.Band.MATCH
    evidence = factory.LazyFunction(
        lambda: {
            "nik": "beda_1_digit",
            "nama": "sama",
            "tanggal_lahir": "sama",
            "jenis_kelamin": "sama",
            "wilayah": "desa_sama",
            "no_kk": "beda",
        }
    )


#: The planted duplicate's family card: another household than the original's.
PLANTED_KK: Final = "3601241712190099"


@dataclass(frozen=True)
class PlantedExtract:
    """A tiny synthetic DTSEN CSV with one person twice and a pair of twins, and their rows."""

    path: Path
    original: int
    duplicate: int
    sibling: int
    twin: int


def extract_with_duplicate_write(*, out: Path, rows: int = 40, seed: int = 5) -> PlantedExtract:
    """``payung synth`` rows plus the same person again and a twin, as a DTSEN CSV.

    Row ``rows + 1`` is row 1's person under a NIK one digit apart, on another KK (typed
    twice by two enumerators); row ``rows + 2`` is row 2's twin: the same KK and birth date,
    a NIK one serial digit apart, another name. Only the first would be a duplicate.
    """
    from payung.engine import synth_write

    synth_write(rows=rows, seed=seed, out=out)
    with out.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    original, sibling = records[0], records[1]
    duplicate = {**original, "NIK": _one_digit_apart(original["NIK"]), "NO_KK": PLANTED_KK}
    twin_name = "SITI NURJANAH" if sibling["NAMA"] != "SITI NURJANAH" else "DEDE KURNIA"
    twin = {**sibling, "NIK": _one_digit_apart(sibling["NIK"]), "NAMA": twin_name}
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(original))
        writer.writeheader()
        writer.writerows([*records, duplicate, twin])
    return PlantedExtract(path=out, original=1, duplicate=rows + 1, sibling=2, twin=rows + 2)


def _one_digit_apart(nik: str) -> str:
    """The same NIK with its second-last (serial) digit changed: one typing error."""
    return nik[:-2] + str((int(nik[-2]) + 1) % 10) + nik[-1]
