"""Where a person's journey stands now, for pages of stages that come before it.

The screening decision page must never contradict the later stages ("Terpilih (dalam pagu)"
for someone Disdukcapil rejected as deceased), yet screening may not import the stages that
follow it (layers point one way). The stage that gathers the whole journey (``payung.people``)
registers a function here when Django starts; an earlier page asks through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FinalState:
    """The person's state now, in words, with the page that shows the whole journey."""

    label: str
    #: "ok" (decreed, verified), "bad" (rejected), "wait" (still in progress): its colour.
    tone: str
    reason: str = ""
    url: str = ""


FinalStateLookup = Callable[..., "FinalState | None"]

_lookup: list[FinalStateLookup] = []


def final_state_register(*, lookup: FinalStateLookup) -> None:
    """Install the function answering ``final_state_for`` (the last registration wins)."""
    _lookup[:] = [lookup]


def final_state_for(*, person_id: int) -> FinalState | None:
    """The state now of the person behind one imported row; None when nothing answers."""
    return _lookup[0](person_id=person_id) if _lookup else None
