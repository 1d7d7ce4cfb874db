"""Fixtures for the registry tests: a year, synthetic extracts, and an import helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.engine.synth import synth_write
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.registry import services
from payung.registry.models import DtsenImport
from payung.registry.tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> Path:
    """Each test stores its uploads in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """Whitenoise warns on every request when the (throw-away) STATIC_ROOT is missing."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def year(operator_dinsos: Any) -> ProgrammeYear:
    """Pandeglang 2026 with a pagu of Rp1.008.000.000 (5.000 participants)."""
    year = factories.ProgrammeYearFactory(year=2026, created_by=operator_dinsos)
    factories.BudgetLineFactory(
        programme_year=year, source=BudgetLine.Source.APBD, amount=1_008_000_000
    )
    return year


@pytest.fixture(scope="session")
def synth_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic people (seed 1) as a DTSEN CSV, made once per session."""
    return synth_write(rows=300, seed=1, out=tmp_path_factory.mktemp("synth") / "x.csv")


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.fixture
def import_file(
    django_capture_on_commit_callbacks: Any, operator_dinsos: Any
) -> Callable[..., DtsenImport]:
    """Upload a file through the service and let its task run (immediate backend)."""

    def run(year: ProgrammeYear, path: Path, *, name: str | None = None, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            dtsen_import = services.dtsen_import_create(
                programme_year=year,
                uploaded_file=upload(path, name),
                uploaded_by=operator_dinsos,
                **kwargs,
            )
        dtsen_import.refresh_from_db()
        return dtsen_import

    return run
