"""The kinds of rule a policy file may use, one module each, found by looking in this package.

Why one module per kind: a regency whose regulation has a criterion Pandeglang's lacks adds
one module here (its parameters, its condition, its words; contract in ``base``) and uses
its ``kind`` in the policy file. The policy's rule union, the engine's expressions and the
person page's explanation are all looked up in ``RULE_KINDS``, so nothing else changes.

Modules are discovered in name order (the order never decides anything: the union is
discriminated by ``kind``). ``rule_kind_register`` adds a kind at run time, for tests and for
a regency that keeps its kinds outside this package.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import ModuleType
from typing import Annotated, Any, Final, Union

from pydantic import Field

from payung.domain.rulekinds.base import EMPTY, Citable, Explanation, Strict, Values

__all__ = [
    "EMPTY",
    "RULE_KINDS",
    "Citable",
    "Explanation",
    "Strict",
    "Values",
    "criterion_union",
    "kinds_by_role",
    "priority_union",
    "rule_explain",
    "rule_is_judged",
    "rule_kind_get",
    "rule_kind_register",
    "rule_kind_unregister",
]

ROLES: Final = ("criterion", "priority")

#: kind (as written in the policy file) -> its module.
RULE_KINDS: dict[str, ModuleType] = {}


def _kind_check(module: ModuleType) -> None:
    """Refuse a module that does not fill in the contract: a bug, caught when it is loaded."""
    missing = [name for name in ("KIND", "ROLE", "Rule", "explain") if not hasattr(module, name)]
    if missing:
        raise TypeError(f"rule kind module {module.__name__} lacks {', '.join(missing)}")
    if module.ROLE not in ROLES:
        raise TypeError(f"rule kind {module.KIND}: ROLE must be one of {ROLES}")
    if module.ROLE == "priority" and not hasattr(module, "meets"):
        raise TypeError(f"priority kind {module.KIND} lacks meets(rule, t)")
    if module.ROLE == "criterion" and hasattr(module, "meets"):
        raise TypeError(f"criterion kind {module.KIND} has meets(); criteria define fails()")
    if not issubclass(module.Rule, Citable):
        raise TypeError(f"rule kind {module.KIND}: Rule must be a Citable")


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        _kind_check(module)
        if module.KIND in RULE_KINDS:
            raise TypeError(f"rule kind {module.KIND} defined twice")
        RULE_KINDS[module.KIND] = module


def rule_kind_get(kind: str) -> ModuleType:
    """The module of a kind (KeyError if no module defines it)."""
    return RULE_KINDS[kind]


def _union(role: str) -> Any:
    models = [m.Rule for m in RULE_KINDS.values() if role == m.ROLE]
    if len(models) == 1:
        return models[0]
    return Annotated[Union[tuple(models)], Field(discriminator="kind")]  # noqa: UP007


def criterion_union() -> Any:
    """The policy's ``rules:`` item type: every criterion kind, chosen by ``kind``."""
    return _union("criterion")


def priority_union() -> Any:
    """The policy's ``priorities:`` item type: every priority kind, chosen by ``kind``."""
    return _union("priority")


def rule_is_judged(rule: Any) -> bool:
    """Whether a criterion is judged on its own data (a deemed one is not)."""
    return hasattr(RULE_KINDS[rule.kind], "fails")


def rule_explain(*, rule: Any, values: Values) -> Explanation:
    """The criterion or priority in words for one person, as its kind explains it."""
    return RULE_KINDS[rule.kind].explain(rule, values)


def rule_kind_register(module: ModuleType) -> None:
    """Add a kind defined outside this package; policies parsed from now on may use it."""
    _kind_check(module)
    if module.KIND in RULE_KINDS:
        raise TypeError(f"rule kind {module.KIND} already registered")
    RULE_KINDS[module.KIND] = module
    _policy_refresh()


def rule_kind_unregister(kind: str) -> None:
    """Remove a kind added by ``rule_kind_register`` (tests put the registry back with it)."""
    del RULE_KINDS[kind]
    _policy_refresh()


def _policy_refresh() -> None:
    from payung.domain.policy import policy_model_refresh

    policy_model_refresh()


def kinds_by_role() -> Mapping[str, list[str]]:
    """Kind names per role, in name order: what ``payung policy show`` and the docs list."""
    return {role: sorted(k for k, m in RULE_KINDS.items() if role == m.ROLE) for role in ROLES}


_discover()
