"""Pasal 5 ayat (2) huruf b: aged between the policy's bounds on the registration date.

Age is completed years on the programme year's as-of date (an argument, never the clock),
computed by the engine from TANGGAL_LAHIR into ``age``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import Field, model_validator

from payung.domain.calendar import birth_date_read, date_long_id
from payung.domain.rulekinds.base import Citable, Explanation, Strict, Values, explanation
from payung.i18n import _

if TYPE_CHECKING:
    import ibis.expr.types as ir

KIND: Final = "age"
ROLE: Final = "criterion"


class Params(Strict):
    min_age: Annotated[int, Field(ge=0, le=130)]
    max_age: Annotated[int, Field(ge=0, le=130)]

    @model_validator(mode="after")
    def _ordered(self) -> Params:
        if self.min_age > self.max_age:
            raise ValueError("min_age lebih besar dari max_age")
        return self


class Rule(Citable):
    kind: Literal["age"]
    params: Params


def fails(rule: Rule, t: Any) -> ir.BooleanValue:
    """Completed years on the as-of date outside [min_age, max_age]."""
    return ~t.age.between(rule.params.min_age, rule.params.max_age)


def age_words(values: Values) -> str:
    """``usia 15 tahun pada 1 Januari 2026``, or that it could not be computed."""
    if values.age is None:
        return _("usia tidak dapat dihitung")
    return _("usia %(age)s tahun pada %(date)s") % {
        "age": values.age,
        "date": date_long_id(values.as_of),
    }


def birth_words(values: Values) -> str:
    """``tanggal lahir 4 Juni 1998``: the birth date in words, not the column and the ISO text
    (issue 9: no column name or ISO date reaches a person); a cell that is not a date is
    quoted as typed, so the operator sees what to correct."""
    raw = (values.cells.get("tanggal_lahir") or "").strip()
    if not raw:
        return _("tanggal lahir kosong")
    born = birth_date_read(raw)
    if born is None:
        return _("tanggal lahir tertulis \u201c%(text)s\u201d") % {"text": raw}
    return _("tanggal lahir %(date)s") % {"date": date_long_id(born)}


def explain(rule: Rule, values: Values) -> Explanation:
    """Pasal 5 ayat (2) huruf b: the age on the as-of date and the birth date it comes from."""
    return explanation(rule, f"{age_words(values)} ({birth_words(values)})")
