"""BPJS's officer records the first written warning on a phone (390 px), in a real browser
(headless Debian chromium through Playwright), and reads its deadline in working days."""

from __future__ import annotations

from typing import Any

import pytest

from payung.supervision import services
from payung.supervision.models import SanctionStep
from payung.supervision.tests import factories as f
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page: Any, width: int) -> None:  # noqa: F811
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        f"the page scrolls sideways at {width} px"
    )


def test_bpjs_records_a_warning_on_a_phone_and_sees_its_deadline(
    live_server: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
    page: Any,  # noqa: F811
) -> None:
    year = f.supervision_year()
    employer = f.employer_add(
        actor=operator_disnaker, name="PT Perusahaan Dengan Nama Yang Cukup Panjang Sekali"
    )
    report = f.report_add(year=year, employer=employer, actor=operator_disnaker)
    case = services.sanction_case_open(
        report=report, actor=operator_disnaker, finding="12 pekerja", unpaid_contributions=0
    )
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, base, "petugas_bpjs")

    page.goto(f"{base}/pengawasan/sanksi/{case.pk}/")
    page.wait_for_selector("h2:has-text('Catat langkah BPJS Ketenagakerjaan')")
    _no_sideways_scroll(page, 390)
    page.select_option("select[name=kind]", "teguran_1")
    page.fill("input[name=letter_number]", "B/77/PGW/2026")
    page.fill("input[name=letter_date]", "2026-03-13")
    page.click("button:has-text('Catat langkah')")
    page.wait_for_selector("text=Langkah sanksi dicatat.")

    assert "6 April 2026" in page.content()  # 10 working days across Lebaran 2026
    assert SanctionStep.objects.get(case=case).letter_number == "B/77/PGW/2026"
    _no_sideways_scroll(page, 390)

    page.goto(f"{base}/pengawasan/tahun/{year.pk}/")
    page.wait_for_selector("h1:has-text('Pengawasan pemberi kerja tahun 2026')")
    _no_sideways_scroll(page, 390)
