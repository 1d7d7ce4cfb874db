"""Filters for the decree page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def form_for(forms: dict[int, Any], pk: int) -> Any:
    """The signed-record form of one draft decree (each has its own prefix)."""
    return forms.get(pk)
