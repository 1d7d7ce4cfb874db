"""Indonesian month names and the long date form (``1 Januari 2026``), in pure Python.

The domain explains decisions to people (an age "pada 1 Januari 2026"), so the date form
lives here, below everything that formats dates; ``core.formatting`` builds on it.
"""

from __future__ import annotations

from datetime import date
from typing import Final

MONTHS: Final[tuple[str, ...]] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def date_long_id(value: date) -> str:
    """``24 November 2026``: the date as Indonesian documents and pages write it."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
