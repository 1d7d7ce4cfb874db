"""The demo's simulation step (issue 14): next year's screening simulated with its pagu, the
JSON written to the demo's folder equal to the simulation kept in the database."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from payung.accounts.services import agency_get_or_create, user_create
from payung.engine import file_sha256, synth_write
from payung.planning.demo import DEMO_GROWTH, EXTRACT_NAME, demo_simulation
from payung.planning.models import Simulation
from payung.programmes.tests.factories import (
    COST_PER_PERSON,
    BudgetLineFactory,
    ProgrammeYearFactory,
)

pytestmark = pytest.mark.django_db


def test_demo_simulation_writes_the_next_years_json(tmp_path: Path) -> None:
    year = ProgrammeYearFactory(year=2026)  # the "next" year
    BudgetLineFactory(programme_year=year, amount=40 * COST_PER_PERSON)
    synth_write(rows=400, seed=27, out=tmp_path / EXTRACT_NAME)
    agency = agency_get_or_create(kind="tim", name="Tim Koordinasi")
    user_create(
        username="tim.anggota", password="rahasia-uji-123", role="anggota_tim", agency=agency
    )
    lines: list[str] = []
    totals = demo_simulation(
        year=SimpleNamespace(region_code="3601", year=2025), data_dir=tmp_path, say=lines.append
    )
    sim = Simulation.objects.get()
    assert sim.programme_year == year and sim.screening_run is None
    assert sim.growth_pct == str(DEMO_GROWTH)
    assert sim.input_sha256 == file_sha256(tmp_path / EXTRACT_NAME)
    written = json.loads((tmp_path / "simulasi-2026" / "simulation.json").read_text("utf-8"))
    assert written == sim.result
    assert written["counts"]["rows"] == 400
    assert written["covered"] == min(written["eligible"], 40)
    assert totals["simulasi_memenuhi_syarat"] == written["eligible"] > 40
    assert "Simulasi anggaran 2026" in lines[0]


def test_demo_simulation_does_nothing_without_a_next_year(tmp_path: Path) -> None:
    lines: list[str] = []
    year = SimpleNamespace(region_code="3601", year=2040)
    assert demo_simulation(year=year, data_dir=tmp_path, say=lines.append) == {}
    assert lines == [] and not any(tmp_path.iterdir())
