"""The landing page after login: the programme years the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from payung.registry.selectors import programme_year_list

    return render(request, "home.html", {"years": programme_year_list(user=request.user)})
