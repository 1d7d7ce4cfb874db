"""Role names of the signed-in user, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from payung.accounts.roles import BY_CODE


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": []}
    codes = [g.name for g in user.groups.all()]
    return {"user_roles": [BY_CODE[c].name for c in codes if c in BY_CODE]}
