"""Root URLs for the screening page tests, until the shared ones can render ``base.html``.

``base.html`` reverses ``web:home`` and ``registry:year_list``. In the shared root urlconf
(``payung.web.urls``) ``app_name = "web"`` does not create a namespace (Django ignores it in
a ROOT_URLCONF), and the registry pages are still being built, so every page extending
``base.html`` raises NoReverseMatch there. This module is the shared urlconf with those two
holes filled: the home view under a ``web`` namespace, and placeholder registry pages for
names the registry does not define yet. ``test_views`` uses it only while the shared
urlconf cannot reverse both names; delete it once it can.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from payung.registry import urls as registry_urls
from payung.web import urls as web_urls


def _placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("")


_REGISTRY_PLACEHOLDERS = {
    "year_list": "",
    "year_detail": "<int:pk>/",
    "year_create": "baru/",
}


def _registry() -> tuple[list[URLPattern | URLResolver], str]:
    names = {p.name for p in registry_urls.urlpatterns if isinstance(p, URLPattern)}
    extra = [
        path(f"_placeholder/{route}", _placeholder, name=name)
        for name, route in _REGISTRY_PLACEHOLDERS.items()
        if name not in names
    ]
    return [*registry_urls.urlpatterns, *extra], "registry"


def _patterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for item in web_urls.urlpatterns:
        if isinstance(item, URLPattern) and item.name == "home":
            patterns.append(path("", include(([item], "web"))))
        elif isinstance(item, URLResolver) and item.namespace == "registry":
            patterns.append(path(str(item.pattern), include(_registry())))
        else:
            patterns.append(item)
    return patterns


urlpatterns = _patterns()
