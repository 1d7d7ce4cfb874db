"""The demo's second regency (issue 15): Pekalongan's year beside Pandeglang's, its own
synthetic extract for 33.26 screened under its own policy through the real queue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from payung.screening import demo_pekalongan as module


@pytest.mark.django_db(transaction=True)
def test_pekalongan_year_is_screened_under_its_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from payung.accounts.services import demo_users_create
    from payung.programmes.models import BudgetLine, ProgrammeYear
    from payung.screening.models import ScreeningRun

    demo_users_create()
    monkeypatch.setattr(module, "PEKALONGAN_ROWS", 400)
    said: list[str] = []
    got = module.demo_pekalongan(
        year_number=2026,
        as_of=date(2026, 1, 1),
        data_dir=tmp_path,
        seed=1,
        say=said.append,
        run_queue=lambda: None,  # the test settings run tasks at once
    )
    year = ProgrammeYear.objects.get(pk=got["pekalongan_year_pk"])
    assert (year.region_code, year.policy_id) == ("3326", "pekalongan-2025")
    lines = {line.source: line.get_source_display() for line in BudgetLine.objects.filter(
        programme_year=year)}  # fmt: skip
    assert lines == {
        "apbd": "APBD Kabupaten Pekalongan",
        "bankeuprov": "Bantuan keuangan Pemerintah Provinsi Jawa Tengah",
    }
    run = ScreeningRun.objects.get(programme_year=year)
    assert run.policy_id == "pekalongan-2025"
    # Pekalongan's own rule ids, not Pandeglang's articles
    assert set(run.counts["by_rule"]) == {"rentan", "domisili", "usia", "desil", "bantuan_lain"}
    assert got["pekalongan_eligible"] > 0
    assert got["pekalongan_selected"] == min(got["pekalongan_eligible"], 300)
    assert said and said[0].startswith("Kabupaten Pekalongan 2026: 400 baris disaring")
    assert (tmp_path / "dtsen-pekalongan-sintetis.csv").is_file()
