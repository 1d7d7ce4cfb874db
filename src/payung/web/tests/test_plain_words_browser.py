"""The plain-words pages as their reader sees them, at 1366 px and on a 390 px phone (issue 9).

The auditor opens a refused person's decision (the age criterion with the birth date in
words) and the audit trail (actions, targets and details in words), in headless Chromium;
the rendered text (``innerText`` without ``<code>``) holds no raw code, and the screenshots
are kept in ``PAYUNG_SHOTS`` (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from payung.audit.services import audit_entry_create
from payung.screening.tests import factories
from payung.web.tests.test_browser import _login, page  # noqa: F401  (the browser fixture)
from payung.web.tests.test_plain_words import PATTERNS

pytestmark = pytest.mark.browser

#: The text a person reads: the page without code samples, scripts and styles, a space
#: after every element (two table cells are two words, as the eye reads them).
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("code, script, style, template").forEach((e) => e.remove());
  body.querySelectorAll("*").forEach((e) => e.after(" "));
  return body.textContent.replace(/\\s+/g, " ");
}"""


def test_auditor_reads_a_decision_and_the_trail_in_words(
    live_server: Any,
    auditor_inspektorat: Any,
    operator_dinsos: Any,
    page: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    decision = factories.DecisionFactory(
        status="ineligible",
        reasons="5(2)b",
        priority_rank=None,
        priorities="",
        age=70,
        person__tanggal_lahir="04/06/1955",
        flags="pekerjaan.unknown",
    )
    audit_entry_create(
        actor=operator_dinsos,
        action="export_personal_data",
        target=decision.run,
        detail={"purpose": "verifikasi_disdukcapil", "rows": 1200, "run_id": decision.run_id},
    )
    shots = Path(os.environ.get("PAYUNG_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    _login(page, base, "auditor_inspektorat")

    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/penyaringan/keputusan/{decision.pk}/")
        text = page.evaluate(VISIBLE_TEXT)
        assert "usia 70 tahun pada 1 Januari 2026 (tanggal lahir 4 Juni 1955)" in text
        assert "tanggal acuan 1 Januari 2026" in text
        assert "Pekerjaan tidak dikenal" in text
        page.screenshot(path=str(shots / f"E-decision-{width}.png"), full_page=True)
        pages = {"decision": text}

        page.goto(f"{base}/audit/")
        text = page.evaluate(VISIBLE_TEXT)
        assert "Pengguna: auditor_inspektorat (Auditor Inspektorat)" in text
        assert "Verifikasi dan validasi oleh Disdukcapil" in text
        assert "1.200" in text and "Nomor penyaringan" in text
        page.screenshot(path=str(shots / f"E-audit-{width}.png"), full_page=True)
        pages["audit"] = text

        for name, shown in pages.items():
            for login in (auditor_inspektorat.username, operator_dinsos.username):
                shown = shown.replace(login, " ")  # login names are shown as spelled
            for kind, pattern in PATTERNS.items():
                assert not pattern.search(shown), (name, width, kind, pattern.search(shown))
