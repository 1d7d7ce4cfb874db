"""The SOP page in a browser: the Disdukcapil verifier opens it from the menu on a phone
(390 px) and on a desktop, sees the flowcharts (the CSP lets the data: images through) and
generates nothing; the operator kepesertaan has them made. Screenshots go to
``PAYUNG_SHOTS`` when set (the issue's review looks at them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from payung.procedures.tests.factories import sop_document_done
from payung.programmes.tests.factories import ProgrammeYearFactory
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:  # noqa: F811
    folder = os.environ.get("PAYUNG_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_verifier_reads_the_sops_on_a_phone_and_a_desktop(
    live_server: Any,
    page: Any,  # noqa: F811
    verifikator_dukcapil: Any,
    operator_dinsos: Any,
) -> None:
    year = ProgrammeYearFactory(year=2026, created_by=operator_dinsos)
    for fmt in ("docx", "pdf"):
        sop_document_done(programme_year=year, actor=operator_dinsos, agency="disdukcapil", fmt=fmt)
    base = live_server.url
    _login(page, base, "verifikator_dukcapil")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/sop/tahun/{year.pk}/")
    assert page.locator("h2", has_text="Langkah Dinas Kependudukan").count() == 1
    images = page.locator("figure img")
    assert images.count() >= 2
    # Every flowchart is decoded and drawn (a refused data: URL leaves it 0 px wide).
    widths = images.evaluate_all("els => els.map(e => e.naturalWidth)")
    assert all(w > 0 for w in widths), widths
    assert page.locator("a", has_text="Unduh PDF").count() == 1
    assert page.locator("button", has_text="Buat SOP").count() == 0
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, scroll
    _shot(page, "O-page-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/sop/tahun/{year.pk}/?instansi=disnakertrans")
    assert page.locator("h2", has_text="Langkah Dinas Tenaga Kerja").count() == 1
    _shot(page, "O-page-1280.png")
