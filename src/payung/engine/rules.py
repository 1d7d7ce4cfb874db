"""Each policy rule as an Ibis expression: when does a person fail a criterion, meet a priority?

The expressions live with their rule kind (``payung.domain.rulekinds.<kind>``), beside the
parameters and the words, the way Splink's comparison levels carry both their SQL and their
label. This module only looks the kind up and makes the answer total: a criterion whose
data is missing fails, a priority whose data is missing is not met. Every kind reads the
*prepared* columns (see ``engine.screening.prepare``), so parsing happens once.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from payung.domain.rulekinds import rule_kind_get


def failed(rule: Any, t: ir.Table) -> ir.BooleanValue:
    """The criterion's failure condition, never NULL."""
    return rule_kind_get(rule.kind).fails(rule, t).fill_null(True)


def met(priority: Any, t: ir.Table) -> ir.BooleanValue:
    """Whether the priority is met, never NULL."""
    return rule_kind_get(priority.kind).meets(priority, t).fill_null(False)


def rule_column(rule_id: str) -> str:
    """Column name for a rule id: ``5(2)a`` -> ``rule_5_2_a``.

    Prefixed so that a regency's descriptive ids (Pekalongan's ``usia``, ``desil``) never
    collide with the prepared columns (``age``, ``desil``, ``nik`` ...) they sit beside.
    """
    token = "".join(ch if ch.isalnum() else "_" for ch in rule_id).strip("_")
    while "__" in token:
        token = token.replace("__", "_")
    return f"rule_{token}"
