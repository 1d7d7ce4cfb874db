"""Pasal 5 ayat (1): the occupation belongs to one of the categories of vulnerable workers.

The categories and the terms that map onto them are the policy's ``occupations`` section;
the engine reads each PEKERJAAN once and writes its category (``occupation_category``,
NULL for a term the policy does not place, unknown terms included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

from payung.domain.rulekinds.base import Citable, Explanation, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "occupation"
ROLE: Final = "criterion"


class Rule(Citable):
    kind: Literal["occupation"]


def fails(rule: Rule, t: Any) -> ir.BooleanValue:
    """The occupation maps to none of the categories (unknown included)."""
    return t.occupation_category.isnull()


def explain(rule: Rule, values: Values) -> Explanation:
    categories = values.policy.occupations.categories
    if values.occupation_category in categories:
        category = categories[values.occupation_category].label
    else:
        category = _("tidak termasuk kelompok Pasal 5 ayat (1)")
    return explanation(rule, f"{values.raw('pekerjaan')} → {category}")
