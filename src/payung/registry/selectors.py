"""Reads on programme years and imports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from payung.registry.models import ProgrammeYear


def programme_year_list(*, user: Any) -> QuerySet[ProgrammeYear]:
    """Programme years the user may see (every role may see the years; none if no perm)."""
    if not user.has_perm("registry.view_programmeyear"):
        return ProgrammeYear.objects.none()
    return ProgrammeYear.objects.prefetch_related("budget_lines").order_by("-year")
