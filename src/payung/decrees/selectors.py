"""Reads of the decree stage: the team, the decrees, who a decree names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from payung.core.worklist import Task
from payung.decrees.models import Decree, DecreeChange
from payung.documents.contexts import ChangeRow
from payung.domain.calendar import MONTHS
from payung.domain.policy import DecreeSpec, PolicyError
from payung.participants.models import (
    DECREED_OR_LATER,
    Candidate,
    CandidateEvent,
    CandidateState,
    EndReason,
    Proposal,
)
from payung.programmes.models import TeamMember
from payung.programmes.selectors import programme_year_policy, team_member_list


def decree_list(*, programme_year: Any) -> QuerySet[Decree]:
    return Decree.objects.filter(programme_year=programme_year).select_related(
        "drafted_by", "recorded_by", "amends"
    )


def participants(*, programme_year: Any) -> QuerySet[Candidate]:
    """Who a participants decree names: the verified (and, once decreed, the decreed, later
    registered, active or ended) candidates of the year's proposal, in rank order."""
    return (
        Candidate.objects.filter(
            proposal__programme_year=programme_year,
            state__in=[CandidateState.VERIFIED, *DECREED_OR_LATER],
        )
        .select_related("person")
        .order_by("rank")
    )


def participants_digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()


def proposal_of(programme_year: Any) -> Proposal | None:
    return Proposal.objects.filter(programme_year=programme_year).first()


