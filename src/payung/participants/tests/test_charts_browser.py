"""The Ringkasan page in Chromium (issue 9): every chart drawn by vega-embed under the CSP,
at 1366 px and on a 390 px phone, with no console error and no sideways scrolling."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from payung.conftest import PASSWORD
from payung.participants.models import Candidate

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
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
        page = context.new_page()
        page.set_default_timeout(60_000)
        # Every console error counts: a CSP refusal (eval, an inline script or style) or a
        # Vega error would leave the chart blank beside its table.
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, errors
        browser.close()


def test_charts_render_at_1366_and_390_px_without_console_errors(
    live_server: Any, decreed: list[Candidate], anggota_tim: Any, page: Any, tmp_path: Path
) -> None:
    page, errors = page
    base = live_server.url
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", "anggota_tim")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    url = f"{base}/penetapan/tahun/{decreed[0].proposal.programme_year_id}/grafik/"
    shots = Path(os.environ.get("PAYUNG_SHOTS", tmp_path))  # screenshots to look at
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_function("document.querySelectorAll('.chart-view.chart-ready').length === 5")
        drawn = page.eval_on_selector_all(
            ".chart-view", "els => els.map(e => !!e.querySelector('canvas, svg'))"
        )
        assert drawn == [True] * 5
        sizes = page.eval_on_selector_all(
            ".chart-view canvas", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert all(0 < w <= width for w in sizes), sizes
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll} px)"
        page.screenshot(path=str(shots / f"B-ringkasan-{width}.png"), full_page=True)
        # The workspace shows the funnel too (web/templates/home.html, issue 9).
        page.goto(f"{base}/")
        page.wait_for_selector("#corong .chart-view.chart-ready canvas")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"B-ruang-kerja-{width}.png"), full_page=True)
    assert errors == []
