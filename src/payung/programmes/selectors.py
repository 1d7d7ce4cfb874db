"""Reads on programme years: the pinned policy, the list a user may see, what the pagu buys,
the team, the cooperation agreement and the year's steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from payung.domain.policy import Policy, PolicyError, PolicyProblem, policy_parse, policy_sha256
from payung.programmes.models import (
    BudgetLine,
    CooperationAgreement,
    ProgrammeYear,
    TeamMember,
)


def programme_year_policy(*, programme_year: ProgrammeYear) -> Policy:
    """The policy the year pinned when it was created: its stored text, never today's file.

    Every stage of a year (imports, screening, proposal, verification, decrees, documents)
    reads its regulation here, so editing or replacing a shipped YAML file changes nothing
    for a year that exists. A snapshot whose text no longer matches its SHA-256 was edited
    in the database and is refused (``PolicyError``) rather than silently applied.
    """
    return _snapshot_parse(programme_year.policy_sha256, programme_year.policy_text)


@lru_cache(maxsize=16)
def _snapshot_parse(sha256: str, text: str) -> Policy:
    if policy_sha256(text) != sha256:
        problem = PolicyProblem(
            code="policy.snapshot_altered",
            detail="teks kebijakan tahun program tidak cocok dengan SHA-256-nya",
        )
        raise PolicyError("snapshot", [problem])
    return policy_parse(text, source=f"snapshot {sha256[:12]}")


#: Year statuses reached once the participants decree is signed (Pasal 7 ayat (4)) and
#: before the year is closed: a year in one of them has participants to carry over.
CARRY_OVER_STATUSES = (ProgrammeYear.Status.DITETAPKAN, ProgrammeYear.Status.ACTIVE)


def programme_year_carry_over_source(*, region_code: str, year: int) -> ProgrammeYear | None:
    """The year whose participants a new ``year`` of the region may carry over (issue 12):
    the one just before it, once its participants decree is signed and while it runs."""
    return ProgrammeYear.objects.filter(
        region_code=region_code, year=year - 1, status__in=CARRY_OVER_STATUSES
    ).first()


def programme_year_carry_over_offer() -> ProgrammeYear | None:
    """The latest year with participants whose next year does not exist yet: what the
    creation form offers to carry over ("Lanjutkan peserta aktif tahun N")."""
    for source in ProgrammeYear.objects.filter(status__in=CARRY_OVER_STATUSES).order_by("-year"):
        taken = ProgrammeYear.objects.filter(
            region_code=source.region_code, year=source.year + 1
        ).exists()
        if not taken:
            return source
    return None


def programme_year_list(*, user: Any) -> QuerySet[ProgrammeYear]:
    """Programme years the user may see (every role may see the years; none if no perm).

    ``pagu_total`` is the sum of the year's budget lines (Pasal 13 sources together), or
    None for a year without lines.
    """
    if not user.has_perm("programmes.view_programmeyear"):
        return ProgrammeYear.objects.none()
    return (
        ProgrammeYear.objects.prefetch_related("budget_lines")
        .annotate(pagu_total=Sum("budget_lines__amount"))
        .order_by("-year")
    )


def programme_year_get(*, pk: int) -> ProgrammeYear | None:
    """One year with its budget lines in source order, or None."""
    lines = Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("source"))
    return (
        ProgrammeYear.objects.select_related("created_by")
        .prefetch_related(lines)
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class YearCost:
    """What the pagu buys (Pasal 6(2), 9(2)): cost of one participant and how many it covers,
    under the policy the year pinned (so it cannot differ from the year's version)."""

    months: int
    cost_per_person: int
    monthly_per_person: int
    pagu_total: int
    quota: int
    policy: Policy


def programme_year_cost(*, programme_year: ProgrammeYear) -> YearCost | None:
    """Yearly cost per participant and the quota the total pagu covers; None if no policy.

    ``annual_cost_per_person`` is (JKK + JKM) × coverage months (Pasal 9 ayat (2)); the
    quota is the total pagu divided by it, rounded down (Pasal 6 ayat (2)).
    """
    try:
        policy = programme_year_policy(programme_year=programme_year)
    except PolicyError:
        return None
    months = programme_year.coverage_months
    total = sum(line.amount for line in programme_year.budget_lines.all())
    return YearCost(
        months=months,
        cost_per_person=policy.annual_cost_per_person(months, year=programme_year.year),
        monthly_per_person=policy.contribution.monthly_on(
            date(programme_year.year, 13 - months, 1)
        ),
        pagu_total=total,
        quota=policy.quota(total, months, year=programme_year.year),
        policy=policy,
    )


#: Team positions in the order Pasal 10 ayat (4) lists them (and decrees print them).
POSITION_ORDER = [p.value for p in TeamMember.Position]


def team_member_list(*, programme_year: Any) -> list[TeamMember]:
    members = list(TeamMember.objects.filter(programme_year=programme_year))
    return sorted(members, key=lambda m: (POSITION_ORDER.index(m.position), m.pk))


def year_or_404(pk: int) -> ProgrammeYear:
    """The programme year a page's URL names, or the Indonesian 404 page."""
    year = programme_year_get(pk=pk)
    if year is None:
        raise Http404(_("Tahun program tidak ditemukan."))
    return year


def cooperation_agreement_get(*, programme_year: ProgrammeYear) -> CooperationAgreement | None:
    """The year's PKS with BPJS Ketenagakerjaan (Pasal 6 ayat (4)), or None before it is
    recorded."""
    return CooperationAgreement.objects.filter(programme_year=programme_year).first()


@dataclass(frozen=True)
class YearStep:
    """One step of the year's tracker: its Indonesian label and where it stands."""

    label: str
    state: str  # "done", "current" or "todo"


def programme_year_steps(*, programme_year: ProgrammeYear) -> list[YearStep]:
    """The year's workflow as a step tracker: every status in order, the current one marked.

    The status moves forward with the work (``programme_year_advance``), so the tracker tells
    every agency sharing the year which stage it is in without opening each page.
    """
    order = list(ProgrammeYear.Status)
    current = order.index(ProgrammeYear.Status(programme_year.status))
    return [
        YearStep(
            label=str(status.label),
            state="done" if i < current else "current" if i == current else "todo",
        )
        for i, status in enumerate(order)
    ]
