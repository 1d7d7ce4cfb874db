"""One person's page, reached from the header search (issue 8: one person, one lifecycle).

Built on a whole cycle run through the real services in which Disdukcapil answers that the
candidate at rank 2 has died (MENINGGAL): the tester's case, where the screening page said
"Terpilih (dalam pagu)" and no page showed the final state.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.core.searches import SEARCH_TOKEN
from payung.domain import nik as nik_domain
from payung.people.tests.factories import SIGNED_NUMBER, Cycle, cycle_build
from payung.registry.models import Person
from payung.screening.tests.factories import DtsenImportFactory, PersonFactory, ProgrammeYearFactory
from payung.verification.models import Answer

pytestmark = pytest.mark.django_db

URL_ATTRIBUTE = re.compile(r'(?:href|action|src|hx-get|hx-post|formaction)="([^"]*)"')


@pytest.fixture
def cycle() -> Cycle:
    return cycle_build(rows=120, quota=4, rejection=Answer.MENINGGAL)


def _client(cycle: Cycle, persona: str = "operator_pendataan") -> Client:
    client = Client()
    client.force_login(cycle.users[persona])
    return client


def _search(client: Client, term: str) -> Any:
    return client.post(reverse("people:person_search"), {"q": term})


def _dotted(nik: str) -> str:
    """A NIK as people type it off a card: ``36.01.01 ...``."""
    return f"{nik[:2]}.{nik[2:4]}.{nik[4:6]} {nik[6:12]} {nik[12:]}"


def test_header_search_is_posted_and_leads_to_the_deceased_persons_page(cycle: Cycle) -> None:
    client = _client(cycle)
    home = client.get(reverse("web:home")).content.decode()
    assert f'action="{reverse("people:person_search")}"' in home and 'method="post"' in home
    nik = cycle.rejected.nik

    response = _search(client, _dotted(nik))

    assert response.status_code == 302
    location = response["Location"]
    assert nik not in location and nik[:6] not in location and nik[-4:] not in location
    assert set(parse_qs(urlsplit(location).query)) == {SEARCH_TOKEN}
    listing = client.get(location)
    [hit] = listing.context["hits"]
    assert hit.person_id == cycle.rejected.person_id
    html = listing.content.decode()
    assert nik_domain.mask(nik) in html and nik not in html
    detail_url = reverse("people:person_detail", args=[cycle.rejected.person_id])
    assert detail_url in html
    page = client.get(detail_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ditolak Disdukcapil: meninggal" in html
    assert "Meninggal" in html  # Disdukcapil's answer in the verification table
    assert "penduduk telah meninggal dunia" in html  # the rejection's reason, in the history
    assert "Terpilih (dalam pagu)" in html  # the screening result, beside the final state
    assert nik not in html
    assert all(nik not in unescape(u) for u in URL_ATTRIBUTE.findall(html))


def test_the_search_forms_htmx_request_gets_the_list_at_once_under_the_token_address(
    cycle: Cycle,
) -> None:
    """The header search sent by htmx (as every browser with JavaScript sends it) is answered
    with the result list in one request; the address htmx shows holds the token only."""
    client = _client(cycle)
    nik = cycle.rejected.nik
    with CaptureQueriesContext(connection) as one:
        response = client.post(
            reverse("people:person_search"), {"q": _dotted(nik)}, headers={"HX-Request": "true"}
        )

    assert response.status_code == 200
    pushed = response["HX-Push-Url"]
    assert nik not in pushed and nik[:6] not in pushed and nik[-4:] not in pushed
    assert urlsplit(pushed).path == reverse("people:person_list")
    assert set(parse_qs(urlsplit(pushed).query)) == {SEARCH_TOKEN}
    [hit] = response.context["hits"]
    assert hit.person_id == cycle.rejected.person_id
    html = response.content.decode()
    assert nik_domain.mask(nik) in html and nik not in html
    # The pushed address is what Back and a reload ask for: the same list, by GET.
    again = client.get(pushed)
    assert [h.person_id for h in again.context["hits"]] == [hit.person_id]
    # Without htmx: a POST and a redirected GET, more queries than the one request.
    with CaptureQueriesContext(connection) as two:
        client.get(_search(client, _dotted(nik))["Location"])
    assert len(one) < len(two)


def test_every_view_of_a_person_page_is_audited_with_the_masked_nik_only(cycle: Cycle) -> None:
    client = _client(cycle, "verifikator")
    url = reverse("people:person_detail", args=[cycle.rejected.person_id])
    client.get(url)
    client.get(url)
    entries = AuditEntry.objects.filter(action="person_view").order_by("pk")
    assert entries.count() == 2
    entry = entries.last()
    assert entry.actor_username == "verifikator"
    assert entry.object_id == str(cycle.rejected.person_id)
    assert entry.detail["nik_masked"] == nik_domain.mask(cycle.rejected.nik)
    assert cycle.rejected.nik not in str(entry.detail)


def test_name_search_reaches_the_decreed_person_with_decree_number_and_date(cycle: Cycle) -> None:
    client = _client(cycle, "auditor")
    person = Person.objects.get(pk=cycle.decreed.person_id)
    response = _search(client, person.nama.lower()[:-1])
    listing = client.get(response["Location"])
    assert person.nama not in response["Location"]
    hits = {h.person_id: h for h in listing.context["hits"]}
    assert person.pk in hits
    html = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Ditetapkan sebagai peserta" in html
    assert SIGNED_NUMBER in html and "2 Februari 2026" in html


def test_a_person_imported_in_two_years_is_one_line_and_one_journey_newest_first(
    cycle: Cycle,
) -> None:
    person = Person.objects.get(pk=cycle.rejected.person_id)
    later = DtsenImportFactory(programme_year=ProgrammeYearFactory(year=2027))
    again = PersonFactory(dtsen_import=later, row=3, nik=person.nik, nama=person.nama)
    client = _client(cycle)
    listing = client.get(_search(client, person.nik)["Location"])
    [hit] = listing.context["hits"]
    assert hit.person_id == again.pk and hit.years == [2027, 2026]
    page = client.get(reverse("people:person_detail", args=[person.pk]))
    journey = page.context["journey"]
    assert [y.year for y in journey.years] == [2027, 2026]
    assert journey.years[0].final.label == "Belum disaring"
    assert journey.years[1].final.label == "Ditolak Disdukcapil: meninggal"


def test_a_row_whose_nik_excel_destroyed_stands_alone_on_its_page(cycle: Cycle) -> None:
    """A NIK Excel wrote as ``3.60117E+15`` is the same text for a whole district: the
    person page of such a row shows that row only, never strangers' years as its own (and
    does not read every one of their histories; issue 16)."""
    damaged = "3.60117E+15"
    later = DtsenImportFactory(programme_year=ProgrammeYearFactory(year=2027))
    person = PersonFactory(dtsen_import=later, row=3, nik=damaged, nama="SITI AMINAH")
    PersonFactory(dtsen_import=later, row=4, nik=damaged, nama="UJANG SUPRIATNA")
    PersonFactory(
        dtsen_import=DtsenImportFactory(programme_year=ProgrammeYearFactory(year=2028)),
        row=3,
        nik=damaged,
        nama="ENENG",
    )
    page = _client(cycle).get(reverse("people:person_detail", args=[person.pk]))
    assert page.status_code == 200
    assert [(y.year, y.person.pk) for y in page.context["journey"].years] == [(2027, person.pk)]
    html = page.content.decode()
    assert "SITI AMINAH" in html
    assert "UJANG" not in html and "ENENG" not in html


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("36", "NIK terdiri atas 16 angka."),
        ("ab", "Ketik NIK (16 angka) atau paling sedikit 3 huruf nama."),
        ("3601.0101.2345", "NIK terdiri atas 16 angka."),
    ],
)
def test_a_term_too_short_to_search_is_refused_in_words_without_a_redirect(
    cycle: Cycle, term: str, message: str
) -> None:
    client = _client(cycle)
    response = _search(client, term)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["hits"] is None
    # Sent by htmx, the refusal comes with the search page's own address, no term in it.
    response = client.post(
        reverse("people:person_search"), {"q": term}, headers={"HX-Request": "true"}
    )
    assert message in response.content.decode()
    assert response["HX-Push-Url"] == reverse("people:person_list")


def test_a_token_from_another_session_finds_no_one(cycle: Cycle) -> None:
    location = _search(_client(cycle), cycle.rejected.nik)["Location"]
    other = _client(cycle, "operator_pendataan_2")
    response = other.get(location)
    assert response.context["hits"] is None
    assert "Ketik NIK" in response.content.decode()


def test_roles_without_person_decisions_see_no_search_box_and_no_page(cycle: Cycle) -> None:
    client = _client(cycle, "bendahara")
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("people:person_search") not in home
    assert _search(client, cycle.rejected.nik).status_code == 403
    url = reverse("people:person_detail", args=[cycle.rejected.person_id])
    assert client.get(url).status_code == 403


def test_result_list_and_person_page_query_counts_do_not_grow(
    cycle: Cycle, django_assert_max_num_queries: Any
) -> None:
    client = _client(cycle)
    # A name search (three letters) costs the same queries whatever it matches.
    term = Person.objects.get(pk=cycle.decreed.person_id).nama[:3]
    location = _search(client, term)["Location"]
    # Session, user, permissions, groups, agency, the session's save: 9; the search: 1.
    with django_assert_max_num_queries(10):
        response = client.get(location)
    assert len(response.context["hits"]) >= 1
    url = reverse("people:person_detail", args=[cycle.rejected.person_id])
    # 15 whatever the person (session, user, permissions, the audit entry in its transaction,
    # groups, agency, session save) + 8 per programme year (rows, decisions, candidacy with
    # its card, coverage periods, registration answers, history, answers, decrees): a longer
    # history adds no query. On PostgreSQL the audit entry first locks the chain's head row:
    # one query more. The person's appeals (issue 12, all years at once): one more.
    with django_assert_max_num_queries(24 + (connection.vendor == "postgresql")):
        response = client.get(url)
    assert response.context["journey"].years[0].history


def test_screening_decision_page_shows_the_final_state_beside_the_result_and_links(
    cycle: Cycle,
) -> None:
    client = _client(cycle)
    url = reverse("screening:person_detail", args=[cycle.rejected.decision_id])
    html = client.get(url).content.decode()
    assert "Terpilih (dalam pagu)" in html
    assert "Status akhir" in html and "Ditolak Disdukcapil: meninggal" in html
    assert reverse("people:person_detail", args=[cycle.rejected.person_id]) in html


def test_corrected_data_is_shown_in_words_with_any_nik_masked(cycle: Cycle) -> None:
    from payung.verification.models import VerificationItem

    other_nik = "3601015003500007"
    VerificationItem.objects.filter(candidate=cycle.rejected).update(
        corrected={"tanggal_lahir": "1950-03-01", "nik": other_nik}
    )
    url = reverse("people:person_detail", args=[cycle.rejected.person_id])
    html = _client(cycle).get(url).content.decode()
    assert "Tanggal lahir: 1 Maret 1950" in html
    assert f"NIK: {nik_domain.mask(other_nik)}" in html and other_nik not in html
    assert "tanggal_lahir" not in html


def test_the_person_page_offers_the_audited_nik_reveal_only_to_roles_that_may_reveal(
    cycle: Cycle,
) -> None:
    """Issue 9, defect 1 (the click itself is in test_browser.py): the button is outside any
    paragraph, so its form stays inside the .nik it replaces."""
    from payung.screening.models import Decision

    url = reverse("people:person_detail", args=[cycle.decreed.person_id])
    decision = Decision.objects.filter(person_id=cycle.decreed.person_id).latest("pk")
    reveal = reverse("screening:reveal_nik", args=[decision.pk])

    allowed = _client(cycle, "verifikator").get(url).content.decode()
    refused = _client(cycle, "auditor").get(url).content.decode()

    assert f'hx-post="{reveal}"' in allowed and 'hx-target="closest .nik"' in allowed
    heading = allowed.split("<hgroup>")[1].split("</hgroup>")[0]
    assert reveal in heading and "<p" not in heading
    assert reveal not in refused and nik_domain.mask(cycle.decreed.nik) in refused
    assert cycle.decreed.nik not in allowed and cycle.decreed.nik not in refused
