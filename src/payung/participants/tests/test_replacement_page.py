"""The replacement round page (issue 12, Pasal 6 ayat (2)): the arithmetic as a person reads
it, the button that proposes, the path of the replacements, and who may do what."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.participants import views
from payung.participants.models import Candidate, CandidateState, EndReason
from payung.participants.tests.factories import MONTHLY, contribution_year, participants_add
from payung.programmes.models import ProgrammeYear

pytestmark = pytest.mark.django_db

S = CandidateState
JAN = date(2026, 1, 1)


@pytest.fixture
def may(monkeypatch: pytest.MonkeyPatch) -> date:
    day = date(2026, 5, 1)
    monkeypatch.setattr(views, "_today", lambda: day)
    return day


@pytest.fixture
def year_with_ends() -> tuple[ProgrammeYear, list[Any]]:
    """Quota 5, pagu 5 x 12 months: 3 covered all year, 2 died in April, 12 waiting."""
    year, proposal = contribution_year(pagu=60 * MONTHLY, quota=5)
    participants_add(proposal=proposal, periods=[(JAN, None)] * 3)
    died = participants_add(proposal=proposal, periods=[(JAN, date(2026, 4, 30))] * 2)
    # As participant_end records it: the reason on the candidate, shown in words.
    Candidate.objects.filter(pk__in=[c.pk for c in died]).update(reason_code=EndReason.MENINGGAL)
    queue = participants_add(proposal=proposal, periods=[(None, None)] * 12, state=S.WAITLISTED)
    return year, queue


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _page(year: ProgrammeYear) -> str:
    return reverse("participants:replacement_round", args=[year.pk])


def test_the_page_shows_the_arithmetic_in_rupiah_and_the_next_ranks_masked(
    client: Client,
    operator_dinsos: Any,
    year_with_ends: tuple[ProgrammeYear, list[Any]],
    may: date,
    django_assert_max_num_queries: Any,
) -> None:
    year, queue = year_with_ends
    _login(client, operator_dinsos)
    # Constant: the figures are aggregates, the list a slice (12 waiting or 12 000 alike).
    with django_assert_max_num_queries(25):
        response = client.get(_page(year))
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 dari kuota 5 orang" in html
    assert "2 tempat kosong" in html
    assert "Meninggal dunia: 2" in html
    assert "Rp1.008.000" in html  # the pagu
    assert "Rp268.800" in html  # remaining: 16 months of Rp16.800
    assert "8 bulan, dari Mei 2026 sampai Desember" in html
    assert "Rp134.400" in html  # one replacement, May to December
    assert "Usulkan 2 pengganti" in html
    # The next of the waiting list: masked, in rank order; never the full NIK.
    assert html.index(f"{queue[0].nik[:4]}********{queue[0].nik[-4:]}") < html.index(
        f"{queue[1].nik[:4]}********{queue[1].nik[-4:]}"
    )
    assert all(c.nik not in html for c in queue)


def test_the_button_proposes_and_the_page_then_shows_the_round_and_its_path(
    client: Client,
    operator_dinsos: Any,
    year_with_ends: tuple[ProgrammeYear, list[Any]],
    may: date,
) -> None:
    year, queue = year_with_ends
    _login(client, operator_dinsos)
    response = client.post(reverse("participants:replacement_propose", args=[year.pk]), follow=True)
    html = response.content.decode()
    assert "Putaran pengganti 1: 2 calon diusulkan dari daftar tunggu" in html
    assert "1 Mei 2026" in html
    assert "Menunggu verifikasi Disdukcapil" in html
    assert f'href="{reverse("verification:batch_list", args=[year.pk])}"' in html
    assert [c.state for c in Candidate.objects.filter(pk__in=[queue[0].pk, queue[1].pk])] == [
        S.PROPOSED,
        S.PROPOSED,
    ]
    # The candidate's history names the round and its figures, money in rupiah.
    history = client.get(
        reverse("participants:candidate_detail", args=[queue[0].pk])
    ).content.decode()
    assert "putaran pengganti" in history
    assert "Rp268.800" in history
    # Nothing is free any more: the page says so instead of offering the button.
    assert "Usulkan" not in html.split("Putaran pengganti 1")[-1]
    again = client.post(
        reverse("participants:replacement_propose", args=[year.pk]), follow=True
    ).content.decode()
    assert "Tidak ada tempat kosong" in again


def test_readers_see_no_button_and_no_link_they_cannot_follow(
    client: Client,
    anggota_tim: Any,
    year_with_ends: tuple[ProgrammeYear, list[Any]],
    may: date,
) -> None:
    year, _queue = year_with_ends
    html = _login(client, anggota_tim).get(_page(year)).content.decode()
    assert "Rp268.800" in html
    assert "Usulkan" not in html
    assert reverse("verification:batch_list", args=[year.pk]) not in html
    assert reverse("enrollment:batch_year", args=[year.pk]) not in html


@pytest.mark.parametrize("persona", ["bendahara_disnaker", "petugas_bpjs", "admin_kominfo"])
def test_roles_outside_the_team_cannot_open_the_page(
    client: Client, persona: str, request: pytest.FixtureRequest, year_with_ends: Any
) -> None:
    year, _queue = year_with_ends
    user = request.getfixturevalue(persona)
    assert _login(client, user).get(_page(year)).status_code == 403


def test_only_the_operator_pendataan_may_press_the_button(
    client: Client, operator_disnaker: Any, auditor_inspektorat: Any, year_with_ends: Any
) -> None:
    year, queue = year_with_ends
    url = reverse("participants:replacement_propose", args=[year.pk])
    for user in (operator_disnaker, auditor_inspektorat):
        client.logout()
        assert _login(client, user).post(url).status_code == 403
    queue[0].refresh_from_db()
    assert queue[0].state == S.WAITLISTED
