"""The permission check every service makes before it reads or writes anything."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def actor_require(*, actor: Any, perm: str) -> None:
    """Refuse before any check that would tell someone without the right about the data:
    a service called without an actor (a script, a forgotten argument) is refused too."""
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied
