"""Pasal 7 ayat (2) huruf a: priority for the older (at least the policy's age)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import Field

from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "age_at_least"
ROLE: Final = "priority"


class Params(Strict):
    age: Annotated[int, Field(ge=0, le=130)]


class Rule(Citable):
    kind: Literal["age_at_least"]
    params: Params


def meets(rule: Rule, t: Any) -> ir.BooleanValue:
    """Aged at least the given years on the as-of date."""
    return t.age >= rule.params.age


def explain(rule: Rule, values: Values) -> Explanation:
    if values.age is None:
        return explanation(rule, _("usia tidak dapat dihitung"))
    return explanation(rule, _("usia %(age)s tahun") % {"age": values.age})
