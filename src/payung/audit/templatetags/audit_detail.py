"""Showing an audit entry's ``detail`` as the auditor should read it: exactly what was stored."""

from __future__ import annotations

import json
from typing import Any

from django import template

register = template.Library()


@register.filter
def detail_json(value: Any) -> str:
    """Compact JSON with sorted keys, the same canonical form the entry's hash was taken over.

    Showing the stored value rather than a prettified one lets an auditor compare the page
    with an export or a database row without wondering what the page left out.
    """
    if value in (None, {}, []):
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
