"""Pasal 5 ayat (2) huruf f: no contribution aid already paid from another budget.

The excluded sources (APBN, APBD Provinsi, APBD) are the policy's; BANTUAN_IURAN is
compared upper-cased with whitespace collapsed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import Field

from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "other_aid"
ROLE: Final = "criterion"


class Params(Strict):
    excluded_sources: Annotated[list[str], Field(min_length=1)]


class Rule(Citable):
    kind: Literal["other_aid"]
    params: Params


def fails(rule: Rule, t: Any) -> ir.BooleanValue:
    """Contribution aid already paid from one of the excluded budgets."""
    excluded = [s.upper() for s in rule.params.excluded_sources]
    return t.bantuan_iuran_upper.isin(excluded).fill_null(False)


def explain(rule: Rule, values: Values) -> Explanation:
    return explanation(rule, _("bantuan iuran: %(raw)s") % {"raw": values.raw("bantuan_iuran")})
