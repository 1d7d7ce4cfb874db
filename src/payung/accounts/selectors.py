"""Reads on users: whether an account needs a second factor, and its TOTP device; the
administrator's lists of accounts and logins; who the administrators are."""

from __future__ import annotations

from datetime import date
from typing import Final
from zoneinfo import ZoneInfo

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from payung.accounts.models import User
from payung.audit.models import AuditEntry
from payung.audit.selectors import audit_entry_list

JAKARTA: Final = ZoneInfo("Asia/Jakarta")

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


# --- the administrator's pages (issue 9: "Every role has its work") ------------------------

#: What the login history lists: who got in and who was refused (design §6).
LOGIN_ACTIONS: Final[tuple[str, ...]] = ("user_login", "user_login_failed")


def user_role_code(*, user: User) -> str:
    """The code of the user's role: one group per user in Payung (roles.py); "" if none."""
    from payung.accounts.roles import BY_CODE

    for group in user.groups.all():
        if group.name in BY_CODE:
            return group.name
    return ""


def user_list(
    *,
    query: str = "",
    role: str = "",
    agency_id: int | None = None,
    status: str = "",
) -> QuerySet[User]:
    """Accounts for the administrator, by username; ``status`` is ``aktif``, ``nonaktif`` or
    ``terkunci`` (locked out by login throttling now).

    Staff accounts only: nothing here leads to a beneficiary's data.
    """
    qs = User.objects.select_related("agency").prefetch_related("groups").order_by("username")
    if query:
        qs = qs.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    if role:
        qs = qs.filter(groups__name=role)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if status == "aktif":
        qs = qs.filter(is_active=True)
    elif status == "nonaktif":
        qs = qs.filter(is_active=False)
    elif status == "terkunci":
        qs = qs.filter(username__in=_locked_attempts().values("username"))
    return qs


def _locked_attempts() -> QuerySet[AccessAttempt]:
    """axes' attempts that lock their username now: within the cool-off window and at or
    over the per-user limit (``accounts.throttle``)."""
    threshold = timezone.now() - get_cool_off()
    return AccessAttempt.objects.filter(
        attempt_time__gte=threshold,
        failures_since_start__gte=settings.PAYUNG_LOGIN_FAILURE_LIMIT,
    )


def user_locked_usernames(*, usernames: list[str]) -> set[str]:
    """Which of ``usernames`` are locked out by throttling now (one query for a page)."""
    if not usernames:
        return set()
    return set(_locked_attempts().filter(username__in=usernames).values_list("username", flat=True))


def user_is_locked(*, user: User) -> bool:
    return bool(user_locked_usernames(usernames=[user.username]))


def admin_active_count(*, exclude: User | None = None) -> int:
    """Active holders of the administrator's role (the last one must stay: nobody could
    otherwise manage accounts)."""
    qs = User.objects.filter(is_active=True, groups__name="admin")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.distinct().count()


def admin_contact_list() -> list[User]:
    """The active administrators, with their agency: named wherever a page tells a user to
    ask an administrator, so they know whom to ask."""
    return list(
        User.objects.filter(is_active=True, groups__name="admin")
        .select_related("agency")
        .order_by("first_name", "username")
        .distinct()
    )


def login_history(
    *, username: str = "", start: date | None = None, end: date | None = None
) -> QuerySet[AuditEntry]:
    """Logins and refused logins, newest first, from the audit trail; ``start``/``end`` are
    whole days in WIB. A failed login has no actor: the name that was typed is in its
    detail, so a username matches either."""
    qs = audit_entry_list(start=start, end=end).filter(action__in=LOGIN_ACTIONS)
    if username:
        qs = qs.filter(Q(actor_username=username) | Q(detail__username=username))
    return qs
