"""Search terms kept in the session under an opaque token, so they never enter a URL.

A NIK or a name typed into a search is personal data about the person searched for. In a
query string it would land in the access log of every proxy and server, in the browser
history and in the Referer (design §6). A search form therefore POSTs the term, the view
keeps it here and redirects to a URL that carries only the token; the page reads the term
back from the session. Every app with a personal search uses these functions.

The search forms are sent by htmx (``hx-post``, ``hx-select="main"``): ``search_answer``
answers such a POST with the result page itself and tells htmx the token's address to show,
so a search costs one request instead of a POST and a redirect (issue 16: the searches
under load). Without JavaScript the browser is redirected to that address as before. Either
way the address bar and the history hold only the token, and a reload or Back asks for the
page by GET, never posting the search again (base.html keeps no page in htmx's history
cache, so Back always reloads).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, MutableMapping
from typing import Any, Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

#: Session key holding the searches of this session: opaque token -> scope and term.
SEARCHES_KEY: Final = "payung.searches"
#: Query parameter carrying a search's token; the term itself never enters a URL.
SEARCH_TOKEN: Final = "cari"
#: How many searches a session keeps (the oldest is forgotten first).
MAX_SEARCHES: Final = 20


def search_store(*, session: MutableMapping[str, Any], scope: str, term: str) -> str:
    """Keep ``term`` for ``scope`` (a page, a run) and return the opaque token naming it."""
    searches = dict(session.get(SEARCHES_KEY, {}))
    token = secrets.token_urlsafe(12)
    searches[token] = {"scope": scope, "term": term}
    session[SEARCHES_KEY] = dict(list(searches.items())[-MAX_SEARCHES:])
    return token


def search_term(*, session: MutableMapping[str, Any], scope: str, token: str) -> str:
    """The term behind ``token`` if this session stored it for ``scope``; "" otherwise.

    A token from another session, another page or an expired one gives nothing, so a link
    passed on reveals no term and finds no one.
    """
    found = session.get(SEARCHES_KEY, {}).get(token) if token else None
    return found["term"] if found and found.get("scope") == scope else ""


def search_answer(
    *, request: HttpRequest, url: str, page: Callable[[], HttpResponse]
) -> HttpResponse:
    """The answer to a POSTed search whose results live at ``url`` (its token in the query).

    htmx's request gets ``page()`` at once, with ``HX-Push-Url`` so the address bar and the
    history hold ``url``; any other request is redirected to ``url`` (POST, redirect, GET).
    ``page()`` must render what a GET of ``url`` renders.
    """
    if getattr(request, "htmx", False):
        response = page()
        response["HX-Push-Url"] = url
        return response
    return redirect(url)
