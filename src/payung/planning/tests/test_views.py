"""The simulator's pages (issue 14) as the team and the auditor use them: run, read, download;
figures formatted the Indonesian way, query counts bounded, other roles refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.core.formatting import angka
from payung.domain.money import rupiah
from payung.planning.models import Simulation
from payung.planning.tests.factories import simulated_year
from payung.programmes.tests.factories import COST_PER_PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulated(operator_dinsos: Any, anggota_tim: Any) -> Any:
    return simulated_year(operator=operator_dinsos, member=anggota_tim)


def test_the_team_runs_a_simulation_from_the_page(
    client: Any, simulated: Any, anggota_tim: Any
) -> None:
    run, _first = simulated
    client.force_login(anggota_tim)
    home = client.get(reverse("planning:simulation_home"))
    assert home.status_code == 200
    assert "Jalankan simulasi" in home.content.decode()
    assert 'value="6.048.000"' in home.content.decode()  # the year's pagu, as people write it
    response = client.post(
        reverse("planning:simulation_home"),
        {
            "programme_year": run.programme_year_id,
            "pagu": "Rp2.016.000",
            "growth": "2,5",
            "months": "12",
        },
    )
    sim = Simulation.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:simulation_detail", args=[sim.pk])
    assert (sim.pagu, sim.growth_pct, sim.created_by) == (2_016_000, "2.5", anggota_tim)
    assert sim.result["covered"] == 10


def test_a_bad_growth_is_refused_in_indonesian(
    client: Any, simulated: Any, anggota_tim: Any
) -> None:
    run, _first = simulated
    client.force_login(anggota_tim)
    before = Simulation.objects.count()
    response = client.post(
        reverse("planning:simulation_home"),
        {"programme_year": run.programme_year_id, "pagu": "1000000", "growth": "150", "months": 12},
    )
    assert response.status_code == 200
    assert "0 sampai 100 persen" in response.content.decode()
    assert Simulation.objects.count() == before


def test_the_detail_page_shows_the_figures_charts_and_tables(
    client: Any,
    simulated: Any,
    auditor_inspektorat: Any,
    django_assert_max_num_queries: Any,
) -> None:
    _run, sim = simulated
    client.force_login(auditor_inspektorat)
    url = reverse("planning:simulation_detail", args=[sim.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    result = sim.result
    assert angka(result["eligible"]) in html
    assert rupiah(result["pagu_for_full_coverage"]) in html
    assert rupiah(COST_PER_PERSON) in html
    assert f"{result['years_to_full_coverage']} tahun" in html
    for name in ("kecamatan", "pertumbuhan", "prioritas"):
        assert f'data-chart-spec="chart-spec-{name}"' in html
        assert f'href="{url}grafik/{name}.xlsx"' in html
    for row in result["by_kecamatan"]:
        assert row["name"] in html
    assert "Pasal 7 ayat (2) huruf a" in html


def test_the_home_page_lists_simulations_in_bounded_queries(
    client: Any,
    operator_dinsos: Any,
    anggota_tim: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from decimal import Decimal

    from payung.planning.services import simulation_create

    run, _sim = simulated_year(operator=operator_dinsos, member=anggota_tim)
    for pagu in (1, 2, 3, 4, 5):
        simulation_create(
            programme_year=run.programme_year,
            pagu=pagu * COST_PER_PERSON,
            growth=Decimal(0),
            months=12,
            created_by=anggota_tim,
        )
    client.force_login(anggota_tim)
    # Session, user, permissions, menu; the year for the form's defaults and its choices;
    # one query for the list, whatever its length.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("planning:simulation_home"))
    assert response.content.decode().count('href="/perencanaan/simulasi/') == 6


def test_the_xlsx_download_holds_the_same_figures(
    client: Any, simulated: Any, anggota_tim: Any
) -> None:
    _run, sim = simulated
    client.force_login(anggota_tim)
    response = client.get(reverse("planning:simulation_xlsx", args=[sim.pk]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["RINGKASAN", "KECAMATAN", "PRIORITAS", "JADWAL", "PETUNJUK"]
    summary = {row[0]: row[1] for row in book.get_sheet_by_name("RINGKASAN").to_python()}
    assert int(summary["Memenuhi syarat"]) == sim.result["eligible"]
    full = sim.result["pagu_for_full_coverage"]
    assert int(summary["Pagu untuk cakupan penuh (Rp)"]) == full
    kec = book.get_sheet_by_name("KECAMATAN").to_python()[1:]
    assert sum(int(r[2]) for r in kec) == sim.result["eligible"]
    csv = client.get(reverse("planning:simulation_chart_csv", args=[sim.pk, "kecamatan"]))
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    missing = client.get(reverse("planning:simulation_chart_csv", args=[sim.pk, "tidak-ada"]))
    assert missing.status_code == 404


def test_other_roles_may_not_open_the_simulator(
    client: Any, simulated: Any, operator_dinsos: Any
) -> None:
    _run, sim = simulated
    client.force_login(operator_dinsos)
    assert client.get(reverse("planning:simulation_home")).status_code == 403
    assert client.get(reverse("planning:simulation_detail", args=[sim.pk])).status_code == 403
