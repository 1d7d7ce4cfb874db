"""Numbers and dates of the audit trail as an Indonesian reader writes them down.

An auditor copies a digest by hand or keeps a printout, so counts use the Indonesian thousands
separator (``1.234 entri``) and dates the long form (``1 Desember 2026``), in WIB. Django's own
``id`` locale does the work, the same one the templates use.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone, translation


def count_format(*, n: int) -> str:
    with translation.override("id"):
        return formats.number_format(n, force_grouping=True)


def date_format(*, value: datetime) -> str:
    with translation.override("id"):
        return formats.date_format(timezone.localtime(value), "j F Y")


def time_format(*, value: datetime) -> str:
    """Hours and minutes in WIB with the Indonesian point (``18.05``)."""
    return timezone.localtime(value).strftime("%H.%M")


def short_mac(*, mac: str) -> str:
    """The first 16 hex digits in groups of four: enough to pin the head (64 bits), short
    enough to copy by hand from a printout."""
    head = mac[:16]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))
