"""Each kind of policy rule as an Ibis expression: when does a person fail it?

A rule object pairs the policy's citable rule (id, article, Indonesian sentence) with the
expression that decides it, the way Splink's comparison levels carry both their SQL and
their label. Every rule reads the *prepared* columns (see ``engine.screening.prepare``), so
parsing happens once and each rule is one line of logic a reviewer can check against the
article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import ibis.expr.types as ir

from payung.domain import policy as pol

RuleExpr = Callable[[Any, ir.Table], ir.BooleanValue]


def _occupation(rule: pol.OccupationRule, t: ir.Table) -> ir.BooleanValue:
    """Pasal 5(1): the occupation maps to none of the ten categories (unknown included)."""
    return t.occupation_category.isnull()


def _working(rule: pol.WorkingRule, t: ir.Table) -> ir.BooleanValue:
    """Pasal 5(2)e: the occupation says the person does not work."""
    return t.not_working


def _domicile(rule: pol.DomicileRule, t: ir.Table) -> ir.BooleanValue:
    """Pasal 5(2)a: the village of domicile is not in the region. The NIK is not domicile."""
    region = rule.params.region
    return t.kode_desa_clean.substr(0, len(region)) != region


def _age(rule: pol.AgeRule, t: ir.Table) -> ir.BooleanValue:
    """Pasal 5(2)b: completed years on the as-of date outside [min_age, max_age]."""
    return ~t.age.between(rule.params.min_age, rule.params.max_age)


def _decile(rule: pol.DecileRule, t: ir.Table) -> ir.BooleanValue:
    """Pasal 5(2)d: DESIL empty or outside [min_desil, max_desil]."""
    return ~t.desil_int.between(rule.params.min_desil, rule.params.max_desil).fill_null(False)


def _other_aid(rule: pol.OtherAidRule, t: ir.Table) -> ir.BooleanValue:
    """Pasal 5(2)f: contribution aid already paid from one of the excluded budgets."""
    excluded = [s.upper() for s in rule.params.excluded_sources]
    return t.bantuan_iuran_upper.isin(excluded).fill_null(False)


#: Rule kind -> expression. A policy using a kind missing here is refused by the model.
RULE_EXPRS: Final[dict[str, RuleExpr]] = {
    "occupation": _occupation,
    "working": _working,
    "domicile": _domicile,
    "age": _age,
    "decile": _decile,
    "other_aid": _other_aid,
}


def failed(rule: Any, t: ir.Table) -> ir.BooleanValue:
    """The rule's failure condition, never NULL."""
    return RULE_EXPRS[rule.kind](rule, t).fill_null(True)


def _age_at_least(p: pol.AgeAtLeastPriority, t: ir.Table) -> ir.BooleanValue:
    """Pasal 7(2)a: aged at least the given years on the as-of date."""
    return t.age >= p.params.age


def _disability(p: pol.DisabilityPriority, t: ir.Table) -> ir.BooleanValue:
    """Pasal 7(2)b: DISABILITAS says YA or names a disability (anything but 'none')."""
    value = t.disabilitas_upper
    return value.notnull() & ~value.isin([v.upper() for v in p.params.none_values])


def _family(p: pol.FamilyPriority, t: ir.Table) -> ir.BooleanValue:
    """Pasal 7(2)c: has been married and still has dependants living in the house."""
    status = t.status_perkawinan_upper
    married = status.notnull() & ~status.isin([v.upper() for v in p.params.single_values])
    return married & (t.tanggungan_int >= p.params.min_dependants)


PRIORITY_EXPRS: Final[dict[str, Callable[[Any, ir.Table], ir.BooleanValue]]] = {
    "age_at_least": _age_at_least,
    "disability": _disability,
    "family_dependants": _family,
}


def met(priority: Any, t: ir.Table) -> ir.BooleanValue:
    """Whether the priority is met, never NULL."""
    return PRIORITY_EXPRS[priority.kind](priority, t).fill_null(False)


def rule_column(rule_id: str) -> str:
    """Column name for a rule id: ``5(2)a`` -> ``fail_5_2_a``; ``7(2)b`` -> ``prio_7_2_b``."""
    token = "".join(ch if ch.isalnum() else "_" for ch in rule_id).strip("_")
    while "__" in token:
        token = token.replace("__", "_")
    return token
