"""Pages of appeals (sanggahan): record one from the person page, read and answer it, and
the year's list with ages and due dates.

Views parse input, call one service or selector and render. URLs carry the imported row's
id or the appeal's number, never a NIK; the pages show NIKs masked.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.appeals import selectors, services
from payung.appeals.forms import AnswerForm, AppealForm
from payung.appeals.models import Appeal
from payung.core.viewtools import error_messages, requires
from payung.documents.models import Document
from payung.documents.services import subject_label
from payung.programmes.selectors import year_or_404
from payung.registry.models import Person

VIEW = "appeals.view_appeal"
RECORD = "appeals.record_appeal"
ANSWER = "appeals.answer_appeal"
VIEW_PERSON = "screening.view_person_decision"


def _appeal_or_404(pk: int) -> Appeal:
    appeal = selectors.appeal_get(pk=pk)
    if appeal is None:
        raise Http404(_("Sanggahan tidak ditemukan."))
    return appeal


@never_cache
@require_http_methods(["GET", "POST"])
@requires(RECORD, VIEW_PERSON)
def appeal_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.select_related("dtsen_import__programme_year"), pk=person_pk
    )
    try:
        subject = selectors.appeal_subject(person=person)
    except ValidationError as exc:
        return render(
            request, "appeals/appeal_form.html", {"person": person, "refused": exc.messages}
        )
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_record(
                person=person,
                actor=request.user,
                received_on=form.cleaned_data["received_on"],
                channel=form.cleaned_data["channel"],
                filed_by=form.cleaned_data["filed_by"],
                grounds=form.cleaned_data["grounds"],
                corrections=form.corrections(),
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Sanggahan dicatat dan disaring ulang."))
            return redirect("appeals:appeal_detail", pk=appeal.pk)
    return render(
        request,
        "appeals/appeal_form.html",
        {"person": person, "subject": subject, "form": form},
    )


@never_cache
@require_GET
@requires(VIEW, VIEW_PERSON)
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(pk)
    today = timezone.localdate()
    documents = Document.objects.filter(
        subject=subject_label(appeal), kind="jawaban-sanggahan"
    ).order_by("-created_at", "format")
    can_answer = (
        request.user.has_perm(ANSWER)
        and appeal.status == Appeal.Status.OPEN
        and appeal.recorded_by_id != request.user.pk
    )
    corrections = [
        (selectors.field_label(name), item["value"], item["source"])
        for name, item in appeal.corrections.items()
    ]
    return render(
        request,
        "appeals/appeal_detail.html",
        {
            "appeal": appeal,
            "explanation": selectors.appeal_explain(appeal=appeal),
            "corrections": corrections,
            "age": selectors.appeal_age_days(appeal=appeal, today=today),
            "overdue": selectors.appeal_overdue(appeal=appeal, today=today),
            "documents": documents,
            "answer_form": AnswerForm() if can_answer else None,
            "recorder_only": appeal.status == Appeal.Status.OPEN
            and appeal.recorded_by_id == request.user.pk,
        },
    )


@require_POST
@requires(ANSWER)
def appeal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("appeals:appeal_detail", pk=pk)
    try:
        appeal = services.appeal_answer(
            appeal=appeal, actor=request.user, answered_on=form.cleaned_data["answered_on"]
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("Sanggahan dijawab: %(outcome)s.") % {"outcome": appeal.get_outcome_display()},
        )
    return redirect("appeals:appeal_detail", pk=pk)


@never_cache
@require_GET
@requires(VIEW)
def year_list(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    today = timezone.localdate()
    page = selectors.appeal_page(programme_year=year, page=request.GET.get("page"))
    rows = [
        {
            "appeal": a,
            "age": selectors.appeal_age_days(appeal=a, today=today),
            "overdue": selectors.appeal_overdue(appeal=a, today=today),
        }
        for a in page.object_list
    ]
    return render(
        request,
        "appeals/year_list.html",
        {
            "year": year,
            "page": page,
            "rows": rows,
            "counts": selectors.appeal_counts(programme_year=year, today=today),
            "answer_days": _answer_days(year),
        },
    )


def _answer_days(year: object) -> int:
    from payung.programmes.selectors import programme_year_policy

    return programme_year_policy(programme_year=year).cycle.appeal_answer_days
