"""Working days in Indonesia: weekends, national holidays and collective leave, as data.

Why: PP 86/2013 gives an employer "paling lama 10 (sepuluh) hari kerja" after each written
warning (Pasal 6), and a step's deadline must count the days offices are open. Public holidays
(libur nasional) and collective leave (cuti bersama) are fixed each year by a joint decree of
three ministers, so they are data (``data/hari-libur.csv``, sources in ``data/SOURCE.md``), not
code. A date outside the years the file covers is refused instead of being counted as a plain
weekday, so a deadline is never silently wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Final, Literal

Kind = Literal["libur_nasional", "cuti_bersama"]

_FILE: Final = "hari-libur.csv"


@dataclass(frozen=True, slots=True)
class Holiday:
    """One day offices are closed besides the weekend, with the decision that fixed it."""

    day: date
    kind: Kind
    name: str
    estimated: bool
    source: str


class CalendarNotCovered(ValueError):
    """A date in a year the holiday file does not cover: add that year's SKB first."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"hari libur tahun {year} belum ada di data hari libur")


@cache
def holidays() -> dict[date, Holiday]:
    """Every holiday and collective-leave day in the file, by date."""
    text = resources.files("payung.domain").joinpath("data", _FILE).read_text(encoding="utf-8")
    out: dict[date, Holiday] = {}
    for row in csv.DictReader(text.splitlines()):
        day = date.fromisoformat(row["tanggal"])
        if row["jenis"] not in ("libur_nasional", "cuti_bersama"):
            raise ValueError(f"{_FILE}: jenis tidak dikenal pada {row['tanggal']}")
        out[day] = Holiday(
            day=day,
            kind=row["jenis"],  # type: ignore[arg-type]
            name=row["nama"],
            estimated=row["status"] == "perkiraan",
            source=row["sumber"],
        )
    return out


def covered_years() -> frozenset[int]:
    """The years the holiday file covers."""
    return frozenset(d.year for d in holidays())


def estimated_years() -> frozenset[int]:
    """Years whose holidays are still estimates (the SKB not yet in the file)."""
    return frozenset(h.day.year for h in holidays().values() if h.estimated)


def _check(day: date) -> None:
    if day.year not in covered_years():
        raise CalendarNotCovered(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and neither a national holiday nor a collective-leave day."""
    _check(day)
    return day.weekday() < 5 and day not in holidays()


def working_days_add(*, start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    PP 86/2013 Pasal 6 counts a warning's period in working days from the day after the
    letter; a letter dated on a Friday with 10 working days therefore ends two Fridays later,
    or later still when a holiday falls in between. ``days=0`` is ``start``.
    """
    if days < 0:
        raise ValueError("jumlah hari kerja tidak boleh negatif")
    _check(start)
    current = start
    left = days
    while left:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_between(*, start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start).

    The inverse of ``working_days_add``: ``working_days_between(start=s,
    end=working_days_add(start=s, days=n)) == n``.
    """
    if end < start:
        return -working_days_between(start=end, end=start)
    _check(start)
    _check(end)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
