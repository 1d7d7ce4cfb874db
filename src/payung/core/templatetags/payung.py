"""Template filters for what Payung shows everywhere: masked NIK, rupiah, codes and places in
words."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from payung import wording
from payung.core import places
from payung.core.formatting import FILTERS
from payung.domain import money, nik

register = template.Library()

# The one formatter of each (``angka``, ``tanggal``, ``tanggal_jam``, ``bulan``, ``jam``,
# ``persen``, ``judul``): pages print counts and dates as the documents do. ``terbilang`` is
# this library's own (money in words), defined below.
for _name, _function in FILTERS.items():
    if _name != "terbilang":
        register.filter(_name, _function)


@register.filter
def mask_nik(value: str | None) -> str:
    """``3601********0001``: the default way a NIK appears on any page or export."""
    return nik.mask(value or "")


@register.filter
def rupiah(value: int | None) -> str:
    return "" if value is None else money.rupiah(int(value))


@register.filter
def terbilang(value: int | None) -> str:
    return "" if value is None else money.terbilang_rupiah(int(value))


@register.filter
def describe_code(code: str) -> str:
    """A data-quality or flag code as its Indonesian sentence."""
    return wording.describe(code)


@register.filter
def problem_label(code: str) -> str:
    """A data-quality or flag code as its full sentence; never the code (``wording``)."""
    return wording.problem_label(code)


@register.filter
def problem_title(code: str) -> str:
    """A data-quality or flag code as a short heading; never the code (``wording``)."""
    return wording.problem_title(code)


@register.filter
def split_codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(";") if c]


@register.filter
def kecamatan_name(code: str) -> str:
    return places.kecamatan_name(code)


@register.filter
def village_label(code: str | None) -> str:
    """``Desa Sumberjaya, Kec. Sumur``; '' for no code (a person without a domicile code)."""
    return places.village_label(code) if code else ""


@register.filter
def village_name(code: str | None) -> str:
    return places.village_name(code or "")


@register.simple_tag
def search_form(view: str, *args: object) -> SafeString:
    """A search form's opening attributes: ``method``, ``action`` (the URL of ``view`` with
    ``args``) and what makes htmx send it and answer it in one request
    (``core.searches.search_answer``): the answer's ``<main>`` replaces the page's, the
    form's htmx attributes are not passed to the fields inside (the kecamatan list's own
    htmx call), and an error sends it again as an ordinary form (``payung/forms.js``).
    Without JavaScript it is an ordinary POST and redirect."""
    action = reverse(view, args=args)
    return format_html(
        'method="post" action="{}" hx-post="{}" hx-target="main" hx-select="main" '
        'hx-swap="outerHTML show:window:top" hx-disinherit="*" data-submit-on-error',
        action,
        action,
    )
