"""The landing page after login, and the page of a refused request."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

logger = logging.getLogger("payung.security")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    from payung.programmes.selectors import programme_year_list

    return render(request, "home.html", {"years": programme_year_list(user=request.user)})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page (``handler403``) that logs the refusal as one line.

    Django would log each refusal on ``django.request`` with the exception's traceback: a
    screenful per click on a page a role may not open, burying real errors. One line names
    what an operator needs (method, path, user id) and nothing else: no query string, which
    may carry search terms, and no exception message, which a view may have worded with data.
    """
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else "-"
    # Escaped as Django does: a decoded path may hold a newline that would forge a log line.
    path = request.path.encode("unicode_escape").decode("ascii")
    logger.warning("Forbidden: %s %s user=%s", request.method, path, user_id)
    response = render(request, "403.html", status=403)
    # Tells Django's log_response that this response is logged already (django.utils.log).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
