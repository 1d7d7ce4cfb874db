"""Linking people across lists (Pasal 5 ayat (2) huruf f): Splink on DuckDB, no Django.

Double funding hides in lists typed by other hands; this package finds the same person on
two lists (or twice on one) despite a wrong NIK digit, Excel's damage, a spelling variant
of a name or a swapped birth date, and says why for every pair. Modules:

- :mod:`.names`: the Indonesian name normaliser;
- :mod:`.lists`: reading a list (CSV, spreadsheet, Parquet; headers mapped like DTSEN's);
- :mod:`.features`: cleaned, comparable columns per list (DuckDB SQL);
- :mod:`.model`: comparisons, blocking rules and priors (the Splink settings);
- :mod:`.run`: :func:`link_lists`, :func:`dedupe_list` and the output files;
- :mod:`.synth_pairs`: labelled synthetic list pairs that measure all of the above.

Apps import these through :mod:`payung.engine` only.
"""

from __future__ import annotations

from payung.engine.linkage.lists import list_read
from payung.engine.linkage.run import (
    DEFAULT_REVIEW_THRESHOLD,
    DEFAULT_THRESHOLD,
    LinkResult,
    dedupe_list,
    link_lists,
    link_write,
)

__all__ = [
    "DEFAULT_REVIEW_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "LinkResult",
    "dedupe_list",
    "link_lists",
    "link_write",
    "list_read",
]
