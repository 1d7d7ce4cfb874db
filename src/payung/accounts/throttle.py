"""Login throttling per user and per address (design §6), on top of django-axes.

axes counts failures for each lockout parameter (``username+ip_address`` and
``ip_address``) but compares the largest count with one limit. A password spray tries a few
passwords on many usernames from one address, so the address needs its own, higher limit:
one user mistyping five times must not lock out a whole office behind one NAT address, and
seven usernames failing from one address must not all be tried (issue 17). axes accepts a
callable limit; ``login_failure_limit`` returns the per-user limit once that user's own
failures reach it and the per-address limit otherwise, which locks exactly when either count
reaches its own limit.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

#: Set on the request for the lockout page: ``"user"`` or ``"ip"``.
SCOPE_ATTRIBUTE = "payung_lockout_scope"


def _failures(**filters: Any) -> int:
    total = AccessAttempt.objects.filter(**filters).aggregate(n=Sum("failures_since_start"))["n"]
    return total or 0


def login_failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """The limit that applies to this attempt (axes ``AXES_FAILURE_LIMIT`` callable).

    Only recent attempts count (axes' cool-off window), as in axes' own count.
    """
    user_limit: int = settings.PAYUNG_LOGIN_FAILURE_LIMIT
    ip_limit: int = settings.PAYUNG_LOGIN_IP_FAILURE_LIMIT
    ip_address = getattr(request, "axes_ip_address", None)
    recent = {"ip_address": ip_address, "attempt_time__gte": get_cool_off_threshold(request)}
    username = get_client_username(request, credentials)
    if username is not None and _failures(username=username, **recent) >= user_limit:
        setattr(request, SCOPE_ATTRIBUTE, "user")
        return user_limit
    setattr(request, SCOPE_ATTRIBUTE, "ip")
    return ip_limit


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, except that a successful login forgives only its own failures.

    axes resets every attempt that matches any lockout parameter, so with ``ip_address`` among
    them one valid login (an insider's, say) would wipe the address's count of a spray in
    progress. Here it clears the failures of that username at that address and no others.
    """

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        username = get_client_username(request, credentials)
        ip_address = getattr(request, "axes_ip_address", None)
        count, _deleted = AccessAttempt.objects.filter(
            username=username, ip_address=ip_address
        ).delete()
        return count
