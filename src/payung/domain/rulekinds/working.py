"""Pasal 5 ayat (2) huruf e: the person runs a business or has work.

Which PEKERJAAN terms say "not working" (students, housewives, the retired ...) is the
policy's ``occupations.not_working`` list; the engine reads it into ``not_working``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

from payung.domain.rulekinds.base import Citable, Explanation, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "working"
ROLE: Final = "criterion"


class Rule(Citable):
    kind: Literal["working"]


def fails(rule: Rule, t: Any) -> ir.BooleanValue:
    """The occupation says the person does not work."""
    return t.not_working


def explain(rule: Rule, values: Values) -> Explanation:
    return explanation(rule, _("pekerjaan: %(raw)s") % {"raw": values.raw("pekerjaan")})
