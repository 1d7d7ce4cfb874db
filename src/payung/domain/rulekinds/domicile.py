"""Pasal 5 ayat (2) huruf a: domiciled in the regency's administrative area.

Domicile is the village code of the DTSEN row (KODE_DESA), never the NIK: the NIK says
where a person was first registered, not where they live.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import Field

from payung.domain import wilayah
from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "domicile"
ROLE: Final = "criterion"


class Params(Strict):
    region: Annotated[str, Field(pattern=r"^\d{2}(\d{2})?$")]


class Rule(Citable):
    kind: Literal["domicile"]
    params: Params


def fails(rule: Rule, t: Any) -> ir.BooleanValue:
    """The village of domicile is not in the region."""
    region = rule.params.region
    return t.kode_desa_clean.substr(0, len(region)) != region


def _place(code: str) -> str:
    """``Desa Sumberjaya, Kec. Sumur``: what a reader recognises a village code by."""
    region = wilayah.lookup(code)
    if region is None or region.level != "desakel":
        return _("tidak dikenal")
    prefix = {"desa": _("Desa"), "kelurahan": _("Kel.")}.get(wilayah.village_kind(code) or "", "")
    kecamatan = wilayah.lookup(wilayah.kecamatan_code(code))
    kecamatan_name = kecamatan.name if kecamatan is not None else wilayah.kecamatan_code(code)
    return f"{prefix} {region.name}".strip() + f", {_('Kec.')} {kecamatan_name}"


def explain(rule: Rule, values: Values) -> Explanation:
    if values.kode_desa:
        value = _("kode desa %(code)s (%(place)s)") % {
            "code": values.kode_desa,
            "place": _place(values.kode_desa),
        }
    else:
        value = _("kode desa: %(raw)s") % {"raw": values.raw("kode_desa")}
    return explanation(rule, value)
