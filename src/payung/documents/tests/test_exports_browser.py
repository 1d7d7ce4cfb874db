"""Lists and big exports in a real browser (issue 9), at 1366 px and on a 390 px phone: the
auditor jumps to a page of a long trail keeping the filter, asks for a big export, sees it
finish and downloads it; an import's problems read grouped by problem."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.audit.tests.factories import entries_create
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/h6/shots")
WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("width", [1366, 390])
def test_auditor_pages_through_the_trail_and_takes_a_big_export(
    live_server: Any,
    auditor_inspektorat: Any,
    operator_dinsos: Any,
    settings: Any,
    page: Any,  # noqa: F811
    width: int,
) -> None:
    from payung.registry.tests.factories import DtsenImportFactory

    settings.PAYUNG_EXPORT_BACKGROUND_ROWS = 100
    entries_create(
        at=datetime(2026, 3, 2, 9, tzinfo=WIB), count=600, actions=["person_view", "user_login"]
    )
    imp = DtsenImportFactory(
        problems=[
            {"row": r, "codes": ["nik.excel_scientific"], "message": "x"} for r in range(1, 80)
        ]
        + [{"row": 90, "codes": ["tanggal_lahir.missing"], "message": "x"}],
        invalid_count=1300,
        invalid_by_code={"nik.excel_scientific": 1299, "tanggal_lahir.missing": 1},
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    _login(page, base, "auditor_inspektorat")

    page.goto(f"{base}/audit/?action=person_view")
    nav = page.locator("nav.pagination")
    assert "Halaman 1 dari 6" in nav.inner_text()
    page.fill("nav.pagination input[name=page]", "5")
    page.click("nav.pagination button[type=submit]")
    page.wait_for_url("**/audit/?action=person_view&page=5")
    assert "Halaman 5 dari 6" in nav.inner_text()
    assert nav.locator("strong[aria-current=page]").inner_text() == "5"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = nav.bounding_box()
    assert box["x"] + box["width"] <= width
    nav.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"C-audit-pages-{width}.png"), full_page=False)

    page.click("#export-link")
    page.wait_for_url("**/dokumen/ekspor/*/")
    download_link = page.locator("#export-download")
    download_link.wait_for()
    assert "Selesai." in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"C-export-ready-{width}.png"), full_page=True)
    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("JEJAK AUDIT")
    assert len(rows.to_python()) - 1 == 300
    assert AuditEntry.objects.filter(action="audit_export").count() == 1

    page.goto(f"{base}/pendataan/impor/{imp.pk}/")
    groups = page.locator("#masalah")
    assert (
        "1.299 baris" in groups.inner_text() and "nik.excel_scientific" not in groups.inner_text()
    )
    groups.locator("summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    groups.screenshot(path=str(SHOTS / f"C-import-groups-{width}.png"))

    page.goto(f"{base}/pendataan/impor/{imp.pk}/masalah/?masalah=1&page=2")
    assert "Halaman 2 dari 2" in page.inner_text("nav.pagination")
    assert "1.299 baris" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"C-import-problems-{width}.png"), full_page=True)
