"""The import page's "Data ganda dalam ekstrak" section (issue 13): what each reader sees,
the masking, the audit of each page view, the decision form and the NIK reveal."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.domain.nik import mask
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, DuplicateCheck, DuplicatePair, PairDecision, Person
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db

NIK_1 = "3601243011800002"
NIK_2 = "3601243011800012"
KK_1 = "3601241712190004"
KK_2 = "3601241712190099"


def _person(imp: DtsenImport, row: int, nik: str, kk: str, **fields: Any) -> Person:
    values = {
        "nama": "AJAT HAERUDIN",
        "tanggal_lahir": "1980-11-30",
        "jenis_kelamin": "L",
        "kode_desa": "3601242009",
    }
    values.update(fields)
    return Person.objects.create(dtsen_import=imp, row=row, nik=nik, no_kk=kk, **values)


@pytest.fixture
def imp(year: ProgrammeYear) -> DtsenImport:
    return factories.DtsenImportFactory(programme_year=year, row_count=41)


@pytest.fixture
def check(imp: DtsenImport) -> DuplicateCheck:
    return factories.DuplicateCheckFactory(dtsen_import=imp, match_count=1)


@pytest.fixture
def pair(imp: DtsenImport, check: DuplicateCheck) -> DuplicatePair:
    first = _person(imp, 1, NIK_1, KK_1)
    second = _person(imp, 41, NIK_2, KK_2, tanggal_lahir="30/11/1980")
    return factories.DuplicatePairFactory(duplicate_check=check, person_1=first, person_2=second)


def _page(client: Client, user: Any, imp: DtsenImport, **query: Any) -> str:
    client.force_login(user)
    response = client.get(reverse("registry:import_detail", args=[imp.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_operator_sees_both_rows_side_by_side_masked_with_evidence_and_the_form(
    client: Client, operator_dinsos: Any, imp: DtsenImport, pair: DuplicatePair
) -> None:
    html = _page(client, operator_dinsos, imp)

    assert "Data ganda dalam ekstrak" in html
    assert "1 pasangan hampir pasti orang yang sama" in html
    assert "Baris 1 dan baris 41" in html
    assert html.count("AJAT HAERUDIN") == 2
    assert html.count("30 November 1980") == 2  # ISO and DD/MM/YYYY both read
    assert "Desa Pasirgadung" in html
    assert "Laki-laki" in html
    assert "97,3 %" in html
    assert "beda satu digit (salah ketik)" in html
    assert 'class="status-waitlisted">beda satu digit' in html
    # Masked everywhere on the page, even for a role that may reveal (one pair at a time).
    for full in (NIK_1, NIK_2, KK_1, KK_2):
        assert full not in html
    assert mask(NIK_1) in html and mask(KK_2) in html
    assert "Lihat NIK lengkap" in html
    assert "Orang yang sama" in html and "Bukan orang yang sama" in html
    assert "Periksa ulang data ganda" in html


def test_the_auditor_reads_the_pairs_but_may_not_decide_search_or_reveal(
    client: Client, auditor_inspektorat: Any, imp: DtsenImport, pair: DuplicatePair
) -> None:
    html = _page(client, auditor_inspektorat, imp)

    assert "Baris 1 dan baris 41" in html
    assert reverse("registry:duplicate_pair_decide", args=[pair.pk]) not in html
    assert reverse("registry:duplicate_pair_reveal", args=[pair.pk]) not in html
    assert reverse("registry:duplicate_check_create", args=[imp.pk]) not in html


def test_each_page_view_of_pairs_is_audited_with_import_and_page_only(
    client: Client, operator_dinsos: Any, imp: DtsenImport, pair: DuplicatePair
) -> None:
    _page(client, operator_dinsos, imp)

    entry = AuditEntry.objects.get(action="duplicate_pairs_view")
    assert entry.actor == operator_dinsos
    assert entry.detail == {
        "dtsen_import": imp.pk,
        "page": 1,
        "pairs": 1,
    }
    assert NIK_1 not in str(entry.detail)


def test_an_import_without_pairs_shows_the_counts_and_audits_nothing(
    client: Client, operator_dinsos: Any, imp: DtsenImport
) -> None:
    factories.DuplicateCheckFactory(dtsen_import=imp, guarded_family_count=2)

    html = _page(client, operator_dinsos, imp)

    assert "0 pasangan hampir pasti orang yang sama, 0 pasangan ragu-ragu" in html
    assert "2 pasangan anggota keluarga pada KK yang sama" in html
    assert not AuditEntry.objects.filter(action="duplicate_pairs_view").exists()


def test_a_running_search_polls_and_a_failed_one_says_why(
    client: Client, operator_dinsos: Any, imp: DtsenImport
) -> None:
    running = factories.DuplicateCheckFactory(
        dtsen_import=imp, status=JobStatus.RUNNING, progress=40
    )
    html = _page(client, operator_dinsos, imp)
    assert "Pemeriksaan data ganda sedang berjalan: 40%" in html
    assert 'hx-select="#data-ganda"' in html
    assert "Periksa ulang data ganda" not in html  # one search at a time

    DuplicateCheck.objects.filter(pk=running.pk).update(
        status=JobStatus.FAILED, error_message="Pemeriksaan data ganda gagal karena kesalahan."
    )
    html = _page(client, operator_dinsos, imp)
    assert "Pemeriksaan data ganda gagal karena kesalahan." in html
    assert "Periksa ulang data ganda" in html
    assert 'hx-select="#data-ganda"' not in html


def _many_pairs(imp: DtsenImport, check: DuplicateCheck, n: int) -> list[DuplicatePair]:
    return _many_pairs_more(imp, check, start=0, n=n)


def _many_pairs_more(
    imp: DtsenImport, check: DuplicateCheck, *, start: int, n: int
) -> list[DuplicatePair]:
    pairs = []
    for i in range(start, start + n):
        first = _person(imp, 2 * i + 1, f"36012430118{i:05d}", KK_1, nama=f"ORANG {i}")
        second = _person(imp, 2 * i + 2, f"36012430119{i:05d}", KK_2, nama=f"ORANG {i}")
        pairs.append(
            factories.DuplicatePairFactory(
                duplicate_check=check,
                person_1=first,
                person_2=second,
                probability=Decimal("0.9") + Decimal(i) / Decimal(1000),
            )
        )
    return pairs


def test_pending_pairs_come_first_then_the_most_probable_25_per_page(
    client: Client, operator_dinsos: Any, imp: DtsenImport, check: DuplicateCheck
) -> None:
    pairs = _many_pairs(imp, check, 30)
    decided = pairs[-1]  # the most probable, but decided
    DuplicatePair.objects.filter(pk=decided.pk).update(
        decision=PairDecision.CONFIRMED, decided_by=operator_dinsos
    )

    first_page = _page(client, operator_dinsos, imp)
    second_page = _page(client, operator_dinsos, imp, page=2)

    assert first_page.count('<article id="pasangan-') == 25
    assert second_page.count('<article id="pasangan-') == 5
    order = [f'id="pasangan-{p.pk}"' for p in reversed(pairs[:-1])]
    assert first_page.index(order[0]) < first_page.index(order[1])  # 0.929 before 0.928
    assert f'id="pasangan-{decided.pk}"' in second_page
    assert f'id="pasangan-{decided.pk}"' not in first_page
    assert "Halaman 2 dari 2" in second_page
    pages = sorted(
        e.detail["page"] for e in AuditEntry.objects.filter(action="duplicate_pairs_view")
    )
    assert pages == [1, 2]


def test_the_section_reads_a_fixed_number_of_queries(
    client: Client,
    operator_dinsos: Any,
    imp: DtsenImport,
    check: DuplicateCheck,
    django_assert_max_num_queries: Any,
) -> None:
    """Session, user and permissions (4), the import (1), the check, the count and one page
    of pairs with both persons and the decider (3), the audit entry (2 and savepoints), the
    header's groups and agency (2), the session save: the same for 3 pairs as for 25."""
    _many_pairs(imp, check, 3)
    client.force_login(operator_dinsos)
    url = reverse("registry:import_detail", args=[imp.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many_pairs_more(imp, check, start=3, n=27)

    with django_assert_max_num_queries(21):
        response = client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_decided_pair_shows_who_when_and_why(
    client: Client, operator_dinsos: Any, imp: DtsenImport, pair: DuplicatePair
) -> None:
    operator_dinsos.first_name, operator_dinsos.last_name = "Rina", "Marlina"
    operator_dinsos.save()
    DuplicatePair.objects.filter(pk=pair.pk).update(
        decision=PairDecision.REJECTED,
        decided_by=operator_dinsos,
        decided_at=datetime.datetime(2026, 1, 1, 3, 15, tzinfo=datetime.UTC),
        note="Kakak beradik, dicek ke ketua RT.",
    )

    html = _page(client, operator_dinsos, imp)

    assert "Diputuskan oleh Rina Marlina pada 1 Januari 2026 10.15." in html
    assert "Kakak beradik, dicek ke ketua RT." in html
    assert reverse("registry:duplicate_pair_decide", args=[pair.pk]) not in html


def test_the_operator_confirms_through_the_form_and_returns_to_the_pair(
    client: Client, operator_dinsos: Any, imp: DtsenImport, pair: DuplicatePair
) -> None:
    client.force_login(operator_dinsos)
    response = client.post(
        reverse("registry:duplicate_pair_decide", args=[pair.pk]),
        {"decision": "confirmed", "note": "", "page": "1"},
    )

    url = reverse("registry:import_detail", args=[imp.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=1#pasangan-{pair.pk}"
    pair.refresh_from_db()
    assert pair.decision == PairDecision.CONFIRMED
    assert "Keputusan atas pasangan dicatat." in client.get(url).content.decode()


def test_a_rejection_without_a_note_is_refused_in_indonesian(
    client: Client, operator_dinsos: Any, imp: DtsenImport, pair: DuplicatePair
) -> None:
    client.force_login(operator_dinsos)
    response = client.post(
        reverse("registry:duplicate_pair_decide", args=[pair.pk]),
        {"decision": "rejected", "note": ""},
        follow=True,
    )

    assert "Tuliskan mengapa keduanya bukan orang yang sama" in response.content.decode()
    pair.refresh_from_db()
    assert pair.decision == PairDecision.PENDING


def test_the_reveal_shows_one_pairs_full_numbers_and_is_audited(
    client: Client, operator_dinsos: Any, imp: DtsenImport, pair: DuplicatePair
) -> None:
    client.force_login(operator_dinsos)
    response = client.post(
        reverse("registry:duplicate_pair_reveal", args=[pair.pk]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert NIK_1 in html and NIK_2 in html and KK_2 in html
    entry = AuditEntry.objects.get(action="nik_view")
    assert entry.detail == {"pair": pair.pk, "nik_masked": [mask(NIK_1), mask(NIK_2)]}


def test_the_operator_starts_a_search_from_the_page(
    client: Client, operator_dinsos: Any, imp: DtsenImport
) -> None:
    client.force_login(operator_dinsos)
    response = client.post(reverse("registry:duplicate_check_create", args=[imp.pk]), follow=True)

    assert "Pemeriksaan data ganda dimulai." in response.content.decode()
    check = DuplicateCheck.objects.get(dtsen_import=imp)
    assert check.requested_by == operator_dinsos
