"""Each role's workspace on the home page: where the year stands, whose turn it is, what waits
for this user, and the figures the role may see (issue 9).

The tracker is read from the data, not from the year's status alone: an import done, a run
done, the proposal approved (Pasal 7 ayat (3)), no verification round open, the participants
decree signed (Pasal 7 ayat (4)), every decreed participant registered with BPJS (Pasal 8),
bills and ends running (Pasal 9), the half-year's semester report made (Pasal 12 ayat (3)).
Everything comes from stored summaries (the import's ``row_count``, the run's ``counts``) and
aggregates over the year's candidates, never a count over the person table, so the page costs
the same fixed number of queries for 500 people or 50 000.

This module sits in ``web``, the top layer, because it reads every stage; each stage's own
"Tugas Anda" lines come from that stage's ``<app>_tasks`` selector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts.roles import BY_CODE
from payung.appeals.selectors import appeals_tasks
from payung.contributions.models import Bill, Payment
from payung.contributions.selectors import contributions_tasks
from payung.core.formatting import angka
from payung.core.models import JobStatus
from payung.core.worklist import Task, task_sort
from payung.decrees.models import Decree
from payung.decrees.selectors import decrees_tasks, establishing_spec
from payung.domain.money import rupiah
from payung.ends.selectors import ends_tasks
from payung.enrollment.models import Card, RegistrationBatch
from payung.enrollment.selectors import enrollment_tasks
from payung.monitoring.report_selectors import monitoring_tasks, semester_report_step
from payung.participants.models import CandidateState, Proposal
from payung.participants.selectors import candidate_state_counts, participants_tasks
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport
from payung.registry.selectors import registry_tasks
from payung.screening.models import ScreeningRun
from payung.screening.selectors import screening_tasks
from payung.supervision.selectors import HalfYear, supervision_halves, supervision_tasks
from payung.verification.models import VerificationBatch
from payung.verification.selectors import verification_tasks

#: Every stage's worklist, in workflow order (the order "Tugas Anda" lists equal urgency).
TASK_SOURCES: Final[tuple[Callable[..., list[Task]], ...]] = (
    registry_tasks,
    screening_tasks,
    participants_tasks,
    verification_tasks,
    decrees_tasks,
    enrollment_tasks,
    contributions_tasks,
    ends_tasks,
    appeals_tasks,
    supervision_tasks,
    monitoring_tasks,
)

_S = CandidateState
#: Candidates holding a place after the decree.
_DECREED_ON = (_S.DECREED, _S.REGISTERED, _S.ACTIVE)


@dataclass(frozen=True)
class YearFacts:
    """The stored summaries the tracker and the figures read: one query each."""

    imports: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    proposal: dict[str, Any] | None
    states: dict[str, int]
    batches: dict[str, int]
    decrees: list[dict[str, Any]]
    registration: dict[str, int]
    cards: dict[str, int]
    billed: dict[str, int]
    paid: int
    establishing_kind: str | None

    def state(self, *states: str) -> int:
        return sum(self.states.get(s, 0) for s in states)

    @property
    def import_done(self) -> dict[str, Any] | None:
        return next((i for i in self.imports if i["status"] == JobStatus.DONE), None)

    @property
    def run_done(self) -> dict[str, Any] | None:
        return next((r for r in self.runs if r["status"] == JobStatus.DONE), None)

    @property
    def signed_decree(self) -> dict[str, Any] | None:
        return next(
            (
                d
                for d in self.decrees
                if d["status"] == Decree.Status.SIGNED
                and d["kind"] == self.establishing_kind
                and d["amends_id"] is None
            ),
            None,
        )


def year_facts(*, programme_year: ProgrammeYear) -> YearFacts:
    """Ten small queries, none over the person table (the run's counts are stored)."""
    year = programme_year
    states = candidate_state_counts(programme_year=year)
    spec = establishing_spec(programme_year=year)
    return YearFacts(
        imports=list(
            DtsenImport.objects.filter(programme_year=year)
            .order_by("-created_at", "-pk")
            .values("pk", "status", "row_count")
        ),
        runs=list(
            ScreeningRun.objects.filter(programme_year=year)
            .order_by("-created_at", "-pk")
            .values("pk", "status", "counts", "quota")
        ),
        proposal=Proposal.objects.filter(programme_year=year).values("pk", "status").first(),
        states=states,
        batches=VerificationBatch.objects.filter(proposal__programme_year=year).aggregate(
            total=Count("pk"), open=Count("pk", filter=Q(status=VerificationBatch.Status.OPEN))
        ),
        decrees=list(
            Decree.objects.filter(programme_year=year)
            .order_by("drafted_at", "pk")
            .values("pk", "kind", "status", "participant_count", "amends_id")
        ),
        registration=RegistrationBatch.objects.filter(programme_year=year).aggregate(
            total=Count("pk"),
            prepared=Count("pk", filter=Q(status=RegistrationBatch.Status.PREPARED)),
        ),
        cards=Card.objects.filter(candidate__proposal__programme_year=year).aggregate(
            received=Count("pk", filter=Q(received_on__isnull=False)),
            delivered=Count("pk", filter=Q(delivered_on__isnull=False)),
        ),
        billed=Bill.objects.filter(programme_year=year).aggregate(
            count=Count("pk"), total=Sum("total")
        ),
        paid=Payment.objects.filter(
            bill__programme_year=year, status=Payment.Status.CONFIRMED
        ).aggregate(total=Sum("amount"))["total"]
        or 0,
        establishing_kind=spec.id if spec is not None else None,
    )


@dataclass(frozen=True)
class Step:
    """One step of the tracker. ``url`` is empty when the user may not open the page."""

    code: str
    label: str
    state: str  # "done", "current", "todo" or "unavailable"
    actor: str
    figure: str
    article: str
    url: str = ""
    #: The user's role acts on this step (its "Giliran Anda" when the step is current).
    mine: bool = False
    note: str = ""

    @property
    def state_label(self) -> str:
        return {
            "done": _("selesai"),
            "current": _("sedang berjalan"),
            "todo": _("belum dimulai"),
            "unavailable": _("belum tersedia"),
        }[self.state]


def _role(code: str) -> str:
    role = BY_CODE[code]
    return role.name


def _run_counts(run: dict[str, Any] | None) -> dict[str, int]:
    if run is None:
        return {}
    return (run.get("counts") or {}).get("by_status", {}) or {}


@dataclass(frozen=True)
class _StepSpec:
    code: str
    label: str
    actor: str
    article: str
    url_name: str
    view_perm: str
    act_perms: tuple[str, ...]
    #: Whoever lacks it sees the step without its figure (money paid: the bendahara's).
    figure_perm: str = ""


def _specs() -> list[_StepSpec]:
    """The steps in workflow order: who acts, the article, the page and who may open it."""
    dinsos, dukcapil = _role("operator_pendataan"), _role("verifikator")
    disnaker, bpjs = _role("operator_kepesertaan"), _role("petugas_bpjs")
    return [
        _StepSpec(
            "pendataan",
            _("Pendataan"),
            dinsos,
            _("Pasal 7 ayat (1)"),
            "registry:year_detail",
            "programmes.view_programmeyear",
            ("registry.import_extract",),
        ),
        _StepSpec(
            "penyaringan",
            _("Penyaringan"),
            dinsos,
            _("Pasal 5, Pasal 7 ayat (2)"),
            "screening:run_detail",
            "screening.view_screeningrun",
            ("screening.run_screening",),
        ),
        _StepSpec(
            "usulan",
            _("Usulan calon peserta"),
            dinsos,
            _("Pasal 7 ayat (3)"),
            "participants:proposal_detail",
            "participants.view_proposal",
            ("participants.approve_proposal",),
        ),
        _StepSpec(
            "verifikasi",
            _("Verifikasi Disdukcapil"),
            dukcapil,
            _("Pasal 7 ayat (3)"),
            "verification:batch_list",
            "verification.view_verificationbatch",
            ("verification.record_verification",),
        ),
        _StepSpec(
            "keputusan",
            _("Keputusan Bupati"),
            _("%(role)s; ditandatangani Bupati") % {"role": disnaker},
            _("Pasal 7 ayat (4)"),
            "decrees:year_detail",
            "decrees.view_decree",
            ("decrees.record_signed_decree",),
        ),
        _StepSpec(
            "pendaftaran",
            _("Pendaftaran BPJS"),
            _("%(a)s dan %(b)s") % {"a": disnaker, "b": bpjs},
            _("Pasal 8"),
            "enrollment:batch_year",
            "enrollment.view_registrationbatch",
            ("enrollment.prepare_registration", "enrollment.upload_registration_answer"),
        ),
        _StepSpec(
            "iuran",
            _("Iuran"),
            _role("bendahara"),
            _("Pasal 9"),
            "contributions:year_detail",
            "contributions.view_contributions",
            ("contributions.issue_bill",),
            figure_perm="contributions.view_contributions",
        ),
        _StepSpec(
            "akhir",
            _("Akhir dan pengganti"),
            _("%(a)s; pengganti: %(b)s") % {"a": disnaker, "b": dinsos},
            _("Pasal 6 ayat (2)"),
            "ends:year_ends",
            "ends.view_ends",
            ("participants.end_participant", "participants.propose_candidates"),
        ),
    ]


def _states(facts: YearFacts, year: ProgrammeYear) -> dict[str, tuple[bool, bool]]:
    """Per step: (done, started)."""
    closed = year.status == ProgrammeYear.Status.CLOSED
    approved = facts.proposal is not None and facts.proposal["status"] == Proposal.Status.APPROVED
    verified_all = (
        approved
        and facts.batches["total"] > 0
        and facts.batches["open"] == 0
        and facts.state(_S.PROPOSED) == 0
    )
    registered_all = (
        facts.registration["total"] > 0
        and facts.registration["prepared"] == 0
        and facts.state(_S.DECREED) == 0
    )
    running = registered_all or facts.billed["count"] > 0
    return {
        "pendataan": (facts.import_done is not None, bool(facts.imports)),
        "penyaringan": (facts.run_done is not None, bool(facts.runs)),
        "usulan": (approved, facts.proposal is not None),
        "verifikasi": (verified_all, facts.batches["total"] > 0),
        "keputusan": (facts.signed_decree is not None, bool(facts.decrees)),
        "pendaftaran": (registered_all, facts.registration["total"] > 0),
        "iuran": (closed, running),
        "akhir": (closed, running),
    }


def _figure(code: str, facts: YearFacts) -> str:
    counts = _run_counts(facts.run_done)
    if code == "pendataan":
        done = facts.import_done
        if done is not None and done["row_count"] is not None:
            return _("%(n)s orang diimpor") % {"n": angka(done["row_count"])}
        if facts.imports and facts.imports[0]["status"] == JobStatus.FAILED:
            return _("impor gagal")
        return _("impor sedang berjalan") if facts.imports else _("belum ada impor")
    if code == "penyaringan":
        if not counts:
            return _("belum ada penyaringan selesai")
        eligible = sum(counts.get(s, 0) for s in ("eligible", "selected", "waitlisted"))
        return _("%(n)s memenuhi syarat") % {"n": angka(eligible)}
    if code == "usulan":
        if facts.proposal is None:
            return _("belum ada usulan")
        placed = facts.state(_S.PROPOSED, _S.VERIFIED, *_DECREED_ON)
        return _("%(n)s calon dalam pagu") % {"n": angka(placed)}
    if code == "verifikasi":
        verified = facts.state(_S.VERIFIED, *_DECREED_ON, _S.ENDED)
        text = _("%(n)s terverifikasi") % {"n": angka(verified)}
        if facts.batches["open"]:
            text += " · " + _("%(n)s tahap menunggu jawaban") % {"n": angka(facts.batches["open"])}
        return text
    if code == "keputusan":
        signed = facts.signed_decree
        if signed is None:
            return _("rancangan belum ditandatangani") if facts.decrees else _("belum ada")
        text = _("%(n)s peserta dalam keputusan") % {"n": angka(signed["participant_count"])}
        amendments = sum(
            1
            for d in facts.decrees
            if d["amends_id"] is not None and d["status"] == Decree.Status.SIGNED
        )
        if amendments:
            text += " · " + _("%(k)s keputusan perubahan") % {"k": angka(amendments)}
        return text
    if code == "pendaftaran":
        registered = facts.state(_S.REGISTERED, _S.ACTIVE)
        return _("%(n)s terdaftar · %(k)s kartu diterima") % {
            "n": angka(registered),
            "k": angka(facts.cards["received"]),
        }
    if code == "iuran":
        return _("%(n)s tagihan · %(paid)s dibayar") % {
            "n": angka(facts.billed["count"]),
            "paid": rupiah(facts.paid),
        }
    if code == "akhir":
        return _("%(n)s berakhir · %(w)s di daftar tunggu") % {
            "n": angka(facts.state(_S.ENDED)),
            "w": angka(facts.state(_S.WAITLISTED)),
        }
    return ""


def _url(spec: _StepSpec, user: Any, year: ProgrammeYear, facts: YearFacts) -> str:
    if not user.has_perm(spec.view_perm):
        return ""
    if spec.url_name == "screening:run_detail":
        run = facts.run_done or (facts.runs[0] if facts.runs else None)
        return reverse(spec.url_name, args=[run["pk"]]) if run else ""
    return reverse(spec.url_name, args=[year.pk])


def year_steps(*, user: Any, programme_year: ProgrammeYear, facts: YearFacts) -> list[Step]:
    """The tracker: each step done, current (every step before it done, or work on it
    started: a verification round for replacements runs while bills are paid) or todo; the
    semester report (Pasal 12 ayat (3)) is done when the half-year due has its report."""
    flags = _states(facts, programme_year)
    steps: list[Step] = []
    previous_done = True
    for spec in _specs():
        done, started = flags[spec.code]
        state = "done" if done else "current" if (previous_done or started) else "todo"
        previous_done = previous_done and done
        steps.append(
            Step(
                code=spec.code,
                label=spec.label,
                state=state,
                actor=spec.actor,
                figure=_figure(spec.code, facts)
                if not spec.figure_perm or user.has_perm(spec.figure_perm)
                else "",
                article=spec.article,
                url=_url(spec, user, programme_year, facts),
                mine=any(user.has_perm(p) for p in spec.act_perms),
            )
        )
    # Issue 14: the semester report to the Regent, done when the half-year due has a report.
    report = semester_report_step(programme_year=programme_year)
    steps.append(
        Step(
            code="laporan",
            label=_("Laporan semester"),
            state="done"
            if report.done
            else "current"
            if (previous_done or report.started)
            else "todo",
            actor=_role("anggota_tim"),
            figure=report.figure if user.has_perm("monitoring.view_monitoring") else "",
            article=_("Pasal 12 ayat (3)"),
            url=reverse("monitoring:report_year", args=[programme_year.pk])
            if user.has_perm("monitoring.view_monitoring")
            else "",
            mine=user.has_perm("monitoring.write_report"),
        )
    )
    return steps


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


def year_figures(*, user: Any, programme_year: Any, facts: YearFacts) -> list[Figure]:
    """The year's totals the user's role may see (a team member sees no payments, for
    example): aggregates only, never a person."""
    counts = _run_counts(facts.run_done)
    out: list[Figure] = []

    def add(perm: str, label: str, value: str) -> None:
        if user.has_perm(perm):
            out.append(Figure(label=label, value=value))

    pagu = getattr(programme_year, "pagu_total", None) or 0
    add("programmes.view_programmeyear", _("Pagu"), rupiah(pagu))
    if facts.import_done is not None and facts.import_done["row_count"] is not None:
        add(
            "screening.view_screeningrun", _("Orang diimpor"), angka(facts.import_done["row_count"])
        )
    if counts:
        eligible = sum(counts.get(s, 0) for s in ("eligible", "selected", "waitlisted"))
        add("screening.view_screeningrun", _("Memenuhi syarat"), angka(eligible))
        if user.has_perm("monitoring.view_monitoring"):
            # Issue 14 (Pasal 6 ayat (2)): how far from covering every eligible person, and
            # what that costs a year at the pinned policy's rates (details: /monitoring/).
            from payung.participants.forecast import place_cost

            gap = max(0, eligible - facts.state(_S.ACTIVE))
            year_cost = place_cost(
                programme_year=programme_year, from_month=date(programme_year.year, 1, 1)
            )
            out.append(Figure(_("Memenuhi syarat, belum tercakup"), angka(gap)))
            out.append(Figure(_("Biaya mencakup mereka setahun"), rupiah(gap * year_cost)))
    if facts.proposal is not None:
        add("participants.view_proposal", _("Daftar tunggu"), angka(facts.state(_S.WAITLISTED)))
    if facts.signed_decree is not None:
        add(
            "programmes.view_programmeyear",
            _("Peserta ditetapkan"),
            # Everyone the decrees named, ended ones included: the funnel's "Ditetapkan",
            # and "aktif" plus "berakhir" below add up to it.
            angka(facts.state(*_DECREED_ON, _S.ENDED)),
        )
        add("programmes.view_programmeyear", _("Peserta aktif"), angka(facts.state(_S.ACTIVE)))
        add(
            "enrollment.view_card",
            _("Kartu belum diserahkan"),
            angka(facts.cards["received"] - facts.cards["delivered"]),
        )
        add("ends.view_ends", _("Kepesertaan berakhir"), angka(facts.state(_S.ENDED)))
    if facts.billed["count"]:
        add(
            "contributions.view_contributions",
            _("Iuran ditagih"),
            rupiah(facts.billed["total"] or 0),
        )
        add("contributions.view_contributions", _("Iuran dibayar"), rupiah(facts.paid))
        add("contributions.view_contributions", _("Sisa pagu"), rupiah(pagu - facts.paid))
    return out


@dataclass(frozen=True)
class Workspace:
    year: ProgrammeYear
    others: list[ProgrammeYear]
    steps: list[Step]
    tasks: list[Task]
    figures: list[Figure]
    #: The role's next step while another agency is at work ("Tahap Anda berikutnya").
    next_mine: Step | None = None
    waiting_on: list[Step] = field(default_factory=list)
    #: Newest finished screening run, for the menu's "Penyaringan" link.
    run_pk: int | None = None
    #: Supervision reports per half-year (Pasal 12 ayat (1)), for those who may read them.
    supervision: list[HalfYear] = field(default_factory=list)
    #: The year's candidates per state, counted once for the steps and the funnel chart.
    candidate_states: dict[str, int] = field(default_factory=dict)


def workspace_tasks(*, user: Any, programme_year: ProgrammeYear) -> list[Task]:
    """Every stage's tasks for this user, the urgent first."""
    tasks: list[Task] = []
    for source in TASK_SOURCES:
        tasks += source(user=user, programme_year=programme_year)
    return task_sort(tasks)


def workspace_build(
    *, user: Any, years: list[ProgrammeYear], chosen: int | None
) -> Workspace | None:
    """The workspace of ``user`` for the chosen year; when none or unknown, the budget year
    running today (tahun anggaran berjalan: its bills, ends and replacements are where most
    roles act), else the newest. Next year's preparation is one click away."""
    if not years:
        return None
    today = timezone.localdate().year
    running = next((y for y in years if y.year == today), years[0])
    year = next((y for y in years if y.pk == chosen), running)
    facts = year_facts(programme_year=year)
    steps = year_steps(user=user, programme_year=year, facts=facts)
    current = [s for s in steps if s.state == "current"]
    next_mine = None
    if not any(s.mine for s in current):
        next_mine = next((s for s in steps if s.mine and s.state == "todo"), None)
    run = facts.run_done or (facts.runs[0] if facts.runs else None)
    return Workspace(
        year=year,
        others=[y for y in years if y.pk != year.pk],
        steps=steps,
        tasks=workspace_tasks(user=user, programme_year=year),
        figures=year_figures(user=user, programme_year=year, facts=facts),
        next_mine=next_mine,
        waiting_on=current,
        run_pk=run["pk"] if run else None,
        supervision=supervision_halves(programme_year=year)
        if user.has_perm("supervision.view_supervision")
        else [],
        candidate_states=facts.states,
    )
