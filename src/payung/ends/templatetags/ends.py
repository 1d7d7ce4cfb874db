"""What other stages' pages show of the ends stage: a participant's claims (the person page),
without those pages' selectors reaching into this app."""

from __future__ import annotations

from typing import Any

from django import template

from payung.ends.selectors import claims_of
from payung.participants.models import DECREED_OR_LATER

register = template.Library()


@register.simple_tag
def candidate_claims(candidate: Any) -> list[Any]:
    """The claims BPJS recorded for ``candidate`` (JKK and JKM), oldest event first."""
    # Only a participant past the decree can have a claim: no query for anyone else.
    if candidate is None or candidate.state not in DECREED_OR_LATER:
        return []
    return claims_of(candidate=candidate)
