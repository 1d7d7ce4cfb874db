"""On a 390 px phone, choosing a kecamatan in the decision list's filters narrows the village
select to that kecamatan's villages at once (htmx), and no select widens the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from payung.domain import wilayah
from payung.screening.models import Decision, ScreeningRun
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/h6/shots")


def test_the_village_select_follows_the_kecamatan_on_a_phone(
    live_server: Any,
    run: ScreeningRun,
    operator_dinsos: Any,
    page: Any,  # noqa: F811
) -> None:
    kecamatan = (
        Decision.objects.filter(run=run)
        .exclude(kode_desa="")
        .order_by("kode_kecamatan")
        .values_list("kode_kecamatan", flat=True)
        .first()
    )
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, base, "operator_dinsos")
    page.goto(f"{base}/penyaringan/{run.pk}/keputusan/")
    before = page.locator("#id_desa option").count()

    with page.expect_response(lambda r: "/keputusan/desa/" in r.url):
        page.select_option("#id_kecamatan", kecamatan)
    page.wait_for_function(f"document.querySelectorAll('#id_desa option').length < {before}")

    values = [
        v for v in page.eval_on_selector_all("#id_desa option", "os => os.map(o => o.value)") if v
    ]
    assert values and all(wilayah.kecamatan_code(v) == kecamatan for v in values)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 390)
        .map(e => `${e.tagName}.${e.className}#${e.id} ${e.getBoundingClientRect().right}`)
        .slice(0, 15)"""
    )
    page.screenshot(path=str(SHOTS / "C-decision-list-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    for select in page.locator("main form[role=search] select").all():
        box = select.bounding_box()
        assert box["x"] + box["width"] <= 390
    SHOTS.mkdir(parents=True, exist_ok=True)
    filters = page.locator("main form[role=search]")
    filters.screenshot(path=str(SHOTS / "C-decision-filters-390.png"))
