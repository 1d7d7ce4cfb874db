"""The amending decree in a real browser: one operator kepesertaan drafts it from the year's
decree page, a second records the Regent's signed copy (four eyes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from payung.decrees import services
from payung.decrees.models import Decree
from payung.decrees.tests.pdfs import SCAN
from payung.decrees.tests.test_amending_participants import (  # noqa: F401
    DRAFTED_ON,
    changed,
    year,
)
from payung.participants.models import CandidateState, Proposal
from payung.participants.tests.documents_stub import fixed_documents  # noqa: F401
from payung.participants.tests.factories import states
from payung.web.tests.test_browser import _login, page  # noqa: F401

pytestmark = pytest.mark.browser


def test_drafting_and_recording_an_amending_decree(
    live_server: Any,
    changed: tuple[Proposal, Decree],  # noqa: F811
    fixed_documents: Any,  # noqa: F811
    page: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(services, "_today", lambda: DRAFTED_ON)
    proposal, _first = changed
    base = live_server.url
    _login(page, base, "operator_disnaker")
    page.goto(f"{base}/keputusan/tahun/{proposal.programme_year_id}/")
    assert "2 calon pengganti terverifikasi akan ditambahkan" in page.content()
    page.click("button:has-text('Susun keputusan perubahan')")
    page.wait_for_selector("text=Peserta yang ditambahkan")
    content = page.content()
    assert "Pendaftaran ditolak BPJS Ketenagakerjaan" in content
    assert "Rp201.600" in content
    draft = Decree.objects.get(amends__isnull=False)

    page.context.clear_cookies()
    _login(page, base, "operator_disnaker_2")
    page.goto(f"{base}/keputusan/{draft.pk}/")
    scan = tmp_path / "sk-perubahan.pdf"
    scan.write_bytes(SCAN)
    prefix = f"sk{draft.pk}"
    page.fill(f"input[name={prefix}-number]", "400.10/Kep.30-Huk/2026")
    page.fill(f"input[name={prefix}-signed_on]", "2026-06-20")
    page.fill(f"input[name={prefix}-signer_name]", "Bupati Sintetis")
    page.set_input_files(f"input[name={prefix}-scan]", str(scan))
    page.click("button:has-text('Catat sebagai ditetapkan')")
    page.wait_for_selector("text=dicatat sebagai telah ditetapkan")

    assert states(proposal)[CandidateState.DECREED] == [2, 4, 5, 6, 7]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/keputusan/{draft.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the decree page scrolls sideways on a phone"
