"""Factories for screening tests: years, imports of synthetic people, runs and decisions.

People come from the engine's synthetic generator written to CSV and read back with
``read_extract``, so the persons in the database are exactly the rows the engine would read
from the file, and a test can screen the same table directly to compare.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import factory
import pyarrow as pa
from factory.django import DjangoModelFactory

from payung.core.models import JobStatus
from payung.engine.columns import CANONICAL
from payung.engine.readers import read_extract
from payung.engine.synth import synth_write
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, Person
from payung.registry.tests import factories as registry_factories
from payung.registry.tests.factories import COST_PER_PERSON, UserFactory
from payung.screening.models import Decision, ScreeningRun


# Years, budgets and imports are the registry's factories; screening tests only change
# the status of the year and a pagu small enough that part of the eligible are waitlisted.
class ProgrammeYearFactory(registry_factories.ProgrammeYearFactory):
    status = ProgrammeYear.Status.PENDATAAN


class BudgetLineFactory(registry_factories.BudgetLineFactory):
    programme_year = factory.SubFactory(ProgrammeYearFactory)
    amount = 30 * COST_PER_PERSON


class DtsenImportFactory(registry_factories.DtsenImportFactory):
    programme_year = factory.SubFactory(ProgrammeYearFactory)


def synthetic_table(*, rows: int, seed: int) -> pa.Table:
    """A synthetic extract as ``read_extract`` gives it (the table the engine screens)."""
    with tempfile.TemporaryDirectory() as folder:
        path = synth_write(rows=rows, seed=seed, out=Path(folder) / "dtsen.csv")
        return read_extract(path)


def persons_create(*, dtsen_import: DtsenImport, table: pa.Table) -> list[Person]:
    """Store an extract's rows as Persons (empty cells as '', as the registry stores them)."""
    data = table.to_pylist()
    persons = [
        Person(
            dtsen_import=dtsen_import,
            row=item["row"],
            nik_numeric_cell=bool(item.get("nik_numeric_cell")),
            **{name: item[name] or "" for name in CANONICAL},
        )
        for item in data
    ]
    created = Person.objects.bulk_create(persons, batch_size=500)
    DtsenImport.objects.filter(pk=dtsen_import.pk).update(row_count=len(created))
    return created


def synthetic_import(
    *, programme_year: ProgrammeYear, rows: int = 500, seed: int = 63, **kwargs: Any
) -> tuple[DtsenImport, pa.Table]:
    """A finished import of ``rows`` synthetic people, and the table they were made from."""
    table = synthetic_table(rows=rows, seed=seed)
    dtsen_import = DtsenImportFactory(programme_year=programme_year, **kwargs)
    persons_create(dtsen_import=dtsen_import, table=table)
    return dtsen_import, table


def persons_as_arrow_standin(*, dtsen_import: DtsenImport) -> pa.Table:
    """Persons in ``read_extract``'s shape, used until the registry ships its selector.

    The registry's ``persons_as_arrow`` is the real source; this mirrors its contract
    (``row`` int64, canonical columns as text with empty cells NULL, ``nik_numeric_cell``)
    so the screening tests run while it is being built.
    """
    fields = ["row", *CANONICAL, "nik_numeric_cell"]
    values = list(
        Person.objects.filter(dtsen_import=dtsen_import).order_by("row").values_list(*fields)
    )
    columns: dict[str, pa.Array] = {
        "row": pa.array([v[0] for v in values], pa.int64()),
    }
    for i, name in enumerate(CANONICAL, start=1):
        columns[name] = pa.array([v[i] or None for v in values], pa.string())
    columns["nik_numeric_cell"] = pa.array([bool(v[-1]) for v in values], pa.bool_())
    return pa.table(columns)


class ScreeningRunFactory(DjangoModelFactory):
    """A finished run without the engine, for pages and query counts."""

    class Meta:
        model = ScreeningRun

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    dtsen_import = factory.SubFactory(
        DtsenImportFactory, programme_year=factory.SelfAttribute("..programme_year")
    )
    policy_id = "pandeglang-2025"
    policy_version = "2025.1"
    as_of = date(2026, 1, 1)
    budget = 30 * COST_PER_PERSON
    quota = 30
    months = 12
    status = JobStatus.DONE
    progress = 100
    counts = factory.LazyFunction(
        lambda: {
            "rows": 0,
            "by_status": {},
            "by_rule": {},
            "by_invalid_code": {},
            "by_flag": {},
        }
    )
    started_by = factory.SubFactory(UserFactory)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    dtsen_import = factory.SubFactory(DtsenImportFactory)
    row = factory.Sequence(lambda n: n + 1)
    nik = factory.Sequence(lambda n: f"3601011505{80 + n % 10:02d}{n % 9000 + 1:04d}")
    no_kk = "3601010101200001"
    nama = factory.Sequence(lambda n: f"Warga Sintetis {n}")
    jenis_kelamin = "L"
    tanggal_lahir = "1980-05-15"
    status_perkawinan = "KAWIN"
    jumlah_tanggungan = "2"
    pekerjaan = "PETANI/PEKEBUN"
    desil = "2"
    disabilitas = "TIDAK"
    alamat = "Kp. Sintetis RT 001/002"
    kode_desa = "3601012001"
    bantuan_iuran = ""


class DecisionFactory(DjangoModelFactory):
    """A decision as the engine writes one for an eligible, selected person."""

    class Meta:
        model = Decision

    run = factory.SubFactory(ScreeningRunFactory)
    person = factory.SubFactory(
        PersonFactory, dtsen_import=factory.SelfAttribute("..run.dtsen_import")
    )
    row = factory.SelfAttribute("person.row")
    nik = factory.SelfAttribute("person.nik")
    status = "selected"
    reasons = ""
    priority_rank = factory.Sequence(lambda n: n + 1)
    priorities = "7(2)c"
    flags = ""
    age = 45
    desil = 2
    occupation_category = "petani"
    kode_desa = "3601012001"
    kode_kecamatan = "360101"
