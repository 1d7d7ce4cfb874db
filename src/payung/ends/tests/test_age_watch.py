"""The age watch (Pasal 5 ayat (2) huruf b, issue 12): who will be older than the age rule's
maximum at next year's as-of date, by the month they pass it; whether that ends cover this
year is the policy's ``cycle.age_ends_cover``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.domain.policy import policy_sha256
from payung.ends.selectors import age_watch
from payung.ends.tests.factories import ends_year
from payung.participants.models import CandidateState

pytestmark = pytest.mark.django_db


def _born(candidate: Any, text: str) -> None:
    candidate.person.tanggal_lahir = text
    candidate.person.save(update_fields=["tanggal_lahir"])


def _watched_year(*, ends_cover: bool) -> tuple[Any, list[Any]]:
    year, people = ends_year(active=5)
    june, also_june, december, young, ended = people
    _born(june, "1961-06-10")  # 65 on 10 June 2026
    _born(also_june, "02-06-1961")  # the DTSEN's other date format
    _born(december, "1961-12-31")  # 65 on 31 December 2026, before 1 January 2027
    _born(young, "1962-01-02")  # 65 only after next year's as-of date
    _born(ended, "1961-03-01")
    ended.state = CandidateState.ENDED
    ended.save(update_fields=["state"])
    if ends_cover:
        text = year.policy_text.replace("age_ends_cover: false", "age_ends_cover: true")
        assert text != year.policy_text
        year.policy_text, year.policy_sha256 = text, policy_sha256(text)
        year.save(update_fields=["policy_text", "policy_sha256"])
    return year, people


def test_the_watch_groups_by_the_month_they_pass_the_maximum() -> None:
    year, (june, also_june, december, _young, _ended) = _watched_year(ends_cover=False)
    watch = age_watch(programme_year=year)
    assert watch is not None
    assert (watch.rule_id, watch.max_age, watch.next_as_of) == ("5(2)b", 64, date(2027, 1, 1))
    assert not watch.ends_cover
    assert [(m, [r.candidate.pk for r in rows]) for m, rows in watch.months] == [
        (date(2026, 6, 1), [also_june.pk, june.pk]),
        (date(2026, 12, 1), [december.pk]),
    ]
    assert watch.total == 3
    assert watch.months[0][1][0].month_end == date(2026, 6, 30)


def test_a_corrected_birth_date_is_the_one_watched() -> None:
    year, (june, *_rest) = _watched_year(ends_cover=False)
    june.corrected = {"tanggal_lahir": "1970-06-10"}
    june.save(update_fields=["corrected"])
    watch = age_watch(programme_year=year)
    assert june.pk not in [r.candidate.pk for _m, rows in watch.months for r in rows]


@pytest.mark.parametrize("ends_cover", [False, True])
def test_the_page_explains_the_policy_and_offers_an_end_only_when_it_ends_cover(
    ends_cover: bool, operator_disnaker: Any, anggota_tim: Any
) -> None:
    year, (june, *_rest) = _watched_year(ends_cover=ends_cover)
    client = Client()
    client.force_login(operator_disnaker)
    html = client.get(reverse("ends:year_ends", args=[year.pk])).content.decode()
    assert "Juni 2026" in html and "Desember 2026" in html
    offer = reverse("ends:participant_end", args=[june.pk])
    if ends_cover:
        assert "berakhir pada akhir bulan" in html
        query = "alasan=tidak_memenuhi_syarat&amp;pasal=5%282%29b&amp;tanggal=2026-06-30"
        assert f"{offer}?{query}" in html
        # The offer pre-fills the form: reason, article and the last day of the month.
        form = client.get(f"{offer}?alasan=tidak_memenuhi_syarat&pasal=5(2)b&tanggal=2026-06-30")
        assert form.context["form"].initial == {
            "reason_code": "tidak_memenuhi_syarat",
            "failed_rules": ["5(2)b"],
            "on": date(2026, 6, 30),
        }
    else:
        assert "kepesertaan tetap berlanjut sampai akhir tahun" in html
        assert offer not in html
    # The team reads the watch but is offered nothing it may not do.
    client.force_login(anggota_tim)
    html = client.get(reverse("ends:year_ends", args=[year.pk])).content.decode()
    assert "Juni 2026" in html and offer not in html


@pytest.mark.parametrize(
    "text",
    [
        "1961-06-10",
        "10-06-1961",
        "10/06/1961",
        "31-02-1961",
        "1961-02-30",
        "2-6-1961",
        "1961-06-10 00:00",
        "10-06/1961",
        "1961/06/10",
        "",
        "tidak tahu",
    ],
)
def test_the_watch_reads_birth_dates_as_the_uploads_do(text: str) -> None:
    """The watch reads every participant's birth date quickly (issue 9: 50 000 persons in
    200 ms) but must agree with the file readers' ``date_parse`` on every spelling."""
    from payung.contributions.payments import date_parse
    from payung.ends.selectors import _date_text

    assert _date_text(text) == date_parse(text)
