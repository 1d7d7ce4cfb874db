"""Dinas Sosial checks the province's list in a real browser (headless Debian chromium).

Upload the province's list of BPU participants it pays for, watch it being linked, compare
a match field by field, confirm it: the person is refused under Pasal 5 ayat (2) huruf f,
the next on the waiting list takes the place, and the person's page says why. The match
page stays readable on a 390 px phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from payung.linkage.tests import factories as f
from payung.participants.models import CandidateState
from payung.participants.tests.factories import approved_proposal
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_operator_uploads_the_provinces_list_confirms_a_match_and_the_person_is_refused(
    live_server: Any,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    page: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    target, other = proposal.candidates.filter(state=CandidateState.PROPOSED).order_by("rank")[:2]
    waiting = proposal.candidates.filter(state=CandidateState.WAITLISTED).order_by("rank").first()
    listing = tmp_path / "bpu-apbd-provinsi.csv"
    listing.write_bytes(f.other_list_bytes(exact=[other.person], typed=[target.person]))
    base = live_server.url
    year = proposal.programme_year

    _login(page, base, "operator_dinsos")
    page.goto(f"{base}/pendataan/{year.pk}/")
    page.click("a:has-text('Daftar penerima iuran dari sumber dana lain')")
    page.fill("input[name=source_name]", "Peserta BPU APBD Provinsi Banten")
    page.select_option("select[name=funder]", "apbd_provinsi")
    page.fill("input[name=list_date]", "2026-03-01")
    page.set_input_files("input[name=file]", str(listing))
    page.click("button:has-text('Unggah dan cocokkan')")
    page.wait_for_selector("text=Peluang orang yang sama")
    assert "Perlu ditinjau (2)" in page.content()

    pair = page.locator("article.pair", has_text=target.person.nama)
    assert "beda satu digit (salah ketik)" in pair.inner_text()
    assert target.person.nik not in page.content()
    pair.locator("button[value=confirmed]").click()
    page.wait_for_selector("text=Dicatat: orang yang sama.")
    assert "Perlu ditinjau (1)" in page.content()

    # The other is the same NIK and name, but the officer knows better: a reason is required.
    page.click("button:has-text('Bukan orang yang sama')")
    page.wait_for_selector("text=Tuliskan mengapa keduanya bukan orang yang sama")
    page.fill("input[name=note]", "Orang lain yang kebetulan sama; dicek di kantor desa.")
    page.click("button:has-text('Bukan orang yang sama')")
    page.wait_for_selector("text=Dicatat: bukan orang yang sama.")

    target.refresh_from_db()
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert target.state == CandidateState.REJECTED
    assert waiting.state == CandidateState.PROPOSED
    assert other.state == CandidateState.PROPOSED

    page.goto(f"{base}/orang/{target.person_id}/")
    assert "Pasal 5 ayat (2) huruf f" in page.content()
    assert "Peserta BPU APBD Provinsi Banten" in page.content()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/daftar-lain/{year.other_lists.get().pk}/?tab=sama")
    page.wait_for_selector("text=Dikeluarkan dari usulan")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, "the match page scrolls sideways on a phone"
