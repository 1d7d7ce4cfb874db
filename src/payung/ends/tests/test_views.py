"""The ends pages as their users meet them: the operator's form, the year's page, the files."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from payung.core.models import JobStatus
from payung.ends.models import EndImport
from payung.ends.services import EndEvidence, participation_end_record
from payung.ends.tests.factories import claims_file, dukcapil_file, ends_year, import_read
from payung.participants.models import CandidateState, EndReason
from payung.participants.tests.factories import participants_add

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_shows_every_problem_on_its_field_and_ends_nothing(
    operator_disnaker: Any,
) -> None:
    _year, (a, *_rest) = ends_year()
    url = reverse("ends:participant_end", args=[a.pk])
    client = _client(operator_disnaker)
    page = client.get(url).content.decode()
    # The pinned policy's rules, with their sentences, to cite for an ineligible end.
    assert "Pasal 5 ayat (2) huruf d: Terdaftar dalam DTSEN pada Desil I" in page
    response = client.post(
        url, {"on": "2025-12-31", "reason_code": "meninggal", "death_source": "akta"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "di dalam tahun program 2026" in errors["on"][0]
    assert errors["akta_number"] == ["Isi nomor akta kematian yang ditunjukkan keluarga."]
    assert errors["akta_date"] == ["Isi tanggal akta kematian."]
    a.refresh_from_db()
    assert a.state == CandidateState.ACTIVE


def test_after_an_end_the_page_says_how_many_places_are_free(operator_disnaker: Any) -> None:
    # The pagu pays exactly three people a whole year; one leaves after March: nine months
    # of contributions are free, which pays one replacement from June to December (seven
    # months), not one for each month left (Pasal 6 ayat (2)).
    year, (a, *_rest) = ends_year(quota=3)
    url = reverse("ends:participant_end", args=[a.pk])
    client = _client(operator_disnaker)
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 6, 30)):
        response = client.post(
            url,
            {"on": "2026-03-31", "reason_code": "pindah", "letter_number": "474.2/55/Dukcapil"},
        )
        assert response.status_code == 302 and response["Location"] == url
        a.refresh_from_db()
        assert a.state == CandidateState.ENDED
        response = client.get(url)
    html = response.content.decode()
    assert "Kepesertaan ini telah berakhir." in html
    assert "Sisa pagu tahun 2026 cukup untuk 1 peserta pengganti sampai Desember." in html
    # The way on: the replacement round of the year (Pasal 6 ayat (2)).
    assert reverse("participants:replacement_round", args=[year.pk]) in html


def test_the_end_link_shows_only_to_who_may_end_and_only_for_participants(
    operator_disnaker: Any, auditor_inspektorat: Any
) -> None:
    _year, (a, *_rest) = ends_year()
    (waiting,) = participants_add(
        proposal=a.proposal, periods=[(None, None)], state=CandidateState.WAITLISTED
    )
    link = reverse("ends:participant_end", args=[a.pk])
    page = reverse("participants:candidate_detail", args=[a.pk])
    assert link in _client(operator_disnaker).get(page).content.decode()
    assert link not in _client(auditor_inspektorat).get(page).content.decode()
    other = reverse("participants:candidate_detail", args=[waiting.pk])
    html = _client(operator_disnaker).get(other).content.decode()
    assert reverse("ends:participant_end", args=[waiting.pk]) not in html
    person = reverse("people:person_detail", args=[a.person_id])
    assert link in _client(operator_disnaker).get(person).content.decode()
    assert link not in _client(auditor_inspektorat).get(person).content.decode()


def test_the_year_page_lists_ends_by_reason_and_month_with_a_fixed_query_count(
    operator_disnaker: Any, anggota_tim: Any, django_assert_max_num_queries: Any
) -> None:
    year, people = ends_year(active=30)
    for i, c in enumerate(people[:27]):
        participation_end_record(
            candidate=c,
            actor=operator_disnaker,
            on=date(2026, 3 + i % 2, 10),
            reason_code=EndReason.PINDAH if i % 3 else EndReason.MENGUNDURKAN_DIRI,
            evidence=EndEvidence(letter_number="474/1", letter_date=date(2026, 3, 1)),
            today=date(2026, 6, 30),
        )
    client = _client(anggota_tim)
    url = reverse("ends:year_ends", args=[year.pk])
    client.get(url)  # warm the session
    # 20 whatever the number of ends (measured): the request's own (session, user,
    # permissions, groups, agency), the year, the page of ended (count, page, their end
    # events), the figures, the files, the claims, the free places and the age watch.
    with django_assert_max_num_queries(20):
        response = client.get(url)
    html = response.content.decode()
    assert len(response.context["rows"]) == 25
    figures = response.context["figures"]
    assert figures.total == 27
    assert dict(figures.by_reason) == {"Pindah domisili": 18, "Mengundurkan diri": 9}
    assert [(m, total) for m, _c, total in figures.by_month] == [
        (date(2026, 3, 1), 14),
        (date(2026, 4, 1), 13),
    ]
    assert "Maret 2026" in html and "10 Maret 2026" in html and "Dicatat petugas" in html
    assert people[0].nik not in html and people[0].person.nama in html
    # The team may not open a candidate's page: the names are not links for it.
    assert reverse("participants:candidate_detail", args=[people[0].pk]) not in html
    with django_assert_max_num_queries(20):
        second = client.get(f"{url}?page=2")
    assert len(second.context["rows"]) == 2


def test_upload_preview_and_apply_through_the_pages(
    petugas_bpjs: Any, operator_disnaker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    year, (dead, injured, _c) = ends_year()
    upload_url = reverse("ends:end_import_upload", args=[year.pk])
    bpjs = _client(petugas_bpjs)
    assert "Klaim BPJS" in bpjs.get(upload_url).content.decode()
    uploaded = claims_file(
        [
            [dead.kpj, dead.nik, "JKM", "2026-04-05", "42000000", "DIBAYAR"],
            [injured.kpj, injured.nik, "JKK", "2026-04-06", "1500000", "DIBAYAR"],
            ["99900011122", "3601019999990001", "JKK", "2026-05-03", "1500000", "DIBAYAR"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = bpjs.post(upload_url, {"kind": "klaim", "file": uploaded})
    job = EndImport.objects.get()
    assert response["Location"] == reverse("ends:end_import_detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    detail = response["Location"]
    html = bpjs.get(detail).content.decode()
    assert "Kepesertaan yang akan berakhir" in html and dead.person.nama in html
    assert "Tidak cocok dengan peserta tahun ini" in html
    assert dead.nik not in html and dead.kpj not in html
    apply_url = reverse("ends:end_import_apply", args=[job.pk])
    assert apply_url not in html  # the uploader cannot apply
    operator = _client(operator_disnaker)
    html = operator.get(detail).content.decode()
    assert apply_url in html
    assert reverse("ends:end_import_unmatched", args=[job.pk, "xlsx"]) in html
    response = operator.post(apply_url)
    assert response["Location"] == reverse("ends:year_ends", args=[year.pk])
    dead.refresh_from_db()
    assert dead.state == CandidateState.ENDED
    page = operator.get(response["Location"]).content.decode()
    assert "Klaim BPJS" in page and "Rp42.000.000" in page and "Rp1.500.000" in page
    person = operator.get(reverse("people:person_detail", args=[injured.person_id]))
    assert "JKK · 6 April 2026" in person.content.decode()


def test_a_refused_file_lists_its_row_problems(
    verifikator_dukcapil: Any, operator_disnaker: Any
) -> None:
    year, (a, *_rest) = ends_year()
    job = import_read(
        year=year,
        kind=EndImport.Kind.DUKCAPIL,
        uploaded=dukcapil_file([[a.nik, "CERAI", "2026-03-10", "", ""]]),
        actor=verifikator_dukcapil,
    )
    html = (
        _client(verifikator_dukcapil)
        .get(reverse("ends:end_import_detail", args=[job.pk]))
        .content.decode()
    )
    assert "Berkas ditolak seluruhnya" in html
    assert "Baris 2, kolom JENIS: isi dengan MENINGGAL atau PINDAH." in html
