"""Working days for PP 86/2013's deadlines: weekends, national holidays and collective leave
(cuti bersama) from the data file, and years outside the file refused."""

from __future__ import annotations

from datetime import date

import pytest

from payung.domain.workdays import (
    CalendarNotCovered,
    covered_years,
    estimated_years,
    holidays,
    is_working_day,
    working_days_add,
    working_days_between,
)


def test_ten_working_days_skip_weekends_in_a_fortnight_without_holidays() -> None:
    # Monday 2 February 2026: ten weekdays later is Monday 16 February, but that is Imlek's
    # collective leave and the 17th Imlek itself, so the tenth working day is the 18th.
    assert working_days_add(start=date(2026, 2, 2), days=9) == date(2026, 2, 13)
    assert working_days_add(start=date(2026, 2, 2), days=10) == date(2026, 2, 18)
    # A Saturday start counts from Monday.
    assert working_days_add(start=date(2026, 10, 3), days=1) == date(2026, 10, 5)
    assert working_days_add(start=date(2026, 10, 3), days=0) == date(2026, 10, 3)


def test_collective_leave_and_holidays_do_not_count() -> None:
    # Imlek 2026: cuti bersama Monday 16 February, holiday Tuesday 17 February.
    assert working_days_add(start=date(2026, 2, 13), days=1) == date(2026, 2, 18)
    # Nyepi, Idulfitri 1447 H and its cuti bersama: Wednesday 18 to Tuesday 24 March 2026.
    assert working_days_add(start=date(2026, 3, 17), days=1) == date(2026, 3, 25)
    # 18 August 2025 was added as cuti bersama by the SKB amendment of 7 August 2025.
    assert not is_working_day(date(2025, 8, 18))
    assert working_days_add(start=date(2025, 8, 15), days=1) == date(2025, 8, 19)


def test_a_warning_letter_across_lebaran_2026() -> None:
    """Friday 13 March 2026 + 10 working days, by hand: 16, 17 (2); 18-24 closed; 25, 26,
    27 (5); 30, 31 (7); 1, 2 April (9); 3 April Good Friday; 6 April (10)."""
    assert working_days_add(start=date(2026, 3, 13), days=10) == date(2026, 4, 6)


def test_between_is_the_inverse_of_add() -> None:
    start = date(2025, 12, 19)
    for n in range(0, 40):
        end = working_days_add(start=start, days=n)
        assert working_days_between(start=start, end=end) == n
    assert working_days_between(start=date(2026, 4, 6), end=date(2026, 3, 13)) == -10


def test_years_outside_the_file_are_refused_not_guessed() -> None:
    with pytest.raises(CalendarNotCovered) as refused:
        working_days_add(start=date(2027, 12, 28), days=10)
    assert refused.value.year == 2028
    with pytest.raises(CalendarNotCovered):
        is_working_day(date(2024, 12, 31))


def test_the_file_covers_2025_to_2027_and_flags_2027_as_estimated() -> None:
    assert covered_years() == {2025, 2026, 2027}
    assert estimated_years() == {2027}
    days = holidays()
    # The SKB counts: 2026 has 17 national holidays and 8 collective-leave days.
    in_2026 = [h for h in days.values() if h.day.year == 2026]
    assert sum(h.kind == "libur_nasional" for h in in_2026) == 17
    assert sum(h.kind == "cuti_bersama" for h in in_2026) == 8
    assert all(h.source for h in days.values())
    # Fixed-date holidays of 2027 are not estimates.
    assert days[date(2027, 8, 17)].estimated is False
    assert days[date(2027, 3, 10)].estimated is True
