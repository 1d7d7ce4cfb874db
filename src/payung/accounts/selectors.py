"""Reads on users: whether an account needs a second factor, and its TOTP device."""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from payung.accounts.models import User

#: Permissions whose misuse harms people rather than pages: full NIKs, the internal annex with
#: every NIK, and handing out roles (which leads to both). Payment permissions join them by
#: rule (``_PAYMENT_MARKERS``) so a payment app added later is covered without an edit here.
SECOND_FACTOR_PERMISSIONS: Final[frozenset[str]] = frozenset(
    {
        "screening.view_unmasked_nik",
        "decrees.download_internal_annex",
        "accounts.change_user",
    }
)
_PAYMENT_MARKERS: Final[tuple[str, ...]] = ("payment", "pay_", "disburse")


def _is_payment_permission(dotted: str) -> bool:
    app_label, _sep, codename = dotted.partition(".")
    return app_label in ("payments", "billing") or any(m in codename for m in _PAYMENT_MARKERS)


def user_needs_second_factor(*, user: User) -> bool:
    """True when the second factor is switched on and the user's roles hold a permission
    above; a superuser holds every permission and so always needs it."""
    if not settings.PAYUNG_OTP_REQUIRED or not user.is_authenticated:
        return False
    held = user.get_all_permissions()
    return bool(held & SECOND_FACTOR_PERMISSIONS) or any(_is_payment_permission(p) for p in held)


def otp_device_confirmed_get(*, user: User) -> TOTPDevice | None:
    """The user's enrolled device, if any (one per user in Payung)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
