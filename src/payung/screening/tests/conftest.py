"""Fixtures for the screening tests: a programme year with its pagu, an import, a run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.registry.models import DtsenImport
from payung.screening import services
from payung.screening.models import ScreeningRun
from payung.screening.tests import factories


@pytest.fixture(autouse=True)
def _registry_persons_selector(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the registry's ``persons_as_arrow``; a stand-in only while it does not exist yet."""
    from payung.registry import selectors

    if not hasattr(selectors, "persons_as_arrow"):
        monkeypatch.setattr(
            selectors, "persons_as_arrow", factories.persons_as_arrow_standin, raising=False
        )


@pytest.fixture
def year(db: None) -> ProgrammeYear:
    """Pandeglang 2026 with a pagu for 30 people from two sources (Pasal 13)."""
    year = factories.ProgrammeYearFactory(year=2026)
    factories.BudgetLineFactory(
        programme_year=year, source=BudgetLine.Source.APBD, amount=20 * factories.COST_PER_PERSON
    )
    factories.BudgetLineFactory(
        programme_year=year,
        source=BudgetLine.Source.OTHER,
        amount=10 * factories.COST_PER_PERSON + 1000,
    )
    return year


@pytest.fixture
def imported(year: ProgrammeYear) -> tuple[DtsenImport, pa.Table]:
    """A finished import of 500 synthetic people into ``year``, and its table."""
    return factories.synthetic_import(programme_year=year, rows=500, seed=63)


@pytest.fixture
def run_screening(
    django_capture_on_commit_callbacks: Any,
) -> Callable[..., ScreeningRun]:
    """Start a run through the service and let its task run (immediate backend) on commit."""

    def start(*, programme_year: ProgrammeYear, dtsen_import: DtsenImport, user: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.screening_run_start(
                programme_year=programme_year, dtsen_import=dtsen_import, started_by=user
            )
        run.refresh_from_db()
        return run

    return start


@pytest.fixture
def run(
    year: ProgrammeYear,
    imported: tuple[DtsenImport, pa.Table],
    operator_dinsos: Any,
    run_screening: Callable[..., ScreeningRun],
) -> ScreeningRun:
    """A finished run over the 500-person import, started by the Dinas Sosial operator."""
    return run_screening(programme_year=year, dtsen_import=imported[0], user=operator_dinsos)


def _shared_urls_render_base() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("web:home")
        reverse("registry:year_list")
    except NoReverseMatch:
        return False
    return True


@pytest.fixture(autouse=True)
def _urls_that_render_base(settings: Any) -> None:
    """Pages extend base.html; see tests/urls.py for why a stand-in urlconf may be needed."""
    if not _shared_urls_render_base():
        settings.ROOT_URLCONF = "payung.screening.tests.urls"
