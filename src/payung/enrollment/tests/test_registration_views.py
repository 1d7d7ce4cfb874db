"""The registration pages: year, batch, answer report with four eyes, profiles."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.domain import nik as nik_domain
from payung.enrollment import services
from payung.enrollment.models import RegistrationAnswer, RegistrationBatch, RegistrationProfile
from payung.enrollment.tests.factories import (
    DecreedYear,
    answer_bytes,
    answer_checked,
    answer_row,
    decreed_year,
)
from payung.participants.models import Candidate, CandidateState

pytestmark = pytest.mark.django_db

KPJS = ["26030000011", "26030000012", "26030000013", "26030000014"]


@pytest.fixture
def world(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> DecreedYear:
    personas = {
        "operator_dinsos": operator_dinsos,
        "operator_dinsos_2": operator_dinsos_2,
        "verifikator_dukcapil": verifikator_dukcapil,
        "operator_disnaker": operator_disnaker,
        "petugas_bpjs": petugas_bpjs,
    }
    return decreed_year(personas=personas, n=4, pks_start=date(2026, 3, 1))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_year_page_names_the_decree_and_the_pks_and_offers_a_batch(
    world: DecreedYear, operator_disnaker: Any, django_assert_max_num_queries: Any
) -> None:
    url = reverse("enrollment:batch_year", args=[world.year.pk])
    client = _client(operator_disnaker)
    with django_assert_max_num_queries(18):
        page = client.get(url).content.decode()
    assert world.decree.number in page
    assert "1 Maret 2026" in page
    assert "4 peserta ditetapkan belum dikirim ke BPJS" in page
    assert reverse("enrollment:batch_create", args=[world.year.pk]) in page


def test_the_petugas_bpjs_sees_the_year_but_no_button_or_profile_link(
    world: DecreedYear, petugas_bpjs: Any
) -> None:
    page = (
        _client(petugas_bpjs)
        .get(reverse("enrollment:batch_year", args=[world.year.pk]))
        .content.decode()
    )
    assert reverse("enrollment:batch_create", args=[world.year.pk]) not in page
    assert reverse("enrollment:profile_list") not in page


def test_the_decrees_page_links_to_the_registration(
    world: DecreedYear, operator_disnaker: Any
) -> None:
    page = (
        _client(operator_disnaker)
        .get(reverse("decrees:year_detail", args=[world.year.pk]))
        .content.decode()
    )
    assert reverse("enrollment:batch_year", args=[world.year.pk]) in page
    assert "Pendaftaran BPJS" in page


def test_the_batch_page_masks_niks_and_its_download_is_audited(
    world: DecreedYear, operator_disnaker: Any, django_assert_max_num_queries: Any
) -> None:
    client = _client(operator_disnaker)
    response = client.post(reverse("enrollment:batch_create", args=[world.year.pk]))
    batch = RegistrationBatch.objects.get()
    assert response["Location"] == reverse("enrollment:batch_detail", args=[batch.pk])
    with django_assert_max_num_queries(18):
        page = client.get(response["Location"]).content.decode()
    first = world.decreed[0]
    assert nik_domain.mask(first.nik) in page and first.nik not in page
    assert first.person.nama in page
    download = client.get(reverse("enrollment:batch_request_file", args=[batch.pk, "xlsx"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('-tahap-1.xlsx"')
    assert AuditEntry.objects.filter(action="export_personal_data").count() == 1


def test_petugas_uploads_and_a_second_operator_applies(
    world: DecreedYear,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    petugas_bpjs: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i]) for i, c in enumerate(world.decreed)]
    rows[1] = answer_row(world.decreed[1], status="DITOLAK", reason="Data tidak lengkap")
    rows[2]["IURAN"] = "17500"
    petugas = _client(petugas_bpjs)
    with django_capture_on_commit_callbacks(execute=True):
        response = petugas.post(
            reverse("enrollment:batch_answer_upload", args=[batch.pk]),
            {"file": SimpleUploadedFile("jawaban.csv", answer_bytes(rows)), "mapping": ""},
        )
    answer = RegistrationAnswer.objects.get()
    assert response["Location"] == reverse("enrollment:batch_answer_detail", args=[answer.pk])
    apply_url = reverse("enrollment:batch_answer_apply", args=[answer.pk])
    page = petugas.get(response["Location"]).content.decode()
    assert "Menunggu penerapan" in page and apply_url not in page

    operator = _client(operator_disnaker_2)
    page = operator.get(response["Location"]).content.decode()
    assert apply_url in page
    assert "Data tidak lengkap" in page and world.decreed[1].person.nama in page
    assert "Rp17.500" in page and "Rp16.800" in page  # the difference, shown
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(apply_url)
    text = operator.get(response["Location"]).content.decode()
    assert "Jawaban diterapkan oleh" in text and "3 peserta terdaftar di BPJS" in text
    assert apply_url not in text
    assert Candidate.objects.get(pk=world.decreed[0].pk).state == CandidateState.ACTIVE
    assert Candidate.objects.get(pk=world.decreed[1].pk).state == CandidateState.ENDED


def test_the_uploader_is_told_someone_else_applies(
    world: DecreedYear, operator_disnaker: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i]) for i, c in enumerate(world.decreed)]
    answer = answer_checked(batch, operator_disnaker, answer_bytes(rows))
    client = _client(operator_disnaker)
    url = reverse("enrollment:batch_answer_detail", args=[answer.pk])
    page = client.get(url).content.decode()
    assert "operator kepesertaan lain" in page
    assert reverse("enrollment:batch_answer_apply", args=[answer.pk]) not in page
    response = client.post(reverse("enrollment:batch_answer_apply", args=[answer.pk]), follow=True)
    assert "empat mata" in response.content.decode()
    answer.refresh_from_db()
    assert answer.stage == RegistrationAnswer.Stage.AWAITING


def test_a_refused_answer_lists_its_row_messages(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i]) for i, c in enumerate(world.decreed)]
    rows[3]["KPJ"] = KPJS[0]
    answer = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    page = (
        _client(petugas_bpjs)
        .get(reverse("enrollment:batch_answer_detail", args=[answer.pk]))
        .content.decode()
    )
    assert "Berkas ditolak" in page and "Baris 5, kolom KPJ" in page


def test_an_upload_with_a_bad_mapping_stays_on_the_batch_page(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    response = _client(petugas_bpjs).post(
        reverse("enrollment:batch_answer_upload", args=[batch.pk]),
        {"file": SimpleUploadedFile("jawaban.csv", b"NIK\n1\n"), "mapping": "NO KARTU=GAJI"},
    )
    assert response.status_code == 200
    assert "kolom tujuan harus salah satu" in response.content.decode()
    assert not RegistrationAnswer.objects.exists()


def test_profiles_are_listed_with_the_default_and_a_branch_profile_can_be_added(
    operator_disnaker: Any,
) -> None:
    client = _client(operator_disnaker)
    url = reverse("enrollment:profile_list")
    page = client.get(url).content.decode()
    assert "Profil bawaan" in page and "Rp1.000.000" in page
    response = client.post(
        url,
        {
            "name": "Cabang Labuan",
            "branch_office": "KCP Labuan",
            "columns": "NIK=nik\nNAMA=nama\nPEKERJAAN=pekerjaan\nALAMAT=alamat",
            "participation_type": "SG",
            "declared_income": "1000000",
            "kpj_min_length": "11",
            "kpj_max_length": "11",
        },
    )
    assert response.status_code == 302
    profile = RegistrationProfile.objects.get(name="Cabang Labuan")
    assert [c["header"] for c in profile.columns] == ["NIK", "NAMA", "PEKERJAAN", "ALAMAT"]
    edit = client.get(reverse("enrollment:profile_edit", args=[profile.pk])).content.decode()
    assert "PEKERJAAN=pekerjaan" in edit
    bad = client.post(
        reverse("enrollment:profile_edit", args=[profile.pk]),
        {
            "name": "Cabang Labuan",
            "columns": "NIK=nik",
            "participation_type": "SG",
            "declared_income": "1000000",
            "kpj_min_length": "11",
            "kpj_max_length": "11",
        },
    )
    assert bad.status_code == 200 and "Pasal 8 ayat (2)" in bad.content.decode()


def test_after_refusals_the_year_page_sends_the_replacements_to_verification(
    world: DecreedYear, operator_disnaker: Any, operator_disnaker_2: Any, petugas_bpjs: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i]) for i, c in enumerate(world.decreed)]
    rows[0] = answer_row(world.decreed[0], status="DITOLAK", reason="Data tidak lengkap")
    answer = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    services.registration_answer_apply(answer=answer, actor=operator_disnaker_2)
    page = (
        _client(operator_disnaker)
        .get(reverse("enrollment:batch_year", args=[world.year.pk]))
        .content.decode()
    )
    assert "1 calon dari daftar tunggu menggantikan peserta yang ditolak BPJS" in page
    assert reverse("verification:batch_list", args=[world.year.pk]) in page
    assert "0 peserta ditetapkan belum dikirim" in page  # the refused is not sent again
