"""Everything Payung holds about one NIK, across programme years (the right of access).

A person asking "what do you keep about me, and why was I (not) chosen?" gets one answer
that spans every stage: the rows of each DTSEN import that carried the NIK, each screening
decision with its articles, the candidacy with its history, Disdukcapil's answers and the
decree that made the person a participant. Each stage keeps its own rows; this module is the
one place that gathers them, so nothing is left out when a stage is added (add it here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from payung import wording
from payung.appeals.selectors import person_appeals
from payung.core.formatting import tanggal
from payung.core.lifecycle import FinalState
from payung.decrees.models import Decree
from payung.domain import nik as nik_domain
from payung.engine import CANONICAL
from payung.enrollment.cards import card_status_label
from payung.enrollment.models import RegistrationItem
from payung.participants.models import (
    DECREED_OR_LATER,
    Candidate,
    CandidateEvent,
    CandidateState,
    CoveragePeriod,
    EndReason,
)
from payung.registry.models import Person
from payung.registry.selectors import person_name_matches
from payung.screening.labels import status_label
from payung.screening.models import Decision, ScreeningRun
from payung.screening.selectors import (
    Explanation,
    codes,
    decision_explain,
    run_policy,
    village_label,
)
from payung.verification.models import Answer, VerificationItem

#: Version of the export's layout; bumped when a field changes meaning.
EXPORT_FORMAT = "payung.person-export/1"


def person_nik_normalise(*, raw: str) -> str:
    """The NIK as typed by an operator (spaces, a leading apostrophe) as Payung stores it."""
    return nik_domain.clean(raw)


def _reasons(run: Any, value: str) -> list[dict[str, str]]:
    policy = run_policy(run)
    out = []
    for code in codes(value):
        try:
            rule = policy.rule(code)
        except KeyError:
            out.append({"kode": code, "pasal": "", "keterangan": wording.describe(code)})
        else:
            out.append({"kode": code, "pasal": rule.article, "keterangan": rule.sentence})
    return out


def _decision(decision: Decision) -> dict[str, Any]:
    run = decision.run
    return {
        "penyaringan": run.pk,
        "kebijakan": f"{run.policy_id} {run.policy_version}",
        "tanggal_acuan": run.as_of.isoformat(),
        "status": decision.status,
        "status_keterangan": status_label(decision.status),
        "alasan": _reasons(run, decision.reasons),
        "peringkat": decision.priority_rank,
        "prioritas": codes(decision.priorities),
        "catatan": [wording.describe(c) for c in codes(decision.flags)],
        "usia": decision.age,
        "desil": decision.desil,
    }


def _candidate(candidate: Candidate) -> dict[str, Any]:
    history = [
        {
            "waktu": event.at.isoformat(),
            "dari": event.from_state,
            "ke": event.to_state,
            "alasan": event.reason,
            "bukti": event.evidence,
            "oleh": getattr(event.actor, "username", ""),
        }
        for event in candidate.events.select_related("actor").order_by("at", "id")
    ]
    answers = [
        {
            "tahap": item.batch.number,
            "hasil": item.answer,
            "data_perbaikan": item.corrected,
            "keterangan": item.note,
            "dicatat": item.recorded_at.isoformat() if item.recorded_at else None,
        }
        for item in VerificationItem.objects.filter(candidate=candidate)
        .select_related("batch")
        .order_by("batch__number")
    ]
    decrees = []
    if candidate.state in DECREED_OR_LATER:
        decrees = [
            {"nomor": d.number, "tanggal": d.signed_on.isoformat(), "judul": d.title}
            for d in Decree.objects.filter(
                programme_year_id=candidate.proposal.programme_year_id,
                status=Decree.Status.SIGNED,
            ).order_by("signed_on", "pk")
            if d.signed_on
        ]
    return {
        "peringkat": candidate.rank,
        "status": candidate.state,
        "status_keterangan": str(CandidateState(candidate.state).label),
        "alasan": candidate.reason,
        "data_perbaikan": candidate.corrected,
        "riwayat": history,
        "verifikasi_disdukcapil": answers,
        "keputusan": decrees,
        # Pasal 8: the card number, each stretch of cover, the card, BPJS's answers.
        "kpj": candidate.kpj,
        "masa_kepesertaan": [
            {
                "mulai": p.start.isoformat(),
                "berakhir": p.end.isoformat() if p.end else None,
                "alasan_berakhir": p.end_reason,
            }
            for p in candidate.coverage_periods.order_by("start", "pk")
        ],
        "kartu": _card(candidate),
        "pendaftaran_bpjs": [
            {
                "tahap": item.batch.number,
                "hasil": item.outcome,
                "mulai_kepesertaan": item.cover_start.isoformat() if item.cover_start else None,
                "alasan_penolakan": item.refusal_reason,
            }
            for item in candidate.registration_items.select_related("batch").order_by(
                "batch__number", "pk"
            )
        ],
    }


def _persons_with_nik(nik: str) -> QuerySet[Person]:
    """Every imported row of one NIK, as imported or as screened (spaces, an apostrophe).

    The two are one UNION of ids, each read from its NIK index: written as ``nik = … OR id
    IN (…)`` PostgreSQL cannot use an index for the OR and reads every person (0.4 s at 1 M
    persons on a quiet machine, 3 s under the load test; issue 16).
    """
    as_imported = Person.objects.filter(nik=nik).order_by().values("pk")
    # Per run through the (run, nik) index: a million decisions are never scanned.
    as_screened = (
        Decision.objects.filter(run_id__in=ScreeningRun.objects.values("pk"), nik=nik)
        .order_by()
        .values("person_id")
    )
    return Person.objects.filter(pk__in=as_imported.union(as_screened)).select_related(
        "dtsen_import", "dtsen_import__programme_year"
    )


def person_records(*, nik: str) -> list[dict[str, Any]]:
    """One record per imported row carrying ``nik``, oldest year first, with every stage.

    Matched on the NIK as imported and on the NIK as screened (an extract may have carried
    it with spaces or an apostrophe), so a person is found whichever form the file used. A
    text that names no one (``nik.identifies``: ``3.60117E+15`` is every NIK of a district
    as Excel wrote it) has no records: they would be strangers', as on the person page.
    """
    nik = person_nik_normalise(raw=nik)
    if not nik_domain.identifies(nik):
        return []
    persons = _persons_with_nik(nik).order_by(
        "dtsen_import__programme_year__year", "dtsen_import_id", "row"
    )
    records = []
    for person in persons:
        dtsen_import = person.dtsen_import
        year = dtsen_import.programme_year
        decisions = (
            Decision.objects.filter(person_id=person.pk)
            .select_related("run", "run__programme_year")
            .order_by("run_id")
        )
        candidates = Candidate.objects.filter(person_id=person.pk).select_related(
            "proposal", "proposal__programme_year"
        )
        records.append(
            {
                "tahun_program": year.year,
                "wilayah": year.region_name,
                "impor": {
                    "id": dtsen_import.pk,
                    "nama_berkas": dtsen_import.file_name,
                    "sha256": dtsen_import.sha256,
                    "baris": person.row,
                    "diimpor": dtsen_import.created_at.isoformat(),
                },
                "data_dtsen": {name: getattr(person, name) for name in CANONICAL},
                "keputusan_penyaringan": [_decision(d) for d in decisions],
                "pencalonan": [_candidate(c) for c in candidates],
                "sanggahan": [_appeal(a) for a in person_appeals(person_ids=[person.pk])],
            }
        )
    return records


def _appeal(appeal: Any) -> dict[str, Any]:
    """An appeal as exported: what was asked, the evidence, the re-screening, the answer."""
    return {
        "diterima": appeal.received_on.isoformat(),
        "saluran": appeal.channel,
        "diajukan_oleh": appeal.filed_by,
        "alasan": appeal.grounds,
        "data_perbaikan": appeal.corrections,
        "hasil_penyaringan_ulang": appeal.result_status,
        "pasal_tidak_terpenuhi": [c for c in appeal.result_reasons.split(";") if c],
        "jawaban": appeal.outcome,
        "peringkat": appeal.placed_rank,
        "dijawab": appeal.answered_on.isoformat() if appeal.answered_on else None,
    }


# --- the person page -----------------------------------------------------------------------

#: At most this many people in one search's results: a name search is narrowed, not paged.
SEARCH_LIMIT: Final = 50
#: A search reads at most this many imported rows (a person has one a year they were
#: imported): enough for ``SEARCH_LIMIT`` people, and a common name stops here.
SEARCH_ROWS: Final = SEARCH_LIMIT * 10
#: A name search needs this many letters, so "a" does not list the whole regency.
NAME_MIN_LETTERS: Final = 3
_NIK_SEPARATORS = re.compile(r"[\s.]+")


def person_search_nik(*, term: str) -> str | None:
    """The NIK in ``term`` (16 digits, dots and spaces allowed), or None for a name."""
    digits = _NIK_SEPARATORS.sub("", person_nik_normalise(raw=term))
    return digits if digits.isdigit() else None


def person_search_problem(*, term: str) -> str:
    """Why ``term`` cannot be searched for, in words; "" when it can."""
    nik = person_search_nik(term=term)
    if nik is not None:
        return "" if len(nik) == 16 else _("NIK terdiri atas 16 angka.")
    if sum(ch.isalpha() for ch in term) < NAME_MIN_LETTERS:
        return _("Ketik NIK (16 angka) atau paling sedikit 3 huruf nama.")
    return ""


@dataclass(frozen=True)
class PersonHit:
    """One person found: their newest imported row, and every year they were imported in."""

    person_id: int
    nik: str
    name: str
    village: str
    years: list[int]


@dataclass(frozen=True)
class PersonSearch:
    """The people a search found, and whether there were more than it shows."""

    hits: list[PersonHit]
    partial: bool


def person_search(*, term: str) -> PersonSearch:
    """People whose NIK is ``term`` or whose name contains it, one line per NIK, by name.

    One query, whatever the number of rows: the rows of one NIK over the years collapse into
    one line that links to the newest (the person page gathers the others). It reads at
    most ``SEARCH_ROWS`` rows as the name index finds them and orders them here: ordering
    every match in the database first cost a common name's every row (38 000 persons
    holding "YATI" among a million: 180 ms of PostgreSQL against 17 ms; issue 16). Past
    that many the list is a part, said so on the page, and the user narrows the name.
    """
    nik = person_search_nik(term=term)
    rows = (
        _persons_with_nik(nik)
        if nik
        else Person.objects.filter(person_name_matches(term=term.strip(), limit=SEARCH_ROWS + 1))
    )
    fields = ("pk", "nik", "nama", "kode_desa", "dtsen_import__programme_year__year")
    found = list(rows.order_by().values_list(*fields)[: SEARCH_ROWS + 1])
    partial = len(found) > SEARCH_ROWS
    found = sorted(found[:SEARCH_ROWS], key=lambda r: (r[2] or "", r[1] or "", -r[4], -r[0]))
    hits: dict[str, PersonHit] = {}
    for pk, row_nik, name, desa, year in found:
        key = person_nik_normalise(raw=row_nik) or f"#{pk}"
        hit = hits.get(key)
        if hit is None:
            if len(hits) == SEARCH_LIMIT:
                partial = True
                continue
            village = village_label(desa) if desa else ""
            hit = hits[key] = PersonHit(
                person_id=pk, nik=row_nik, name=name, village=village, years=[]
            )
        if year not in hit.years:
            hit.years.append(year)
    return PersonSearch(hits=list(hits.values()), partial=partial)


#: A rejected candidate's state in words, by the rejection's reason code.
def _rejection_labels() -> dict[str, str]:
    return {
        "meninggal": _("Ditolak Disdukcapil: meninggal"),
        "tidak_ditemukan": _("Ditolak Disdukcapil: NIK tidak ditemukan"),
        "pindah": _("Ditolak Disdukcapil: pindah ke luar daerah"),
        "dikecualikan": _("Dikecualikan dari usulan"),
        "tidak_memenuhi_syarat_setelah_perbaikan": _(
            "Ditolak: tidak memenuhi syarat setelah perbaikan data"
        ),
    }


def candidate_final_state(*, candidate: Candidate, url: str = "") -> FinalState:
    """Where one candidacy ended (or stands), in the words the person page and the screening
    page both use, so the two never disagree."""
    state = candidate.state
    if state == CandidateState.REJECTED:
        label = _rejection_labels().get(candidate.reason_code, _("Ditolak"))
        return FinalState(label=label, tone="bad", reason=candidate.reason, url=url)
    if state == CandidateState.DECREED:
        return FinalState(label=_("Ditetapkan sebagai peserta"), tone="ok", url=url)
    if state == CandidateState.VERIFIED:
        label = _("Terverifikasi Disdukcapil, menunggu keputusan Bupati")
        return FinalState(label=label, tone="ok", url=url)
    if state == CandidateState.PROPOSED:
        label = _("Diusulkan, menunggu verifikasi Disdukcapil")
        return FinalState(label=label, tone="wait", url=url)
    if state == CandidateState.REGISTERED:
        label = _("Terdaftar di BPJS Ketenagakerjaan, menunggu mulai kepesertaan")
        return FinalState(label=label, tone="ok", url=url)
    if state == CandidateState.ACTIVE:
        return FinalState(label=_("Peserta aktif"), tone="ok", url=url)
    if state == CandidateState.ENDED:
        why = (
            str(EndReason(candidate.reason_code).label)
            if candidate.reason_code in EndReason.values
            else ""
        )
        label = _("Kepesertaan berakhir") + (f": {why}" if why else "")
        return FinalState(label=label, tone="bad", reason=candidate.reason, url=url)
    return FinalState(label=str(CandidateState(state).label), tone="wait", url=url)


def _uncandidated_state(decisions: list[Decision], url: str) -> FinalState:
    if not decisions:
        return FinalState(label=_("Belum disaring"), tone="wait", url=url)
    status = decisions[-1].status
    if status in ("eligible", "selected", "waitlisted"):
        return FinalState(label=_("Belum diusulkan sebagai calon"), tone="wait", url=url)
    return FinalState(label=status_label(status), tone="bad", url=url)


def person_final_state(*, person_id: int) -> FinalState | None:
    """The state now of the person behind one imported row, with the person page's address.

    Registered in ``core.lifecycle`` so the screening decision page shows it beside the
    screening result (issue 8: a page never says "Terpilih" of someone rejected since).
    """
    url = reverse("people:person_detail", args=[person_id])
    candidate = (
        Candidate.objects.filter(person_id=person_id).order_by("-proposal__programme_year__year")
    ).first()
    if candidate is not None:
        return candidate_final_state(candidate=candidate, url=url)
    person = Person.objects.filter(pk=person_id).only("dtsen_import_id", "row").first()
    decisions = list(_decisions_of(person).order_by("run_id")) if person is not None else []
    return _uncandidated_state(decisions, url)


def _decisions_of(person: Person) -> QuerySet[Decision]:
    """One imported row's decisions, found through the runs of its import and its row.

    A decision's row is its person's row in the same import; the (run, row) key finds it
    among a million in one step, where ``person_id`` has no index (issue 16: the person page
    took a second at a regency's size).
    """
    return Decision.objects.filter(
        run__dtsen_import_id=person.dtsen_import_id, row=person.row, person_id=person.pk
    )


@dataclass(frozen=True)
class HistoryRow:
    at: str
    actor: str
    from_label: str
    to_label: str
    reason: str
    evidence: list[tuple[str, str]]


@dataclass(frozen=True)
class AnswerRow:
    batch: int
    answer: str
    note: str
    corrected: list[tuple[str, str]]
    recorded_at: str


@dataclass(frozen=True)
class DecreeRow:
    number: str
    signed_on: str
    title: str


@dataclass(frozen=True)
class CoverageRow:
    start: str
    end: str
    reason: str


@dataclass(frozen=True)
class RegistrationRow:
    """One registration batch the person was in, and BPJS's answer (Pasal 8 ayat (3))."""

    batch: int
    outcome: str
    refused: bool
    cover_start: str
    reason: str
    answered_at: str


@dataclass(frozen=True)
class YearJourney:
    """One programme year of a person: screening, candidacy, Disdukcapil, the decree."""

    year: int
    region: str
    person: Person
    explanations: list[Explanation]
    final: FinalState
    candidate: Candidate | None = None
    history: list[HistoryRow] = field(default_factory=list)
    answers: list[AnswerRow] = field(default_factory=list)
    decrees: list[DecreeRow] = field(default_factory=list)
    #: Past the decree (Pasal 8): the card number (shown masked unless revealed), each
    #: stretch of cover, the card's way to the person and the registration batches.
    kpj: str = ""
    coverage: list[CoverageRow] = field(default_factory=list)
    card: str = ""
    registrations: list[RegistrationRow] = field(default_factory=list)


@dataclass(frozen=True)
class Journey:
    person: Person
    nik: str
    name: str
    years: list[YearJourney]


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{tanggal(local.date())} {local:%H.%M}"


#: Evidence a reader understands, in words; hashes and internal ids stay in the audit trail.
def _evidence_labels() -> dict[str, str]:
    return {
        "file_name": _("Berkas"),
        "number": _("Nomor keputusan"),
        "keterangan": _("Keterangan"),
    }


def _state_label(code: str) -> str:
    return str(CandidateState(code).label) if code else "—"


def _history(candidate: Candidate) -> list[HistoryRow]:
    labels = _evidence_labels()
    return [
        HistoryRow(
            at=_when(event.at),
            actor=(event.actor.get_full_name() or event.actor.username) if event.actor else "",
            from_label=_state_label(event.from_state),
            to_label=_state_label(event.to_state),
            reason=event.reason,
            evidence=[
                (labels[k], str(v))
                for k, v in (event.evidence or {}).items()
                if k in labels and v not in ("", None)
            ],
        )
        for event in candidate.events.all()
    ]


#: Corrected cells that identify a person: shown masked, as every NIK is.
_IDENTIFIERS: Final = frozenset({"nik", "no_kk"})


def _corrected_cell(name: str, value: Any) -> tuple[str, str]:
    """A cell Disdukcapil corrected, as a reader sees it: a label, a date in words, a NIK
    masked (the field names of the exchange file are not words a reader knows)."""
    label = name.replace("_", " ").capitalize()
    text = "" if value is None else str(value)
    if name in _IDENTIFIERS:
        return label.upper(), nik_domain.mask(text)
    if name.startswith("tanggal"):
        try:
            return label, tanggal(date.fromisoformat(text))
        except ValueError:
            return label, text
    return label, text


def _answers(candidate: Candidate) -> list[AnswerRow]:
    return [
        AnswerRow(
            batch=item.batch.number,
            answer=str(Answer(item.answer).label) if item.answer else _("belum dijawab"),
            note=item.note,
            corrected=[_corrected_cell(k, v) for k, v in (item.corrected or {}).items()],
            recorded_at=_when(item.recorded_at),
        )
        for item in candidate.verification_items.all()
    ]


def _coverage(candidate: Candidate) -> list[CoverageRow]:
    return [
        CoverageRow(
            start=tanggal(p.start),
            end=tanggal(p.end) if p.end else "",
            reason=str(EndReason(p.end_reason).label) if p.end_reason else "",
        )
        for p in candidate.coverage_periods.all()
    ]


def _registrations(candidate: Candidate) -> list[RegistrationRow]:
    return [
        RegistrationRow(
            batch=item.batch.number,
            outcome=str(RegistrationItem.Outcome(item.outcome).label),
            refused=item.outcome == RegistrationItem.Outcome.REFUSED,
            cover_start=tanggal(item.cover_start) if item.cover_start else "",
            reason=item.refusal_reason,
            answered_at=_when(item.answered_at),
        )
        for item in candidate.registration_items.all()
    ]


def _card(candidate: Candidate) -> str:
    """The card's status in words; '' for someone never registered through Payung."""
    card = getattr(candidate, "card", None)
    if card is None:
        if candidate.state in (CandidateState.REGISTERED, CandidateState.ACTIVE) and any(
            e.to_state == CandidateState.REGISTERED for e in candidate.events.all()
        ):
            return card_status_label(received_on=None, delivered_on=None)
        return ""
    return card_status_label(
        received_on=card.received_on,
        delivered_on=card.delivered_on,
        channel_label=card.get_channel_display() if card.channel else "",
    )


def person_journey(*, person: Person) -> Journey:
    """Everything about the person behind ``person`` (one imported row), newest year first.

    Every row of the same NIK belongs to the journey (a person imported again next year is
    the same person); a row without a NIK, or with one that names no one (``3.60117E+15``,
    Excel's spelling of every NIK of a district: ``nik.identifies``), stands alone.
    Queries: one for the rows, then a fixed handful per row (decisions, candidacies with
    their history and answers, decrees), so the page costs the same whatever the length of
    a history.
    """
    nik = person_nik_normalise(raw=person.nik)
    rows = (
        list(_persons_with_nik(nik).order_by("-dtsen_import__programme_year__year", "-pk"))
        if nik_domain.identifies(nik)
        else [person]
    )
    years = []
    for row in rows:
        year = row.dtsen_import.programme_year
        decisions = list(
            _decisions_of(row)
            .select_related("run", "run__programme_year", "person")
            .order_by("run_id")
        )
        candidate = (
            Candidate.objects.filter(person_id=row.pk)
            .select_related("proposal", "card")
            .prefetch_related(
                Prefetch(
                    "coverage_periods", queryset=CoveragePeriod.objects.order_by("start", "pk")
                ),
                Prefetch(
                    "registration_items",
                    queryset=RegistrationItem.objects.select_related("batch").order_by(
                        "batch__number", "pk"
                    ),
                ),
                Prefetch(
                    "events",
                    queryset=CandidateEvent.objects.select_related("actor").order_by("at", "id"),
                ),
                Prefetch(
                    "verification_items",
                    queryset=VerificationItem.objects.select_related("batch").order_by(
                        "batch__number"
                    ),
                ),
            )
            .order_by("-proposal_id")
            .first()
        )
        url = reverse("people:person_detail", args=[row.pk])
        decrees: list[DecreeRow] = []
        if candidate is not None and candidate.state in DECREED_OR_LATER:
            decrees = [
                DecreeRow(number=d.number, signed_on=tanggal(d.signed_on), title=d.title)
                for d in Decree.objects.filter(
                    programme_year_id=candidate.proposal.programme_year_id,
                    status=Decree.Status.SIGNED,
                    signed_on__isnull=False,
                ).order_by("signed_on", "pk")
            ]
        years.append(
            YearJourney(
                year=year.year,
                region=year.region_name,
                person=row,
                explanations=[decision_explain(decision=d) for d in decisions],
                final=(
                    candidate_final_state(candidate=candidate, url=url)
                    if candidate is not None
                    else _uncandidated_state(decisions, url)
                ),
                candidate=candidate,
                history=_history(candidate) if candidate is not None else [],
                answers=_answers(candidate) if candidate is not None else [],
                decrees=decrees,
                kpj=candidate.kpj if candidate is not None else "",
                coverage=_coverage(candidate) if candidate is not None else [],
                card=_card(candidate) if candidate is not None else "",
                registrations=_registrations(candidate) if candidate is not None else [],
            )
        )
    return Journey(person=person, nik=nik or person.nik, name=person.nama, years=years)
