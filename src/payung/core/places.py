"""Place names from region codes, as pages, exports and documents print them.

A code reaches Payung typed in many ways (``3601012001``, ``36.01.01.2001``); every function
here accepts both, so no caller slices a code it has not normalised. Names come from the
wilayah data only (one place per concept). ``domain.rulekinds.domicile`` keeps its own twin
because the domain may not import core.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from payung.domain import wilayah
from payung.domain.rulekinds import EMPTY

__all__ = ["kecamatan_label", "kecamatan_name", "village_label", "village_name"]


def kecamatan_name(code: str) -> str:
    """``Sumur`` for ``360101`` or ``36.01.01``; the code itself when the table does not know
    it, so an unknown district stays traceable rather than blank."""
    if not code:
        return EMPTY
    region = wilayah.lookup(code)
    return region.name if region is not None else code


def kecamatan_label(code: str, *, region: str) -> str:
    """The kecamatan's name, with its regency when it lies outside the programme's region."""
    name = kecamatan_name(code)
    digits = wilayah.kecamatan_code(code)
    if digits and not digits.startswith(region):
        regency = wilayah.lookup(digits[:4])
        if regency is not None:
            return f"{name} ({regency.name})"
    return name


def village_name(code: str) -> str:
    """``Desa Sumberjaya`` or ``Kel. Pandeglang``; '' when the code is not a known village."""
    region = wilayah.lookup(code) if code else None
    if region is None or region.level != "desakel":
        return ""
    kind = wilayah.village_kind(code)
    prefix = {"desa": _("Desa"), "kelurahan": _("Kel.")}.get(kind or "", "")
    return f"{prefix} {region.name}".strip()


def village_label(code: str) -> str:
    """``Desa Sumberjaya, Kec. Sumur``: what a reader recognises a village code by."""
    name = village_name(code)
    if not name:
        return _("tidak dikenal")
    return f"{name}, {_('Kec.')} {kecamatan_name(wilayah.kecamatan_code(code))}"
