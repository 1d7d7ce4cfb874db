"""Cards (Pasal 8 ayat (4)): received per batch, handed over one by one, chased while not,
and a village's receipt list to sign."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.enrollment import cards
from payung.enrollment.models import Card
from payung.enrollment.tests.factories import Registered, registered_batch
from payung.participants.models import Candidate

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture
def personas(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> dict[str, Any]:
    return {
        "operator_dinsos": operator_dinsos,
        "operator_dinsos_2": operator_dinsos_2,
        "verifikator_dukcapil": verifikator_dukcapil,
        "operator_disnaker": operator_disnaker,
        "petugas_bpjs": petugas_bpjs,
    }


@pytest.fixture
def registered(personas: dict[str, Any]) -> Registered:
    """Four decreed: three accepted by BPJS (two active), one refused."""
    return registered_batch(personas=personas, n=4, refused=1, active=2)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def _receive(registered: Registered, actor: Any, day: date = date(2026, 3, 1)) -> int:
    return cards.cards_receive_batch(
        batch=registered.batch, actor=actor, received_on=day, today=TODAY
    )


HANDOVER = {
    "delivered_on": date(2026, 3, 5),
    "channel": Card.Channel.DESA,
    "delivered_by": "Ujang Suryana",
    "today": TODAY,
}


def _deliver(candidate: Candidate, actor: Any, **kwargs: Any) -> Card:
    return cards.card_deliver(candidate=candidate, actor=actor, **{**HANDOVER, **kwargs})


def _deliver_round(candidates: list[Candidate], actor: Any, **kwargs: Any) -> int:
    return cards.cards_deliver(candidates=candidates, actor=actor, **{**HANDOVER, **kwargs})


# --- received from BPJS, per batch ------------------------------------------------------------


def test_a_batch_s_cards_are_received_at_once_for_the_accepted_only(
    registered: Registered, petugas_bpjs: Any
) -> None:
    assert _receive(registered, petugas_bpjs) == 3
    received = dict(Card.objects.values_list("candidate_id", "received_on"))
    assert received == {c.pk: date(2026, 3, 1) for c in registered.accepted}
    assert registered.refused[0].pk not in received
    # Loaded in bulk: the rest of each card as a new card has it, recorded by the receiver.
    for card in Card.objects.all():
        assert (card.delivered_on, card.channel, card.delivered_by) == (None, "", "")
        assert card.recorded_by == petugas_bpjs and card.recorded_at is not None
    entry = AuditEntry.objects.filter(action="cards_receive_batch").get()
    assert entry.detail["recorded"] == 3 and entry.detail["batch_number"] == 1


def test_receiving_the_same_batch_again_is_refused_and_keeps_the_first_date(
    registered: Registered, petugas_bpjs: Any, operator_disnaker: Any
) -> None:
    _receive(registered, petugas_bpjs)
    with pytest.raises(ValidationError) as exc:
        _receive(registered, operator_disnaker, date(2026, 3, 4))
    assert "sudah tercatat diterima" in _messages(exc)
    assert set(Card.objects.values_list("received_on", flat=True)) == {date(2026, 3, 1)}


@pytest.mark.parametrize(
    ("day", "words"),
    [(date(2026, 3, 11), "sesudah hari ini"), (date(2026, 2, 2), "sebelum tahap pendaftaran")],
)
def test_a_receipt_date_in_the_future_or_before_the_batch_is_refused(
    registered: Registered, petugas_bpjs: Any, day: date, words: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _receive(registered, petugas_bpjs, day)
    assert words in _messages(exc)
    assert not Card.objects.exists()


def test_only_card_recorders_may_receive(registered: Registered, operator_dinsos: Any) -> None:
    with pytest.raises(PermissionDenied):
        _receive(registered, operator_dinsos)


# --- handed over, one by one ---------------------------------------------------------------


def test_a_card_is_delivered_with_date_channel_and_officer_and_audited_masked(
    registered: Registered, petugas_bpjs: Any
) -> None:
    _receive(registered, petugas_bpjs)
    person = registered.accepted[0]
    card = _deliver(person, petugas_bpjs)
    card.refresh_from_db()
    assert (card.delivered_on, card.channel, card.delivered_by) == (
        date(2026, 3, 5),
        "desa",
        "Ujang Suryana",
    )
    entry = AuditEntry.objects.filter(action="card_deliver").get()
    assert entry.detail["kpj_masked"] == cards.kpj_mask(person.kpj) != person.kpj
    assert person.kpj not in str(entry.detail) and person.nik not in str(entry.detail)


def test_delivery_before_the_card_was_received_is_refused(
    registered: Registered, petugas_bpjs: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        _deliver(registered.accepted[0], petugas_bpjs)
    assert "belum tercatat diterima" in _messages(exc)


# Each rule of a hand-over and words of its refusal, for one card and for a round.
DELIVERY_RULES = [
    ({"delivered_on": date(2026, 2, 28)}, "sebelum kartu diterima"),
    ({"delivered_on": date(2026, 3, 11)}, "sesudah hari ini"),
    ({"channel": "pos"}, "Pilih melalui siapa"),
    ({"delivered_by": "  "}, "nama petugas"),
    ({"delivered_by": "Ujang\u200bSuryana"}, "nama petugas"),
]


@pytest.mark.parametrize(("kwargs", "words"), DELIVERY_RULES)
def test_a_delivery_breaking_a_rule_is_refused(
    registered: Registered, petugas_bpjs: Any, kwargs: dict[str, Any], words: str
) -> None:
    _receive(registered, petugas_bpjs)
    with pytest.raises(ValidationError) as exc:
        _deliver(registered.accepted[0], petugas_bpjs, **kwargs)
    assert words in _messages(exc)
    assert Card.objects.get(candidate=registered.accepted[0]).delivered_on is None


def test_a_card_is_delivered_once(registered: Registered, operator_disnaker: Any) -> None:
    _receive(registered, operator_disnaker)
    _deliver(registered.accepted[0], operator_disnaker)
    with pytest.raises(ValidationError) as exc:
        _deliver(registered.accepted[0], operator_disnaker, delivered_on=date(2026, 3, 6))
    assert "sudah tercatat diserahkan pada 5 Maret 2026" in _messages(exc)


# --- the undistributed -----------------------------------------------------------------------


def test_the_undistributed_list_ages_each_card_and_shrinks_on_delivery(
    registered: Registered, petugas_bpjs: Any
) -> None:
    year = registered.batch.programme_year
    before = cards.card_undistributed(programme_year=year, today=TODAY)
    assert before.total == 3 and before.not_received == 3
    registered_on = before.rows[0].registered_on
    assert registered_on is not None
    assert {r.age_days for r in before.rows} == {(TODAY - registered_on).days}

    _receive(registered, petugas_bpjs)
    received = cards.card_undistributed(programme_year=year, today=TODAY)
    assert received.not_received == 0
    assert [r.age_days for r in received.rows] == [9, 9, 9]  # 1 to 10 March

    _deliver(registered.accepted[1], petugas_bpjs)
    after = cards.card_undistributed(programme_year=year, today=TODAY)
    assert after.total == 2 and after.delivered == 1
    assert registered.accepted[1].pk not in {r.candidate_id for r in after.rows}


def test_the_undistributed_list_filters_by_kecamatan_and_desa(
    registered: Registered, petugas_bpjs: Any
) -> None:
    year = registered.batch.programme_year
    everyone = cards.card_undistributed(programme_year=year, today=TODAY)
    assert sum(k.count for k in everyone.kecamatan) == everyone.total == 3
    kec = everyone.kecamatan[0]
    in_kec = cards.card_undistributed(programme_year=year, kecamatan=kec.code, today=TODAY)
    assert len(in_kec.rows) == kec.count
    assert {r.kecamatan_code for r in in_kec.rows} == {kec.code}
    village = in_kec.villages[0]
    in_desa = cards.card_undistributed(
        programme_year=year, kecamatan=kec.code, desa=village.code, today=TODAY
    )
    assert len(in_desa.rows) == village.count
    assert {r.desa_code for r in in_desa.rows} == {village.code}


# --- the receipt list of one village (PDF) -----------------------------------------------------


def test_the_receipt_list_of_a_village_reads_back_with_masked_nik_and_kpj_tail(
    registered: Registered, petugas_bpjs: Any, tmp_path: Any
) -> None:
    _receive(registered, petugas_bpjs)
    year = registered.batch.programme_year
    row = cards.card_rows(programme_year=year, today=TODAY)[0]
    made = cards.card_receipt_pdf(
        programme_year=year, desa=row.desa_code, actor=petugas_bpjs, today=TODAY
    )
    path = tmp_path / made.file_name
    path.write_bytes(made.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "DAFTAR TANDA TERIMA KARTU PESERTA" in text
    assert row.desa in text and row.kecamatan in text
    assert "10 Maret 2026" in text and "Tanda tangan" in text
    assert row.name in text
    assert row.nik_masked in text and row.kpj[-4:] in text
    candidate = Candidate.objects.get(pk=row.candidate_id)
    assert candidate.nik not in text and candidate.kpj not in text
    assert cards.kpj_tail(candidate.kpj) == "*" * 7 + candidate.kpj[-4:]
    entry = AuditEntry.objects.filter(action="card_receipt_download").get()
    assert entry.detail["rows"] == made.count >= 1 and len(entry.detail["sha256"]) == 64


def test_a_village_without_cards_waiting_has_no_receipt_list(
    registered: Registered, petugas_bpjs: Any
) -> None:
    year = registered.batch.programme_year
    row = cards.card_rows(programme_year=year, today=TODAY)[0]
    with pytest.raises(ValidationError):  # not received from BPJS yet
        cards.card_receipt_pdf(programme_year=year, desa=row.desa_code, actor=petugas_bpjs)


# --- pages ------------------------------------------------------------------------------------


def test_the_card_page_lists_and_receives_and_delivers(
    client: Client, registered: Registered, petugas_bpjs: Any
) -> None:
    year = registered.batch.programme_year
    client.force_login(petugas_bpjs)
    url = reverse("enrollment:card_list", args=[year.pk])
    page = client.get(url).content.decode()
    assert 'id="jumlah-belum-diserahkan">3<' in page
    assert registered.accepted[0].kpj not in page and registered.accepted[0].nik not in page
    response = client.post(
        reverse("enrollment:cards_receive", args=[year.pk]),
        {"batch": registered.batch.pk, "received_on": "2026-03-01"},
    )
    assert response.status_code == 302
    assert Card.objects.filter(received_on=date(2026, 3, 1)).count() == 3
    deliver = reverse("enrollment:card_deliver", args=[registered.accepted[0].pk])
    refused = client.post(
        deliver, {"delivered_on": "2026-02-01", "channel": "bpjs", "delivered_by": "Siti"}
    )
    assert refused.status_code == 400
    assert "sebelum kartu diterima" in refused.content.decode()
    done = client.post(
        deliver, {"delivered_on": "2026-03-02", "channel": "bpjs", "delivered_by": "Siti Aminah"}
    )
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="jumlah-belum-diserahkan">2<' in page


def test_the_card_page_query_count_does_not_grow_with_participants(
    client: Client,
    personas: dict[str, Any],
    petugas_bpjs: Any,
    django_assert_max_num_queries: Any,
) -> None:
    registered = registered_batch(personas=personas, n=12, refused=2, active=5)
    _receive(registered, petugas_bpjs)
    client.force_login(petugas_bpjs)
    url = reverse("enrollment:card_list", args=[registered.batch.programme_year_id])
    # The year's rows are read once and kept (one version query, ``_cards_version``).
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count(">Catat penyerahan</a>") == 10
    # A card handed over leaves the list at once: the kept rows are not shown stale.
    _deliver(Candidate.objects.get(pk=registered.accepted[0].pk), petugas_bpjs)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.content.decode().count(">Catat penyerahan</a>") == 9


def test_the_undistributed_list_is_shown_a_page_at_a_time(
    client: Client,
    personas: dict[str, Any],
    petugas_bpjs: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Thousands of cards wait in a real regency: the list pages, and keeps the filter."""
    from payung.enrollment import card_views

    monkeypatch.setattr(card_views, "CARD_PAGE_SIZE", 4)
    registered = registered_batch(personas=personas, n=12, refused=2, active=5)
    _receive(registered, petugas_bpjs)
    client.force_login(petugas_bpjs)
    url = reverse("enrollment:card_list", args=[registered.batch.programme_year_id])
    first = client.get(url).content.decode()
    assert first.count(">Catat penyerahan</a>") == 4
    assert "Halaman 1 dari 3" in first and "page=2" in first
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count(">Catat penyerahan</a>") == 2
    assert "Halaman 3 dari 3" in last


