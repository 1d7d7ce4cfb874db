"""Reads of the team's reports: the year's reports, a half-year's versions, the team's tasks.

Pasal 12 ayat (3): a semester report is due after each half-year; ``monitoring_tasks`` puts a
line in the team's "Tugas Anda" when a finished half-year has no report yet. Figures are not
read here: the documents take them from ``monitoring.selectors`` (engineer M's module).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.core.worklist import Task
from payung.monitoring.models import MonitoringMinutes, MonthlyRecap, SemesterReport
from payung.participants.models import CoveragePeriod
from payung.programmes.models import ProgrammeYear

WRITE = "monitoring.write_report"
VIEW = "monitoring.view_monitoring"


@dataclass(frozen=True)
class HalfReports:
    """One half-year of a year: its period, whether it is over, its versions newest first."""

    half: int
    label: str
    start: date
    end: date
    finished: bool
    versions: list[SemesterReport]

    @property
    def latest(self) -> SemesterReport | None:
        return self.versions[0] if self.versions else None


def half_label(*, half: int, year: int) -> str:
    return (
        _("Semester I (Januari-Juni) %(year)s")
        if half == 1
        else _("Semester II (Juli-Desember) %(year)s")
    ) % {"year": year}


def semester_reports(
    *, programme_year: ProgrammeYear, today: date | None = None
) -> list[HalfReports]:
    """Both halves of the year with every version (one query, documents joined)."""
    today = today or timezone.localdate()
    reports = list(
        SemesterReport.objects.filter(programme_year=programme_year)
        .select_related("pdf_document", "docx_document", "created_by", "signed_by")
        .order_by("half", "-version")
    )
    halves = []
    for half in (1, 2):
        start = date(programme_year.year, 1 if half == 1 else 7, 1)
        end = date(programme_year.year, 6, 30) if half == 1 else date(programme_year.year, 12, 31)
        halves.append(
            HalfReports(
                half=half,
                label=half_label(half=half, year=programme_year.year),
                start=start,
                end=end,
                finished=today > end,
                versions=[r for r in reports if r.half == half],
            )
        )
    return halves


def semester_report_exists(*, programme_year: ProgrammeYear, half: int) -> bool:
    return SemesterReport.objects.filter(programme_year=programme_year, half=half).exists()


def minutes_list(*, programme_year: ProgrammeYear) -> list[MonitoringMinutes]:
    return list(
        MonitoringMinutes.objects.filter(programme_year=programme_year).select_related(
            "pdf_document", "docx_document"
        )
    )


def recap_list(*, programme_year: ProgrammeYear) -> list[MonthlyRecap]:
    return list(
        MonthlyRecap.objects.filter(programme_year=programme_year).select_related(
            "pdf_document", "xlsx_document"
        )
    )


def monitoring_tasks(*, user: Any, programme_year: Any, today: date | None = None) -> list[Task]:
    """The team's line when a finished half-year of the year has no report (Pasal 12 ayat (3))."""
    if not (user.has_perm(VIEW) and user.has_perm(WRITE)):
        return []
    today = today or timezone.localdate()
    done = set(
        SemesterReport.objects.filter(programme_year=programme_year)
        .values_list("half", flat=True)
        .distinct()
    )
    missing = [
        half
        for half, end in (
            (1, date(programme_year.year, 6, 30)),
            (2, date(programme_year.year, 12, 31)),
        )
        if today > end and half not in done
    ]
    if not missing:
        return []
    # Only a half-year in which someone was covered has anything to report: a cover that
    # started by the half's last day. One query of EXISTS, each stopping at its first cover
    # (issue 16: the year's earliest start sorted all its 100 000 periods, 90 ms a view).
    covers = CoveragePeriod.objects.filter(candidate__proposal__programme_year=programme_year)
    ends = {
        h: date(programme_year.year, 6, 30) if h == 1 else date(programme_year.year, 12, 31)
        for h in missing
    }
    covered = (
        ProgrammeYear.objects.filter(pk=programme_year.pk)
        .values(**{f"h{h}": Exists(covers.filter(start__lte=end)) for h, end in ends.items()})
        .first()
        or {}
    )
    missing = [h for h in missing if covered.get(f"h{h}")]
    if not missing:
        return []
    labels = ", ".join(half_label(half=h, year=programme_year.year) for h in missing)
    return [
        Task(
            text=_("Buat laporan semester kepada Bupati: %(halves)s") % {"halves": labels},
            count=len(missing),
            level="warning",
            url=reverse(
                "monitoring:report_half", kwargs={"year_pk": programme_year.pk, "half": missing[0]}
            ),
            article=_("Pasal 12 ayat (3)"),
        )
    ]


@dataclass(frozen=True)
class ReportStep:
    """The tracker's last step (web/workspace.py): the half-year that is due, done when it
    has a report; started once any report of the year exists."""

    half: int
    due: bool
    done: bool
    started: bool
    figure: str


def semester_report_step(*, programme_year: Any, today: date | None = None) -> ReportStep:
    """One query. The half that matters is the last finished one (the first while the first
    half-year runs: nothing is due yet, the report can still be made "whenever needed")."""
    today = today or timezone.localdate()
    versions = dict(
        SemesterReport.objects.filter(programme_year=programme_year)
        .values_list("half")
        .annotate(n=Max("version"))
    )
    due_half = 2 if today > date(programme_year.year, 12, 31) else 1
    due = today > date(programme_year.year, 6, 30)
    done = due_half in versions
    figure = ", ".join(
        _("Semester %(half)s versi %(v)s") % {"half": "I" if h == 1 else "II", "v": v}
        for h, v in sorted(versions.items())
    )
    return ReportStep(half=due_half, due=due, done=done, started=bool(versions), figure=figure)
