"""The card path in headless Chromium, as BPJS's officer meets it (Pasal 8 ayat (4)): the
cards of a registration batch received at once, one handed over, the undistributed count
falling on the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from payung.conftest import PASSWORD
from payung.enrollment.models import Card
from payung.enrollment.tests.factories import registered_batch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Chromium at a phone's width (390 px), failing on anything the CSP blocked (as the
    web app's own browser tests do)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required: scripts/test installs it with apt-get")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        refused: list[str] = []
        page.on(
            "console",
            lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        yield page
        page.screenshot(path=str(tmp_path / "last.png"), full_page=True)
        browser.close()
        assert refused == [], "the CSP blocked something on these pages"


def test_petugas_bpjs_receives_a_batch_delivers_one_and_the_count_falls(
    live_server: Any,
    page: Any,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> None:
    registered = registered_batch(
        personas={
            "operator_dinsos": operator_dinsos,
            "operator_dinsos_2": operator_dinsos_2,
            "verifikator_dukcapil": verifikator_dukcapil,
            "operator_disnaker": operator_disnaker,
            "petugas_bpjs": petugas_bpjs,
        },
        n=4,
        refused=1,
        active=2,
    )
    base = live_server.url
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", "petugas_bpjs")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/pendaftaran/tahun/{registered.batch.programme_year_id}/kartu/")
    assert page.inner_text("#jumlah-belum-diserahkan") == "3"
    assert "3 di antaranya belum diterima dari BPJS" in page.inner_text("main")
    page.select_option("select[name=batch]", str(registered.batch.pk))
    page.click("button:has-text('Catat kartu tahap ini diterima')")
    page.wait_for_selector("text=3 kartu tahap 1 tercatat diterima dari BPJS.")
    assert Card.objects.filter(received_on__isnull=False).count() == 3
    assert "belum diterima dari BPJS" not in page.inner_text("#jumlah-belum-diserahkan")

    page.locator("a:has-text('Catat penyerahan')").first.click()
    page.wait_for_selector("h1:has-text('Penyerahan kartu peserta')")
    page.select_option("select[name=channel]", "desa")
    page.fill("input[name=delivered_by]", "Ujang Suryana")
    page.click("button:has-text('Catat penyerahan kartu')")
    page.wait_for_selector("text=tercatat.")
    assert page.inner_text("#jumlah-belum-diserahkan") == "2"
    delivered = Card.objects.get(delivered_on__isnull=False)
    assert (delivered.channel, delivered.delivered_by) == ("desa", "Ujang Suryana")
    # Readable on a phone: the page is no wider than the screen (tables scroll in a box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
