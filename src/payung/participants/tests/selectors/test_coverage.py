"""Coverage selectors: who was active on a day, and active person-days in a range (what
billing asks, Pasal 9), with an end mid-month and a re-activation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from payung.participants.models import Candidate
from payung.participants.selectors import coverage_active_on, coverage_days
from payung.participants.services import participant_activate, participant_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(active: list[Candidate], operator_disnaker: Any, petugas_bpjs: Any) -> list[Candidate]:
    """All covered from 1 February. A stays; B dies on 15 March (mid-month); C withdraws on
    10 February and is covered again from 1 March."""
    a, b, c = active
    participant_end(
        candidate=b, actor=operator_disnaker, on=date(2026, 3, 15), reason_code="meninggal"
    )
    participant_end(
        candidate=c, actor=operator_disnaker, on=date(2026, 2, 10), reason_code="mengundurkan_diri"
    )
    participant_activate(
        candidate=c,
        actor=petugas_bpjs,
        start=date(2026, 3, 1),
        reason="Pengunduran diri dibatalkan secara tertulis.",
    )
    return [a, b, c]


def _ranks(qs: Any, three: list[Candidate]) -> list[str]:
    names = {c.pk: n for c, n in zip(three, "ABC", strict=True)}
    return [names[c.pk] for c in qs]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 31), []),  # before any cover
        (date(2026, 2, 1), ["A", "B", "C"]),  # the start day is covered
        (date(2026, 2, 10), ["A", "B", "C"]),  # so is the end day
        (date(2026, 2, 11), ["A", "B"]),  # C's gap
        (date(2026, 3, 1), ["A", "B", "C"]),  # C again
        (date(2026, 3, 15), ["A", "B", "C"]),
        (date(2026, 3, 16), ["A", "C"]),  # B ended mid-month
        (date(2026, 12, 31), ["A", "C"]),
    ],
)
def test_who_was_active_on_a_day(three: list[Candidate], day: date, expected: list[str]) -> None:
    year = three[0].proposal.programme_year
    assert _ranks(coverage_active_on(programme_year=year, day=day), three) == expected


def test_active_person_days_per_candidate(
    three: list[Candidate], django_assert_num_queries: Any
) -> None:
    year = three[0].proposal.programme_year
    a, b, c = (x.pk for x in three)
    with django_assert_num_queries(1):  # one query however many participants
        march = coverage_days(programme_year=year, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert march == {a: 31, b: 15, c: 31}
    february = coverage_days(programme_year=year, start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert february == {a: 28, b: 28, c: 10}
    quarter = coverage_days(programme_year=year, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert quarter == {a: 59, b: 43, c: 41}
    # Nobody was covered in January; a reversed range is empty, not negative.
    assert coverage_days(programme_year=year, start=date(2026, 1, 1), end=date(2026, 1, 31)) == {}
    assert coverage_days(programme_year=year, start=date(2026, 3, 31), end=date(2026, 3, 1)) == {}


def test_another_years_cover_is_not_counted(three: list[Candidate]) -> None:
    from payung.screening.tests.factories import ProgrammeYearFactory

    other = ProgrammeYearFactory(year=2027)
    assert coverage_days(programme_year=other, start=date(2026, 1, 1), end=date(2026, 12, 31)) == {}
    assert not coverage_active_on(programme_year=other, day=date(2026, 3, 1)).exists()
