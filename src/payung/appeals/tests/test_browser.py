"""An appeal recorded from the person page and answered by a second operator, in a real
browser (headless Debian chromium through Playwright), at 1366 px and on a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from payung.appeals.models import Appeal
from payung.appeals.tests.factories import appeal_year, refused_person
from payung.participants.models import Candidate, CandidateState
from payung.web.tests.test_browser import _login, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page: Any, width: int) -> None:  # noqa: F811
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        f"the page scrolls sideways at {width} px"
    )


def test_operator_records_an_appeal_and_a_second_operator_answers_it(
    live_server: Any,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    page: Any,  # noqa: F811
) -> None:
    proposal = appeal_year(operator=operator_dinsos, approver=operator_dinsos_2)
    person = refused_person(proposal, reasons="5(1)")
    base = live_server.url
    _login(page, base, "operator_dinsos")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/orang/{person.pk}/")
    page.click("a:has-text('Catat sanggahan')")
    page.wait_for_selector("h1:has-text('Catat sanggahan')")
    _no_sideways_scroll(page, 1366)
    page.fill("input[name=received_on]", "2026-03-02")
    page.check("input[name=channel][value=desa]")
    page.fill("input[name=filed_by]", "Sekretaris desa")
    page.fill("textarea[name=grounds]", "Pekerjaan tercatat keliru di DTSEN.")
    page.fill("input[name=pekerjaan]", "PETANI")
    page.fill("input[name=desil]", "12")
    page.fill("input[name=desil_sumber]", "Surat desa No. 9")
    page.click("button:has-text('Catat dan saring ulang')")
    page.wait_for_selector("text=Desil harus bilangan bulat 1 sampai 10.")
    assert "Sebutkan dokumen sumber pekerjaan" in page.content()
    page.fill("input[name=desil]", "")
    page.fill("input[name=desil_sumber]", "")
    page.fill("input[name=pekerjaan_sumber]", "Surat keterangan desa No. 470/12")
    page.click("button:has-text('Catat dan saring ulang')")
    page.wait_for_selector("text=Sanggahan dicatat dan disaring ulang.")
    assert "dijawab oleh operator lain" in page.content()
    appeal = Appeal.objects.get(person=person)

    # The second operator answers, on a phone.
    page.context.clear_cookies()
    _login(page, base, "operator_dinsos_2")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/sanggahan/tahun/{proposal.programme_year_id}/")
    page.wait_for_selector("text=Belum dijawab")
    _no_sideways_scroll(page, 390)
    page.click(f"a[href='/sanggahan/{appeal.pk}/']")
    page.wait_for_selector("h2:has-text('Hasil penyaringan ulang')")
    _no_sideways_scroll(page, 390)
    page.click("button:has-text('Jawab sanggahan')")
    page.wait_for_selector("text=Sanggahan dijawab: Diterima: masuk daftar tunggu.")
    _no_sideways_scroll(page, 390)
    candidate = Candidate.objects.get(proposal=proposal, person=person)
    assert candidate.state == CandidateState.WAITLISTED
    assert f"peringkat {candidate.rank}" in page.content()
    assert page.locator("a:has-text('(PDF)')").count() == 1
