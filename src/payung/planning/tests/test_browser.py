"""The planner's path in Chromium (issue 14): a member of the team (Bapperida) signs in,
opens "Perencanaan" from the menu, runs a simulation with a growing pagu and reads it: the
charts drawn under the CSP, at 1366 px and on a 390 px phone, no console error, no sideways
scrolling. Screenshots go to ``PAYUNG_SHOTS`` to be looked at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from payung.conftest import PASSWORD
from payung.participants.tests.factories import screened_year
from payung.planning.models import Simulation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
        page = context.new_page()
        page.set_default_timeout(60_000)
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, errors
        browser.close()


def test_a_team_member_runs_and_reads_a_simulation(
    live_server: Any, operator_dinsos: Any, anggota_tim: Any, page: Any, tmp_path: Path
) -> None:
    page, errors = page
    run = screened_year(operator=operator_dinsos)
    base = live_server.url
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", "anggota_tim")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/perencanaan/")
    page.select_option("select[name=programme_year]", str(run.programme_year_id))
    page.fill("input[name=pagu]", "Rp6.048.000")  # 30 person-years
    page.fill("input[name=growth]", "10")
    page.fill("input[name=months]", "12")
    page.click("#jalankan button[type=submit]")
    page.wait_for_url(f"{base}/perencanaan/simulasi/*/")
    simulation = Simulation.objects.get()
    assert simulation.result["covered"] == 30
    assert "Rp6.048.000" in page.content()
    shots = Path(os.environ.get("PAYUNG_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    url = page.url
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_function("document.querySelectorAll('.chart-view.chart-ready').length === 3")
        drawn = page.eval_on_selector_all(
            ".chart-view", "els => els.map(e => !!e.querySelector('canvas, svg'))"
        )
        assert drawn == [True] * 3
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll} px)"
        page.screenshot(path=str(shots / f"S-simulasi-{width}.png"), full_page=True)
        page.goto(f"{base}/perencanaan/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"S-perencanaan-{width}.png"), full_page=True)
    assert errors == []
