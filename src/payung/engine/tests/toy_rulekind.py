"""A rule kind another regency might need, written as one module the way a regency would.

Kabupaten X covers only women workers in its first year: ``kind: sex`` with the sex the
programme covers. Nothing outside this module (and the policy text using it) knows the kind;
``test_rulekinds.py`` registers it and screens and explains a policy with it. Like the
shipped kinds it imports no dataframe library: ``fails`` uses the table it is given.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from payung.domain.rulekinds import Citable, Explanation, Strict, Values
from payung.i18n import _

KIND: Final = "sex"
ROLE: Final = "criterion"


class Params(Strict):
    sex: Literal["L", "P"]


class Rule(Citable):
    kind: Literal["sex"]
    params: Params


def fails(rule: Rule, t: Any) -> Any:
    """JENIS_KELAMIN (read as L or P) is not the sex the programme covers."""
    return t.jk_norm != rule.params.sex


def explain(rule: Rule, values: Values) -> Explanation:
    value = _("jenis kelamin: %(raw)s") % {"raw": values.raw("jenis_kelamin")}
    return Explanation(criterion=rule.article, value=value, sentence=rule.sentence)
