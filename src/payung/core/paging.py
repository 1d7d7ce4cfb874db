"""Which page numbers a list offers: the first, the last, and a few around the current one.

Lists of 50.000 decisions or audit entries have a thousand pages; "Berikutnya" alone made the
last one a thousand clicks away (issue 9). Every list page shows the same row of links,
``« Pertama ‹ Sebelumnya 1 … 4 5 [6] 7 8 … 1.000 Berikutnya › Terakhir »``, from the one
partial ``partials/pagination.html``; this module decides the numbers, so the rule is tested
once and reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from payung.core.formatting import angka

__all__ = ["AFTER", "AROUND", "BEFORE", "END", "KeysetPage", "PageLink", "page_window"]

#: Pages shown on each side of the current one.
AROUND: Final[int] = 2


@dataclass(frozen=True)
class PageLink:
    """One entry of the row: a page (its number and label with thousand dots) or a gap."""

    number: int | None
    label: str
    current: bool = False

    @property
    def gap(self) -> bool:
        return self.number is None


def page_window(*, number: int, count: int, around: int = AROUND) -> list[PageLink]:
    """The pages to link for page ``number`` of ``count``: 1, the last, and ``around`` on
    each side of ``number``; a gap (``…``) stands for two or more pages left out, a single
    missing page is shown instead (a gap would hide no fewer pages than the number)."""
    if count < 1:
        return []
    number = min(max(number, 1), count)
    shown = {1, count, *range(max(1, number - around), min(count, number + around) + 1)}
    links: list[PageLink] = []
    previous = 0
    for page in sorted(shown):
        if page - previous == 2:
            links.append(PageLink(number=page - 1, label=angka(page - 1)))
        elif page - previous > 2:
            links.append(PageLink(number=None, label="…"))
        links.append(PageLink(number=page, label=angka(page), current=page == number))
        previous = page
    return links


# --- keyset pages (issue 16) -------------------------------------------------------------------


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list read from its order's index after a cursor, never by OFFSET.

    A regency's decision list has a million rows: ``OFFSET 25 000`` walks and throws away
    25 000 of them for page 500, and counting them for "page X of Y" walks all of them again.
    A keyset page asks for the rows after the last one shown (``after``) or before the first
    (``before``), so every page costs one short index range whatever its depth. The cursors
    are the list's sort keys (rank and row numbers), never personal data, so they may stand
    in a URL. The list's length is the caller's to count (from totals kept on the run, say):
    a page knows only its own rows.
    """

    object_list: list[Any]
    next_cursor: str = ""
    previous_cursor: str = ""
    is_first: bool = True
    is_last: bool = True

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


#: Query parameters of a keyset page: the rows after a cursor, or before one.
AFTER: Final = "setelah"
BEFORE: Final = "sebelum"
#: The cursor that stands for "past the last row": ``sebelum=akhir`` is the last page.
END: Final = "akhir"
