"""The document filters (``angka``, ``terbilang``, ``tanggal``, ``judul``) for the PDFs.

``{% load documents_format %}`` in an HTML document template gives it the same filters the
DOCX templates have, so both formats word a figure or a date the same way.
"""

from __future__ import annotations

from django import template

from payung.core.formatting import FILTERS

register = template.Library()

for _name, _function in FILTERS.items():
    register.filter(_name, _function)
