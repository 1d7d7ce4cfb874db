"""Reads of employer supervision: the register, the year's visits per half-year (Pasal 12
ayat (1)), the sanction cases with where each stands on PP 86/2013's ladder, and the task
lines of the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.core.worklist import Task
from payung.domain.workdays import CalendarNotCovered, estimated_years, working_days_between
from payung.programmes.models import ProgrammeYear
from payung.supervision import ladder
from payung.supervision.models import Employer, SanctionCase, SanctionStep, SupervisionReport
from payung.supervision.services import sanctions_of, steps_done

PER_PAGE: Final = 50
#: A deadline this many working days away or less is "near" on the worklist.
NEAR_WORKING_DAYS: Final = 3

VIEW: Final = "supervision.view_supervision"


def employer_get(*, pk: int) -> Employer | None:
    return Employer.objects.filter(pk=pk).first()


def employer_page(*, page: Any, query: str = "") -> Page:
    """The register, with each employer's number of visits, 50 a page (two queries)."""
    employers = Employer.objects.annotate(visits=Count("reports")).order_by("name", "pk")
    if query:
        employers = employers.filter(Q(name__icontains=query) | Q(nib=query))
    return Paginator(employers, PER_PAGE).get_page(page)


def employer_reports(*, employer: Employer) -> list[SupervisionReport]:
    return list(employer.reports.select_related("programme_year").order_by("-visited_on", "-pk"))


def report_get(*, pk: int) -> SupervisionReport | None:
    return (
        SupervisionReport.objects.select_related("employer", "programme_year", "recorded_by")
        .filter(pk=pk)
        .first()
    )


def report_page(*, programme_year: ProgrammeYear, page: Any) -> Page:
    reports = SupervisionReport.objects.filter(programme_year=programme_year).select_related(
        "employer"
    )
    return Paginator(reports.order_by("-visited_on", "-pk"), PER_PAGE).get_page(page)


@dataclass(frozen=True)
class HalfYear:
    """One half of the programme year and its supervision reports (Pasal 12 ayat (1): the
    team receives them at least twice a year, read here as at least one per half)."""

    label: str
    start: date
    end: date
    reports: int
    workers_found: int
    workers_unregistered: int
    #: "met" (a report), "missing" (the half is over without one), "open" (still running).
    state: str

    @property
    def state_label(self) -> str:
        return {
            "met": _("ada laporan"),
            "missing": _("tidak ada laporan"),
            "open": _("belum ada laporan"),
        }[self.state]


def supervision_halves(
    *, programme_year: ProgrammeYear, today: date | None = None
) -> list[HalfYear]:
    """The two halves of the year with their report counts and workers found: one query,
    kept on the year object for the request (the workspace and its task line both ask)."""
    today = today or timezone.localdate()
    memo = programme_year.__dict__.setdefault("_supervision_halves", {})
    if today not in memo:
        memo[today] = _halves(programme_year, today)
    return memo[today]


def _halves(programme_year: ProgrammeYear, today: date) -> list[HalfYear]:
    y = programme_year.year
    halves = [
        (_("Semester I (Januari–Juni %(y)s)") % {"y": y}, date(y, 1, 1), date(y, 6, 30)),
        (_("Semester II (Juli–Desember %(y)s)") % {"y": y}, date(y, 7, 1), date(y, 12, 31)),
    ]
    rows = (
        SupervisionReport.objects.filter(programme_year=programme_year)
        .values_list("visited_on__month")
        .annotate(n=Count("pk"), found=Sum("workers_found"), unreg=Sum("workers_unregistered"))
        .values_list("visited_on__month", "n", "found", "unreg")
    )
    sums = {1: [0, 0, 0], 2: [0, 0, 0]}
    for month, n, found, unreg in rows:
        bucket = sums[1 if month <= 6 else 2]
        bucket[0] += n
        bucket[1] += found or 0
        bucket[2] += unreg or 0
    out = []
    for i, (label, start, end) in enumerate(halves, start=1):
        n, found, unreg = sums[i]
        state = "met" if n else ("missing" if today > end else "open")
        out.append(HalfYear(label, start, end, n, found, unreg, state))
    return out


def case_get(*, pk: int) -> SanctionCase | None:
    return (
        SanctionCase.objects.select_related("report__employer", "programme_year")
        .prefetch_related(
            Prefetch("steps", queryset=SanctionStep.objects.select_related("recorded_by"))
        )
        .filter(pk=pk)
        .first()
    )


def case_list(*, programme_year: ProgrammeYear) -> QuerySet[SanctionCase]:
    return (
        SanctionCase.objects.filter(programme_year=programme_year)
        .select_related("report__employer")
        .prefetch_related("steps")
        .order_by("-opened_at", "-pk")
    )


