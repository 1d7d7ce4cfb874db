"""Decree page: who may open and do what, the team form, drafts from the policy's decree
list with their documents, the four-eyes signed record and the audited scan download."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.conftest import PERSONAS
from payung.core.models import JobStatus
from payung.decrees.models import Decree
from payung.decrees.tests.pdfs import pdf_bytes
from payung.documents.models import Document
from payung.participants.models import CandidateState, Proposal
from payung.participants.tests.documents_stub import fixed_documents  # noqa: F401
from payung.participants.tests.factories import approved_proposal, states
from payung.programmes.models import TeamMember
from payung.verification import services as verification
from payung.verification.models import Answer

pytestmark = pytest.mark.django_db

QUOTA = 10
SCAN = pdf_bytes()
OWN_DRAFT = (
    "Keputusan ini Anda susun; pencatatan penandatanganan dilakukan oleh petugas lain (empat mata)."
)
DECREE_READERS = {
    "operator_dinsos",
    "operator_dinsos_2",
    "operator_disnaker",
    "operator_disnaker_2",
    "anggota_tim",
    "auditor_inspektorat",
}


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Proposal:
    return approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, quota=QUOTA)


def _verify_all(proposal: Proposal, verifier: Any) -> None:
    """Answer every batch SESUAI until nobody is proposed."""
    while True:
        try:
            # A round is started by the operator pendataan who proposed (issue 17, defect 10).
            batch = verification.batch_create(proposal=proposal, actor=proposal.proposed_by)
        except ValidationError:
            return
        for item in batch.items.all():
            verification.item_record(item=item, answer=Answer.SESUAI, actor=verifier)


def _page(proposal: Proposal) -> str:
    return reverse("decrees:year_detail", args=[proposal.programme_year_id])


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _signed_data(pk: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "number": "400.10/Kep.12-Huk/2026",
        "signed_on": "2026-02-02",
        "signer_name": "Bupati Sintetis",
        "scan": SimpleUploadedFile("sk.pdf", SCAN, content_type="application/pdf"),
        **overrides,
    }
    return {f"sk{pk}-{k}": v for k, v in data.items() if v is not None}


def test_each_role_opens_the_page_or_gets_403(
    proposal: Proposal, request: pytest.FixtureRequest
) -> None:
    for persona in PERSONAS:
        client = Client()
        client.force_login(request.getfixturevalue(persona))
        expected = 200 if persona in DECREE_READERS else 403
        assert client.get(_page(proposal)).status_code == expected, persona


def test_the_verifier_and_the_auditor_draft_and_record_nothing(
    proposal: Proposal, verifikator_dukcapil: Any, auditor_inspektorat: Any
) -> None:
    year_pk = proposal.programme_year_id
    decree = Decree.objects.create(
        programme_year=proposal.programme_year,
        kind="peserta",
        title="Rancangan",
        drafted_by=verifikator_dukcapil,
    )
    posts = [
        (reverse("decrees:decree_draft", args=[year_pk, "peserta"]), {}),
        (
            reverse("decrees:team_member_add", args=[year_pk]),
            {"position": "ketua", "name": "X", "agency": "Y"},
        ),
        (reverse("decrees:decree_record_signed", args=[decree.pk]), _signed_data(decree.pk)),
    ]
    for persona in (verifikator_dukcapil, auditor_inspektorat):
        client = Client()
        client.force_login(persona)
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (persona, url)
    assert Decree.objects.count() == 1 and not TeamMember.objects.exists()
    client = Client()
    client.force_login(auditor_inspektorat)
    html = client.get(_page(proposal)).content.decode()
    assert "Susun rancangan" not in html and "Tambah anggota tim" not in html
    assert "Catat keputusan yang telah ditandatangani" not in html
    assert "Pasal 7 ayat (4)" in html and "Pasal 10 ayat (5)" in html


def test_the_team_form_reports_bad_input_and_the_service_refusal(
    client: Client, proposal: Proposal, operator_disnaker: Any
) -> None:
    client.force_login(operator_disnaker)
    url = reverse("decrees:team_member_add", args=[proposal.programme_year_id])
    response = client.post(url, {"position": "raja", "name": "", "agency": "", "nip": "19a"})
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "Kedudukan &#x27;raja&#x27; tidak dikenal.",
        "Nama wajib diisi.",
        "Unsur atau perangkat daerah wajib diisi.",
        "NIP hanya berisi angka.",
    ):
        assert expected in html
    assert not TeamMember.objects.exists()
    member = {
        "position": "ketua",
        "name": "Drs. Ahmad Sintetis",
        "nip": "19700101 199003 1 001",
        "agency": "Dinas Tenaga Kerja dan Transmigrasi",
        "jabatan": "Kepala Dinas",
    }
    response = client.post(url, member, follow=True)
    assert any("ditambahkan ke tim sebagai Ketua" in m for m in _messages(response))
    html = response.content.decode()
    assert "Drs. Ahmad Sintetis" in html and "197001011990031001" in html
    response = client.post(url, {**member, "name": "Orang Lain"}, follow=True)
    assert any("hanya mempunyai satu Ketua" in m for m in _messages(response))
    assert TeamMember.objects.count() == 1


def test_a_participants_draft_waits_for_verification(
    client: Client, proposal: Proposal, operator_disnaker: Any
) -> None:
    client.force_login(operator_disnaker)
    url = reverse("decrees:decree_draft", args=[proposal.programme_year_id, "peserta"])
    response = client.post(url, follow=True)
    assert any(f"Masih ada {QUOTA} calon" in m for m in _messages(response))
    assert not Decree.objects.exists()
    url = reverse("decrees:decree_draft", args=[proposal.programme_year_id, "lain"])
    response = client.post(url, follow=True)
    assert any("tidak mengenal keputusan" in m for m in _messages(response))


@pytest.mark.usefixtures("fixed_documents")
def test_draft_sign_and_download_the_participants_decree(
    client: Client,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    operator_dinsos: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _verify_all(proposal, verifikator_dukcapil)
    year_pk = proposal.programme_year_id
    client.force_login(operator_disnaker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("decrees:decree_draft", args=[year_pk, "peserta"]))
    assert response.status_code == 302
    decree = Decree.objects.get()
    assert decree.status == Decree.Status.DRAFT and decree.participant_count == QUOTA
    documents = Document.objects.filter(subject=f"decrees.decree:{decree.pk}")
    assert set(documents.values_list("status", flat=True)) == {JobStatus.DONE}
    internal = documents.filter(confidential=True)
    assert internal.count() == 2
    html = client.get(_page(proposal)).content.decode()
    assert "Rancangan" in html and f"{QUOTA} peserta" in html
    for document in documents:
        assert reverse("documents:document_download", args=[document.pk]) in html
    # The drafter is told before filling anything in that someone else records it (four
    # eyes); the second operator kepesertaan gets the form.
    record = reverse("decrees:decree_record_signed", args=[decree.pk])
    assert OWN_DRAFT in html
    assert record not in html and "Catat keputusan yang telah ditandatangani" not in html
    second = Client()
    second.force_login(operator_disnaker_2)
    html = second.get(_page(proposal)).content.decode()
    assert "Catat keputusan yang telah ditandatangani" in html and record in html
    assert OWN_DRAFT not in html
    detail = reverse("decrees:decree_detail", args=[decree.pk])
    assert OWN_DRAFT in client.get(detail).content.decode()
    assert record not in client.get(detail).content.decode()
    assert record in second.get(detail).content.decode()
    # The operator pendataan sees the internal copies listed, but not as links.
    other = Client()
    other.force_login(operator_dinsos)
    html = other.get(_page(proposal)).content.decode()
    for document in internal:
        assert reverse("documents:document_download", args=[document.pk]) not in html
    assert "Hanya untuk pemegang hak unduh salinan internal." in html
    url = reverse("documents:document_download", args=[internal.first().pk])
    assert other.get(url).status_code == 403

    # Bad input, each field with its own Indonesian message; nothing recorded.
    response = client.post(
        record, _signed_data(decree.pk, number=" ", signed_on="kemarin", scan=None)
    )
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "Nomor keputusan wajib diisi.",
        "Tanggal penetapan tidak dikenali",
        "Unggah pindaian keputusan yang telah ditandatangani (PDF).",
    ):
        assert expected in html
    # The service's checks come back as messages: four eyes, then a scan that is no PDF.
    response = client.post(record, _signed_data(decree.pk), follow=True)
    assert any("Prinsip empat mata" in m for m in _messages(response))
    client.force_login(operator_disnaker_2)
    not_pdf = SimpleUploadedFile("sk.docx", b"PK\x03\x04")
    response = client.post(record, _signed_data(decree.pk, scan=not_pdf), follow=True)
    assert "Pindaian harus berkas PDF." in _messages(response)
    decree.refresh_from_db()
    assert decree.status == Decree.Status.DRAFT

    response = client.post(record, _signed_data(decree.pk), follow=True)
    assert any("400.10/Kep.12-Huk/2026" in m for m in _messages(response))
    decree.refresh_from_db()
    assert decree.status == Decree.Status.SIGNED
    assert set(states(proposal)) == {CandidateState.DECREED, CandidateState.WAITLISTED}
    html = response.content.decode()
    assert decree.scan_sha256 in html and "Bupati Sintetis" in html
    assert "2 Februari 2026" in html
    scan_url = reverse("decrees:decree_scan", args=[decree.pk])
    assert scan_url in html
    assert "Catat keputusan yang telah ditandatangani" not in html.split("keputusan-peserta")[1]

    # Downloads are audited: the scan, and the internal copy for its permission holder.
    response = client.get(scan_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == SCAN
    entry = AuditEntry.objects.get(action="decree_scan_download")
    assert entry.actor_id == operator_disnaker_2.pk
    assert entry.detail["scan_sha256"] == decree.scan_sha256
    response = client.get(reverse("documents:document_download", args=[internal.first().pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="document_download")
    assert entry.detail["confidential"] is True


def test_a_draft_has_no_scan_to_download(
    client: Client, proposal: Proposal, operator_disnaker: Any
) -> None:
    decree = Decree.objects.create(
        programme_year=proposal.programme_year,
        kind="tim",
        title="Tim",
        drafted_by=operator_disnaker,
    )
    client.force_login(operator_disnaker)
    response = client.get(reverse("decrees:decree_scan", args=[decree.pk]))
    assert response.status_code == 302
    assert _messages(response) == ["Keputusan ini belum ditetapkan; belum ada pindaian."]
    assert not AuditEntry.objects.filter(action="decree_scan_download").exists()
    assert client.get(reverse("decrees:decree_scan", args=[999])).status_code == 404
    assert client.get(reverse("decrees:year_detail", args=[999])).status_code == 404


def test_a_second_draft_of_a_signed_kind_is_refused_with_a_message(
    client: Client, proposal: Proposal, operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    year = proposal.programme_year
    TeamMember.objects.create(
        programme_year=year, position="ketua", name="Ketua Sintetis", agency="Setda"
    )
    client.force_login(operator_disnaker)
    url = reverse("decrees:decree_draft", args=[year.pk, "tim"])
    client.post(url)
    client.post(url)
    first, second = Decree.objects.order_by("pk")
    client.force_login(operator_disnaker_2)
    record = reverse("decrees:decree_record_signed", args=[first.pk])
    client.post(record, _signed_data(first.pk, number="1/Kep/2026"))
    first.refresh_from_db()
    assert first.status == Decree.Status.SIGNED
    html = client.get(_page(proposal)).content.decode()
    assert "Rancangan ini tidak dapat dicatat" in html
    record = reverse("decrees:decree_record_signed", args=[second.pk])
    response = client.post(record, _signed_data(second.pk, number="2/Kep/2026"), follow=True)
    assert response.status_code == 200
    assert any("sudah ditetapkan" in m for m in _messages(response))
    second.refresh_from_db()
    assert second.status == Decree.Status.DRAFT


def test_a_signing_date_from_years_before_is_refused_in_words_on_the_decree_page(
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    """Issue 9, defect 3, as the second operator meets it: the form is sent, the page says
    why and the decree stays a draft."""
    from payung.decrees import services

    _verify_all(proposal, verifikator_dukcapil)
    decree = services.decree_draft(
        programme_year=proposal.programme_year, kind="peserta", actor=operator_disnaker
    )
    client = Client()
    client.force_login(operator_disnaker_2)
    record = reverse("decrees:decree_record_signed", args=[decree.pk])

    response = client.post(record, _signed_data(decree.pk, signed_on="2020-01-01"), follow=True)

    assert response.status_code == 200
    assert "Tanggal penetapan tidak boleh sebelum 1 Januari 2026" in response.content.decode()
    decree.refresh_from_db()
    assert decree.status == Decree.Status.DRAFT
    assert not proposal.candidates.filter(state=CandidateState.DECREED).exists()
