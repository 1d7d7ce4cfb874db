"""The operator kepesertaan ends one participation through the form, in a real browser
(headless Debian chromium through Playwright), on a desktop and on a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from payung.ends.tests.factories import ends_year
from payung.participants.models import CandidateState, CoveragePeriod
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page: Any, width: int) -> None:  # noqa: F811
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        f"the page scrolls sideways at {width} px"
    )


def test_operator_ends_a_participation_with_its_evidence(
    live_server: Any,
    operator_disnaker: Any,
    page: Any,  # noqa: F811
) -> None:
    _year, (a, b, _c) = ends_year()
    base = live_server.url
    _login(page, base, "operator_disnaker")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/penetapan/calon/{a.pk}/")
    page.click("a:has-text('Akhiri kepesertaan')")
    page.wait_for_selector("h1:has-text('Akhiri kepesertaan')")
    _no_sideways_scroll(page, 1366)
    # A death reported by the family without the certificate's number: refused on the page.
    page.fill("input[name=on]", "2026-03-10")
    page.check("input[name=reason_code][value=meninggal]")
    page.check("input[name=death_source][value=akta]")
    page.fill("input[name=akta_date]", "2026-03-12")
    page.click("button:has-text('Akhiri kepesertaan')")
    page.wait_for_selector("text=Isi nomor akta kematian yang ditunjukkan keluarga.")
    a.refresh_from_db()
    assert a.state == CandidateState.ACTIVE
    page.fill("input[name=akta_number]", "3601-KM-10032026-0007")
    page.click("button:has-text('Akhiri kepesertaan')")
    page.wait_for_selector("text=Kepesertaan ini telah berakhir.")
    assert "peserta pengganti sampai Desember" in page.content()
    a.refresh_from_db()
    assert a.state == CandidateState.ENDED
    assert CoveragePeriod.objects.get(candidate=a).end.isoformat() == "2026-03-10"

    # The same form on a phone: readable without sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/akhir/peserta/{b.pk}/")
    page.wait_for_selector("h1:has-text('Akhiri kepesertaan')")
    _no_sideways_scroll(page, 390)
