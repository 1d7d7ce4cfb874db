"""The auditor filters the trail by action on a 390 px phone and reads Indonesian words."""

from __future__ import annotations

from typing import Any

import pytest

from payung.audit.services import audit_entry_create
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_auditor_filters_by_action_on_a_phone_and_reads_words(
    live_server: Any,
    auditor_inspektorat: Any,
    operator_dinsos: Any,
    page: Any,  # noqa: F811
) -> None:
    audit_entry_create(
        actor=operator_dinsos,
        action="document_download",
        detail={"file_name": "berita-acara.pdf", "rows": 50000},
    )
    audit_entry_create(actor=operator_dinsos, action="person_view")
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})

    _login(page, base, "auditor_inspektorat")
    page.goto(f"{base}/audit/")
    page.select_option("select[name=action]", label="Dokumen diunduh")
    page.click("form.audit-filters button[type=submit]")
    page.wait_for_url("**/audit/?*action=document_download*")

    table = page.locator("#entries")
    assert table.locator("tbody tr").count() == 1
    cell = table.locator("span.action").first
    assert cell.inner_text() == "Dokumen diunduh"
    assert cell.get_attribute("title") == "document_download"
    text = table.inner_text()
    assert "Nama berkas" in text and "50.000" in text and "berita-acara.pdf" in text
    assert "document_download" not in text and "{" not in text
    assert "Halaman orang dilihat" not in text
    # Readable at 390 px: the page does not widen; a wide table scrolls in its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    detail = page.get_by_text("berita-acara.pdf")
    assert (
        detail.is_visible() and detail.bounding_box()["x"] + detail.bounding_box()["width"] <= 390
    )
    export = page.locator("#export-link")
    assert export.is_visible() and "action=document_download" in export.get_attribute("href")
