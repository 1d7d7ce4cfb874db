"""The pages of other funders' lists as each agency meets them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.domain import nik as nik_domain
from payung.linkage.models import ListMatch, OtherList
from payung.linkage.tests import factories as f
from payung.participants.models import CandidateState
from payung.participants.tests.factories import approved_proposal
from payung.registry.models import PairDecision

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def match(operator_dinsos: Any, operator_dinsos_2: Any) -> ListMatch:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, rows=200)
    candidate = proposal.candidates.filter(state=CandidateState.PROPOSED).order_by("rank").first()
    return f.list_match_create(person=candidate.person, uploaded_by=operator_dinsos)


def test_the_years_lists_show_what_waits_for_a_decision(
    match: ListMatch, operator_dinsos: Any, django_assert_max_num_queries: Any
) -> None:
    year = match.other_list.programme_year
    client = _client(operator_dinsos)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("linkage:year_lists", args=[year.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Peserta BPU APBD Provinsi Banten" in text
    assert "APBD provinsi" in text
    assert "15 Januari 2026" in text
    assert "Unggah dan cocokkan" in text


def test_a_match_is_shown_side_by_side_masked_worded_and_its_view_audited(
    match: ListMatch, operator_dinsos: Any, django_assert_max_num_queries: Any
) -> None:
    client = _client(operator_dinsos)
    url = reverse("linkage:list_detail", args=[match.other_list_id])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    text = page.content.decode()
    person = match.person
    assert person.nik not in text and match.other_nik not in text
    assert nik_domain.mask(person.nik) in text
    assert person.nama in text and match.other_nama in text
    assert "beda satu digit (salah ketik)" in text
    assert "97,3%" in text
    assert "Di program: Diusulkan" in text
    assert "Orang yang sama" in text and "Bukan orang yang sama" in text
    entry = AuditEntry.objects.get(action="list_matches_view")
    assert entry.actor == operator_dinsos
    assert entry.detail == {"tab": "perlu", "page": 1, "rows": 1}


def test_the_auditor_reads_the_matches_but_has_no_decision_form(
    match: ListMatch, auditor_inspektorat: Any
) -> None:
    page = _client(auditor_inspektorat).get(
        reverse("linkage:list_detail", args=[match.other_list_id])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert match.other_nama in text
    assert reverse("linkage:match_decide", args=[match.pk]) not in text
    assert "Unggah" not in text


def test_deciding_on_the_page_refuses_the_person_and_comes_back_to_the_same_tab(
    match: ListMatch, operator_dinsos_2: Any
) -> None:
    client = _client(operator_dinsos_2)
    response = client.post(
        reverse("linkage:match_decide", args=[match.pk]),
        {"decision": "confirmed", "note": "", "tab": "perlu", "page": "1"},
        follow=True,
    )
    text = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?tab=perlu&page=1")
    assert "Dicatat: orang yang sama. Dikeluarkan dari usulan (Pasal 5 ayat (2) huruf f)" in text
    assert "Tidak ada pasangan yang menunggu keputusan." in text
    match.refresh_from_db()
    assert match.decision == PairDecision.CONFIRMED
    decided = client.get(reverse("linkage:list_detail", args=[match.other_list_id]) + "?tab=sama")
    assert "Dikeluarkan dari usulan (Pasal 5 ayat (2) huruf f)" in decided.content.decode()


def test_rejecting_without_a_reason_is_refused_with_the_reason_to_give(
    match: ListMatch, operator_dinsos: Any
) -> None:
    response = _client(operator_dinsos).post(
        reverse("linkage:match_decide", args=[match.pk]),
        {"decision": "rejected", "note": "", "tab": "perlu", "page": "1"},
        follow=True,
    )
    assert "Tuliskan mengapa keduanya bukan orang yang sama" in response.content.decode()
    match.refresh_from_db()
    assert match.decision == PairDecision.PENDING


def test_an_upload_without_a_file_or_with_a_bad_mapping_is_refused_on_the_form(
    match: ListMatch, operator_dinsos: Any
) -> None:
    year = match.other_list.programme_year
    response = _client(operator_dinsos).post(
        reverse("linkage:list_upload", args=[year.pk]),
        {
            "source_name": "Daftar desa",
            "funder": "apbdes",
            "list_date": "2026-02-01",
            "mapping": "columns:\n  Nama: TIDAK_ADA\n",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bidang ini tidak boleh kosong" in text or "wajib" in text
    assert OtherList.objects.filter(programme_year=year).count() == 1
