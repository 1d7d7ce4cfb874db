"""The person page explains a criterion of a kind added as one module, with no edit here.

The kind is the engine tests' ``toy_rulekind`` (``kind: sex``); a year pins a policy using
it, and "Mengapa saya (tidak) terpilih?" shows its article, sentence and the value judged.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from payung.domain import rulekinds
from payung.domain.policy import policy_sha256
from payung.engine.tests import toy_rulekind
from payung.engine.tests.test_rulekinds import toy_policy_text
from payung.screening import selectors
from payung.screening.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def toy_kind() -> Iterator[None]:
    rulekinds.rule_kind_register(toy_rulekind)
    try:
        yield
    finally:
        rulekinds.rule_kind_unregister(toy_rulekind.KIND)


@pytest.mark.usefixtures("toy_kind")
def test_a_new_kind_is_explained_article_by_article() -> None:
    text = toy_policy_text()
    year = factories.ProgrammeYearFactory(policy_text=text, policy_sha256=policy_sha256(text))
    run = factories.ScreeningRunFactory(programme_year=year)
    person = factories.PersonFactory(dtsen_import=run.dtsen_import, jenis_kelamin="L")
    decision = factories.DecisionFactory(
        run=run,
        person=person,
        status="ineligible",
        reasons="X1",
        priority_rank=None,
        priorities="",
    )

    x = selectors.decision_explain(decision=decision)

    rows = {c.id: c for c in x.criteria}
    assert [c.id for c in x.criteria][:2] == ["5(1)", "X1"]
    assert rows["X1"].passed is False
    assert rows["X1"].article == "Pasal X ayat (1)"
    assert rows["X1"].sentence == "Pekerja perempuan."
    assert rows["X1"].value == "jenis kelamin: L"
    assert {c.id for c in x.criteria if c.passed is False} == {"X1"}
