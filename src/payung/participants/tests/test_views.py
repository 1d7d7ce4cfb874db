"""Proposal pages: who may open and change what, the four-eyes message, exclusions with a
written reason, masked NIKs, the berita acara documents and a candidate's history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.conftest import PERSONAS
from payung.core.formatting import tanggal_jam
from payung.core.models import JobStatus
from payung.documents.models import Document
from payung.participants.models import CandidateState, Proposal
from payung.participants.services import proposal_create
from payung.participants.tests.documents_stub import fixed_documents  # noqa: F401
from payung.participants.tests.factories import screened_year, states
from payung.screening.models import ScreeningRun

pytestmark = pytest.mark.django_db

QUOTA = 10

#: Who may open the proposal page and a candidate's page (everyone else: 403).
PROPOSAL_READERS = {
    "operator_dinsos",
    "operator_dinsos_2",
    "verifikator_dukcapil",
    "operator_disnaker",
    "operator_disnaker_2",
    "anggota_tim",
    "auditor_inspektorat",
}
CANDIDATE_READERS = PROPOSAL_READERS - {"anggota_tim"}


@pytest.fixture
def run(operator_dinsos: Any) -> ScreeningRun:
    return screened_year(operator=operator_dinsos, quota=QUOTA)


@pytest.fixture
def proposal(run: ScreeningRun, operator_dinsos: Any) -> Proposal:
    return proposal_create(run=run, actor=operator_dinsos, place="Pandeglang")


def _page(proposal: Proposal) -> str:
    return reverse("participants:proposal_detail", args=[proposal.programme_year_id])


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_anonymous_is_sent_to_the_login_page(client: Client, proposal: Proposal) -> None:
    candidate = proposal.candidates.first()
    for url in (
        _page(proposal),
        reverse("participants:candidate_detail", args=[candidate.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_each_role_opens_only_its_pages(proposal: Proposal, request: pytest.FixtureRequest) -> None:
    candidate = proposal.candidates.first()
    pages = {
        "proposal": (_page(proposal), PROPOSAL_READERS),
        "candidate": (
            reverse("participants:candidate_detail", args=[candidate.pk]),
            CANDIDATE_READERS,
        ),
    }
    for persona in PERSONAS:
        client = Client()
        client.force_login(request.getfixturevalue(persona))
        for name, (url, allowed) in pages.items():
            expected = 200 if persona in allowed else 403
            assert client.get(url).status_code == expected, (persona, name)


def test_the_auditor_changes_nothing(
    client: Client, proposal: Proposal, auditor_inspektorat: Any
) -> None:
    client.force_login(auditor_inspektorat)
    candidate = proposal.candidates.get(rank=1)
    posts = [
        reverse("participants:proposal_approve", args=[proposal.pk]),
        reverse("participants:candidate_exclude", args=[candidate.pk]),
        reverse("participants:berita_acara_request", args=[proposal.pk]),
        reverse("participants:proposal_create", args=[proposal.programme_year_id]),
    ]
    for url in posts:
        assert client.post(url, {"reason": "Alasan yang cukup panjang."}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert not Document.objects.exists()
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PROPOSED
    html = client.get(_page(proposal)).content.decode()
    assert "Setujui usulan" not in html and "Kecualikan" not in html
    assert "Buat draf berita acara" not in html


def test_pages_refuse_the_wrong_method(
    client: Client, proposal: Proposal, operator_dinsos_2: Any
) -> None:
    client.force_login(operator_dinsos_2)
    assert client.post(_page(proposal)).status_code == 405
    url = reverse("participants:proposal_approve", args=[proposal.pk])
    assert client.get(url).status_code == 405


def test_the_operator_proposes_from_a_finished_run(
    client: Client, run: ScreeningRun, operator_dinsos: Any
) -> None:
    client.force_login(operator_dinsos)
    url = reverse("participants:proposal_detail", args=[run.programme_year_id])
    html = client.get(url).content.decode()
    assert "belum mempunyai usulan" in html
    assert f'value="{run.pk}"' in html  # the finished run is offered
    create = reverse("participants:proposal_create", args=[run.programme_year_id])
    # Bad input: every field says what is wrong, in Indonesian, and nothing is made.
    response = client.post(create, {"run": "999999", "place": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tempat berita acara wajib diisi." in html
    assert "Hasil penyaringan itu tidak ada" in html
    assert not Proposal.objects.exists()

    response = client.post(create, {"run": run.pk, "place": "Pandeglang"})
    assert response.status_code == 302 and response["Location"] == url
    proposal = Proposal.objects.get()
    assert proposal.proposed_by == operator_dinsos
    assert len(states(proposal)[CandidateState.PROPOSED]) == QUOTA
    html = client.get(url).content.decode()
    assert "Draf" in html and "kuota 10 orang" in html
    assert "Anda pengusul usulan ini" in html  # no approve button for the proposer
    assert "Setujui usulan" not in html
    # A second proposal for the year is refused with the service's message.
    response = client.post(create, {"run": run.pk, "place": "Pandeglang"}, follow=True)
    assert "Buat usulan" not in response.content.decode()
    assert Proposal.objects.count() == 1


def test_a_run_without_a_pagu_is_not_offered_and_a_refusal_is_a_message(
    client: Client, run: ScreeningRun, operator_dinsos: Any
) -> None:
    ScreeningRun.objects.filter(pk=run.pk).update(status=JobStatus.RUNNING)
    client.force_login(operator_dinsos)
    url = reverse("participants:proposal_detail", args=[run.programme_year_id])
    html = client.get(url).content.decode()
    assert "Belum ada penyaringan yang selesai dengan pagu" in html
    response = client.post(
        reverse("participants:proposal_create", args=[run.programme_year_id]),
        {"run": run.pk, "place": "Pandeglang"},
    )
    assert response.status_code == 200
    assert "Hasil penyaringan itu tidak ada atau belum selesai" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.usefixtures("fixed_documents")
def test_the_proposer_gets_the_four_eyes_message_and_a_second_operator_approves(
    client: Client,
    proposal: Proposal,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    approve = reverse("participants:proposal_approve", args=[proposal.pk])
    client.force_login(operator_dinsos)
    response = client.post(approve, follow=True)
    assert response.status_code == 200
    assert any("Prinsip empat mata" in m for m in _messages(response))
    assert "Prinsip empat mata" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT

    client.force_login(operator_dinsos_2)
    assert "Setujui usulan" in client.get(_page(proposal)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.approved_by == operator_dinsos_2
    documents = Document.objects.filter(kind="berita_acara")
    assert sorted(documents.values_list("format", "status")) == [
        ("docx", JobStatus.DONE),
        ("pdf", JobStatus.DONE),
    ]
    html = client.get(_page(proposal)).content.decode()
    assert "Disetujui" in html and "Setujui usulan" not in html
    for document in documents:
        assert reverse("documents:document_download", args=[document.pk]) in html
        assert document.file_name in html
    assert "every 2s" not in html  # finished documents are not polled
    # Frozen: no exclusion forms, and a forged exclusion is refused with the reason.
    assert "Kecualikan calon ini" not in html
    candidate = proposal.candidates.get(rank=1)
    client.force_login(operator_dinsos)
    response = client.post(
        reverse("participants:candidate_exclude", args=[candidate.pk]),
        {"reason": "Sudah menerima bantuan lain."},
        follow=True,
    )
    assert any("sudah disetujui" in m for m in _messages(response))


@pytest.mark.usefixtures("fixed_documents")
def test_draft_berita_acara_is_queued_and_polled_until_made(
    client: Client,
    proposal: Proposal,
    operator_dinsos: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(operator_dinsos)
    url = reverse("participants:berita_acara_request", args=[proposal.pk])
    # Without running the queue the documents stay queued and their rows poll.
    response = client.post(url)
    assert response.status_code == 302
    queued = Document.objects.filter(status=JobStatus.QUEUED)
    assert queued.count() == 2
    html = client.get(_page(proposal)).content.decode()
    for document in queued:
        assert reverse("documents:document_progress", args=[document.pk]) in html
    assert 'hx-trigger="every 2s"' in html
    # Run through the queue: made, with the draft's name.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    made = Document.objects.filter(status=JobStatus.DONE)
    assert sorted(made.values_list("file_name", flat=True)) == [
        "berita-acara-pendataan-2026-draf.docx",
        "berita-acara-pendataan-2026-draf.pdf",
    ]


def test_exclusion_needs_a_reason_and_pulls_the_next_from_the_waiting_list(
    client: Client, proposal: Proposal, operator_dinsos: Any
) -> None:
    client.force_login(operator_dinsos)
    candidate = proposal.candidates.get(rank=3)
    url = reverse("participants:candidate_exclude", args=[candidate.pk])
    for reason, expected in (
        ("", "Tuliskan alasan pengecualian."),
        ("pendek", "paling sedikit 10 karakter"),
    ):
        response = client.post(url, {"reason": reason, "state": "proposed", "page": "1"})
        assert response.status_code == 302
        assert response["Location"] == _page(proposal) + "?state=proposed&page=1"
        assert any(expected in m for m in _messages(response)), reason
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PROPOSED

    reason = "Tercatat sebagai penerima bantuan iuran APBN."
    response = client.post(url, {"reason": reason}, follow=True)
    assert any("dikecualikan" in m and "1 calon" in m for m in _messages(response))
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.REJECTED
    assert candidate.reason == reason
    assert proposal.candidates.get(rank=QUOTA + 1).state == CandidateState.PROPOSED
    assert AuditEntry.objects.filter(action="candidate_exclude").count() == 1
    # The candidate's page tells the whole story, in Jakarta time.
    html = client.get(reverse("participants:candidate_detail", args=[candidate.pk])).content
    text = html.decode()
    assert "Ditolak" in text and reason in text
    assert "Tersaring → <strong>Diusulkan</strong>" in text
    assert "Diusulkan → <strong>Ditolak</strong>" in text
    assert "penyaringan: <code>" in text  # evidence of the proposal event
    assert "operator_dinsos" in text
    assert candidate.nik not in text
    event = candidate.events.last()
    assert event is not None
    assert tanggal_jam(event.at) in text  # "2 Desember 2026 09.11", WIB (issue 9)


def test_the_list_masks_every_nik_filters_by_state_and_pages(
    client: Client, proposal: Proposal, anggota_tim: Any
) -> None:
    client.force_login(anggota_tim)
    response = client.get(_page(proposal))
    html = response.content.decode()
    total = proposal.candidates.count()
    assert total > 50  # two pages
    assert response.context["page"].paginator.num_pages == 2
    # No full NIK anywhere on the page; the masked form of every listed candidate.
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", html)
    for c in response.context["page"].object_list:
        assert f"{c.nik[:4]}********{c.nik[-4:]}" in html
    # anggota_tim may not open people's pages: names are not links.
    assert reverse("participants:candidate_detail", args=[c.pk]) not in html
    assert "Diusulkan" in html and "Daftar tunggu" in html
    response = client.get(_page(proposal), {"state": "waitlisted"})
    page = response.context["page"]
    assert page.paginator.count == total - QUOTA
    assert {c.state for c in page.object_list} == {CandidateState.WAITLISTED}
    response = client.get(_page(proposal), {"page": "2"})
    assert response.context["page"].object_list[0].rank == 51
    # An unknown state is reported and does not filter; a bad page gives the last.
    response = client.get(_page(proposal), {"state": "bogus", "page": "x"})
    assert "Status &#x27;bogus&#x27; tidak dikenal." in response.content.decode()
    assert response.context["page"].paginator.count == total


def test_a_year_without_proposal_tells_readers_who_makes_it(
    client: Client, run: ScreeningRun, auditor_inspektorat: Any
) -> None:
    client.force_login(auditor_inspektorat)
    html = client.get(
        reverse("participants:proposal_detail", args=[run.programme_year_id])
    ).content.decode()
    assert "belum mempunyai usulan" in html and "Buat usulan" not in html


def test_unknown_objects_are_404(client: Client, operator_dinsos: Any) -> None:
    client.force_login(operator_dinsos)
    assert client.get(reverse("participants:proposal_detail", args=[999])).status_code == 404
    assert client.get(reverse("participants:candidate_detail", args=[999])).status_code == 404
    assert client.post(reverse("participants:proposal_approve", args=[999])).status_code == 404
    url = reverse("participants:candidate_exclude", args=[999])
    assert client.post(url, {"reason": "x" * 20}).status_code == 404


def test_year_page_links_the_stages_by_permission(
    client: Client, proposal: Proposal, operator_dinsos: Any, admin_kominfo: Any
) -> None:
    year_url = reverse("registry:year_detail", args=[proposal.programme_year_id])
    client.force_login(operator_dinsos)
    html = client.get(year_url).content.decode()
    assert "Usulan, verifikasi dan keputusan" in html
    assert _page(proposal) in html
    assert reverse("verification:batch_list", args=[proposal.programme_year_id]) in html
    assert reverse("decrees:year_detail", args=[proposal.programme_year_id]) in html
    client.force_login(admin_kominfo)
    html = client.get(year_url).content.decode()
    assert "Usulan, verifikasi dan keputusan" not in html
