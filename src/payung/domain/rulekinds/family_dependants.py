"""Pasal 7 ayat (2) huruf c: priority for those who have married and still have dependants
living in the house."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import Field

from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "family_dependants"
ROLE: Final = "priority"


class Params(Strict):
    single_values: list[str]
    min_dependants: Annotated[int, Field(ge=0)]


class Rule(Citable):
    kind: Literal["family_dependants"]
    params: Params


def meets(rule: Rule, t: Any) -> ir.BooleanValue:
    """STATUS_PERKAWINAN is not single and JUMLAH_TANGGUNGAN reaches the minimum."""
    status = t.status_perkawinan_upper
    married = status.notnull() & ~status.isin([v.upper() for v in rule.params.single_values])
    return married & (t.tanggungan_int >= rule.params.min_dependants)


def explain(rule: Rule, values: Values) -> Explanation:
    value = _("status perkawinan: %(status)s; tanggungan: %(n)s") % {
        "status": values.raw("status_perkawinan"),
        "n": values.raw("jumlah_tanggungan"),
    }
    return explanation(rule, value)
