"""A criterion with no field of its own, taken as shown by another rule (documented).

Pasal 5 ayat (2) huruf c ("vulnerable to falling into poverty") has no DTSEN field; the
policy documents that it is deemed shown by huruf d (Desil I-IV). A deemed rule is never
judged on its own (no ``fails``): it passes or fails with the rule it follows, and the
person page shows the value that rule used.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Final, Literal

from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values
from payung.i18n import _

KIND: Final = "deemed"
ROLE: Final = "criterion"


class Params(Strict):
    deemed_by: str


class Rule(Citable):
    kind: Literal["deemed"]
    params: Params


def check(rule: Rule, *, rule_ids: Set[str]) -> str | None:
    """A deemed rule must follow a rule of the same policy."""
    if rule.params.deemed_by not in rule_ids:
        return f"aturan {rule.id} merujuk aturan tidak dikenal {rule.params.deemed_by}"
    return None


def explain(rule: Rule, values: Values) -> Explanation:
    from payung.domain.rulekinds import rule_explain

    source = values.policy.rule(rule.params.deemed_by)
    value = _("mengikuti %(article)s: %(value)s") % {
        "article": source.article,
        "value": rule_explain(rule=source, values=values).value,
    }
    return Explanation(criterion=rule.article, value=value, sentence=rule.sentence)
