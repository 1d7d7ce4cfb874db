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
    """The user's workspace (issue 9): the year's steps, "Tugas Anda" and the figures of
    the newest year the user may see, or of the year ``?tahun=`` names (a year's id, never
    personal data). The menu of every page then points to that year (``navigation``)."""
    from payung.programmes.selectors import programme_year_list
    from payung.web.navigation import NAV_KEY
    from payung.web.workspace import workspace_build

    years = list(programme_year_list(user=request.user))
    try:
        chosen = int(request.GET.get("tahun", ""))
    except ValueError:
        chosen = None
    workspace = workspace_build(user=request.user, years=years, chosen=chosen)
    if workspace is not None:
        nav = {
            "pk": workspace.year.pk,
            "year": workspace.year.year,
            "run": workspace.run_pk,
            "carried": workspace.year.carried_from_id is not None,
        }
        if request.session.get(NAV_KEY) != nav:
            request.session[NAV_KEY] = nav
    return render(request, "home.html", {"years": years, "workspace": workspace})


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
