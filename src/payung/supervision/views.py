"""Pages of employer supervision under ``/pengawasan/``: the register of employers, the
year's visits with the half-year check of Pasal 12 ayat (1), and the sanction cases of
PP 86/2013 with their steps, deadlines and letters.

Views parse input, call one service or selector and render. No personal data is shown:
employers are businesses and workers are counted, never named. When the year's policy does
not apply the ladder (``sanctions.enabled`` false, as in Pandeglang's), the sanction pages
say so and every sanction write is refused.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core.viewtools import error_messages, requires
from payung.documents.models import Document
from payung.documents.services import subject_label
from payung.programmes.selectors import year_or_404
from payung.supervision import selectors, services
from payung.supervision.forms import CaseForm, EmployerForm, ReportForm, StepForm
from payung.supervision.models import Employer, SanctionCase

VIEW = "supervision.view_supervision"
MANAGE = "supervision.manage_employer"
RECORD = "supervision.record_supervision"
BPJS = "supervision.record_bpjs_step"
LETTER = "supervision.issue_sanction_letter"


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in exc.messages:
            form.add_error(None, problem)


def _employer_or_404(pk: int) -> Employer:
    employer = selectors.employer_get(pk=pk)
    if employer is None:
        raise Http404(_("Pemberi kerja tidak ditemukan."))
    return employer


def _case_or_404(pk: int) -> SanctionCase:
    case = selectors.case_get(pk=pk)
    if case is None:
        raise Http404(_("Kasus sanksi tidak ditemukan."))
    return case


@never_cache
@require_GET
@requires(VIEW)
def year_detail(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    today = timezone.localdate()
    sanctions = services.sanctions_of(year)
    cases = list(selectors.case_list(programme_year=year)) if sanctions.enabled else []
    return render(
        request,
        "supervision/year_detail.html",
        {
            "year": year,
            "halves": selectors.supervision_halves(programme_year=year, today=today),
            "page": selectors.report_page(programme_year=year, page=request.GET.get("page")),
            "sanctions": sanctions,
            "cases": [
                (c, selectors.case_state(case=c, today=today, sanctions=sanctions)) for c in cases
            ],
        },
    )


@never_cache
@require_GET
@requires(VIEW)
def employer_list(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    return render(
        request,
        "supervision/employer_list.html",
        {
            "page": selectors.employer_page(page=request.GET.get("page"), query=query),
            "q": query,
            "query": urlencode({"q": query}) if query else "",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def employer_create(request: HttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Pemberi kerja dicatat."))
            return redirect("supervision:employer_detail", pk=employer.pk)
    return render(request, "supervision/employer_form.html", {"form": form, "employer": None})


@never_cache
@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer_or_404(pk)
    form = EmployerForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            services.employer_update(employer=employer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Data pemberi kerja diperbarui."))
            return redirect("supervision:employer_detail", pk=employer.pk)
    return render(
        request,
        "supervision/employer_form.html",
        {"form": form or EmployerForm.for_employer(employer), "employer": employer},
    )


@never_cache
@require_GET
@requires(VIEW)
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer_or_404(pk)
    return render(
        request,
        "supervision/employer_detail.html",
        {"employer": employer, "reports": selectors.employer_reports(employer=employer)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@requires(RECORD)
def report_create(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = year_or_404(year_pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.supervision_report_record(
                programme_year=year, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Laporan pengawasan dicatat."))
            return redirect("supervision:report_detail", pk=report.pk)
    return render(request, "supervision/report_form.html", {"form": form, "year": year})


@never_cache
@require_GET
@requires(VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(pk=pk)
    if report is None:
        raise Http404(_("Laporan pengawasan tidak ditemukan."))
    sanctions = services.sanctions_of(report.programme_year)
    return render(
        request,
        "supervision/report_detail.html",
        {
            "report": report,
            "sanctions": sanctions,
            "cases": list(report.sanction_cases.order_by("-opened_at", "-pk")),
            "case_form": CaseForm()
            if sanctions.enabled and request.user.has_perm(RECORD)
            else None,
        },
    )


@require_POST
@requires(RECORD)
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(pk=pk)
    if report is None:
        raise Http404(_("Laporan pengawasan tidak ditemukan."))
    form = CaseForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("supervision:report_detail", pk=pk)
    try:
        case = services.sanction_case_open(report=report, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("supervision:report_detail", pk=pk)
    messages.success(request, _("Kasus sanksi dibuka."))
    return redirect("supervision:case_detail", pk=case.pk)


def _step_form(request: HttpRequest, state: Any, *, regency: bool, data: Any = None) -> Any:
    perm = LETTER if regency else BPJS
    if not request.user.has_perm(perm):
        return None
    form = StepForm(data, request.FILES or None, kinds=state.next_kinds, regency=regency)
    return form if form.fields["kind"].choices else None


@never_cache
@require_GET
@requires(VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(pk)
    sanctions = services.sanctions_of(case.programme_year)
    state = selectors.case_state(case=case, sanctions=sanctions)
    documents = Document.objects.filter(
        subject__in=[subject_label(case), *(subject_label(s) for s in case.steps.all())]
    ).order_by("-created_at", "format")
    return render(
        request,
        "supervision/case_detail.html",
        {
            "case": case,
            "sanctions": sanctions,
            "state": state,
            "bpjs_form": _step_form(request, state, regency=False) if sanctions.enabled else None,
            "letter_form": _step_form(request, state, regency=True) if sanctions.enabled else None,
            "documents": documents,
        },
    )


def _step_post(request: HttpRequest, pk: int, *, regency: bool) -> HttpResponse:
    case = _case_or_404(pk)
    sanctions = services.sanctions_of(case.programme_year)
    state = selectors.case_state(case=case, sanctions=sanctions)
    form = StepForm(request.POST, request.FILES, kinds=state.next_kinds, regency=regency)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        if not sanctions.enabled:
            messages.error(request, _("Kebijakan tahun program ini tidak menerapkan sanksi."))
        return redirect("supervision:case_detail", pk=pk)
    data = form.cleaned_data
    try:
        services.sanction_step_record(
            case=case,
            actor=request.user,
            kind=data["kind"],
            letter_date=data["letter_date"],
            letter_number=data["letter_number"],
            note=data["note"],
            evidence=data.get("evidence"),
            paid_proof=data.get("paid_proof", False),
            registered_proof=data.get("registered_proof", False),
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Langkah sanksi dicatat."))
    return redirect("supervision:case_detail", pk=pk)


@require_POST
@requires(BPJS)
def step_bpjs(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_post(request, pk, regency=False)


@require_POST
@requires(LETTER)
def step_letter(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_post(request, pk, regency=True)
