"""No internal code reaches a person (issue 9, "Plain Indonesian"): a crawl of every role's pages.

Each role signs in and follows the links its pages offer (same site, GET, HTML only), as a
new user clicking through would. On every page the visible text (tags stripped; ``<code>``,
``<script>``, ``<style>``, attributes and hidden inputs are not text a person reads) must not
hold what only a programmer reads: a snake_case token (``pengemudi_ojek``, ``user_login``), a
dotted code (``nik.excel_scientific``, ``accounts.user``), an ISO date (``2026-02-02``) or an
object number (``#9``). File names keep their own spelling (a person uploaded them as named).

One cycle (screening of 200 synthetic people to a signed decree, a participant ended by
death) is the fixture: every stage then has rows to show.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from payung.participants.models import EndReason
from payung.participants.services import participant_end
from payung.people.tests.factories import cycle_build

#: What only a programmer reads. Lower-case only: a DTSEN header a person must fix in their
#: own file (``TANGGAL_LAHIR``) is their vocabulary, not ours.
PATTERNS = {
    "snake_case": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "dotted code": re.compile(r"\b[a-z_]+\.[a-z_]+\b"),
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "object number": re.compile(r"#\d+"),
}
#: File names (an upload's or a download's) and addresses are shown as they are spelled.
NAMES = re.compile(r"\S+\.(?:csv|xlsx|xls|parquet|pdf|docx|zip|json|txt)\b|\S+@\S+|https?://\S+")
#: Login names are shown as they are spelled (``dinsos.operator`` in the demo): the fixture's
#: users' names and the example the user form gives.
EXAMPLE_LOGIN_NAMES = frozenset({"dinsos.budi"})
#: Links a crawl must not follow: leaving the session, and files (not pages).
SKIP = re.compile(r"/keluar|/logout|/unduh|/download|/berkas|\.(?:csv|xlsx|pdf|docx)$")
#: Pages per role: enough to reach every stage's list and detail pages from the menu.
MAX_PAGES = 120
SKIPPED_TAGS = frozenset({"code", "script", "style", "template", "textarea", "title"})


class _Text(HTMLParser):
    """Visible text and same-site links of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.links.append(urldefrag(href)[0])
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self._skip:
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def leaks(html: str) -> tuple[list[str], list[str]]:
    """The raw codes in a page's visible text, and the page's links."""
    parser = _Text()
    parser.feed(html)
    text = NAMES.sub(" ", " ".join(parser.parts))
    found = [
        f"{kind}: {m.group(0)!r} in …{text[max(0, m.start() - 40) : m.end() + 20].strip()}…"
        for kind, pattern in PATTERNS.items()
        for m in pattern.finditer(text)
    ]
    return found, parser.links


def crawl(client: Client, *, start: str = "/", names: frozenset[str]) -> tuple[dict, int]:
    """Every page reachable from ``start`` by links (breadth first), with its leaks.

    A page shape (the path with its numbers as ``N``) is visited twice at most: the 30th
    candidate's page is the first one's template with other data. Filters (query strings)
    are the same template too. ``names`` are the users' login names, shown as they are.
    """
    queue, seen, out, pages, shapes = deque([start]), {start}, {}, 0, Counter()
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code >= 500:
            out[url] = [f"server error {response.status_code}"]
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        html = response.content.decode()
        for name in names:
            html = html.replace(name, " ")
        found, links = leaks(html)
        if found:
            out[url] = found
        for link in links:
            parts = urlsplit(link)
            shape = re.sub(r"\d+", "N", parts.path)
            if link in seen or parts.query or SKIP.search(parts.path) or shapes[shape] >= 2:
                continue
            seen.add(link)
            shapes[shape] += 1
            queue.append(link)
    return out, pages


def test_leaks_finds_what_it_looks_for() -> None:
    """The crawl's own check: each pattern is seen in text, none in code or attributes."""
    page = (
        "<p>Status: pengemudi_ojek · nik.excel_scientific · 2026-02-02 · accounts.user #9</p>"
        '<code>user_login</code><a href="/x/" title="a_b">Lihat</a>'
        '<input type="hidden" name="state_code" value="a_b"><p>dtsen_2026.csv</p>'
    )
    found, links = leaks(page)
    assert {f.split(":")[0] for f in found} == set(PATTERNS)
    shown = " ".join(found)
    assert "'pengemudi_ojek'" in shown and "'nik.excel_scientific'" in shown
    assert "'2026-02-02'" in shown and "'#9'" in shown and "'accounts.user'" in shown
    assert "user_login" not in shown and "a_b" not in shown and "state_code" not in shown
    assert "dtsen_2026" not in shown  # a file name
    assert links == ["/x/"]


@pytest.mark.django_db(transaction=False)
def test_no_raw_code_on_any_role_page() -> None:
    cycle = cycle_build(rows=200, quota=5)
    participant_end(
        candidate=cycle.decreed,
        actor=cycle.users["operator_kepesertaan"],
        on=date(2026, 3, 10),
        reason_code=EndReason.MENINGGAL,
        prepared_by=cycle.users["operator_kepesertaan_2"],
    )
    names = frozenset(u.username for u in cycle.users.values()) | EXAMPLE_LOGIN_NAMES
    report: dict[str, Any] = {}
    crawled = {}
    for persona, user in cycle.users.items():
        if persona.endswith("_2"):
            continue
        client = Client()
        client.force_login(user)
        found, pages = crawl(client, names=names)
        crawled[persona] = pages
        report.update({f"{persona} {url}": f for url, f in found.items()})
    # Every role reaches more than its home page, so the crawl saw their work.
    assert all(n > 1 for n in crawled.values()), crawled
    assert sum(crawled.values()) >= 100, crawled  # 130 pages when written
    assert report == {}, "\n".join(f"{k}: {v}" for k, v in report.items())
