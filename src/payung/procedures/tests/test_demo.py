"""The demo's SOP step: the operator kepesertaan has them made and the worker finishes them."""

from __future__ import annotations

from typing import Any

import pytest

from payung.documents.models import Document
from payung.procedures import services
from payung.procedures.demo import demo_sops
from payung.programmes.tests.factories import ProgrammeYearFactory


@pytest.mark.django_db(transaction=True)
def test_demo_generates_the_sops_of_the_year(monkeypatch: pytest.MonkeyPatch) -> None:
    from payung.accounts.models import User
    from payung.accounts.services import demo_users_create

    demo_users_create()
    year = ProgrammeYearFactory(year=2026, created_by=User.objects.get(username="dinsos.operator"))
    # Two agencies keep the test short; the demo makes all eight.
    monkeypatch.setattr(services, "AGENCIES", ("bpjs", "hukum"))
    said: list[str] = []
    totals: dict[str, Any] = demo_sops(year=year, say=said.append, run_queue=lambda: None)
    assert totals == {"sop_dokumen": 4, "sop_dokumen_selesai": 4}
    assert said == ["SOP perangkat daerah tahun 2026: 4 dari 4 dokumen selesai."]
    files = Document.objects.filter(programme_year=year, kind__startswith="sop-")
    assert sorted(files.values_list("file_name", flat=True)) == [
        "sop-bpjs-2026.docx",
        "sop-bpjs-2026.pdf",
        "sop-hukum-2026.docx",
        "sop-hukum-2026.pdf",
    ]


@pytest.mark.django_db(transaction=True)
def test_demo_leaves_unmade_sops_to_the_worker_and_the_page_says_they_wait(
    monkeypatch: pytest.MonkeyPatch, client: Any, operator_disnaker: Any
) -> None:
    """Issue 16 target 5: the demo's queue runner leaves documents to the worker started
    with the server; the summary says so and the SOP page shows each one as waiting."""
    from django.urls import reverse

    from payung.accounts.models import User
    from payung.accounts.services import demo_users_create
    from payung.documents import services as documents

    demo_users_create()
    year = ProgrammeYearFactory(year=2026, created_by=User.objects.get(username="dinsos.operator"))
    monkeypatch.setattr(services, "AGENCIES", ("bpjs", "hukum"))
    monkeypatch.setattr(documents, "_enqueue", lambda document_id: None)  # queued, not run
    said: list[str] = []
    totals = demo_sops(year=year, say=said.append, run_queue=lambda: None)
    assert totals == {"sop_dokumen": 4, "sop_dokumen_selesai": 0}
    assert said == [
        "SOP perangkat daerah tahun 2026: 4 dokumen diminta, 0 selesai; sisanya dibuat "
        "pekerja latar belakang dan halaman SOP menunjukkan statusnya."
    ]
    client.force_login(operator_disnaker)  # the demo's users must change their password first
    response = client.get(reverse("procedures:year_sops", args=[year.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Menunggu") >= 4
    assert "Unduh PDF" not in page and "Unduh DOCX" not in page
