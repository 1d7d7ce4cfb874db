"""The bendahara's path in a real browser (headless Debian chromium through Playwright).

Issue the January bill on the year's page, try a partial SP2D without an explanation (the
page demands one), record the full SP2D, and let a second bendahara at another desk confirm
it: the bill then reads "Lunas". The payment page stays readable on a 390 px phone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from payung.contributions.models import Bill, Payment
from payung.contributions.tests import factories as f
from payung.web.tests.test_browser import _login, _switch, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

JAN = date(2026, 1, 1)
SP2D = "35.19/04.0/000003/LS/2.19.3.26.0.00.01.0000/M/2/2024"


def _fill_sp2d(page: Any, amount: str) -> None:  # noqa: F811
    page.fill("input[name=sp2d_number]", SP2D)
    page.fill("input[name=paid_on]", "2026-01-12")
    page.fill("input[name=amount]", amount)
    page.fill("input[name=account_code]", "5.1.02.01.01.0026")
    page.click("button:has-text('Catat SP2D')")


def test_bendahara_issues_a_bill_records_an_sp2d_and_a_second_bendahara_confirms_it(
    live_server: Any,
    bendahara_disnaker: Any,
    page: Any,  # noqa: F811
) -> None:
    year, proposal = f.contribution_year()
    f.participants_add(proposal=proposal, periods=[(JAN, None)] * 3)
    f.second_bendahara()
    base = live_server.url

    _login(page, base, "bendahara_disnaker")
    page.goto(f"{base}/iuran/tahun/{year.pk}/")
    page.click("summary:has-text('Terbitkan tagihan')")
    page.select_option("select[name=first_month]", JAN.isoformat())
    page.select_option("select[name=last_month]", JAN.isoformat())
    page.click("form button:has-text('Terbitkan tagihan')")
    page.wait_for_selector("text=Tagihan 1")
    bill = Bill.objects.get(programme_year=year)
    assert bill.total == 3 * f.MONTHLY

    page.goto(f"{base}/iuran/tagihan/{bill.pk}/")
    page.click("a:has-text('Catat atau konfirmasi SP2D')")
    page.wait_for_selector("h2:has-text('Catat SP2D')")

    # Less than the bill, unexplained: refused on the page, nothing recorded.
    _fill_sp2d(page, "16.800")
    page.wait_for_selector("text=tuliskan penjelasan pembayaran sebagian")
    assert "Rp50.400" in page.content()
    assert not Payment.objects.exists()

    _fill_sp2d(page, "50.400")
    page.wait_for_selector("text=dihitung setelah dikonfirmasi orang lain")
    assert page.inner_text("#status-tagihan") == "Belum lunas"
    assert "Menunggu konfirmasi orang lain" in page.content()
    assert "12 Januari 2026" in page.content()
    payments_url = page.url

    _switch(page, base, "bendahara_disnaker_2")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(payments_url)
    page.click("button:has-text('Konfirmasi')")
    page.wait_for_selector("text=Pembayaran SP2D dikonfirmasi")
    assert page.inner_text("#status-tagihan") == "Lunas"
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, "the payment page scrolls sideways on a phone"
    payment = Payment.objects.get()
    assert payment.confirmed_by.username == "bendahara_disnaker_2"
