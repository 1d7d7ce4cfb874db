"""The roster page: move the participants a regency had before Payung into a programme year.

One page: the upload form and the year's earlier roster imports with what they did. A
refused file is shown again with every row message (row and column, never a cell's value).
"""

from __future__ import annotations

from typing import Final

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from payung.core.viewtools import requires
from payung.enrollment import roster
from payung.enrollment.forms_cards import RosterUploadForm
from payung.programmes.selectors import year_or_404

#: Row messages shown on the page; the count says how many more there were.
MAX_SHOWN: Final = 200


@never_cache
@require_http_methods(["GET", "POST"])
@requires(roster.PERM)
def roster_upload(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = roster.roster_import(
                    programme_year=year, uploaded_file=form.cleaned_data["file"], actor=request.user
                )
            except ValidationError as exc:
                problems = list(exc.messages)
                status = 400
            else:
                messages.success(
                    request,
                    _("%(n)s peserta dipindahkan dari data lama.")
                    % {"n": f"{made.imported:,}".replace(",", ".")},
                )
                return redirect("enrollment:roster_upload", year_pk=year.pk)
        else:
            status = 400
    return render(
        request,
        "enrollment/roster_upload.html",
        {
            "year": year,
            "form": form,
            "problems": problems[:MAX_SHOWN],
            "more": max(0, len(problems) - MAX_SHOWN),
            "imports": roster.roster_imports(programme_year=year),
        },
        status=status,
    )
