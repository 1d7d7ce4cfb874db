"""The person page past the decree (Pasal 8): KPJ masked like a NIK and revealed by the same
rule, coverage periods in dates, the card's status, and BPJS's answer to each batch."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.domain import nik as nik_domain
from payung.enrollment import cards
from payung.enrollment.tests.factories import Registered, registered_batch
from payung.participants.services import participant_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> Registered:
    return registered_batch(
        personas={
            "operator_dinsos": operator_dinsos,
            "operator_dinsos_2": operator_dinsos_2,
            "verifikator_dukcapil": verifikator_dukcapil,
            "operator_disnaker": operator_disnaker,
            "petugas_bpjs": petugas_bpjs,
        },
        n=3,
        refused=1,
        active=2,
    )


def _page(client: Client, person_id: int) -> str:
    return client.get(reverse("people:person_detail", args=[person_id])).content.decode()


def test_an_active_participant_s_page_shows_kpj_masked_cover_card_and_bpjs_answer(
    client: Client, registered: Registered, operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    person = registered.accepted[0]
    cards.cards_receive_batch(
        batch=registered.batch, actor=petugas_bpjs, received_on=date(2026, 3, 1)
    )
    client.force_login(operator_disnaker)
    page = _page(client, person.person_id)
    assert person.kpj not in page and nik_domain.mask(person.kpj) in page
    assert "sejak 1 Februari 2026, masih aktif" in page
    assert "Diterima dari BPJS 1 Maret 2026, belum diserahkan" in page
    assert "Peserta aktif" in page
    assert "Diterima" in page and "400.10/Kep.12-Huk/2026" in page
    # The operator kepesertaan may not unmask a NIK, so no KPJ reveal either.
    assert reverse("people:reveal_kpj", args=[person.person_id]) not in page


def test_a_refused_and_an_ended_participant_show_why(
    client: Client, registered: Registered, operator_disnaker: Any
) -> None:
    client.force_login(operator_disnaker)
    refused = _page(client, registered.refused[0].person_id)
    assert "Ditolak" in refused and "penerima upah" in refused
    ended = registered.accepted[1]
    participant_end(
        candidate=ended, actor=operator_disnaker, on=date(2026, 4, 30), reason_code="pindah"
    )
    page = _page(client, ended.person_id)
    assert "1 Februari 2026 sampai 30 April 2026 (Pindah domisili)" in page
    assert "Kepesertaan berakhir: Pindah domisili" in page


def test_the_full_kpj_is_revealed_only_by_the_nik_rule_and_audited(
    client: Client, registered: Registered, operator_dinsos: Any, operator_disnaker: Any
) -> None:
    person = registered.accepted[0]
    url = reverse("people:reveal_kpj", args=[person.person_id])
    client.force_login(operator_disnaker)
    assert client.post(url).status_code == 403
    client.force_login(operator_dinsos)
    assert url in _page(client, person.person_id)
    response = client.post(url)
    assert response.status_code == 200 and person.kpj in response.content.decode()
    entry = AuditEntry.objects.get(action="kpj_view")
    assert entry.detail["kpj_masked"] == nik_domain.mask(person.kpj)
    assert person.kpj not in str(entry.detail)
