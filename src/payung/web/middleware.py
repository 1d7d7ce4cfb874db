"""Error pages Django leaves blank: the 405 of an action URL opened with GET.

``require_POST`` and friends return a bare ``HttpResponseNotAllowed`` (no handler, no
template), so someone who opens a button's URL from the address bar or a bookmark gets an
empty page. This middleware gives it the application's Indonesian error page, keeping the
status and the ``Allow`` header that tell a client which methods the URL takes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    """Renders ``405.html`` into every ``HttpResponseNotAllowed`` a view returns."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
