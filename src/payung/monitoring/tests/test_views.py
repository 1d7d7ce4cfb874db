"""The monitoring pages: who may open them, what they show, their downloads and query counts."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.core.formatting import angka
from payung.domain.money import rupiah
from payung.monitoring import selectors
from payung.monitoring.tests.factories import MonitoringYear, monitoring_year

pytestmark = pytest.mark.django_db

SECTIONS = ("cakupan", "keuangan", "manfaat", "kualitas")


@pytest.fixture
def data() -> MonitoringYear:
    return monitoring_year()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The pages count "active" on today: fixed inside the year the factory builds."""
    today = date(2026, 6, 30)
    monkeypatch.setattr("payung.monitoring.views.timezone.localdate", lambda *a: today)
    return today


def test_landing_page_opens_the_newest_year(data: MonitoringYear, anggota_tim: Any) -> None:
    response = _client(anggota_tim).get(reverse("monitoring:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:year", args=[data.year.pk])


@pytest.mark.parametrize("section", SECTIONS)
def test_each_tab_shows_its_figures_for_the_team(
    data: MonitoringYear,
    anggota_tim: Any,
    section: str,
    django_assert_max_num_queries: Any,
) -> None:
    client = _client(anggota_tim)
    url = reverse("monitoring:year", args=[data.year.pk])
    with django_assert_max_num_queries(45):
        response = client.get(url, {"bagian": section, "periode": "semester-1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-current="page"' in page
    assert "Semester I (Januari–Juni)" in page
    # Every chart's downloads are offered for the same period.
    assert f"/monitoring/tahun/{data.year.pk}/semester-1/grafik/" in page
    # No person on the team's page: no name of any participant.
    for group in data.groups.values():
        for candidate in group:
            assert candidate.person.nama not in page
            assert candidate.nik not in page


def test_coverage_tab_prints_the_selector_figures(data: MonitoringYear, anggota_tim: Any) -> None:
    figures = selectors.coverage_figures(
        programme_year=data.year,
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        today=date(2026, 6, 30),
    )
    page = (
        _client(anggota_tim)
        .get(reverse("monitoring:year", args=[data.year.pk]), {"periode": "semester-1"})
        .content.decode()
    )
    assert "Peserta aktif pada 30 Juni 2026" in page
    assert f"<dd>{angka(figures.active)}</dd>" in page
    assert f"<dd>{rupiah(figures.gap_cost_per_year)}</dd>" in page
    assert "Sumur" in page and "Cimanggu" in page
    assert "360101" not in page  # kecamatan by name, never by code


def test_money_tab_prints_rupiah(data: MonitoringYear, anggota_tim: Any) -> None:
    figures = selectors.money_figures(programme_year=data.year, today=date(2026, 6, 30))
    page = (
        _client(anggota_tim)
        .get(reverse("monitoring:year", args=[data.year.pk]), {"bagian": "keuangan"})
        .content.decode()
    )
    assert rupiah(figures.total.pagu) in page
    assert rupiah(figures.total.billed) in page
    assert "APBD Kabupaten" in page


def test_flagged_claims_listed_only_for_roles_that_see_persons(
    data: MonitoringYear, anggota_tim: Any, auditor_inspektorat: Any
) -> None:
    url = reverse("monitoring:year", args=[data.year.pk])
    never = data.groups["never"][0]
    team_page = _client(anggota_tim).get(url, {"bagian": "manfaat"}).content.decode()
    assert never.person.nama not in team_page
    auditor_page = _client(auditor_inspektorat).get(url, {"bagian": "manfaat"}).content.decode()
    assert never.person.nama in auditor_page
    assert never.nik not in auditor_page  # masked
    assert "Bukan peserta pada tanggal kejadian" in auditor_page


def test_other_roles_are_refused(data: MonitoringYear, operator_dinsos: Any) -> None:
    client = _client(operator_dinsos)
    assert client.get(reverse("monitoring:year", args=[data.year.pk])).status_code == 403
    assert client.get(reverse("monitoring:index")).status_code == 403


def test_xlsx_download_holds_the_table(data: MonitoringYear, anggota_tim: Any) -> None:
    url = reverse(
        "monitoring:chart_xlsx",
        kwargs={"year_pk": data.year.pk, "period": "semester-1", "name": "manfaat-jenis"},
    )
    response = _client(anggota_tim).get(url)
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["DATA", "PETUNJUK"]
    rows = [tuple(r) for r in book.get_sheet_by_name("DATA").to_python()]
    figures = selectors.benefit_figures(
        programme_year=data.year, start=date(2026, 1, 1), end=date(2026, 6, 30)
    )
    assert rows[1:-1] == [(r.label, r.count) for r in figures.by_type]
    assert rows[-1] == ("Jumlah", figures.claims)


def test_csv_download_follows_the_period(data: MonitoringYear, anggota_tim: Any) -> None:
    client = _client(anggota_tim)

    def table(period: str) -> list[list[str]]:
        url = reverse(
            "monitoring:chart_csv",
            kwargs={"year_pk": data.year.pk, "period": period, "name": "keuangan-bulan"},
        )
        body = client.get(url).content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(body), delimiter=";"))

    year = table("tahun")
    second_half = table("semester-2")
    assert year[0] == ["Bulan", "Rupiah"]
    assert [r[0] for r in year[1:-1]] == ["Januari 2026", "Februari 2026", "Maret 2026"]
    assert second_half[1:] == [["Jumlah", "0"]]


def test_unknown_chart_or_period_is_404(data: MonitoringYear, anggota_tim: Any) -> None:
    client = _client(anggota_tim)
    for period, name in (("tahun", "tidak-ada"), ("kuartal", "cakupan")):
        url = reverse(
            "monitoring:chart_csv",
            kwargs={"year_pk": data.year.pk, "period": period, "name": name},
        )
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("section", SECTIONS)
def test_page_queries_do_not_grow_with_participants(
    data: MonitoringYear, anggota_tim: Any, section: str
) -> None:
    """Aggregates, not a loop per person: ten more participants (with claims) cost the page
    no extra query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from payung.ends.models import Claim, EndImport
    from payung.participants.tests.factories import participants_add

    client = _client(anggota_tim)
    url = reverse("monitoring:year", args=[data.year.pk])

    def queries() -> int:
        client.get(url, {"bagian": section})  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"bagian": section}).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    proposal = data.groups["sumur"][0].proposal
    more = participants_add(proposal=proposal, periods=[(date(2026, 1, 1), None)] * 10)
    claims_import = EndImport.objects.filter(programme_year=data.year).first()
    for row, candidate in enumerate(more, start=100):
        Claim.objects.create(
            candidate=candidate,
            kpj=candidate.kpj,
            claim_type=Claim.Type.JKK,
            event_date=date(2026, 3, 3),
            amount_paid=100_000,
            status=Claim.Status.DIBAYAR,
            end_import=claims_import,
            row=row,
        )
    assert queries() == before


def test_workspace_and_menu_lead_the_team_to_monitoring(
    data: MonitoringYear, anggota_tim: Any, operator_dinsos: Any
) -> None:
    """The team's workspace shows how far from full coverage (eligible minus active) and
    links here; the menu's "Monitoring" goes to the same page. Other roles see neither."""
    url = reverse("monitoring:year", args=[data.year.pk])
    client = _client(anggota_tim)
    home = client.get("/").content.decode()
    assert f'href="{url}"' in home
    figures = {f.label: f.value for f in client.get("/").context["workspace"].figures}
    eligible = sum(
        data.year.screening_runs.get().counts["by_status"].get(s, 0)
        for s in ("eligible", "selected", "waitlisted")
    )
    active = sum(1 for g in data.groups.values() for c in g if c.state == "active")
    assert figures["Memenuhi syarat, belum tercakup"] == angka(eligible - active)
    later = client.get(reverse("monitoring:index"), follow=True).content.decode()
    assert f'<a href="{url}" aria-current="page">Monitoring</a>' in later
    other = _client(operator_dinsos).get("/").content.decode()
    assert url not in other
