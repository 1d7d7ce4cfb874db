"""The team member's report path in headless Chromium (issue 14): the year's reports, a
half-year's page, the recommendations saved as version 1; readable at 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from payung.monitoring.models import SemesterReport
from payung.monitoring.tests.factories import monitoring_year
from payung.web.tests.test_browser import _login, page  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/h7/shots")


def test_a_team_member_writes_the_semester_report(
    live_server: Any,
    anggota_tim: Any,
    page: Any,  # noqa: F811
) -> None:
    year = monitoring_year(user=anggota_tim).year
    base = live_server.url
    _login(page, base, "anggota_tim")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/monitoring/laporan/tahun/{year.pk}/")
        assert "Semester I (Januari-Juni) 2026" in page.content()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{wide} px wide at {width} px"
        page.screenshot(path=str(SHOTS / f"R-page-laporan-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{base}/monitoring/laporan/tahun/{year.pk}/")
    page.locator("a:has-text('Buat laporan')").first.click()
    page.fill("textarea[name=recommendations]", "Tambah peserta dari daftar tunggu.")
    page.click("button:has-text('Buat laporan')")
    page.wait_for_selector("text=Laporan versi 1 disimpan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "R-page-semester-390.png"), full_page=True)
    report = SemesterReport.objects.get(programme_year=year)
    assert (report.half, report.version) == (1, 1)
    assert report.recommendations == "Tambah peserta dari daftar tunggu."
