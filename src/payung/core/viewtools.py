"""What every app's views share: the permission gate, error messages, and a button's
action (call one service, say how it went, go back to the page).

Views stay thin (parse, call one service or selector, render); these steps were the same in
every app, so they live here once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

View = Callable[..., HttpResponse]


def requires(*perms: str) -> Callable[[View], View]:
    """Anonymous users go to the login page; signed-in users without ``perms`` get 403."""

    def wrap(view: View) -> View:
        return login_required(permission_required(perms, raise_exception=True)(view))

    return wrap


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Every message of a service's refusal, shown on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def action_then_redirect(
    request: HttpRequest, action: Callable[[], object], *, success: str, to: str, **kwargs: object
) -> HttpResponse:
    """Run one service for a POSTed button; its refusal or ``success`` is shown on ``to``."""
    try:
        action()
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, success)
    return redirect(to, **kwargs)
