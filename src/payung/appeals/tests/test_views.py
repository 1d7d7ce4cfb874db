"""The appeal pages: the year's list (ages, due dates, overdue in words, constant queries),
recording from the person page, answering by a second operator."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from payung.appeals.models import Appeal
from payung.appeals.tests.factories import AppealFactory, appeal_year, refused_person
from payung.screening.models import Decision


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Any:
    return appeal_year(operator=operator_dinsos, approver=operator_dinsos_2)


def _appeals(proposal: Any, recorder: Any, n: int) -> list[Appeal]:
    today = timezone.localdate()
    people = list(
        Decision.objects.filter(run_id=proposal.screening_run_id, status="ineligible")
        .order_by("row")
        .values_list("person_id", flat=True)[:n]
    )
    out = []
    for i, person_id in enumerate(people):
        received = today - datetime.timedelta(days=3 + 2 * i)
        out.append(
            AppealFactory(
                programme_year=proposal.programme_year,
                person_id=person_id,
                recorded_by=recorder,
                received_on=received,
                due_on=received + datetime.timedelta(days=14),
            )
        )
    return out


def test_year_list_shows_age_due_date_and_overdue_in_words_with_constant_queries(
    proposal: Any,
    operator_dinsos: Any,
    anggota_tim: Any,
    client: Any,
    django_assert_max_num_queries: Any,
) -> None:
    appeals = _appeals(proposal, operator_dinsos, 12)
    answered = appeals[0]
    Appeal.objects.filter(pk=answered.pk).update(
        status=Appeal.Status.ANSWERED,
        outcome=Appeal.Outcome.WAITING_LIST,
        placed_rank=12,
        answered_on=answered.received_on + datetime.timedelta(days=2),
    )
    url = reverse("appeals:year_list", args=[proposal.programme_year_id])
    client.force_login(anggota_tim)
    with django_assert_max_num_queries(18):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    # The oldest: received 25 days ago, 14 days allowed -> overdue, said in words.
    oldest = appeals[-1]
    assert oldest.due_on < timezone.localdate()
    assert "melewati batas waktu" in body
    assert "25 hari" in body
    assert "Diterima: masuk daftar tunggu" in body and "peringkat 12" in body
    # The team reads the list but not the appeal's page (the corrected values).
    assert reverse("appeals:appeal_detail", args=[oldest.pk]) not in body


def test_year_list_page_count_stays_the_same_for_more_rows(
    proposal: Any, operator_dinsos: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    _appeals(proposal, operator_dinsos, 3)
    client.force_login(operator_dinsos)
    url = reverse("appeals:year_list", args=[proposal.programme_year_id])
    with django_assert_max_num_queries(18) as few:
        client.get(url)
    _appeals_extra = list(
        Decision.objects.filter(run_id=proposal.screening_run_id, status="ineligible")
        .order_by("-row")
        .values_list("person_id", flat=True)[:20]
    )
    for person_id in _appeals_extra:
        AppealFactory(
            programme_year=proposal.programme_year, person_id=person_id, recorded_by=operator_dinsos
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") >= 23


def test_record_from_the_person_page_then_a_second_operator_answers(
    proposal: Any, operator_dinsos: Any, operator_dinsos_2: Any, client: Any
) -> None:
    person = refused_person(proposal, reasons="5(1)")
    client.force_login(operator_dinsos)
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    create_url = reverse("appeals:appeal_create", args=[person.pk])
    assert create_url in page
    bad = client.post(create_url, {"received_on": "2026-03-02", "channel": "loket"})
    assert bad.status_code == 200 and "Sebutkan siapa yang mengajukan" in bad.content.decode()
    response = client.post(
        create_url,
        {
            "received_on": "2026-03-02",
            "channel": "desa",
            "filed_by": "Kepala Desa",
            "grounds": "Pekerjaan tercatat keliru di DTSEN.",
            "pekerjaan": "PETANI",
            "pekerjaan_sumber": "Surat keterangan desa No. 470/12",
        },
    )
    appeal = Appeal.objects.get(person=person)
    assert response.status_code == 302
    detail_url = reverse("appeals:appeal_detail", args=[appeal.pk])
    body = client.get(detail_url).content.decode()
    assert "dijawab oleh operator lain" in body and "Memenuhi syarat" in body
    assert person.nik not in body
    client.force_login(operator_dinsos_2)
    assert "Jawab sanggahan" in client.get(detail_url).content.decode()
    client.post(reverse("appeals:appeal_answer", args=[appeal.pk]), {"answered_on": "2026-03-09"})
    appeal.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.WAITING_LIST
    body = client.get(detail_url).content.decode()
    assert f"peringkat {appeal.placed_rank}" in body
    assert "Surat Jawaban Sanggahan" in body
