"""Counts, dates and times as Indonesian readers write them (one formatter of each)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from payung.core.formatting import angka, jam, tanggal


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (999, "999"), (1234, "1.234"), (-50_000, "-50.000"), (10**9, "1.000.000.000")],
)
def test_counts_take_the_indonesian_thousands_point(n: int, text: str) -> None:
    assert angka(n) == text


def test_a_date_is_written_long_with_the_indonesian_month() -> None:
    assert tanggal(date(2026, 1, 1)) == "1 Januari 2026"
    assert tanggal(None) == ""


def test_a_moment_is_dated_and_timed_in_wib() -> None:
    """18.05 UTC on 31 December is 01.05 WIB on 1 January: the audit digest's day and hour."""
    moment = datetime(2026, 12, 31, 18, 5, tzinfo=UTC)
    assert tanggal(moment) == "1 Januari 2027"
    assert jam(moment) == "01.05"
