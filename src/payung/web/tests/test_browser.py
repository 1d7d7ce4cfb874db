"""The whole pendataan path in a real browser, as an operator of Dinas Sosial meets it.

Headless Debian chromium driven by Playwright against the live test server: log in, create
the programme year, upload an extract, watch the import finish, screen it, and open a
refused person to read why. Tasks run immediately in the test settings, so the progress
partial is seen in its finished state.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from payung.conftest import PASSWORD

pytestmark = pytest.mark.browser

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
def page(tmp_path: Path) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required: scripts/test installs it with apt-get")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        page.screenshot(path=str(tmp_path / "last.png"), full_page=True)
        browser.close()


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_operator_creates_year_imports_screens_and_reads_why_a_person_was_refused(
    live_server: Any, operator_dinsos: Any, page: Any, tmp_path: Path
) -> None:
    from payung.engine.synth import synth_write

    extract = synth_write(rows=400, seed=3, out=tmp_path / "dtsen-uji.csv")
    base = live_server.url

    _login(page, base, "operator_dinsos")

    page.goto(f"{base}/pendataan/baru/")
    page.fill("input[name=year]", "2026")
    page.select_option("select[name=policy_id]", "pandeglang-2025")
    page.fill("input[name=as_of]", "2026-01-01")
    page.fill("input[name=coverage_months]", "12")
    page.fill("input[name=pagu_apbd]", "Rp4.032.000")  # 20 people × Rp201.600
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=Kuota")
    assert "20 peserta" in page.content()
    assert "empat juta tiga puluh dua ribu rupiah" in page.content()
    year_url = page.url

    page.click("summary:has-text('Unggah ekstrak DTSEN')")
    page.set_input_files("input[type=file]", str(extract))
    page.click("button:has-text('Unggah dan impor')")
    page.wait_for_selector("#job-progress")
    page.wait_for_selector("text=Selesai")
    assert "dtsen-uji.csv" in page.content()

    page.goto(year_url)
    page.click("button:has-text('Jalankan penyaringan')")
    page.wait_for_selector("text=Selesai")
    content = page.content()
    assert "Tidak memenuhi syarat" in content
    assert "Pasal 5 ayat (2) huruf b" in content

    run_url = page.url.rstrip("/")
    page.goto(f"{run_url}/keputusan/?status=ineligible&article=5(2)b")
    page.locator("table tbody a").first.click()
    page.wait_for_selector("text=Mengapa saya")
    person = page.content()
    assert "tidak terpenuhi" in person
    assert "Berusia paling sedikit 18 tahun sampai dengan 64 tahun" in person
    assert "Pasal 5 ayat (2) huruf b" in person
    # The NIK is masked until someone with the right asks to see it.
    assert "********" in page.inner_text("body")


def test_auditor_cannot_create_a_year_and_sees_an_indonesian_refusal(
    live_server: Any, auditor_inspektorat: Any, page: Any
) -> None:
    base = live_server.url
    _login(page, base, "auditor_inspektorat")
    response = page.goto(f"{base}/pendataan/baru/")
    assert response is not None and response.status == 403
    assert "Akses ditolak" in page.content()
