"""BPJS registration in a real browser: Disnakertrans prepares and sends the batch, the
petugas BPJS uploads BPJS's answer, a second desk of Disnakertrans confirms it (Pasal 8).

Headless Debian chromium through Playwright against the live test server, with the browser
fixtures of ``web/tests/test_browser.py``. Tasks run immediately in the test settings, so the
answer's check has finished when its page opens.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from payung.domain.nik import mask
from payung.web.tests.test_browser import _login, _switch, page  # noqa: F401

pytestmark = pytest.mark.browser


def test_operator_sends_petugas_answers_and_a_second_operator_confirms(
    live_server: Any,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    petugas_bpjs: Any,
    page: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    from payung.engine import bpjs_response_write
    from payung.enrollment.tests.factories import decreed_year
    from payung.participants.models import Candidate, CandidateState

    personas = {
        "operator_dinsos": operator_dinsos,
        "operator_dinsos_2": operator_dinsos_2,
        "verifikator_dukcapil": verifikator_dukcapil,
        "operator_disnaker": operator_disnaker,
        "petugas_bpjs": petugas_bpjs,
    }
    world = decreed_year(personas=personas, n=4, pks_start=date(2026, 3, 1))
    base = live_server.url

    # Disnakertrans: from the decrees page to the registration, a batch, the file for BPJS.
    _login(page, base, "operator_disnaker")
    page.goto(f"{base}/keputusan/tahun/{world.year.pk}/")
    page.click("main >> text=Pendaftaran BPJS")
    page.wait_for_selector("text=4 peserta ditetapkan belum dikirim ke BPJS")
    page.click("button:has-text('Buat tahap pendaftaran')")
    page.wait_for_selector("text=Berkas pendaftaran untuk BPJS")
    batch_url = page.url
    body = page.inner_text("body")
    assert mask(world.decreed[0].nik) in body and world.decreed[0].nik not in body
    with page.expect_download() as download:
        page.click("text=Unduh XLSX")
    request = tmp_path / "pendaftaran.xlsx"
    download.value.save_as(request)
    answer, counts = bpjs_response_write(
        request=request, out=tmp_path / "jawaban-bpjs.xlsx", today=date(2026, 2, 20), seed=4
    )
    assert counts["diterima"] == 4

    # BPJS: its officer uploads the answer; it is checked, then waits for Disnakertrans.
    _switch(page, base, "petugas_bpjs")
    page.goto(batch_url)
    page.set_input_files("input[type=file]", str(answer))
    page.click("button:has-text('Unggah untuk diperiksa')")
    page.wait_for_selector("text=Hasil pemeriksaan")
    report = page.inner_text("body")
    assert "Menunggu penerapan" in report
    assert "Baris yang tidak cocok dengan peserta tahap ini" in report
    assert page.locator("button:has-text('Terapkan jawaban ini')").count() == 0
    answer_url = page.url

    # Disnakertrans confirms (not the uploader: four eyes) and sees the registered counts.
    _switch(page, base, "operator_disnaker_2")
    page.goto(answer_url)
    page.click("button:has-text('Terapkan jawaban ini')")
    page.wait_for_selector("text=Jawaban diterapkan oleh")
    assert "4 peserta terdaftar di BPJS" in page.inner_text("body")
    page.goto(batch_url)
    assert page.locator("tr:has-text('Diterima (terdaftar)') td").nth(1).inner_text() == "4"
    states = set(
        Candidate.objects.filter(pk__in=[c.pk for c in world.decreed]).values_list(
            "state", flat=True
        )
    )
    assert states == {CandidateState.ACTIVE}  # cover from the PKS's 1 March, which has come
    kpj = Candidate.objects.get(pk=world.decreed[0].pk).kpj
    assert mask(kpj) in page.inner_text("body") and kpj not in page.inner_text("body")

    # Readable on a phone: the page does not widen past 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(batch_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
