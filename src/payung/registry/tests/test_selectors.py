"""Reads: a year's imports, persons back as Arrow (programme years: programmes/tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from django.utils import timezone

from payung.domain.policy import policy_get
from payung.engine.backends import connect
from payung.engine.readers import read_extract
from payung.engine.screening import screen
from payung.programmes.models import ProgrammeYear
from payung.registry import selectors
from payung.registry.models import DtsenImport
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db


def test_get_returns_none_for_an_unknown_pk() -> None:
    assert selectors.dtsen_import_get(pk=12345) is None


def test_imports_of_a_year_newest_first(year: ProgrammeYear) -> None:
    old = factories.DtsenImportFactory(programme_year=year)
    DtsenImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    new = factories.DtsenImportFactory(programme_year=year)
    factories.DtsenImportFactory()  # another year

    assert list(selectors.dtsen_import_list(year)) == [new, old]


def test_persons_as_arrow_has_read_extracts_shape_and_screens_the_same(
    year: ProgrammeYear, synth_csv: Path, import_file: Callable[..., DtsenImport]
) -> None:
    imp = import_file(year, synth_csv)
    original = read_extract(synth_csv)

    table = selectors.persons_as_arrow(dtsen_import=imp)

    assert table.schema == original.schema
    assert table.equals(original)
    policy = policy_get(year.policy_id)
    with connect("duckdb") as backend:
        from_db = screen(table, policy=policy, as_of=year.as_of, backend=backend, budget=10**8)
        from_file = screen(original, policy=policy, as_of=year.as_of, backend=backend, budget=10**8)
    assert from_db.decisions.equals(from_file.decisions)
    assert from_db.counts == from_file.counts


def test_persons_as_arrow_fetches_in_chunks(
    monkeypatch: pytest.MonkeyPatch, year: ProgrammeYear, synth_csv: Path
) -> None:
    imp = factories.DtsenImportFactory(programme_year=year)
    original = read_extract(synth_csv)
    factories.persons_create(dtsen_import=imp, table=original)
    monkeypatch.setattr(selectors, "PERSON_CHUNK", 64)

    table = selectors.persons_as_arrow(dtsen_import=imp)

    assert table.num_rows == 300
    assert len(table["row"].chunks) == 5
    assert table.equals(original)


def test_persons_as_arrow_of_an_empty_import_is_an_empty_table(year: ProgrammeYear) -> None:
    imp = factories.DtsenImportFactory(programme_year=year)

    table = selectors.persons_as_arrow(dtsen_import=imp)

    assert table.num_rows == 0
    assert table.schema == selectors.PERSON_SCHEMA
    assert table.schema.field("row").type == pa.int64()
