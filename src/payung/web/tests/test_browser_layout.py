"""The workspace, a list, the person page and the decree page on a desk screen and a phone
(issue 9, defect 8): nothing wider than the viewport, the header one tidy bar, the stages
behind one "Menu" button on a phone. Screenshots go to ``/tmp/h6/shots`` (or the test's
temporary directory) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from payung.web.tests.test_browser import _login, page  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)


def _shots(tmp_path: Path) -> Path:
    wanted = Path(os.environ.get("PAYUNG_SHOTS", tmp_path))
    wanted.mkdir(parents=True, exist_ok=True)
    return wanted


def test_pages_fit_a_phone_and_the_header_is_one_bar(
    live_server: Any,
    page: Any,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    from payung.people.tests.factories import cycle_build

    cycle = cycle_build(rows=200, quota=5)
    base = live_server.url
    year_pk = cycle.proposal.programme_year_id
    pages = {
        "ruang-kerja": "/",
        "daftar-orang": reverse("people:person_list"),
        "orang": reverse("people:person_detail", args=[cycle.decreed.person_id]),
        "keputusan": reverse("decrees:decree_detail", args=[cycle.decree.pk]),
        "usulan": reverse("participants:proposal_detail", args=[year_pk]),
    }
    shots = _shots(tmp_path)
    _login(page, base, "operator_kepesertaan")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            page.screenshot(path=str(shots / f"A-{name}-{width}.png"), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (name, width, scroll)
        page.goto(f"{base}/")
        header = page.locator("header .topbar").bounding_box()
        if width == 1366:
            # One bar: brand, search and the user's menu on a single line, stages below.
            assert header is not None and header["height"] < 80
            assert page.locator(".stage-bar").is_visible()
            assert not page.locator(".stage-menu-phone").is_visible()
            page.click(".user-menu summary")
            assert page.locator(".user-menu >> text=Ganti kata sandi").is_visible()
            assert page.locator(".user-menu >> text=Disnakertrans").is_visible()
        else:
            assert not page.locator(".stage-bar").is_visible()
            page.click(".stage-menu-phone summary")
            assert page.locator(".stage-menu-phone >> text=Pendaftaran BPJS").is_visible()
            page.screenshot(path=str(shots / f"A-menu-{width}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width
