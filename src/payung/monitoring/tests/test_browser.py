"""The team member's path in Chromium (issue 14): workspace → monitoring → another tab → XLSX.

Every tab is also drawn at 1366 px and on a 390 px phone, with no console error (the CSP
forbids eval; Vega runs through its interpreter) and no sideways scrolling; the screenshots
go to ``$PAYUNG_SHOTS`` to be looked at.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from payung.conftest import PASSWORD
from payung.monitoring import selectors
from payung.monitoring.tests.factories import monitoring_year

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, list[str]]]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required: scripts/test installs it with apt-get")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(
            locale="id-ID", timezone_id="Asia/Jakarta", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, errors
        browser.close()


def test_team_member_opens_monitoring_switches_tab_and_downloads_xlsx(
    live_server: Any, anggota_tim: Any, page: Any, tmp_path: Path
) -> None:
    data = monitoring_year()
    page, errors = page
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", "anggota_tim")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    # The workspace: a figure of the gap and the link to the monitoring pages.
    assert page.get_by_text("Memenuhi syarat, belum tercakup").count() == 1
    page.get_by_role("link", name="Monitoring dan evaluasi", exact=False).first.click()
    page.wait_for_url(f"{base}/monitoring/tahun/{data.year.pk}/")
    assert page.locator("h2#section-title").inner_text() == "Cakupan"

    # Another tab, then its first table as XLSX.
    page.get_by_role("link", name="Keuangan", exact=True).click()
    page.wait_for_url("**bagian=keuangan**")
    assert page.locator("h2#section-title").inner_text() == "Keuangan"
    with page.expect_download() as info:
        page.locator("#keuangan-sumber .chart-downloads a", has_text="XLSX").click()
    download = info.value
    assert download.suggested_filename == f"monitoring-keuangan-sumber-{data.year.year}-tahun.xlsx"
    book = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.path()).read_bytes()))
    rows = book.get_sheet_by_name("DATA").to_python()
    money = selectors.money_figures(programme_year=data.year)
    assert rows[-1][:2] == ["Jumlah", money.total.pagu]

    # Every tab at both widths: charts drawn, nothing wider than the screen.
    shots = Path(os.environ.get("PAYUNG_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for section in ("cakupan", "keuangan", "manfaat", "kualitas"):
            page.goto(f"{base}/monitoring/tahun/{data.year.pk}/?bagian={section}&periode=tahun")
            count = page.locator(".chart-view").count()
            assert count > 0
            page.wait_for_function(
                f"document.querySelectorAll('.chart-view.chart-ready').length === {count}"
            )
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{section} scrolls sideways at {width} px ({scroll} px)"
            page.screenshot(path=str(shots / f"M-monitoring-{section}-{width}.png"), full_page=True)
    assert errors == []
