"""Issue 9, defect 1: the NIK's "Lihat" button on the person pages, in a real browser.

The button worked in the decision list (a table cell) but not where the masked NIK sat in a
paragraph: the parser closes a ``<p>`` at the reveal ``<form>``, the button then has no
``.nik`` around it and htmx reports ``htmx:targetError``. Checked in Chromium because only
a browser's parser and htmx show it; every page's requests are watched for a 404 too (the
favicon, defect 5).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.domain import nik as nik_domain
from payung.people.tests.factories import cycle_build
from payung.screening.models import Decision
from payung.verification.models import Answer
from payung.web.tests.test_browser import _login, htmx_fails, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reveal_in(page: Any, container: str, nik: str) -> None:  # noqa: F811
    masked = nik_domain.mask(nik)
    heading = page.locator(container)
    assert masked in heading.inner_text() and nik not in page.inner_text("body")
    heading.locator("button:has-text('Lihat')").click()
    page.wait_for_selector(f"{container} .nik-full")
    assert heading.locator(".nik-full").inner_text() == nik
    assert heading.locator("button:has-text('Lihat')").count() == 0


def test_the_lihat_button_reveals_the_full_nik_on_both_person_pages_and_is_audited(
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    cycle = cycle_build(rows=60, quota=3, rejection=Answer.MENINGGAL)
    person_id = cycle.decreed.person_id
    nik = cycle.decreed.nik
    decision = Decision.objects.filter(person_id=person_id).latest("pk")
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "targetError" in m.text else None)
    base = live_server.url
    _login(page, base, "operator_pendataan")

    page.goto(f"{base}{reverse('people:person_detail', args=[person_id])}")
    _reveal_in(page, "hgroup", nik)
    page.goto(f"{base}{reverse('screening:person_detail', args=[decision.pk])}")
    _reveal_in(page, "hgroup", nik)

    entries = AuditEntry.objects.filter(action="nik_view", actor_username="operator_pendataan")
    assert entries.count() == 2
    assert all(nik not in str(e.detail) for e in entries)
    assert {e.detail["nik_masked"] for e in entries} == {nik_domain.mask(nik)}
    assert errors == []
    assert missing == []


def test_a_reveal_htmx_could_not_answer_is_sent_again_as_an_ordinary_form(
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    """A failed htmx reveal (here a 500 routed in its place) must not leave a button that
    seemingly did nothing: the form is sent the ordinary way and its page shows the NIK."""
    cycle = cycle_build(rows=60, quota=3, rejection=Answer.MENINGGAL)
    decision = Decision.objects.filter(person_id=cycle.decreed.person_id).latest("pk")
    base = live_server.url
    reveal = f"{base}{reverse('screening:reveal_nik', args=[decision.pk])}"
    htmx_fails(page, reveal)
    _login(page, base, "operator_pendataan")
    page.goto(f"{base}{reverse('screening:person_detail', args=[decision.pk])}")
    page.locator("hgroup button:has-text('Lihat')").click()
    page.wait_for_url(reveal)
    page.wait_for_selector(".nik-full")
    assert page.locator(".nik-full").inner_text() == cycle.decreed.nik
    assert page.title().startswith("NIK lengkap")