def test_the_year_page_leads_bpjs_to_the_cards_and_disnakertrans_to_register_and_roster(
    client: Client, registered: Registered, petugas_bpjs: Any, operator_disnaker: Any
) -> None:
    year_pk = registered.batch.programme_year_id
    page = reverse("registry:year_detail", args=[year_pk])
    client.force_login(petugas_bpjs)
    html = client.get(page).content.decode()
    assert reverse("enrollment:card_list", args=[year_pk]) in html
    assert reverse("enrollment:register_download", args=[year_pk]) not in html
    client.force_login(operator_disnaker)
    html = client.get(page).content.decode()
    assert reverse("enrollment:register_download", args=[year_pk]) in html
    assert reverse("enrollment:roster_upload", args=[year_pk]) in html


# --- a round of hand-overs at once (cards_deliver) -------------------------------------------


def test_a_round_of_cards_is_delivered_at_once_each_audited_masked(
    registered: Registered, petugas_bpjs: Any, django_assert_max_num_queries: Any
) -> None:
    _receive(registered, petugas_bpjs)
    people = registered.accepted[:3]
    # The actor's permissions, the candidates and the cards read and locked in one query
    # each, one UPDATE, then each audit entry (its lock, the last entry, the insert).
    with django_assert_max_num_queries(8 + 3 * len(people)):
        n = cards.cards_deliver(
            candidates=people,
            actor=petugas_bpjs,
            delivered_on=date(2026, 3, 5),
            channel=Card.Channel.KECAMATAN,
            delivered_by=" Ujang  Suryana ",
            today=TODAY,
        )
    assert n == len(people)
    for person in people:
        card = Card.objects.get(candidate=person)
        assert (card.delivered_on, card.channel, card.delivered_by, card.recorded_by) == (
            date(2026, 3, 5),
            "kecamatan",
            "Ujang Suryana",
            petugas_bpjs,
        )
    entries = AuditEntry.objects.filter(action="card_deliver").order_by("id")
    assert [e.object_id for e in entries] == [str(p.pk) for p in people]
    for entry, person in zip(entries, people, strict=True):
        assert entry.detail["kpj_masked"] == cards.kpj_mask(person.kpj)
        assert person.kpj not in str(entry.detail) and person.nik not in str(entry.detail)