@dataclass(frozen=True)
class CaseState:
    """Where a case stands: the steps that may come next, the deadline running, and whether
    it has passed or is near (in working days)."""

    next_kinds: list[str]
    deadline: date | None
    deadline_kind: str
    working_days_left: int | None
    estimated: bool

    @property
    def overdue(self) -> bool:
        return self.working_days_left is not None and self.working_days_left < 0

    @property
    def passed(self) -> bool:
        """The deadline is behind us: the next step may be taken."""
        return self.working_days_left is not None and self.working_days_left <= 0

    @property
    def near(self) -> bool:
        return (
            self.working_days_left is not None and 0 <= self.working_days_left <= NEAR_WORKING_DAYS
        )

    @property
    def next_labels(self) -> list[str]:
        return [str(SanctionStep.Kind(k).label) for k in self.next_kinds]


def case_state(
    *, case: SanctionCase, today: date | None = None, sanctions: Any = None
) -> CaseState:
    """The ladder's next steps and the deadline of the newest step that has one."""
    today = today or timezone.localdate()
    if sanctions is None:
        sanctions = sanctions_of(case.programme_year)
    done = steps_done(case)
    next_kinds = (
        ladder.ladder_next(sanctions=sanctions, status=case.status, done=done)
        if sanctions.enabled
        else []
    )
    with_deadline = [s for s in case.steps.all() if s.deadline is not None]
    last = max(with_deadline, key=lambda s: s.letter_date, default=None)
    left = None
    estimated = False
    if (
        last is not None
        and next_kinds
        and last.kind
        in (
            SanctionStep.Kind.WARNING_1,
            SanctionStep.Kind.WARNING_2,
            SanctionStep.Kind.FINE,
        )
    ):
        try:
            left = working_days_between(start=today, end=last.deadline)
        except CalendarNotCovered:
            left = (last.deadline - today).days
        estimated = last.deadline.year in estimated_years()
    return CaseState(
        next_kinds=next_kinds,
        deadline=last.deadline if last is not None else None,
        deadline_kind=last.get_kind_display() if last is not None else "",
        working_days_left=left,
        estimated=estimated,
    )


def supervision_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """What supervision leaves waiting: a half-year without a report (Pasal 12 ayat (1)) for
    Disnakertrans; cases whose deadline passed or is near for BPJS (PP 86/2013 Pasal 6-8);
    BPJS's requests not yet turned into the regency's letter to DPMPTSP."""
    if not user.has_perm(VIEW):
        return []
    tasks: list[Task] = []
    today = timezone.localdate()
    year_url = reverse("supervision:year_detail", args=[programme_year.pk])
    if user.has_perm("supervision.record_supervision") and today.year == programme_year.year:
        half = supervision_halves(programme_year=programme_year, today=today)[
            0 if today.month <= 6 else 1
        ]
        if half.state != "met":
            tasks.append(
                Task(
                    text=_("Catat laporan pengawasan pemberi kerja semester ini"),
                    url=year_url,
                    article=_("Pasal 12 ayat (1)"),
                )
            )
    bpjs = user.has_perm("supervision.record_bpjs_step")
    letters = user.has_perm("supervision.issue_sanction_letter")
    sanctions = sanctions_of(programme_year)
    if not (bpjs or letters) or not sanctions.enabled:
        return tasks
    due: list[int] = []
    near: list[int] = []
    to_letter: list[int] = []
    for case in case_list(programme_year=programme_year).exclude(
        status__in=[SanctionCase.Status.LIFTED, SanctionCase.Status.RESOLVED]
    ):
        state = case_state(case=case, today=today, sanctions=sanctions)
        kinds = set(state.next_kinds) - {SanctionStep.Kind.RESOLVED}
        if kinds & ladder.BPJS_KINDS:
            if state.deadline is None or state.passed:
                due.append(case.pk)
            elif state.near:
                near.append(case.pk)
        if SanctionStep.Kind.WITHHOLD in kinds:
            to_letter.append(case.pk)
    if bpjs and due:
        tasks.append(
            Task(
                text=_("Catat langkah sanksi berikutnya: batas waktu telah lewat"),
                url=reverse("supervision:case_detail", args=[due[0]]),
                count=len(due),
                level="warning",
                article=_("PP 86/2013 Pasal 6-8"),
            )
        )
    if bpjs and near:
        tasks.append(
            Task(
                text=_("Batas waktu teguran atau denda segera berakhir"),
                url=reverse("supervision:case_detail", args=[near[0]]),
                count=len(near),
                article=_("PP 86/2013 Pasal 6-7"),
            )
        )
    if letters and to_letter:
        tasks.append(
            Task(
                text=_("Buat surat penghentian layanan publik kepada DPMPTSP atas permintaan BPJS"),
                url=reverse("supervision:case_detail", args=[to_letter[0]]),
                count=len(to_letter),
                level="warning",
                article=_("PP 86/2013 Pasal 8-9"),
            )
        )
    return tasks