def decree_get(*, pk: int) -> Decree | None:
    return (
        Decree.objects.select_related("programme_year", "drafted_by", "recorded_by", "amends")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class DecreeRow:
    decree: Decree
    documents: list[Any]
    #: A draft that may still be recorded as signed: any amending draft, or a first draft
    #: while no first decree of its kind is signed.
    recordable: bool = False
    #: An amending participants decree's stored lists: how many it adds and removes.
    additions: int = 0
    removals: int = 0


@dataclass(frozen=True)
class DecreeBlock:
    """One decree the policy lists, with the year's decrees of that kind (newest first)."""

    spec: DecreeSpec
    title: str
    decrees: list[DecreeRow]
    signed: bool
    #: For the decree that establishes participants, once signed: what an amending decree
    #: drafted now would add and remove (None otherwise).
    amendment: AmendmentPlan | None = None


@dataclass(frozen=True)
class YearDecrees:
    team: list[TeamMember]
    blocks: list[DecreeBlock]
    #: The policy file could not be loaded: no decree kinds to show.
    policy_missing: bool


def year_decrees(*, programme_year: Any) -> YearDecrees:
    """The decree page of a year: the team and, per decree of the policy, its drafts and
    signed record with their documents (two queries for every decree's documents)."""
    from payung.documents.models import Document
    from payung.documents.services import subject_label

    try:
        specs = list(programme_year_policy(programme_year=programme_year).decrees)
    except PolicyError:
        specs, missing = [], True
    else:
        missing = False
    decrees = list(decree_list(programme_year=programme_year))
    subjects = {subject_label(d): d.pk for d in decrees}
    documents: dict[int, list[Any]] = {d.pk: [] for d in decrees}
    for document in Document.objects.filter(subject__in=list(subjects)).order_by("kind", "pk"):
        documents[subjects[document.subject]].append(document)
    counts: dict[tuple[int, str], int] = {
        (d, c): n
        for d, c, n in DecreeChange.objects.filter(decree__programme_year=programme_year)
        .values_list("decree_id", "change")
        .annotate(n=Count("id"))
        .order_by()
    }
    blocks = []
    for spec in specs:
        mine = [d for d in decrees if d.kind == spec.id]
        signed = any(d.status == Decree.Status.SIGNED and d.amends_id is None for d in mine)
        rows = [
            DecreeRow(
                decree=d,
                documents=documents[d.pk],
                recordable=d.status == Decree.Status.DRAFT
                and (d.amends_id is not None or not signed),
                additions=counts.get((d.pk, DecreeChange.Change.ADDITION), 0),
                removals=counts.get((d.pk, DecreeChange.Change.REMOVAL), 0),
            )
            for d in mine
        ]
        blocks.append(
            DecreeBlock(
                spec=spec,
                title=spec.title.format(year=programme_year.year),
                decrees=rows,
                signed=signed,
                amendment=amendment_plan(programme_year=programme_year)
                if signed and spec.establishes_participants
                else None,
            )
        )
    return YearDecrees(
        team=team_member_list(programme_year=programme_year),
        blocks=blocks,
        policy_missing=missing,
    )


# --- amending participants decrees (Pasal 7 ayat (4); issues 10 and 12) -------------------

#: Reason codes of the additions an amending decree lists.
ADDITION_REPLACEMENT = "pengganti"
ADDITION_VERIFIED = "terverifikasi"


def establishing_spec(*, programme_year: Any) -> DecreeSpec | None:
    """The policy's decree that establishes participants (Pasal 7 ayat (4)), if any."""
    try:
        specs = programme_year_policy(programme_year=programme_year).decrees
    except PolicyError:
        return None
    return next((s for s in specs if s.establishes_participants), None)


def amendment_base(*, programme_year: Any, kind: str) -> Decree | None:
    """The decree a new amending decree changes: the latest signed one of ``kind`` in the
    year, the first decree or its latest amendment (each amendment changes the state the
    previous one left)."""
    return (
        Decree.objects.filter(programme_year=programme_year, kind=kind, status=Decree.Status.SIGNED)
        .select_related("amends")
        .order_by("-recorded_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class PlannedChange:
    """One person an amending decree would add or remove, with the public reason."""

    candidate: Candidate
    reason_code: str
    reason: str


@dataclass(frozen=True)
class AmendmentPlan:
    """What an amending participants decree drafted now would list.

    ``additions``: candidates verified by Disdukcapil (Pasal 7 ayat (3)) and not yet
    decreed, in rank order. ``removals``: candidates an earlier decree of the year named who
    have since ended (refused by BPJS, died, moved, funded twice, ...) and whom no signed
    amending decree has removed yet. ``count_before``: the participants the signed decrees
    name now (decreed, minus those removed by signed amending decrees).
    """

    additions: list[PlannedChange]
    removals: list[PlannedChange]
    count_before: int
    digest: str

    @property
    def count_after(self) -> int:
        return self.count_before + len(self.additions) - len(self.removals)

    @property
    def empty(self) -> bool:
        return not self.additions and not self.removals


def changes_digest(*, additions: list[int], removals: list[int]) -> str:
    """SHA-256 over both lists of candidate ids: what signing compares with the draft."""
    text = "a:" + ",".join(map(str, sorted(additions)))
    text += "|r:" + ",".join(map(str, sorted(removals)))
    return hashlib.sha256(text.encode()).hexdigest()


def _removed_by_signed(programme_year: Any) -> QuerySet[DecreeChange]:
    return DecreeChange.objects.filter(
        decree__programme_year=programme_year,
        decree__status=Decree.Status.SIGNED,
        change=DecreeChange.Change.REMOVAL,
    )


def amendment_plan(*, programme_year: Any) -> AmendmentPlan:
    """The additions and removals an amending decree of the year would list now (five
    queries whatever the year's size)."""
    candidates = Candidate.objects.filter(proposal__programme_year=programme_year)
    decreed = CandidateEvent.objects.filter(
        candidate__proposal__programme_year=programme_year, to_state=CandidateState.DECREED
    ).values("candidate_id")
    removed = _removed_by_signed(programme_year).values("candidate_id")
    added = list(
        candidates.filter(state=CandidateState.VERIFIED).select_related("person").order_by("rank")
    )
    replacements = set(
        CandidateEvent.objects.filter(
            candidate_id__in=[c.pk for c in added],
            to_state=CandidateState.PROPOSED,
            reason_code=ADDITION_REPLACEMENT,
        ).values_list("candidate_id", flat=True)
    )
    additions = [
        PlannedChange(
            candidate=c,
            reason_code=ADDITION_REPLACEMENT if c.pk in replacements else ADDITION_VERIFIED,
            reason=_("Pengganti dari daftar tunggu, terverifikasi Disdukcapil")
            if c.pk in replacements
            else _("Terverifikasi Disdukcapil"),
        )
        for c in added
    ]
    ended = (
        candidates.filter(state=CandidateState.ENDED, pk__in=decreed)
        .exclude(pk__in=removed)
        .select_related("person")
        .order_by("rank")
    )
    # The public wording of the end reason, never the free text written in the history.
    labels = dict(EndReason.choices)
    removals = [
        PlannedChange(
            candidate=c,
            reason_code=c.reason_code,
            reason=str(labels.get(c.reason_code, _("Kepesertaan berakhir"))),
        )
        for c in ended
    ]
    count_before = candidates.filter(pk__in=decreed).exclude(pk__in=removed).count()
    return AmendmentPlan(
        additions=additions,
        removals=removals,
        count_before=count_before,
        digest=changes_digest(
            additions=[c.candidate.pk for c in additions],
            removals=[c.candidate.pk for c in removals],
        ),
    )


def decree_changes(*, decree: Decree) -> tuple[list[DecreeChange], list[DecreeChange]]:
    """The additions and removals stored with an amending decree, in rank order (one
    query)."""
    rows = list(decree.changes.select_related("candidate__person").order_by("candidate__rank"))
    return (
        [r for r in rows if r.change == DecreeChange.Change.ADDITION],
        [r for r in rows if r.change == DecreeChange.Change.REMOVAL],
    )


@dataclass(frozen=True)
class DecreeDetail:
    """One decree's page: the decree, what it amends, its documents and, for an amending
    participants decree, its two stored lists with masked NIKs (as the published annex)."""

    decree: Decree
    documents: list[Any]
    additions: list[ChangeRow]
    removals: list[ChangeRow]
    recordable: bool
    first_month: str


def decree_detail(*, decree: Decree) -> DecreeDetail:
    """A constant number of queries whatever the length of the lists."""
    from payung.documents.models import Document
    from payung.documents.services import subject_label
    from payung.participants.documents import annex_rows

    def rows(changes: list[DecreeChange]) -> list[ChangeRow]:
        lines = annex_rows([c.candidate for c in changes], masked=True)
        return [
            ChangeRow(
                no=c.candidate.rank,
                nama=line.nama,
                nik=line.nik,
                pekerjaan=line.pekerjaan,
                desa=line.desa,
                kecamatan=line.kecamatan,
                reason=c.reason,
            )
            for line, c in zip(lines, changes, strict=True)
        ]

    additions, removals = decree_changes(decree=decree)
    documents = list(Document.objects.filter(subject=subject_label(decree)).order_by("kind", "pk"))
    recordable = decree.status == Decree.Status.DRAFT and (
        decree.amends_id is not None
        or not Decree.objects.filter(
            programme_year_id=decree.programme_year_id,
            kind=decree.kind,
            status=Decree.Status.SIGNED,
            amends__isnull=True,
        ).exists()
    )
    first_month = ""
    if decree.amends_id is not None and decree.months:
        first_month = f"{MONTHS[12 - decree.months]} {decree.programme_year.year}"
    return DecreeDetail(
        decree=decree,
        documents=documents,
        additions=rows(additions),
        removals=rows(removals),
        recordable=recordable,
        first_month=first_month,
    )


def decrees_tasks(*, user: Any, programme_year: Any) -> list[Task]:
    """What the decree stage leaves to Disnakertrans (Pasal 7 ayat (4)): a draft whose
    signed copy is to be recorded, and verified candidates no decree names yet (the first
    participants decree, or an amending one after it). Two queries."""
    from django.urls import reverse

    may_draft = user.has_perm("decrees.draft_decree")
    may_record = user.has_perm("decrees.record_signed_decree")
    if not (may_draft or may_record):
        return []
    article = _("Pasal 7 ayat (4)")
    decrees = list(
        Decree.objects.filter(programme_year=programme_year)
        .order_by("drafted_at", "pk")
        .values("pk", "kind", "status")
    )
    tasks: list[Task] = []
    drafts = [d for d in decrees if d["status"] == Decree.Status.DRAFT]
    if may_record and drafts:
        tasks.append(
            Task(
                text=_("Catat keputusan yang sudah ditandatangani Bupati"),
                url=reverse("decrees:decree_detail", args=[drafts[0]["pk"]]),
                count=len(drafts),
                level="warning",
                article=article,
            )
        )
    spec = establishing_spec(programme_year=programme_year)
    if may_draft and spec is not None and not any(d["kind"] == spec.id for d in drafts):
        verified = Candidate.objects.filter(
            proposal__programme_year=programme_year, state=CandidateState.VERIFIED
        ).count()
        if verified:
            signed = any(d["kind"] == spec.id for d in decrees)
            text = (
                _("Susun rancangan keputusan perubahan untuk calon terverifikasi")
                if signed
                else _("Susun rancangan keputusan peserta")
            )
            tasks.append(
                Task(
                    text=text,
                    url=reverse("decrees:year_detail", args=[programme_year.pk]),
                    count=verified,
                    article=article,
                )
            )
    return tasks
