"""Reads: years the user may see, what the pagu buys, imports, persons back as Arrow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from payung.domain.policy import policy_get, policy_sha256
from payung.engine.backends import connect
from payung.engine.readers import read_extract
from payung.engine.screening import screen
from payung.programmes import selectors as programme_selectors
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.registry import selectors
from payung.registry.models import DtsenImport
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db


def test_years_for_a_role_with_the_permission_with_their_total_pagu(
    year: ProgrammeYear, bendahara_disnaker: Any
) -> None:
    factories.BudgetLineFactory(
        programme_year=year, source=BudgetLine.Source.OTHER, amount=8_000_000
    )
    empty = factories.ProgrammeYearFactory(year=2027)

    years = list(programme_selectors.programme_year_list(user=bendahara_disnaker))

    assert [y.year for y in years] == [2027, 2026]
    assert years[1].pagu_total == 1_016_000_000
    assert years[0].pagu_total is None
    assert empty in years


def test_no_years_without_the_permission(year: ProgrammeYear) -> None:
    outsider = factories.UserFactory(username="tamu")
    assert not programme_selectors.programme_year_list(user=outsider).exists()


def test_the_pagu_buys_5000_participants_at_rp201600(year: ProgrammeYear) -> None:
    """Rp1.008.000.000 / ((Rp10.000 + Rp6.800) × 12) = 5.000 (Pasal 6(2), 9(2))."""
    cost = programme_selectors.programme_year_cost(
        programme_year=programme_selectors.programme_year_get(pk=year.pk)
    )

    assert cost is not None
    assert cost.cost_per_person == 201_600 == factories.COST_PER_PERSON
    assert cost.monthly_per_person == 16_800
    assert cost.pagu_total == 1_008_000_000
    assert cost.quota == 5000
    assert cost.policy_matches


def test_quota_rounds_down_and_follows_the_months(year: ProgrammeYear) -> None:
    year.coverage_months = 6
    factories.BudgetLineFactory(programme_year=year, source=BudgetLine.Source.OTHER, amount=99)

    cost = programme_selectors.programme_year_cost(programme_year=year)

    assert cost is not None
    assert cost.cost_per_person == 100_800
    assert cost.quota == 1_008_000_099 // 100_800 == 10_000


def test_cost_is_none_when_the_pinned_policy_cannot_be_loaded(year: ProgrammeYear) -> None:
    year.policy_text = "id: rusak\n"
    year.policy_sha256 = policy_sha256(year.policy_text)
    assert programme_selectors.programme_year_cost(programme_year=year) is None


def test_cost_comes_from_the_snapshot_even_when_the_shipped_file_is_gone(
    year: ProgrammeYear,
) -> None:
    year.policy_id = "hilang-2020"
    cost = programme_selectors.programme_year_cost(programme_year=year)
    assert cost is not None and cost.monthly_per_person == 16_800


def test_get_returns_none_for_an_unknown_pk(year: ProgrammeYear) -> None:
    assert programme_selectors.programme_year_get(pk=year.pk + 100) is None
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


def test_year_list_query_count_does_not_grow_with_years(operator_dinsos: Any) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for y in programme_selectors.programme_year_list(user=operator_dinsos):
                list(y.budget_lines.all())
        return len(ctx.captured_queries)

    factories.BudgetLineFactory(programme_year=factories.ProgrammeYearFactory())
    queries()  # the user's permissions are cached after the first call
    few = queries()
    for _ in range(5):
        factories.BudgetLineFactory(programme_year=factories.ProgrammeYearFactory())
    assert queries() == few == 2  # the years with their totals, and their budget lines
