"""Filters for the audit pages: the shared Indonesian number and date forms, and the stored
``detail`` in its canonical JSON (the form the entry's MAC covers, for the CLI and tests)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from payung.core.formatting import angka, tanggal

register = template.Library()
register.filter("angka", angka)
register.filter("tanggal", tanggal)


@register.filter
def jam_detik(value: datetime) -> str:
    """Hours, minutes and seconds in WIB with Indonesian points (``18.05.07``): entries a
    second apart must stay apart on the page."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%H.%M.%S}"


@register.filter
def detail_json(value: Any) -> str:
    """Compact JSON with sorted keys, the same canonical form the entry's hash was taken over.

    Showing the stored value rather than a prettified one lets an auditor compare the page
    with an export or a database row without wondering what the page left out.
    """
    if value in (None, {}, []):
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
