"""Filters for screening pages: statuses, occupations and reasons in words (place names are
the ``payung`` library's)."""

from __future__ import annotations

import re

from django import template

from payung import wording
from payung.domain.policy import Policy
from payung.screening import labels, selectors

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    return labels.status_label(code)


@register.filter
def occupation_label(key: str, policy: Policy) -> str:
    """The Pasal 5 ayat (1) category with its letter, as the regulation lists it (``a. petani``)."""
    category = policy.occupations.categories.get(key)
    return f"{category.letter}. {category.label}" if category else ""


@register.filter
def reason_text(code: str, policy: Policy) -> str:
    """A rule id as its article, a data-quality code as its sentence."""
    return selectors.reason_text(policy, code)


@register.filter
def reason_label(code: str) -> str:
    """What a list cell shows for a reason: an article id as itself (``5(2)b``), a data-quality
    code as the opening words of its sentence ("NIK rusak oleh Excel"), never the code."""
    if code[:1].isdigit():
        return code
    return re.split(r":|\. | \(", wording.describe(code), maxsplit=1)[0].rstrip(". ")


@register.filter
def reasons_shown(value: str | None, policy: Policy) -> list[str]:
    """Failed rules in the regulation's order a-f, with the deemed 5(2)c beside its 5(2)d."""
    return selectors.reasons_shown(policy, value)


@register.simple_tag
def status_count(mapping: dict[str, int], key: str) -> int:
    return mapping.get(key, 0)
