"""One line of a user's "Tugas Anda": what waits for them, how many, and where to do it.

Every stage knows what it leaves waiting for whom (an import to fix, a batch to answer, a
bill to pay), so each app answers ``<app>_tasks(*, user, programme_year) -> list[Task]`` in
its ``selectors.py`` and the workspace (``payung.web.workspace``) gathers them. The value
lives here, below every app, so apps share one shape without importing each other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from payung.core.formatting import angka

T = TypeVar("T")

#: How urgent a task is; the workspace lists the urgent first.
LEVELS = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Task:
    """What to do, in Indonesian words without personal data; ``url`` is a page the user may
    open (the app checks the permission before it offers the task); ``count`` the number of
    things waiting (None when the task is one act, such as "approve the proposal")."""

    text: str
    url: str
    count: int | None = None
    level: str = "info"
    #: The article that asks for the act ("Pasal 7 ayat (3)"), shown beside it.
    article: str = ""

    @property
    def count_text(self) -> str:
        """``1.250``: the count as every page prints numbers; empty without one."""
        return angka(self.count) if self.count is not None else ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown task level {self.level!r}")


def task_sort(tasks: list[Task]) -> list[Task]:
    """The urgent first, otherwise in the order the stages come (a stable sort)."""
    return sorted(tasks, key=lambda t: LEVELS.index(t.level))


def worklist_memo(
    *, key: str, version: tuple[object, ...], compute: Callable[[], T], shared: bool = False
) -> T:
    """``compute()`` once per ``key`` and ``version`` (kept a day in Django's cache).

    Two worklist figures read a whole year's coverage (the places the remaining pagu pays
    for, Pasal 6 ayat (2); the months left unpaid, Pasal 9): a quarter of a second with 5 000
    participants, on every visit of the workspace. ``version`` holds what their inputs change
    with (the newest lifecycle event, payment and bill, the pagu, today's date), read in one
    cheap query, so a change shows at once and an unchanged year costs no recount.

    ``shared``: a figure with nothing personal in it (counts and sums) is kept in the
    ``figures`` cache, which every worker process of the machine reads (files in the data
    directory), so it is counted once per change, not once per process: a year's
    contributions page took 1.1-1.5 s to count with 100 000 participants, on the first
    view of each gunicorn worker (issue 16). Anything with a person's row or name stays in
    the process's own memory (``default``), gone when the process ends.
    """
    from django.core.cache import caches

    store = caches[SHARED_CACHE if shared else "default"]
    digest = hashlib.sha256(repr(version).encode()).hexdigest()[:16]
    cache_key = f"payung:worklist:{key}:{digest}"
    found = store.get(cache_key, _MISSING)
    if found is _MISSING:
        found = compute()
        store.set(cache_key, found, 24 * 3600)
    return found  # type: ignore[return-value]


#: The cache alias of the figures every worker process shares (settings ``CACHES``).
SHARED_CACHE = "figures"
_MISSING = object()
