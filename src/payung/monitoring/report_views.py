"""Pages of the team's reports: the year's reports, a half-year's report, downloads, uploads.

Views parse input, call one service or selector and render (house style). The files are built
by the background worker; a download goes through ``services`` so it is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payung.core.viewtools import error_messages, requires
from payung.documents.models import Document
from payung.monitoring import report_selectors as selectors
from payung.monitoring import services
from payung.monitoring.forms import MinutesForm, RecapForm, RecommendationsForm, SignedReportForm
from payung.monitoring.models import SemesterReport
from payung.programmes.models import ProgrammeYear

VIEW = services.VIEW
WRITE = services.WRITE
UPLOAD = services.UPLOAD_SIGNED

_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _year(pk: int) -> ProgrammeYear:
    return get_object_or_404(ProgrammeYear, pk=pk)


def _render_year(
    request: HttpRequest,
    year: ProgrammeYear,
    *,
    minutes_form: MinutesForm | None = None,
    recap_form: RecapForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "monitoring/report_year.html",
        {
            "year": year,
            "halves": selectors.semester_reports(programme_year=year),
            "minutes": selectors.minutes_list(programme_year=year),
            "recaps": selectors.recap_list(programme_year=year),
            "minutes_form": minutes_form or MinutesForm(),
            "recap_form": recap_form or RecapForm(),
        },
    )


@require_GET
@requires(VIEW)
def report_year(request: HttpRequest, year_pk: int) -> HttpResponse:
    """The year's semester reports (both halves, every version), minutes and recaps."""
    return _render_year(request, _year(year_pk))


def _render_half(
    request: HttpRequest, year: ProgrammeYear, half: int, form: RecommendationsForm | None = None
) -> HttpResponse:
    halves = selectors.semester_reports(programme_year=year)
    current = halves[half - 1]
    if form is None:
        latest = current.latest
        form = RecommendationsForm(
            initial={"recommendations": latest.recommendations if latest else ""}
        )
    return render(
        request,
        "monitoring/report_half.html",
        {
            "year": year,
            "half": current,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def report_half(request: HttpRequest, year_pk: int, half: int) -> HttpResponse:
    """A half-year's report: its versions, and the team's recommendations to write (a save
    makes a new version, Pasal 12 ayat (3))."""
    year = _year(year_pk)
    if half not in (1, 2):
        raise Http404
    if request.method == "GET":
        return _render_half(request, year, half)
    if not request.user.has_perm(WRITE):
        raise PermissionDenied
    form = RecommendationsForm(request.POST)
    if not form.is_valid():
        return _render_half(request, year, half, form)
    try:
        report = services.semester_report_create(
            programme_year=year,
            half=half,
            recommendations=form.cleaned_data["recommendations"],
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("recommendations", message)
        return _render_half(request, year, half, form)
    messages.success(
        request,
        _("Laporan versi %(version)s disimpan; PDF dan DOCX sedang dibuat.")
        % {"version": report.version},
    )
    return redirect("monitoring:report_half", year_pk=year.pk, half=half)


@require_POST
@requires(VIEW, UPLOAD)
def report_upload_signed(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(SemesterReport, pk=pk)
    form = SignedReportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            services.semester_report_signed_upload(
                report=report, scan=form.cleaned_data["scan"], actor=request.user
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(
                request,
                _("Salinan bertanda tangan laporan versi %(version)s disimpan.")
                % {"version": report.version},
            )
    return redirect("monitoring:report_half", year_pk=report.programme_year_id, half=report.half)


def _file(path: Any, name: str, fmt: str) -> FileResponse:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas tidak ditemukan di penyimpanan.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=_CONTENT_TYPES.get(fmt, "application/octet-stream"),
    )


@never_cache
@require_GET
@requires(VIEW)
def report_signed(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed copy, after ``semester_report_signed_open`` has recorded the download."""
    report = get_object_or_404(SemesterReport, pk=pk)
    try:
        path = services.semester_report_signed_open(report=report, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect(
            "monitoring:report_half", year_pk=report.programme_year_id, half=report.half
        )
    name = f"laporan-semester-{report.half}-{report.programme_year.year}-v{report.version}-ttd.pdf"
    return _file(path, name, "pdf")


@never_cache
@require_GET
@requires(VIEW)
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's, minutes' or recap's file (audited); another kind of document is not here."""
    document = get_object_or_404(Document, pk=pk, kind__in=services.KINDS)
    try:
        path = services.report_document_download(document=document, actor=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("monitoring:report_year", year_pk=document.programme_year_id)
    return _file(path, document.file_name, document.format)


@require_POST
@requires(VIEW, WRITE)
def report_minutes_create(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = _year(year_pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _render_year(request, year, minutes_form=form)
    try:
        services.monitoring_minutes_create(
            programme_year=year, actor=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _render_year(request, year, minutes_form=form)
    messages.success(request, _("Notulen disimpan; PDF dan DOCX sedang dibuat."))
    return redirect(reverse("monitoring:report_year", args=[year.pk]) + "#notulen")


@require_POST
@requires(VIEW, WRITE)
def report_recap_create(request: HttpRequest, year_pk: int) -> HttpResponse:
    year = _year(year_pk)
    form = RecapForm(request.POST)
    if not form.is_valid():
        return _render_year(request, year, recap_form=form)
    try:
        services.monthly_recap_create(
            programme_year=year, month=form.cleaned_data["month"], actor=request.user
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Rekap bulanan sedang dibuat (XLSX dan PDF)."))
    return redirect(reverse("monitoring:report_year", args=[year.pk]) + "#rekap")
