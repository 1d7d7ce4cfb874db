"""Pasal 7 ayat (2) huruf b: priority for persons with a disability.

DISABILITAS says YA or names a disability; the policy lists the texts that mean "none".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "disability"
ROLE: Final = "priority"


class Params(Strict):
    none_values: list[str] = []


class Rule(Citable):
    kind: Literal["disability"]
    params: Params


def meets(rule: Rule, t: Any) -> ir.BooleanValue:
    """DISABILITAS is filled and is not one of the policy's "none" values."""
    value = t.disabilitas_upper
    return value.notnull() & ~value.isin([v.upper() for v in rule.params.none_values])


def explain(rule: Rule, values: Values) -> Explanation:
    return explanation(rule, _("disabilitas: %(raw)s") % {"raw": values.raw("disabilitas")})
