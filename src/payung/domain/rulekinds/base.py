"""What every rule kind module is made of, and what its ``explain`` is given and returns.

A rule kind module (``rulekinds/age.py`` ...) holds, in one place, the three faces of one
kind of criterion of a regulation: its parameters as the policy file writes them, the
condition the engine evaluates, and the words a person is shown. The contract is plain
module attributes, like Django's session backends fill in only what ``SessionBase`` leaves
open:

``KIND``
    the ``kind:`` written in the policy file.
``ROLE``
    ``"criterion"`` (Pasal 5: a person who fails it is not eligible) or ``"priority"``
    (Pasal 7 ayat (2): a person who meets it comes first).
``Rule``
    the pydantic model of one rule of this kind (a ``Citable`` with ``kind: Literal[KIND]``).
``fails(rule, t)`` (criteria) / ``meets(rule, t)`` (priorities)
    a boolean expression over the *prepared* table the engine passes in (the columns
    ``payung.engine.screening.prepare`` writes: ``age``, ``desil_int``,
    ``occupation_category``, ``not_working``, ``regular_employment``, ``occupation_empty``,
    ``kode_desa_clean``, ``jk_norm``,
    ``tanggungan_int``, ``bantuan_iuran_upper``, ``disabilitas_upper``,
    ``status_perkawinan_upper``). A criterion without one (``deemed``) is never judged on
    its own. The domain imports no dataframe library: the table is duck-typed, so these
    functions only call methods of the expression they are given.
``explain(rule, values)``
    an ``Explanation``: what the criterion is, the value the person was judged on, and the
    rule's sentence.
``check(rule, *, rule_ids)`` (optional)
    a problem (Indonesian) with the rule's place in the whole policy, or ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from payung.i18n import _

if TYPE_CHECKING:
    from payung.domain.policy import Policy

#: How an empty cell is shown beside a criterion.
EMPTY = "(kosong)"


class Strict(BaseModel):
    """A policy model that refuses unknown keys (a typo is an error, not a silent default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citable(Strict):
    """Anything people are shown as a reason: its id, the article and an Indonesian sentence."""

    id: Annotated[str, Field(min_length=1)]
    article: Annotated[str, Field(min_length=1)]
    sentence: Annotated[str, Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class Values:
    """What one person was judged on: the row's cells as typed, and the engine's reading.

    ``cells`` holds the extract's texts by canonical column (``pekerjaan``, ``tanggal_lahir``,
    ``desil`` ...); the typed fields are the decision's own (``None``/'' when they could not
    be read). ``policy`` is the regulation the decision applied, for kinds whose words need
    more than their own rule (the occupation labels, the rule a deemed one follows).
    """

    as_of: date
    policy: Policy
    cells: Mapping[str, str] = field(default_factory=dict)
    age: int | None = None
    desil: int | None = None
    occupation_category: str = ""
    kode_desa: str = ""

    def raw(self, column: str) -> str:
        """A cell as typed, or ``(kosong)``: the page shows what the file said, even nothing."""
        return (self.cells.get(column) or "").strip() or _(EMPTY)


@dataclass(frozen=True, slots=True)
class Explanation:
    """One criterion for one person, in words: the article, the value used, the sentence."""

    criterion: str
    value: str
    sentence: str


def explanation(rule: Any, value: str) -> Explanation:
    """The usual explanation: the rule's own article and sentence beside the value used."""
    return Explanation(criterion=rule.article, value=value, sentence=rule.sentence)
