"""Every monitoring chart carries the figures of its selector in its table (and so in its
downloads and the report's PDF), under a slug of its own section."""

from __future__ import annotations

from datetime import date

import pytest

from payung.monitoring import chart_selectors, selectors
from payung.monitoring.tests.factories import MonitoringYear, monitoring_year

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)


@pytest.fixture
def data() -> MonitoringYear:
    return monitoring_year()


def _table(charts: list, name: str) -> dict[str, int]:
    chart = next(c for c in charts if c.name == name)
    return {row[0]: row[1] for row in chart.table.rows}


def test_slugs_are_unique_and_name_their_section(data: MonitoringYear) -> None:
    names = []
    for section in chart_selectors.SECTIONS:
        charts = chart_selectors.monitoring_charts(
            programme_year=data.year, section=section, today=TODAY
        )
        assert charts
        for chart in charts:
            assert chart_selectors.section_of(chart.name) == section
            assert chart.spec["description"] == chart.title
            names.append(chart.name)
    assert len(names) == len(set(names))


def test_coverage_charts_carry_the_figures(data: MonitoringYear) -> None:
    figures = selectors.coverage_figures(programme_year=data.year, today=TODAY)
    charts = chart_selectors.coverage_charts(figures)
    overview = _table(charts, "cakupan")
    assert list(overview.values()) == [
        figures.eligible,
        figures.pagu_capacity,
        figures.decreed,
        figures.active,
    ]
    assert _table(charts, "cakupan-kecamatan") == {r.label: r.count for r in figures.by_kecamatan}
    assert list(_table(charts, "cakupan-bulan").values()) == [r.active for r in figures.trend]
    kecamatan = next(c for c in charts if c.name == "cakupan-kecamatan")
    assert kecamatan.table.total == ("Jumlah", figures.active)


def test_money_and_benefit_charts_carry_the_figures(data: MonitoringYear) -> None:
    money = selectors.money_figures(programme_year=data.year, today=TODAY)
    sources = next(c for c in chart_selectors.money_charts(money) if c.name == "keuangan-sumber")
    assert sources.table.money
    assert sources.table.total[1:] == (
        money.total.pagu,
        money.total.billed,
        money.total.paid,
        money.total.remaining,
        money.total.forecast_year_end,
    )
    benefits = selectors.benefit_figures(programme_year=data.year)
    charts = chart_selectors.benefit_charts(benefits)
    iuran = _table(charts, "manfaat-iuran")
    assert iuran["Iuran dibayar (SP2D)"] == benefits.contributions_paid
    assert sum(v for k, v in iuran.items() if k.startswith("Manfaat")) == benefits.claims_amount
    assert sum(_table(charts, "manfaat-jenis").values()) == benefits.claims


def test_data_quality_chart_lists_every_problem(data: MonitoringYear) -> None:
    figures = selectors.data_quality_figures(programme_year=data.year, today=TODAY)
    problems = _table(chart_selectors.data_quality_charts(figures), "kualitas-masalah")
    assert problems["NIK berbeda"] == figures.nik_mismatches
    assert problems["Tanggal lahir berbeda"] == figures.birth_date_mismatches
    assert problems["Lewat batas usia 1 Januari 2027"] == figures.age_fail_next_year


def test_unknown_slug_has_no_chart(data: MonitoringYear) -> None:
    assert chart_selectors.monitoring_chart(programme_year=data.year, name="lain-lain") is None
    found = chart_selectors.monitoring_chart(
        programme_year=data.year, name="kualitas-sanggahan", today=TODAY
    )
    assert found is not None and found.name == "kualitas-sanggahan"
