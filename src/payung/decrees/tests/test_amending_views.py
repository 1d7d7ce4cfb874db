"""The amending decree's pages: the year page offers it with the counts, the draft's page
lists whom it adds and removes (masked NIKs), and the signed record is taken there."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.decrees import services
from payung.decrees.models import Decree
from payung.decrees.tests.factories import scan
from payung.decrees.tests.test_amending_participants import (  # noqa: F401
    DRAFTED_ON,
    changed,
    year,
)
from payung.domain import nik as nik_domain
from payung.participants.models import CandidateState, Proposal
from payung.participants.tests.factories import states

pytestmark = pytest.mark.django_db

NIK_RE = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.fixture(autouse=True)
def drafting_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_today", lambda: DRAFTED_ON)


def _html(response: Any) -> str:
    return response.content.decode()


def test_the_year_page_offers_the_amendment_and_the_draft_page_lists_both(
    client: Client,
    changed: tuple[Proposal, Decree],  # noqa: F811
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    proposal, _first = changed
    year_url = reverse("decrees:year_detail", args=[proposal.programme_year_id])
    client.force_login(operator_disnaker)
    page = _html(client.get(year_url))
    assert "Susun keputusan perubahan" in page
    assert "2 calon pengganti terverifikasi akan ditambahkan dan 2 peserta" in page

    response = client.post(
        reverse("decrees:decree_amendment_draft", args=[proposal.programme_year_id]),
        follow=True,
    )

    draft = Decree.objects.get(amends__isnull=False)
    assert response.redirect_chain[-1][0] == reverse("decrees:decree_detail", args=[draft.pk])
    html = _html(response)
    assert "Rancangan keputusan perubahan disusun" in html
    for rank in (6, 7, 1, 3):
        candidate = proposal.candidates.select_related("person").get(rank=rank)
        assert candidate.person.nama in html
        assert nik_domain.mask(candidate.nik) in html
    assert not NIK_RE.findall(html)
    assert "Pendaftaran ditolak BPJS Ketenagakerjaan" in html
    assert "Meninggal dunia" in html
    assert "Rp201.600" in html  # 2 × 6 months × Rp16.800
    assert "mulai Juli 2026" in html
    # Four eyes: the drafter's page does not hide the form, the service refuses; the
    # second operator records it.
    client.force_login(operator_disnaker_2)
    detail_url = reverse("decrees:decree_detail", args=[draft.pk])
    assert reverse("decrees:decree_record_signed", args=[draft.pk]) in _html(client.get(detail_url))
    prefix = f"sk{draft.pk}"
    response = client.post(
        reverse("decrees:decree_record_signed", args=[draft.pk]),
        {
            f"{prefix}-number": "400.10/Kep.30-Huk/2026",
            f"{prefix}-signed_on": "2026-06-20",
            f"{prefix}-signer_name": "Bupati Sintetis",
            f"{prefix}-scan": scan(),
        },
        follow=True,
    )
    assert "Keputusan nomor 400.10/Kep.30-Huk/2026 dicatat" in _html(response)
    assert states(proposal)[CandidateState.DECREED] == [2, 4, 5, 6, 7]
    page = _html(client.get(year_url))
    assert "2 ditambahkan · 2 dikeluarkan · 5 peserta setelah perubahan" in page
    assert "Tidak ada yang perlu diubah" in page


def test_nothing_to_amend_is_said_and_refused(
    client: Client,
    year: tuple[Proposal, Decree],  # noqa: F811
    operator_disnaker: Any,
) -> None:
    proposal, _first = year
    client.force_login(operator_disnaker)
    page = _html(client.get(reverse("decrees:year_detail", args=[proposal.programme_year_id])))
    assert "Tidak ada yang perlu diubah" in page
    assert reverse("decrees:decree_amendment_draft", args=[proposal.programme_year_id]) not in page

    response = client.post(
        reverse("decrees:decree_amendment_draft", args=[proposal.programme_year_id]),
        follow=True,
    )

    assert "Tidak ada yang perlu diubah" in _html(response)
    assert not Decree.objects.filter(amends__isnull=False).exists()


def test_the_draft_page_takes_a_fixed_number_of_queries(
    client: Client,
    changed: tuple[Proposal, Decree],  # noqa: F811
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    django_assert_max_num_queries: Any,
) -> None:
    """The lists are read in one query, however many people they hold."""
    proposal, _first = changed
    draft = services.decree_amendment_draft(
        programme_year=proposal.programme_year, actor=operator_disnaker, on=date(2026, 6, 10)
    )
    client.force_login(operator_disnaker_2)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("decrees:decree_detail", args=[draft.pk]))
    assert response.status_code == 200
