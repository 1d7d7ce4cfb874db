"""Sends a signed-in user to what their account still lacks before any other page.

Two things can be owed, checked on every request so no page (admin, downloads, htmx
partials) slips past: a second factor for roles that unmask NIKs, pay or hand out roles
(design §6), and a password of one's own for accounts whose password someone else has
seen (``User.must_change_password``, set by the demo). A user with a device verifies it
first, so a leaked one-time password alone cannot change the password of such an account.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from payung.accounts.selectors import otp_device_confirmed_get, user_needs_second_factor

#: Pages a user may always reach, owed steps or not.
_ALWAYS: tuple[str, ...] = ("accounts:login", "accounts:logout")


def account_gate_target(*, request: HttpRequest) -> str | None:
    """The URL name of the page the user owes a visit to, or None when nothing is owed."""
    user = request.user
    if not user.is_authenticated:
        return None
    if user_needs_second_factor(user=user) and not user.is_verified():
        if otp_device_confirmed_get(user=user) is not None:
            return "accounts:otp_verify"
        if not user.must_change_password:
            return "accounts:otp_enrol"
    if user.must_change_password:
        return "accounts:password_change"
    return None


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        target = account_gate_target(request=request)
        if target is None:
            return self.get_response(request)
        url = reverse(target)
        if request.path == url or request.path in {reverse(name) for name in _ALWAYS}:
            return self.get_response(request)
        if request.method == "GET" and not getattr(request, "htmx", False):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            # A redirect inside an htmx swap would paste the whole page into a fragment.
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)


#: A session in use is written at most this often to push its idle limit on.
SESSION_TOUCH_SECONDS: Final = 60
#: Session key holding when the session was last written (seconds since the epoch).
SESSION_TOUCHED_KEY: Final = "payung.touched"


def session_touch(*, session: Any) -> None:
    """Mark ``session`` as written now: its idle limit starts again from here."""
    session[SESSION_TOUCHED_KEY] = int(time.time())


class SessionIdleMiddleware:
    """Keeps a session in use alive without writing it on every request.

    The idle limit (``SESSION_COOKIE_AGE``, ``PAYUNG_SESSION_IDLE_MINUTES``) runs from the
    session's last write. Django's ``SESSION_SAVE_EVERY_REQUEST`` writes it on every page: a
    transaction and a commit for each read-only view, which waits for the write-ahead log
    behind whatever else is writing (a million-row import, issue 16). Here a request marks
    the session for writing only when its last write is a minute old or more, or when the
    view changed it anyway; so a session left alone ends between ``SESSION_COOKIE_AGE`` minus
    a minute and ``SESSION_COOKIE_AGE`` after its last request. Placed right after Django's
    ``SessionMiddleware``, which then saves what this marks.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        touched = session.get(SESSION_TOUCHED_KEY)
        stale = not isinstance(touched, int) or not 0 <= now - touched < SESSION_TOUCH_SECONDS
        if session.modified or stale:
            session_touch(session=session)
        return response
