"""The contributions pages: the year's page (bills, realisation, "Tugas Anda"), issuing a bill
through the form, one bill's page and its letter; query counts that do not grow."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.contributions.models import Bill
from payung.contributions.services import bill_issue
from payung.contributions.tests.factories import MONTHLY, contribution_year, participants_add
from payung.documents.models import Document
from payung.documents.services import subject_label

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 1)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def year(bendahara_disnaker: Any) -> Any:
    programme_year, proposal = contribution_year()
    participants_add(proposal=proposal, periods=[(JAN, None)] * 3)
    return programme_year


def test_the_year_page_shows_tasks_bills_and_realisation(
    client: Any, bendahara_disnaker: Any, year: Any
) -> None:
    for month in (1, 2, 3):
        day = date(2026, month, 1)
        bill_issue(programme_year=year, first_month=day, last_month=day, actor=bendahara_disnaker)
    client.force_login(bendahara_disnaker)
    page = text(client.get(reverse("contributions:year_detail", args=[year.pk])))
    assert "Tugas Anda" in page
    assert "Tagihan 1" in page and "Tagihan 3" in page
    assert "Rp50.400" in page  # 3 × Rp16.800, each bill
    assert "15 Januari 2026" in page
    assert "Rp2.016.000.000" not in page  # the pagu is 100 people: Rp20.160.000
    assert "Rp20.160.000" in page
    assert "Terbitkan tagihan April 2026" in page  # the next unbilled month, proposed


def test_the_year_page_does_not_grow_with_bills(
    client: Any,
    bendahara_disnaker: Any,
    year: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(bendahara_disnaker)
    url = reverse("contributions:year_detail", args=[year.pk])
    client.get(url)  # warm the session and the policy cache
    for month in range(1, 13):
        day = date(2026, month, 1)
        bill_issue(programme_year=year, first_month=day, last_month=day, actor=bendahara_disnaker)
    with django_assert_max_num_queries(27):
        response = client.get(url)
    assert response.status_code == 200
    assert "Tagihan 12" in text(response)


def test_issuing_through_the_form(client: Any, bendahara_disnaker: Any, year: Any) -> None:
    client.force_login(bendahara_disnaker)
    response = client.post(
        reverse("contributions:bill_issue", args=[year.pk]),
        {"first_month": "2026-01-01", "last_month": "2026-03-01"},
    )
    bill = Bill.objects.get(programme_year=year)
    assert response.status_code == 302
    assert response["Location"] == reverse("contributions:bill_detail", args=[bill.pk])
    assert bill.total == 9 * MONTHLY
    # The letter is asked for, DOCX and PDF.
    kinds = set(Document.objects.filter(subject=subject_label(bill)).values_list("kind", "format"))
    assert kinds == {("permohonan_iuran", "docx"), ("permohonan_iuran", "pdf")}
    # The same months again: refused on the page, in words, nothing issued.
    again = client.post(
        reverse("contributions:bill_issue", args=[year.pk]),
        {"first_month": "2026-02-01", "last_month": "2026-02-01"},
    )
    assert again.status_code == 200
    assert "sudah ditagih dalam Tagihan 1" in text(again)
    assert Bill.objects.filter(programme_year=year).count() == 1


def test_a_backwards_period_is_explained_on_the_field(
    client: Any, bendahara_disnaker: Any, year: Any
) -> None:
    client.force_login(bendahara_disnaker)
    response = client.post(
        reverse("contributions:bill_issue", args=[year.pk]),
        {"first_month": "2026-03-01", "last_month": "2026-01-01"},
    )
    assert "Bulan terakhir tidak boleh sebelum bulan pertama." in text(response)
    assert not Bill.objects.exists()


def test_the_bill_page_and_its_letter(
    client: Any,
    bendahara_disnaker: Any,
    auditor_inspektorat: Any,
    year: Any,
    django_assert_max_num_queries: Any,
) -> None:
    bill = bill_issue(
        programme_year=year, first_month=JAN, last_month=JAN, actor=bendahara_disnaker
    )
    letter = Document.objects.get(subject=subject_label(bill), format="pdf")
    path = Path(settings.MEDIA_ROOT) / "uji-surat" / "surat.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 uji")
    Document.objects.filter(pk=letter.pk).update(status="done", stored_path=str(path))
    client.force_login(auditor_inspektorat)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("contributions:bill_detail", args=[bill.pk]))
    body = text(page)
    assert "Tagihan 1: Januari 2026" in body
    assert "Rp50.400" in body and "lima puluh ribu empat ratus rupiah" in body
    assert "APBD Kabupaten" in body
    download = reverse("contributions:bill_letter_download", args=[bill.pk, letter.pk])
    assert download in body
    # The auditor reads but does not issue: no button that would refuse them.
    request_letter = reverse("contributions:bill_letter_request", args=[bill.pk])
    assert f'action="{request_letter}"' not in body
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 uji"
    entry = AuditEntry.objects.filter(action="document_download").get()
    assert entry.detail["kind"] == "permohonan_iuran"


def test_no_page_names_a_person(client: Any, bendahara_disnaker: Any, year: Any) -> None:
    bill = bill_issue(
        programme_year=year, first_month=JAN, last_month=JAN, actor=bendahara_disnaker
    )
    client.force_login(bendahara_disnaker)
    pages = text(client.get(reverse("contributions:year_detail", args=[year.pk]))) + text(
        client.get(reverse("contributions:bill_detail", args=[bill.pk]))
    )
    for line in bill.lines.select_related("candidate__person"):
        assert line.candidate.person.nama not in pages
        assert line.candidate.nik[-4:] + "<" not in pages
        assert line.candidate.nik not in pages


def test_other_roles_are_refused(client: Any, operator_disnaker: Any, year: Any) -> None:
    client.force_login(operator_disnaker)
    assert client.get(reverse("contributions:year_detail", args=[year.pk])).status_code == 403
    response = client.post(
        reverse("contributions:bill_issue", args=[year.pk]),
        {"first_month": "2026-01-01", "last_month": "2026-01-01"},
    )
    assert response.status_code == 403
    assert not Bill.objects.exists()
