"""No module imports a later stage (issue 8): the layers of design §3, lowest first.

A module may import its own layer and those below it; an upward import fails this test with
the importing file and the module it names, so a new app or page cannot quietly make the
top of the house its toolbox again. Tests and migrations are left out (they may build a
whole cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import payung

PACKAGE = Path(payung.__file__).parent

#: Each top-level module or package of ``payung`` and its layer; equal layers may not
#: import each other either unless they are the same entry.
LAYERS: dict[str, int] = {
    "i18n": -1,
    "domain": 0,
    "policies": 0,
    "engine": 1,
    "wording": 2,
    "core": 3,
    "audit": 4,
    "accounts": 5,
    "programmes": 6,
    "documents": 7,
    "registry": 8,
    "screening": 9,
    "participants": 10,
    "linkage": 11,
    "verification": 12,
    "decrees": 13,
    "enrollment": 14,
    "contributions": 15,
    "ends": 16,
    "appeals": 17,
    "renewal": 18,
    "people": 19,
    # Monitoring, planning, supervision and procedures read the stages before them and
    # not each other.
    "monitoring": 20,
    "planning": 20,
    "supervision": 20,
    "procedures": 20,
    "web": 21,
    "demo": 22,
    "cli": 23,
}


def _top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "payung" and len(parts) > 1 else None


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def _source_files() -> list[Path]:
    skip = {"tests", "migrations", "conftest.py"}
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if not skip.intersection(p.relative_to(PACKAGE).parts)
    ]


def test_every_top_level_module_has_a_layer() -> None:
    names = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _source_files()}
    assert names - {"__init__"} <= set(LAYERS), sorted(names - set(LAYERS) - {"__init__"})


def test_no_module_imports_a_later_stage() -> None:
    upward: list[str] = []
    for path in _source_files():
        rel = path.relative_to(PACKAGE)
        own = rel.parts[0].removesuffix(".py")
        if own == "__init__":
            continue
        for module in _imports(path):
            other = _top(module)
            if other is None or other == own or other not in LAYERS:
                continue
            if LAYERS[other] >= LAYERS[own]:
                upward.append(f"{rel}: {module}")
    assert not sorted(set(upward)), "\n".join(sorted(set(upward)))
