"""The team's path through an end, a replacement and an appeal, in headless Chromium (issue
12): three desks, three agencies' roles, one programme year.

Disnakertrans's operator kepesertaan ends a participant who died (the family brought the
death certificate) and follows the page's link to the replacement round; Dinas Sosial's
operator pendataan proposes the one replacement the remaining pagu pays for from May to
December (Pasal 6 ayat (2)); and the same office records a refused person's appeal at the
counter. The fixtures are the participants' small screened year (3 places, 150 people).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from payung.participants import views
from payung.participants.models import Candidate, CandidateState
from payung.screening.models import Decision
from payung.web.tests.test_browser import _login, _switch, page  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_end_a_replacement_within_the_pagu_and_an_appeal(
    live_server: Any,
    active: list[Candidate],
    operator_dinsos: Any,
    operator_disnaker: Any,
    page: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The round is held on 1 May: eight months to pay for (the live server runs in this
    # process, so the page's clock seam can be set here).
    monkeypatch.setattr(views, "_today", lambda: date(2026, 5, 1))
    base = live_server.url
    deceased = active[0]
    year_pk = deceased.proposal.programme_year_id
    first_waiting = (
        Candidate.objects.filter(proposal=deceased.proposal, state=CandidateState.WAITLISTED)
        .order_by("rank")
        .first()
    )
    assert first_waiting is not None

    # 1. Disnakertrans ends the participation: died on 30 April, the family's certificate.
    _login(page, base, "operator_disnaker")
    page.goto(f"{base}{reverse('ends:participant_end', args=[deceased.pk])}")
    page.fill("input[name=on]", "2026-04-30")
    page.check("input[name=reason_code][value=meninggal]")
    page.check("input[name=death_source][value=akta]")
    page.fill("input[name=akta_number]", "3601-KM-02052026-0007")
    page.fill("input[name=akta_date]", "2026-05-02")
    page.click("button:has-text('Akhiri kepesertaan')")
    page.wait_for_selector("text=Kepesertaan ini telah berakhir.")
    page.click("text=Ke putaran pengganti")
    page.wait_for_selector("text=Tempat dan sisa pagu")
    reader_view = page.content()
    assert "1 tempat kosong" in reader_view
    assert "Meninggal dunia: 1" in reader_view
    assert "Usulkan" not in reader_view  # Disnakertrans reads; Dinas Sosial proposes

    # 2. Dinas Sosial proposes the replacement the remaining pagu pays for.
    _switch(page, base, "operator_dinsos")
    page.goto(f"{base}{reverse('participants:replacement_round', args=[year_pk])}")
    content = page.content()
    # Pagu 3 x 12 months; 2 x 11 (February on) + 3 (February-April) committed: 11 months
    # left, one replacement from May costs 8 of them.
    assert "Rp184.800" in content
    assert "8 bulan, dari Mei 2026 sampai Desember" in content
    assert "Rp134.400" in content
    assert first_waiting.nik not in content
    page.click("button:has-text('Usulkan 1 pengganti')")
    page.wait_for_selector("text=Putaran pengganti 1: 1 calon diusulkan dari daftar tunggu")
    assert "Menunggu verifikasi Disdukcapil" in page.content()
    first_waiting.refresh_from_db()
    assert first_waiting.state == CandidateState.PROPOSED

    # 3. A refused person comes to the counter: the operator pendataan records the appeal.
    refused = (
        Decision.objects.filter(run_id=deceased.proposal.screening_run_id, status="ineligible")
        .order_by("row")
        .first()
    )
    assert refused is not None
    page.goto(f"{base}{reverse('appeals:appeal_create', args=[refused.person_id])}")
    page.fill("input[name=received_on]", "2026-05-04")
    page.check("input[name=channel][value=loket]")
    page.fill("input[name=filed_by]", "Yang bersangkutan")
    page.fill("textarea[name=grounds]", "Merasa memenuhi syarat; membawa surat keterangan desa.")
    page.click("button:has-text('Catat dan saring ulang')")
    page.wait_for_selector("text=Sanggahan dicatat dan disaring ulang.")
