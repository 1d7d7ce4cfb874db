"""Indonesian month names and the long date form (``1 Januari 2026``), in pure Python.

The domain explains decisions to people (an age "pada 1 Januari 2026"), so the date form
lives here, below everything that formats dates; ``core.formatting`` builds on it.
"""

from __future__ import annotations

import re
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


#: The birth-date shapes the engine reads (``engine.quality._ISO`` / ``_DMY``), with the time
#: of day some exports append (``engine.quality.birth_text``).
_ISO: Final = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_DMY: Final = re.compile(r"^([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})$")
_TIME: Final = re.compile(r"[ T][0-9:.]+$")


def birth_date_read(text: str) -> date | None:
    """The date a TANGGAL_LAHIR cell means, read as the engine reads it, or None.

    YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY, a trailing time of day ignored, a real calendar
    date from 1900 on: the Python form of ``engine.quality.birth_date_parts`` (a test
    asserts the two agree), so a correction is accepted exactly when screening can read it.
    """
    cleaned = _TIME.sub("", text.replace("\u00a0", " ").strip())
    iso = _ISO.match(cleaned)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        dmy = _DMY.match(cleaned)
        if not dmy:
            return None
        day, month, year = (int(g) for g in dmy.groups())
    if year < 1900:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
