"""The pagination partial's helpers: the page numbers to link and the filters to keep."""

from __future__ import annotations

from django import template
from django.core.paginator import Page
from django.http import QueryDict

from payung.core.paging import PageLink, page_window

register = template.Library()


@register.simple_tag
def page_links(page: Page) -> list[PageLink]:
    """``{% page_links page as links %}``: first, last and the pages around the current."""
    return page_window(number=page.number, count=page.paginator.num_pages)


@register.filter
def query_pairs(query: str | None) -> list[tuple[str, str]]:
    """The list's filters (an urlencoded query without ``page``) as (name, value) pairs, for
    the hidden fields of the "Ke halaman" form, so a jump keeps them."""
    data = QueryDict(query or "")
    return [(key, value) for key in data if key != "page" for value in data.getlist(key)]
