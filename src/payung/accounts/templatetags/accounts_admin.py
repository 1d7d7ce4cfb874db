"""Template tools of the accounts pages: the shared Indonesian number and date forms, and
``{% admin_contacts %}``, which names the active administrators wherever a page tells a user
to ask one (issue 9: "Every error page that says 'hubungi administrator' must point to
someone who can act")."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from payung.core.formatting import angka, tanggal, tanggal_jam

register = template.Library()
register.filter("angka", angka)
register.filter("tanggal", tanggal)
# ``1 Januari 2026 08.15`` in WIB: the core formatter (issue 9, one formatter each).
register.filter("tanggal_jam", tanggal_jam)


@register.inclusion_tag("accounts/partials/admin_contacts.html")
def admin_contacts() -> dict[str, Any]:
    """The active administrators (name and agency) and the contact line of
    ``PAYUNG_ADMIN_CONTACT`` (a telephone, a desk, an e-mail address), if set."""
    from django.db import DatabaseError

    from payung.accounts.selectors import admin_contact_list

    try:
        admins: list[Any] | None = admin_contact_list()
    except DatabaseError:  # the 500 page may be shown because the database failed
        admins = None
    return {
        "admins": admins,
        "contact": getattr(settings, "PAYUNG_ADMIN_CONTACT", ""),
    }
