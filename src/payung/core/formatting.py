"""Indonesian wording of numbers, dates, times and titles: the one formatter of each.

Both template engines get the same four filters (``angka``, ``terbilang``, ``tanggal``,
``judul``) so a Word template and its HTML twin print a figure the same way; the audit trail's
digests, anchors and backup messages use the same functions (an auditor copies them by hand:
``1.234 entri``, ``1 Desember 2026``, ``18.05`` WIB). Money keeps its own format in
``payung.domain.money``; these are for counts, months, dates and times.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Final

from django.utils import timezone

from payung.domain import money
from payung.domain.calendar import MONTHS, date_long_id

#: Words a title keeps in lower case (Pedoman Umum Ejaan: particles and prepositions).
_LOWER_WORDS: Final[frozenset[str]] = frozenset(
    {
        "atas",
        "atau",
        "bagi",
        "dalam",
        "dan",
        "dari",
        "dengan",
        "di",
        "ke",
        "oleh",
        "pada",
        "sebagai",
        "serta",
        "tentang",
        "terhadap",
        "untuk",
        "yang",
    }
)


def angka(value: int | str) -> str:
    """A count with thousand dots, ``5000`` -> ``5.000``, as decrees print figures.

    Text is passed through unchanged so a template author's ``{{ x|angka }}`` on a field that
    is already formatted does no harm.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return f"{value:,}".replace(",", ".")


def terbilang(value: int | str) -> str:
    """A count in words, ``12`` -> ``dua belas``, for the "12 (dua belas) bulan" style."""
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return money.terbilang(value)


def tanggal(value: date | str | None) -> str:
    """``24 November 2026``: the date form of a signature block (no weekday).

    A moment (an aware datetime, as the database stores them) is dated in the project's time
    zone (WIB): an audit entry at 01.00 WIB belongs to that day, not to the UTC day before.
    """
    if not isinstance(value, date):
        return "" if value is None else str(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_long_id(value)


def jam(value: datetime) -> str:
    """Hours and minutes in WIB with the Indonesian point (``18.05``)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%H.%M}"


def tanggal_jam(value: datetime | None) -> str:
    """``2 Desember 2026 08.38``: a moment (an upload, an approval, a login) in the long date
    form and the time in WIB (said once by the page: a column header "(WIB)" or a following
    "WIB"), where pages used to print ``2 Des 2026 08:38``."""
    if not isinstance(value, datetime):
        return tanggal(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{date_long_id(value)} {value:%H.%M}"


def bulan(value: date | str | None) -> str:
    """``Februari 2026``: a billing month or a month of cover (Pasal 9)."""
    if not isinstance(value, date):
        return "" if value is None else str(value)
    return f"{MONTHS[value.month - 1]} {value.year}"


def judul(value: str) -> str:
    """An upper-case title in the case the body text cites it with.

    The contexts carry titles as the heading prints them (``PENETAPAN PESERTA ... BAGI PEKERJA
    RENTAN TAHUN 2026``); a consideration quotes it as ``Penetapan Peserta ... bagi Pekerja
    Rentan Tahun 2026``. Prepositions and conjunctions stay lower case except at the start,
    and words with digits or dots (numbers, ``Nomor 63/2025``) are left alone.
    """
    words = value.split()
    out: list[str] = []
    for i, word in enumerate(words):
        lower = word.lower()
        if any(ch.isdigit() or ch == "." for ch in word):
            out.append(word)
        elif i > 0 and lower in _LOWER_WORDS:
            out.append(lower)
        else:
            out.append(lower[:1].upper() + lower[1:])
    return " ".join(out)


def persen(value: float | Decimal | str) -> str:
    """A probability (0–1) as an Indonesian percentage with one decimal: ``0.973`` ->
    ``97,3%``. Text is passed through."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    return f"{float(value) * 100:.1f}".replace(".", ",") + "%"


#: Name -> function, registered as filters in both template engines (and, for pages,
#: in the ``payung`` template library, so a page prints a count as a document does).
FILTERS: Final = {
    "angka": angka,
    "terbilang": terbilang,
    "tanggal": tanggal,
    "tanggal_jam": tanggal_jam,
    "bulan": bulan,
    "judul": judul,
    "jam": jam,
    "persen": persen,
}
