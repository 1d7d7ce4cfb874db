"""Issue 13 in a real browser: the operator of Dinas Sosial imports an extract holding one
person twice, opens the import page, reads the pair with its evidence and confirms it.

Headless Debian chromium through Playwright against the live test server (fixtures of
``web/tests/test_browser.py``); tasks run immediately, so the duplicate search has finished
when the page opens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, PairDecision
from payung.registry.tests import factories
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_operator_sees_the_duplicate_on_the_import_page_and_confirms_it(
    live_server: Any,
    settings: Any,
    operator_dinsos: Any,
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    page: Any,  # noqa: F811 (fixture)
    tmp_path: Path,
) -> None:
    settings.PAYUNG_DUPLICATE_CHECK_AFTER_IMPORT = True
    planted = factories.extract_with_duplicate_write(out=tmp_path / "dtsen-ganda.csv")
    imp = import_file(year, planted.path)
    pair = imp.duplicate_checks.get().pairs.get()
    base = live_server.url

    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, base, "operator_dinsos")
    page.goto(f"{base}{reverse('registry:import_detail', args=[imp.pk])}")
    page.wait_for_selector("text=Data ganda dalam ekstrak")

    article = page.locator(f"#pasangan-{pair.pk}")
    text = article.inner_text()
    assert f"Baris {planted.original} dan baris {planted.duplicate}" in text
    assert "beda satu digit (salah ketik)" in text
    assert "Perlu ditinjau" in text
    assert pair.person_1.nik not in page.content()  # masked on the page
    # Readable on a phone: nothing widens the page beyond the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    article.get_by_role("button", name="Orang yang sama", exact=True).click()
    page.wait_for_selector("text=Keputusan atas pasangan dicatat.")

    decided = page.locator(f"#pasangan-{pair.pk}").inner_text()
    assert "Diputuskan oleh operator_dinsos pada" in decided
    pair.refresh_from_db()
    assert pair.decision == PairDecision.CONFIRMED
    assert pair.decided_by == operator_dinsos
