"""A rule kind is one module: registered, a policy using it parses, screens and explains.

Pasal-by-pasal the shipped kinds are tested in ``test_screening.py``; here the promise is
structural: a regency adds a kind by writing one module (``toy_rulekind.py``) and using its
``kind`` in its policy file, with no edit to the policy model, the engine or the pages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from payung.domain import rulekinds
from payung.domain.policy import Policy, PolicyError, policy_get, policy_parse, shipped_ids
from payung.engine import screen
from payung.engine.backends import Backend
from payung.engine.tests import factories, toy_rulekind

SHIPPED = (resources.files("payung") / "policies" / "pandeglang-2025.yaml").read_text("utf-8")

#: The shipped policy with one more criterion, of the toy kind, after Pasal 5 ayat (1).
TOY_RULE = """  - id: "X1"
    kind: sex
    article: Pasal X ayat (1)
    sentence: Pekerja perempuan.
    params:
      sex: P
"""


def toy_policy_text() -> str:
    anchor = '  - id: "5(2)a"\n'
    assert SHIPPED.count(anchor) == 1
    return SHIPPED.replace(anchor, TOY_RULE + anchor)


@pytest.fixture
def toy_kind() -> Iterator[None]:
    rulekinds.rule_kind_register(toy_rulekind)
    try:
        yield
    finally:
        rulekinds.rule_kind_unregister(toy_rulekind.KIND)


def test_an_unregistered_kind_is_refused_with_its_line() -> None:
    with pytest.raises(PolicyError) as info:
        policy_parse(toy_policy_text(), source="x.yaml")
    (problem,) = info.value.problems
    assert problem.detail.startswith("jenis (kind) tidak dikenal")
    assert problem.line == toy_policy_text().splitlines().index('  - id: "X1"') + 1


@pytest.mark.usefixtures("toy_kind")
def test_a_registered_kind_screens_and_explains(duckdb_backend: Backend) -> None:
    policy = policy_parse(toy_policy_text(), source="x.yaml")
    assert [r.id for r in policy.judged_rules][:2] == ["5(1)", "X1"]
    people = factories.People()
    table = factories.extract(
        [people.person(sex="P"), people.person(sex="L"), people.person(jenis_kelamin="")]
    )
    result = screen(table, policy=policy, as_of=factories.AS_OF, backend=duckdb_backend)
    decisions = result.decisions.to_pylist()
    assert [(d["status"], d["reasons"]) for d in decisions] == [
        ("eligible", None),
        ("ineligible", "X1"),
        ("ineligible", "X1"),  # an unreadable sex cannot show the criterion is met
    ]
    assert result.counts["by_rule"]["X1"] == 2

    told = rulekinds.rule_explain(
        rule=policy.rule("X1"),
        values=rulekinds.Values(
            as_of=date(2026, 1, 1), policy=policy, cells={"jenis_kelamin": "L"}
        ),
    )
    assert told == rulekinds.Explanation(
        criterion="Pasal X ayat (1)", value="jenis kelamin: L", sentence="Pekerja perempuan."
    )


def test_unregistering_puts_the_policy_model_back(toy_kind: None) -> None:
    policy_parse(toy_policy_text())
    rulekinds.rule_kind_unregister(toy_rulekind.KIND)
    try:
        with pytest.raises(PolicyError):
            policy_parse(toy_policy_text())
    finally:
        rulekinds.rule_kind_register(toy_rulekind)


def test_every_shipped_kind_fills_the_contract(policy: Policy) -> None:
    kinds = rulekinds.kinds_by_role()
    assert kinds["criterion"] == [
        "age",
        "decile",
        "deemed",
        "domicile",
        "informal_work",
        "occupation",
        "other_aid",
        "working",
    ]
    assert kinds["priority"] == ["age_at_least", "disability", "family_dependants"]
    # Every shipped kind is used by a shipped policy (informal_work: Pekalongan's, issue 15).
    shipped = [policy_get(ref) for ref in shipped_ids()]
    used = {r.kind for p in shipped for r in p.rules} | {
        q.kind for p in shipped for q in p.priorities
    }
    assert used == set(kinds["criterion"]) | set(kinds["priority"])


def test_a_kind_missing_its_expression_is_refused_when_registered() -> None:
    class Broken:
        __name__ = "broken"
        KIND = "broken"
        ROLE = "priority"
        Rule = toy_rulekind.Rule
        explain = staticmethod(toy_rulekind.explain)

    with pytest.raises(TypeError, match="meets"):
        rulekinds.rule_kind_register(Broken)  # type: ignore[arg-type]
    assert "broken" not in rulekinds.RULE_KINDS


def test_kind_modules_import_no_dataframe_library() -> None:
    """The domain stays pure: a kind's expression is written against the table it is given."""
    folder = Path(rulekinds.__file__).parent
    for path in [*folder.glob("*.py"), Path(toy_rulekind.__file__)]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            name.split(".")[0]
            for node in ast.walk(tree)
            if not _under_type_checking(tree, node)
            for name in (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
        }
        assert not imported & {"ibis", "polars", "pyarrow", "duckdb", "pyspark", "pandas"}, path


def _under_type_checking(tree: ast.Module, node: ast.AST) -> bool:
    return any(
        isinstance(block, ast.If)
        and isinstance(block.test, ast.Name)
        and block.test.id == "TYPE_CHECKING"
        and node in list(ast.walk(block))
        for block in ast.walk(tree)
    )
