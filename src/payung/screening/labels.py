"""Indonesian words for the engine's decision statuses, shown on pages and in exports.

The engine writes stable English codes (``docs/decisions.md``); people read these words.
One table here keeps the page, the export and the person page saying the same thing.
"""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Status code -> what it means, in the order totals are shown. ``eligible`` appears only
#: when the year has no pagu; with one it splits into ``selected``/``waitlisted`` (Pasal 6(2)).
STATUS_LABELS: Final[dict[str, Promise]] = {
    "selected": _("Terpilih (dalam pagu)"),
    "waitlisted": _("Daftar tunggu"),
    "eligible": _("Memenuhi syarat"),
    "ineligible": _("Tidak memenuhi syarat"),
    "invalid": _("Data tidak valid"),
}


def status_label(code: str) -> str:
    """The status in words; the code itself if the engine ever adds one we do not know."""
    label = STATUS_LABELS.get(code)
    return str(label) if label is not None else code
