"""Personal search terms never travel in a URL (issue 17, defect 8).

A NIK or a name typed into the decision list's search used to be a query-string parameter:
it landed in the access log (even when the role was refused), the browser history and the
Referer. The search is POSTed, kept in the session under an opaque token (``?cari=``), and
the export's audit entry records that there was a search, not what it was.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.screening.models import Decision, ScreeningRun
from payung.screening.views import SEARCH_TOKEN

pytestmark = pytest.mark.django_db

#: Every address a page can send the browser to: links, form targets, htmx requests.
URL_ATTRIBUTE = re.compile(r'(?:href|action|src|hx-get|hx-post|formaction)="([^"]*)"')


def _urls(page: str) -> list[str]:
    return [unescape(url) for url in URL_ATTRIBUTE.findall(page)]


def _search(client: Client, run: ScreeningRun, **fields: str) -> str:
    response = client.post(reverse("screening:decision_list", args=[run.pk]), fields)
    assert response.status_code == 302
    return response["Location"]


def _person(run: ScreeningRun) -> Decision:
    return (
        Decision.objects.filter(run=run)
        .exclude(person__nama="")
        .select_related("person")
        .order_by("row")
        .first()
    )


def test_a_searched_nik_is_in_no_url_and_still_finds_the_person(
    client: Client, operator_dinsos: Any, run: ScreeningRun
) -> None:
    person = _person(run)
    client.force_login(operator_dinsos)
    location = _search(client, run, search=person.nik, status=person.status)

    assert person.nik not in location and person.nik[:6] not in location
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {SEARCH_TOKEN, "status"}
    response = client.get(location)
    page = response.context["page"]
    assert [d.pk for d in page.object_list] == [person.pk]
    html = response.content.decode()
    assert person.person.nama in html
    assert all(person.nik not in url and person.nik[:6] not in url for url in _urls(html))


def test_the_filter_forms_htmx_request_gets_the_list_at_once_under_the_token_address(
    client: Client, operator_dinsos: Any, run: ScreeningRun
) -> None:
    """The search as a browser with JavaScript sends it (htmx): one request answers with the
    list, and the address htmx puts in the address bar and the history has the token and
    the other filters, never the term; a GET of it (a reload, Back) shows the same list."""
    person = _person(run)
    name = person.person.nama
    client.force_login(operator_dinsos)
    url = reverse("screening:decision_list", args=[run.pk])
    with CaptureQueriesContext(connection) as one:
        response = client.post(
            url, {"search": name, "status": person.status}, headers={"HX-Request": "true"}
        )

    assert response.status_code == 200
    pushed = response["HX-Push-Url"]
    assert name not in unescape(pushed) and name.split()[0] not in unescape(pushed)
    assert urlsplit(pushed).path == url
    assert set(parse_qs(urlsplit(pushed).query)) == {SEARCH_TOKEN, "status"}
    found = [d.pk for d in response.context["page"].object_list]
    assert person.pk in found
    html = response.content.decode()
    assert all(name not in url for url in _urls(html))
    again = client.get(pushed)
    assert [d.pk for d in again.context["page"].object_list] == found
    assert again.context["count"] == response.context["count"]
    # Without htmx: a POST and a redirected GET, more queries than the one request.
    with CaptureQueriesContext(connection) as two:
        client.get(_search(client, run, search=name, status=person.status))
    assert len(one) < len(two)


def test_pages_and_the_export_link_carry_the_token_not_the_term(
    client: Client, operator_dinsos: Any, run: ScreeningRun
) -> None:
    # The commonest NIK prefix that still fills several pages.
    niks = list(Decision.objects.filter(run=run).values_list("nik", flat=True))
    prefix = next(
        p
        for size in (4, 3, 2)
        for p, n in Counter(nik[:size] for nik in niks if nik).most_common(1)
        if n > 50
    )
    expected = Decision.objects.filter(run=run, nik__startswith=prefix).count()
    assert expected > 50
    client.force_login(operator_dinsos)
    html = client.get(_search(client, run, search=prefix, status="")).content.decode()
    links = [u for u in _urls(html) if SEARCH_TOKEN + "=" in u]
    next_page = next(u for u in links if "setelah=" in u)
    assert any(reverse("screening:decision_export", args=[run.pk]) in u for u in links)
    # Paths hold record numbers, which may contain any digits; the query never the term.
    assert all(prefix not in urlsplit(url).query for url in _urls(html))
    assert all("search=" not in url for url in _urls(html))

    second = client.get(reverse("screening:decision_list", args=[run.pk]) + next_page)
    assert not second.context["page"].is_first
    assert all(d.nik.startswith(prefix) for d in second.context["page"].object_list)
    assert second.context["count"] == expected


def test_a_term_written_into_the_url_is_not_honoured_and_is_cleaned_away(
    client: Client, auditor_inspektorat: Any, run: ScreeningRun
) -> None:
    person = _person(run)
    url = reverse("screening:decision_list", args=[run.pk])
    client.force_login(auditor_inspektorat)
    response = client.get(url, {"search": person.nik, "status": "invalid"})
    assert response.status_code == 302
    assert person.nik not in response["Location"]
    assert response["Location"] == f"{url}?status=invalid"


def test_a_token_only_works_in_the_session_that_made_it(
    operator_dinsos: Any, operator_dinsos_2: Any, run: ScreeningRun
) -> None:
    person = _person(run)
    mine, theirs = Client(), Client()
    mine.force_login(operator_dinsos)
    theirs.force_login(operator_dinsos_2)
    location = _search(mine, run, search=person.nik)
    response = theirs.get(location)
    assert response.context["count"] == Decision.objects.filter(run=run).count()
    html = response.content.decode()
    assert person.nik not in html
    assert all(SEARCH_TOKEN + "=" not in url for url in _urls(html))


def test_a_refused_role_posting_a_search_leaves_no_term_anywhere(
    client: Client, petugas_bpjs: Any, run: ScreeningRun
) -> None:
    person = _person(run)
    client.force_login(petugas_bpjs)
    url = reverse("screening:decision_list", args=[run.pk])
    response = client.post(url, {"search": person.nik})
    assert response.status_code == 403
    assert person.nik not in str(client.session.items())


def test_the_export_of_a_search_keeps_the_rows_but_not_the_term_in_the_audit(
    client: Client, operator_dinsos: Any, run: ScreeningRun
) -> None:
    person = _person(run)
    name = person.person.nama
    expected = Decision.objects.filter(run=run, person__nama__icontains=name).count()
    client.force_login(operator_dinsos)
    html = client.get(_search(client, run, search=name)).content.decode()
    export_url = next(
        u
        for u in _urls(html)
        if reverse("screening:decision_export", args=[run.pk]) in u and "nik=" not in u
    )
    assert name not in export_url and SEARCH_TOKEN + "=" in export_url
    response = client.get(export_url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    assert len(sheet.to_python()) - 1 == expected

    entry = AuditEntry.objects.get(action="export_personal_data")
    assert entry.detail["filters"] == {"search": "ya"}
    detail = str(entry.detail)
    assert name not in detail and name.split()[0] not in detail
    assert person.nik[:4] not in detail


def test_a_name_search_page_costs_the_lists_queries_and_finds_every_match(
    client: Client, operator_dinsos: Any, run: ScreeningRun, django_assert_num_queries: Any
) -> None:
    """A name search reads the name index once per import and name (issue 16): the page
    costs the unfiltered list's queries plus the unranked part's read (its count is the
    number of the name's kept rows, no query), and the first time one more, which reads the
    name's rows (or finds it common: ``NAMED_MANY``); whatever the name matches, it shows
    every row whose name holds the term, in any case. On PostgreSQL the page's rows are read
    by their keys after the order (one query more, ``decision_page``)."""
    client.force_login(operator_dinsos)
    url = reverse("screening:decision_list", args=[run.pk])
    with CaptureQueriesContext(connection) as plain:
        assert client.get(url).status_code == 200
    unfiltered = len(plain)  # now: the next request clears the log it reads
    word = _person(run).person.nama.split()[0]
    location = _search(client, run, search=word.lower())
    keyed = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(unfiltered + 2 + keyed):
        response = client.get(location)
    with django_assert_num_queries(unfiltered + 1 + keyed):
        assert (
            client.get(location).context["page"].object_list == response.context["page"].object_list
        )
    shown = [d.pk for d in response.context["page"].object_list]
    # The rows a plain scan of the names gives, in the list's order (rank, then row).
    expected = (
        Decision.objects.filter(run=run, person__nama__icontains=word)
        .order_by(F("priority_rank").asc(nulls_last=True), "row")
        .values_list("pk", flat=True)
    )
    assert shown == list(expected[:50]) and shown
    # "N orang": every match, counted from the kept rows as the database counts them.
    assert (response.context["count"], response.context["count_capped"]) == (
        expected.count(),
        False,
    )
