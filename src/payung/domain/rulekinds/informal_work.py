"""Pekerja bukan penerima upah: the person works, but not for wages (issue 15, Pekalongan).

The Pekalongan minutes (item 3) align the definition of vulnerable worker with the Minister
of Home Affairs' regulation instead of a closed list of occupations like Pandeglang's Pasal 5
ayat (1): a vulnerable worker is one who works outside wage employment, whatever the trade.
So this criterion fails only when the PEKERJAAN says the person does not work
(``occupations.not_working``), works for wages (``occupations.regular_employment``), or is
empty; an informal trade the policy does not list (a batik craftsman, a tailor) passes, and
the import's quality report still flags it as an unknown term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

from payung.domain.rulekinds.base import Citable, Explanation, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "informal_work"
ROLE: Final = "criterion"


class Rule(Citable):
    kind: Literal["informal_work"]


def fails(rule: Rule, t: Any) -> ir.BooleanValue:
    """Not working, in wage employment, or no occupation written at all."""
    return t.not_working | t.regular_employment | t.occupation_empty


def explain(rule: Rule, values: Values) -> Explanation:
    return explanation(rule, _("pekerjaan: %(raw)s") % {"raw": values.raw("pekerjaan")})
