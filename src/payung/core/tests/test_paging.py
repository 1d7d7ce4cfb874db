"""The page row of every list (issue 9): first, last, the pages around the current one, gaps,
thousand dots, and a "Ke halaman" form that keeps the filters."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from payung.core.paging import page_window


def _row(number: int, count: int) -> str:
    return " ".join(
        f"[{link.label}]" if link.current else link.label
        for link in page_window(number=number, count=count)
    )


@pytest.mark.parametrize(
    ("number", "count", "row"),
    [
        (1, 1, "[1]"),
        (1, 3, "[1] 2 3"),
        (6, 1000, "1 … 4 5 [6] 7 8 … 1.000"),
        (1, 1000, "[1] 2 3 … 1.000"),
        (1000, 1000, "1 … 998 999 [1.000]"),
        (4, 9, "1 2 3 [4] 5 6 … 9"),  # one page left out is shown, not hidden behind "…"
        (5, 9, "1 2 3 4 [5] 6 7 8 9"),
        (2500, 12000, "1 … 2.498 2.499 [2.500] 2.501 2.502 … 12.000"),
    ],
)
def test_the_window_shows_first_last_and_two_around_the_current_page(
    number: int, count: int, row: str
) -> None:
    assert _row(number, count) == row


def test_a_number_outside_the_pages_is_held_to_them() -> None:
    assert _row(0, 3) == "[1] 2 3"
    assert _row(9, 3) == "1 2 [3]"
    assert page_window(number=1, count=0) == []


def _render(page_number: int, *, query: str = "status=eligible&desa=3601010001") -> str:
    page = Paginator(range(50_000), 50).get_page(page_number)
    return render_to_string("partials/pagination.html", {"page": page, "query": query})


def test_the_partial_links_every_page_of_the_window_with_the_filters() -> None:
    html = _render(6)

    assert "Halaman 6 dari 1.000" in html
    assert 'href="?status=eligible&amp;desa=3601010001&amp;page=1" rel="first"' in html
    assert 'href="?status=eligible&amp;desa=3601010001&amp;page=5" rel="prev"' in html
    assert 'href="?status=eligible&amp;desa=3601010001&amp;page=1000" rel="last"' in html
    assert '<strong aria-current="page">6</strong>' in html
    assert ">1.000</a>" in html and "…" in html
    for n in (4, 5, 7, 8):
        assert f'page={n}" aria-label="Halaman {n}"' in html
    assert 'page=3"' not in html  # outside the window


def test_the_jump_form_keeps_the_filters_but_not_the_old_page() -> None:
    html = _render(2, query="status=eligible&kecamatan=360101")

    assert '<input type="hidden" name="status" value="eligible">' in html
    assert '<input type="hidden" name="kecamatan" value="360101">' in html
    assert 'name="page" min="1" max="1000"' in html
    assert "Ke halaman" in html and "Buka" in html


def test_the_first_page_has_no_backward_links_and_the_last_no_forward_ones() -> None:
    first, last = _render(1, query=""), _render(1000, query="")

    assert 'rel="prev"' not in first and 'rel="first"' not in first
    assert 'href="?page=2" rel="next"' in first
    assert 'rel="next"' not in last and 'rel="last"' not in last


def test_a_single_page_shows_no_row() -> None:
    page = Paginator(range(10), 50).get_page(1)
    assert render_to_string("partials/pagination.html", {"page": page}).strip() == ""
