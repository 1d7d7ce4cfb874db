"""System check ``payung.E001``: every regulation Payung may apply loads.

A policy file that no longer parses (an edited shipped file, or a year's snapshot that uses
a rule kind this version of Payung no longer has) would otherwise surface as an error page
in the middle of a screening run. ``manage.py check`` reports the shipped files; the years'
pinned snapshots are read from the database, so that half is a database check: it runs with
``migrate`` (every deployment) and with ``manage.py check --database default``.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _

from payung.domain.policy import PolicyError, policy_get, shipped_ids

E001 = "payung.E001"


def _error(*, what: str, exc: PolicyError) -> checks.Error:
    return checks.Error(
        _("%(what)s tidak dapat dimuat: %(problem)s") % {"what": what, "problem": exc},
        hint=_("Perbaiki berkas kebijakan; periksa dengan `payung policy check BERKAS`."),
        id=E001,
    )


@checks.register()
def shipped_policies_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every policy file shipped in ``payung/policies`` must load."""
    errors: list[checks.CheckMessage] = []
    for policy_id in shipped_ids():
        try:
            policy_get(policy_id)
        except PolicyError as exc:
            what = _("Kebijakan %(id)s") % {"id": policy_id}
            errors.append(_error(what=what, exc=exc))
    return errors


@checks.register(checks.Tags.database)
def programme_year_policies_check(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every programme year's pinned policy snapshot must load (and match its SHA-256)."""
    if not databases:
        return []
    from payung.programmes.models import ProgrammeYear
    from payung.programmes.selectors import programme_year_policy

    errors: list[checks.CheckMessage] = []
    try:
        years = list(ProgrammeYear.objects.order_by("year", "pk"))
    except DatabaseError:
        # Before the first migrate there is no table, hence no year to check.
        return []
    for year in years:
        try:
            programme_year_policy(programme_year=year)
        except PolicyError as exc:
            what = _("Kebijakan tahun program %(year)s (id %(pk)s, %(policy)s)") % {
                "year": year.year,
                "pk": year.pk,
                "policy": year.policy_id,
            }
            errors.append(_error(what=what, exc=exc))
    return errors
