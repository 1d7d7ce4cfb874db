"""The candidate page shows the participant's coverage periods in words and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.participants.models import Candidate
from payung.participants.services import participant_activate, participant_end

pytestmark = pytest.mark.django_db


def test_the_candidate_page_lists_each_coverage_period(
    client: Client, active: list[Candidate], operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    candidate = active[0]
    participant_end(
        candidate=candidate,
        actor=operator_disnaker,
        on=date(2026, 2, 10),
        reason_code="mengundurkan_diri",
    )
    participant_activate(
        candidate=candidate,
        actor=petugas_bpjs,
        start=date(2026, 3, 1),
        reason="Pengunduran diri dibatalkan secara tertulis.",
    )
    candidate.refresh_from_db()
    assert candidate.kpj == "26010000000"
    client.force_login(operator_disnaker)
    html = client.get(reverse("participants:candidate_detail", args=[candidate.pk])).content
    text = html.decode()
    assert "Masa kepesertaan" in text
    assert "1 Februari 2026" in text and "10 Februari 2026" in text
    assert "Mengundurkan diri" in text
    assert "1 Maret 2026" in text and "masih aktif" in text
    assert "Aktif" in text
    assert candidate.kpj not in text  # the history names the KPJ masked only
    assert "2601***0000" in text