@pytest.mark.parametrize(("kwargs", "words"), DELIVERY_RULES)
def test_a_round_breaking_a_rule_records_nothing(
    registered: Registered, petugas_bpjs: Any, kwargs: dict[str, Any], words: str
) -> None:
    _receive(registered, petugas_bpjs)
    with pytest.raises(ValidationError) as exc:
        _deliver_round(registered.accepted, petugas_bpjs, **kwargs)
    assert words in _messages(exc)
    assert not Card.objects.filter(delivered_on__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="card_deliver").exists()


def test_one_card_already_delivered_or_a_refused_person_stops_the_whole_round(
    registered: Registered, petugas_bpjs: Any
) -> None:
    _receive(registered, petugas_bpjs)
    first, second = registered.accepted[:2]
    _deliver(first, petugas_bpjs)
    with pytest.raises(ValidationError) as exc:
        _deliver_round([second, first], petugas_bpjs, delivered_on=date(2026, 3, 6))
    assert "sudah tercatat diserahkan pada 5 Maret 2026" in _messages(exc)
    assert Card.objects.get(candidate=second).delivered_on is None
    with pytest.raises(ValidationError) as exc:
        _deliver_round([second, *registered.refused], petugas_bpjs, delivered_on=date(2026, 3, 6))
    assert "Hanya peserta yang terdaftar" in _messages(exc)
    assert Card.objects.get(candidate=second).delivered_on is None


def test_only_card_recorders_may_deliver_a_round(
    registered: Registered, petugas_bpjs: Any, operator_dinsos: Any
) -> None:
    _receive(registered, petugas_bpjs)
    with pytest.raises(PermissionDenied):
        _deliver_round(registered.accepted, operator_dinsos)
