"""The header search and one person's page (issue 8: one person, one lifecycle, one page).

A searched NIK or name is personal data: it is POSTed, kept in the session under an opaque
token (``core.searches``) and the result list's URL carries only the token. The person page's
URL carries the imported row's id, never the NIK, and every view of it is audited.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from payung.appeals.selectors import person_appeals
from payung.core.searches import SEARCH_TOKEN, search_answer, search_store, search_term
from payung.core.viewtools import error_messages, requires
from payung.people import selectors, services
from payung.registry.models import Person

VIEW_PERSON = "screening.view_person_decision"
#: The header search's session scope: its tokens work on the result list only.
SEARCH_SCOPE = "people.search"
#: The header search's field name (``name="q"`` in base.html).
TERM_FIELD = "q"


@never_cache
@require_POST
@requires(VIEW_PERSON)
def person_search(request: HttpRequest) -> HttpResponse:
    term = request.POST.get(TERM_FIELD, "").strip()
    problem = selectors.person_search_problem(term=term)
    if problem:
        response = render(request, "people/person_list.html", {"problem": problem, "hits": None})
        if request.htmx:  # the address shown is the search page's, as the page is
            response["HX-Push-Url"] = reverse("people:person_list")
        return response
    token = search_store(session=request.session, scope=SEARCH_SCOPE, term=term)
    return search_answer(
        request=request,
        url=f"{reverse('people:person_list')}?{SEARCH_TOKEN}={token}",
        page=lambda: _person_list_page(request, term),
    )


@never_cache
@require_GET
@requires(VIEW_PERSON)
def person_list(request: HttpRequest) -> HttpResponse:
    token = request.GET.get(SEARCH_TOKEN, "")
    term = search_term(session=request.session, scope=SEARCH_SCOPE, token=token)
    return _person_list_page(request, term)


def _person_list_page(request: HttpRequest, term: str) -> HttpResponse:
    """The header search's result list for ``term`` (a token's, or the one just POSTed)."""
    found = selectors.person_search(term=term) if term else None
    return render(
        request,
        "people/person_list.html",
        {
            "hits": found.hits if found else None,
            "partial": found.partial if found else False,
            "searched": bool(term),
        },
    )


@never_cache
@require_GET
@requires(VIEW_PERSON)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("dtsen_import__programme_year"), pk=pk)
    journey = selectors.person_journey(person=person)
    services.person_page_view(person=person, actor=request.user, years=len(journey.years))
    appeals = person_appeals(person_ids=[y.person.pk for y in journey.years])
    return render(
        request,
        "people/person_detail.html",
        {"journey": journey, "appeals": appeals, "purposes": services.record_purposes()},
    )


@never_cache
@require_POST
@requires(VIEW_PERSON, "screening.export_personal_data")
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The data-subject record as a PDF (UU 27/2022), printed for the person and audited."""
    person = get_object_or_404(Person.objects.select_related("dtsen_import__programme_year"), pk=pk)
    try:
        content = services.person_record_pdf(
            person=person, actor=request.user, purpose=request.POST.get("purpose", "")
        )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("people:person_detail", pk=pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="catatan-data-pribadi-{pk}.pdf"'
    return response


@never_cache
@require_POST
@requires(VIEW_PERSON, "screening.view_unmasked_nik")
def reveal_kpj(request: HttpRequest, pk: int) -> HttpResponse:
    """The full KPJ of one person's candidacy, audited (the NIK's reveal rule)."""
    person = get_object_or_404(Person, pk=pk)
    kpj = services.person_kpj_reveal(person=person, actor=request.user)
    context = {"person": person, "kpj": kpj}
    if getattr(request, "htmx", False):
        return render(request, "people/partials/kpj_revealed.html", context)
    return render(request, "people/kpj_revealed.html", context)
