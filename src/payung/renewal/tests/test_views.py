"""The renewal page, its two actions, the year page's link and the creation form's offer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.participants.models import Candidate, CandidateState
from payung.programmes.models import ProgrammeYear
from payung.programmes.tests.factories import ProgrammeYearFactory
from payung.renewal.tests.factories import Renewal, proposed, renewal_screened

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def renewal(personas: dict[str, Any]) -> Renewal:
    made = renewal_screened(personas=personas)
    proposed(made, personas=personas)
    return made


def test_the_page_lists_who_no_longer_qualifies_and_why(
    renewal: Renewal, personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = _client(personas["operator_disnaker"])
    url = reverse("renewal:year_detail", args=[renewal.year.pk])
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "melanjutkan peserta tahun 2026" in page
    assert "Pasal 5 ayat (2) huruf d: Terdaftar dalam DTSEN pada Desil I" in page
    assert "Tidak terdapat dalam data DTSEN tahun 2027." in page
    for candidate in renewal.last[1:]:
        assert candidate.nik not in page
        assert candidate.nik[-4:] in page  # masked: 3601********0001
    assert "Akhiri 2 peserta pada 31 Desember 2026" in page
    assert reverse("renewal:not_qualifying_end", args=[renewal.year.pk]) in page


def test_the_auditor_reads_without_the_action(renewal: Renewal, auditor_inspektorat: Any) -> None:
    page = _client(auditor_inspektorat).get(reverse("renewal:year_detail", args=[renewal.year.pk]))
    assert page.status_code == 200
    assert (
        reverse("renewal:not_qualifying_end", args=[renewal.year.pk]) not in page.content.decode()
    )


def test_the_end_button_ends_them(renewal: Renewal, personas: dict[str, Any]) -> None:
    client = _client(personas["operator_disnaker"])
    response = client.post(
        reverse("renewal:not_qualifying_end", args=[renewal.year.pk]), follow=True
    )
    assert "diakhiri pada 31 Desember 2026" in response.content.decode()
    states = dict(
        Candidate.objects.filter(pk__in=[c.pk for c in renewal.last]).values_list("pk", "state")
    )
    assert states == {
        renewal.last[0].pk: CandidateState.ACTIVE,
        renewal.last[1].pk: CandidateState.ENDED,
        renewal.last[2].pk: CandidateState.ENDED,
    }


def test_the_year_page_links_the_renewal_page_for_person_readers(
    renewal: Renewal, personas: dict[str, Any], anggota_tim: Any
) -> None:
    url = reverse("registry:year_detail", args=[renewal.year.pk])
    link = reverse("renewal:year_detail", args=[renewal.year.pk])
    assert link in _client(personas["operator_disnaker"]).get(url).content.decode()
    assert link not in _client(anggota_tim).get(url).content.decode()


# --- the creation form --------------------------------------------------------------------


def _year_form(**overrides: str) -> dict[str, str]:
    data = {
        "year": "2027",
        "policy_id": "pandeglang-2025",
        "as_of": "2027-01-01",
        "coverage_months": "12",
        "pagu_apbd": "Rp1.008.000.000",
        "pagu_lainnya": "",
    }
    data.update(overrides)
    return data


def test_the_form_offers_carry_over_checked_when_last_year_has_participants(
    operator_dinsos: Any,
) -> None:
    client = _client(operator_dinsos)
    assert (
        "Lanjutkan peserta aktif"
        not in client.get(reverse("registry:year_create")).content.decode()
    )
    ProgrammeYearFactory(year=2026, status=ProgrammeYear.Status.DITETAPKAN)
    page = client.get(reverse("registry:year_create")).content.decode()
    assert "Lanjutkan peserta aktif tahun 2026" in page
    assert 'name="carry_over"' in page and "checked" in page.split('name="carry_over"')[1][:80]
    assert 'value="2027"' in page

    client.post(reverse("registry:year_create"), _year_form(carry_over="on"))
    year = ProgrammeYear.objects.get(year=2027)
    assert year.carried_from is not None and year.carried_from.year == 2026


def test_the_form_creates_a_year_without_carry_over_when_unchecked(
    operator_dinsos: Any,
) -> None:
    ProgrammeYearFactory(year=2026, status=ProgrammeYear.Status.ACTIVE)
    _client(operator_dinsos).post(reverse("registry:year_create"), _year_form())
    assert ProgrammeYear.objects.get(year=2027).carried_from is None


def test_the_form_refuses_carry_over_into_a_year_after_no_participants(
    operator_dinsos: Any,
) -> None:
    ProgrammeYearFactory(year=2026, status=ProgrammeYear.Status.DITETAPKAN)
    page = _client(operator_dinsos).post(
        reverse("registry:year_create"),
        _year_form(year="2029", as_of="2029-01-01", carry_over="on"),
    )
    assert "Tahun 2028 tidak mempunyai peserta yang ditetapkan" in page.content.decode()
    assert not ProgrammeYear.objects.filter(year=2029).exists()
