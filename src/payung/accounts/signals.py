"""Logins and failed logins go into the audit trail (design §6), and a login starts the
session's idle limit.

Django announces both through signals, whichever view or backend did the authenticating
(the login page, the admin, django-axes refusing a locked-out attempt), so listening here
catches every path. The receivers only hand over to the audit service and the session.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from payung.accounts.middleware import session_touch
from payung.audit.services import audit_entry_create

# The longest username a user can have; anything longer typed at the login page is cut.
_USERNAME_MAX = 150


def user_login_record(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """One ``user_login`` entry with the user as actor and target."""
    audit_entry_create(actor=user, action="user_login", target=user)


def session_touch_at_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """A login writes the session, so the next minute's requests need not
    (``accounts.middleware.SessionIdleMiddleware``)."""
    if request is not None and hasattr(request, "session"):
        session_touch(session=request.session)


def user_login_failed_record(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """One ``user_login_failed`` entry holding only the username that was tried.

    Django already masks the password in ``credentials``; taking the username alone keeps
    even the mask (and anything else a backend might pass) out of the trail. The entry has no
    actor: nobody was authenticated.
    """
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")[:_USERNAME_MAX]
    audit_entry_create(actor=None, action="user_login_failed", detail={"username": username})
