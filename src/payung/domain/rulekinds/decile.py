"""Pasal 5 ayat (2) huruf d: registered in DTSEN within the policy's deciles (I to IV).

An empty or unreadable DESIL fails: the regulation asks for registration in a decile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import Field

from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "decile"
ROLE: Final = "criterion"


class Params(Strict):
    min_desil: Annotated[int, Field(ge=1, le=10)]
    max_desil: Annotated[int, Field(ge=1, le=10)]


class Rule(Citable):
    kind: Literal["decile"]
    params: Params


def fails(rule: Rule, t: Any) -> ir.BooleanValue:
    """DESIL empty or outside [min_desil, max_desil]."""
    return ~t.desil_int.between(rule.params.min_desil, rule.params.max_desil).fill_null(False)


def explain(rule: Rule, values: Values) -> Explanation:
    if values.desil is not None:
        value = _("desil %(n)s") % {"n": values.desil}
    else:
        value = _("desil: %(raw)s") % {"raw": values.raw("desil")}
    return explanation(rule, value)
