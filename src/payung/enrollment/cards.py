"""Participants' cards (Pasal 8 ayat (4)): received from BPJS, then handed to each person.

Pasal 8 ayat (4) gives every registered participant the right to a card that BPJS
Ketenagakerjaan issues and distributes. Cards come back to the regency in bundles, one per
registration batch, and reach people one by one through BPJS, the village, the kecamatan or
Disnakertrans; the team chases the cards still undelivered, oldest first, and a desa signs a
printed receipt list when it hands them out. Writes (``cards_receive_batch``,
``card_deliver``, ``cards_deliver``) are audited with masked NIK/KPJ only; reads build the
lists and the receipt's context, rendered by the documents app (``pdf_render``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import AuditItem, audit_entries_create, audit_entry_create
from payung.core.bulk import bulk_load
from payung.core.formatting import tanggal
from payung.core.permissions import actor_require
from payung.core.places import kecamatan_name, village_name
from payung.core.worklist import worklist_memo
from payung.domain import nik as nik_domain
from payung.domain import wilayah
from payung.enrollment.models import Card, RegistrationBatch, RegistrationItem
from payung.participants.models import Candidate, CandidateEvent, CandidateState
from payung.programmes.models import ProgrammeYear
from payung.registry.fields import field_check

RECORD_PERM: Final = "enrollment.record_card"
VIEW_PERM: Final = "enrollment.view_card"

#: States whose holder has (or is owed) a card: registered with BPJS, covered or not yet.
CARD_HOLDERS: Final = (CandidateState.REGISTERED, CandidateState.ACTIVE)

#: Shortest name of the officer who handed a card over: a name an auditor can ask after.
MIN_OFFICER_NAME: Final = 3
OFFICER_NAME_MAX: Final = 150


def kpj_tail(kpj: str) -> str:
    """A KPJ with only its last 4 digits shown (``*******1234``): enough for a person to
    recognise their own card on a printed list, not enough to use someone else's."""
    if len(kpj) <= 4:
        return "*" * len(kpj)
    return "*" * (len(kpj) - 4) + kpj[-4:]


def kpj_mask(kpj: str) -> str:
    """The KPJ as pages show it by default, masked like a NIK (design §6)."""
    return nik_domain.mask(kpj) if kpj else ""


def _not_future(day: date, *, today: date, label: str) -> None:
    if day > today:
        raise ValidationError(
            _("%(label)s tidak boleh sesudah hari ini (%(today)s).")
            % {"label": label, "today": tanggal(today)},
            code="future",
        )


# --- writes ---------------------------------------------------------------------------------


@transaction.atomic
def cards_receive_batch(
    *, batch: RegistrationBatch, actor: Any, received_on: date, today: date | None = None
) -> int:
    """Record that BPJS handed over the cards of one registration batch on ``received_on``.

    Pasal 8 ayat (4): BPJS issues the cards of the participants it accepted; they arrive as
    a bundle per batch, so they are recorded per batch, not one by one. Only participants
    BPJS accepted and who are still registered or active get a card; a card already
    recorded as received keeps its first date. Returns how many cards were recorded now.
    The batch row is locked, so two officers recording the same bundle cannot both succeed.
    """
    actor_require(actor=actor, perm=RECORD_PERM)
    today = today or timezone.localdate()
    locked = RegistrationBatch.objects.select_for_update().get(pk=batch.pk)
    _not_future(received_on, today=today, label=_("Tanggal kartu diterima dari BPJS"))
    made = timezone.localtime(locked.created_at).date()
    if received_on < made:
        raise ValidationError(
            _("Tanggal kartu diterima tidak boleh sebelum tahap pendaftaran dibuat (%(made)s).")
            % {"made": tanggal(made)},
            code="before_batch",
        )
    ids = list(
        RegistrationItem.objects.filter(
            batch=locked,
            outcome=RegistrationItem.Outcome.ACCEPTED,
            candidate__state__in=CARD_HOLDERS,
        )
        .order_by("row")
        .values_list("candidate_id", flat=True)
    )
    if not ids:
        raise ValidationError(
            _("Tahap ini belum mempunyai peserta yang diterima BPJS; belum ada kartu."),
            code="no_participants",
        )
    existing = dict(
        Card.objects.select_for_update()
        .filter(candidate_id__in=ids)
        .values_list("candidate_id", "received_on")
    )
    waiting = [pk for pk, received in existing.items() if received is None]
    if waiting:
        Card.objects.filter(candidate_id__in=waiting).update(
            received_on=received_on, recorded_by=actor, recorded_at=timezone.now()
        )
    new = [pk for pk in ids if pk not in existing]
    # A batch is thousands of cards: loaded through core.bulk with the values bulk_create
    # would store (not delivered yet, recorded now by the actor).
    day = connection.ops.adapt_datefield_value(received_on)
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    bulk_load(
        Card,
        _CARD_COLUMNS,
        ((pk, day, None, "", "", actor.pk, at) for pk in new),
    )
    recorded = len(new) + len(waiting)
    if not recorded:
        raise ValidationError(
            _("Semua kartu tahap ini sudah tercatat diterima dari BPJS."), code="already"
        )
    audit_entry_create(
        actor=actor,
        action="cards_receive_batch",
        target=locked,
        detail={
            "batch_number": locked.number,
            "received_on": received_on.isoformat(),
            "recorded": recorded,
            "already_received": len(ids) - recorded,
        },
    )
    return recorded


_CARD_COLUMNS: Final = (
    "candidate_id",
    "received_on",
    "delivered_on",
    "channel",
    "delivered_by",
    "recorded_by_id",
    "recorded_at",
)


def _holder_check(*, state: str, card: Card | None) -> None:
    """A card can be handed over only to a registered or active participant, once, after
    it was received from BPJS (Pasal 8 ayat (4))."""
    if state not in CARD_HOLDERS:
        raise ValidationError(
            _("Hanya peserta yang terdaftar di BPJS atau aktif yang menerima kartu."),
            code="not_participant",
        )
    if card is None or card.received_on is None:
        raise ValidationError(
            _(
                "Kartu peserta ini belum tercatat diterima dari BPJS; catat penerimaan kartu "
                "tahapnya lebih dahulu."
            ),
            code="not_received",
        )
    if card.delivered_on is not None:
        raise ValidationError(
            _("Kartu peserta ini sudah tercatat diserahkan pada %(day)s.")
            % {"day": tanggal(card.delivered_on)},
            code="already_delivered",
        )


def _handover_check(*, channel: str, delivered_by: str, delivered_on: date, today: date) -> str:
    """Through whom, by which officer (the name as stored) and when, for every card."""
    if channel not in Card.Channel.values:
        raise ValidationError(_("Pilih melalui siapa kartu diserahkan."), code="channel")
    name = field_check(name="delivered_by", value=delivered_by)
    if name.problems or not MIN_OFFICER_NAME <= len(name.value) <= OFFICER_NAME_MAX:
        raise ValidationError(
            _("Tulis nama petugas yang menyerahkan kartu (%(min)s sampai %(max)s huruf).")
            % {"min": MIN_OFFICER_NAME, "max": OFFICER_NAME_MAX},
            code="delivered_by",
        )
    _not_future(delivered_on, today=today, label=_("Tanggal kartu diserahkan"))
    return name.value


def _after_receipt_check(*, card: Card, delivered_on: date) -> None:
    if delivered_on < card.received_on:
        raise ValidationError(
            _("Tanggal kartu diserahkan tidak boleh sebelum kartu diterima dari BPJS (%(day)s).")
            % {"day": tanggal(card.received_on)},
            code="before_receipt",
        )


def _delivery_item(*, candidate: Candidate, delivered_on: date, channel: str) -> AuditItem:
    return AuditItem(
        action="card_deliver",
        target=candidate,
        detail={
            "nik_masked": nik_domain.mask(candidate.nik),
            "kpj_masked": kpj_mask(candidate.kpj),
            "delivered_on": delivered_on.isoformat(),
            "channel": channel,
        },
    )


def _delivery_audit(*, actor: Any, candidate: Candidate, delivered_on: date, channel: str) -> None:
    item = _delivery_item(candidate=candidate, delivered_on=delivered_on, channel=channel)
    audit_entry_create(actor=actor, action="card_deliver", target=item.target, detail=item.detail)


@transaction.atomic
def card_deliver(
    *,
    candidate: Candidate,
    actor: Any,
    delivered_on: date,
    channel: str,
    delivered_by: str,
    today: date | None = None,
) -> Card:
    """Record that one participant's card reached them: when, through whom, which officer.

    Pasal 8 ayat (4): the card is the participant's proof of cover, so the regency keeps
    who handed it over (BPJS, the village, the kecamatan or Disnakertrans, and the officer's
    name) for the day a claim or a complaint asks. A card must have been received from BPJS
    first, and cannot be handed over before it arrived or after today.
    """
    actor_require(actor=actor, perm=RECORD_PERM)
    today = today or timezone.localdate()
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    card = Card.objects.select_for_update().filter(candidate_id=locked.pk).first()
    _holder_check(state=locked.state, card=card)
    assert card is not None  # _holder_check refuses a missing card
    name = _handover_check(
        channel=channel, delivered_by=delivered_by, delivered_on=delivered_on, today=today
    )
    _after_receipt_check(card=card, delivered_on=delivered_on)
    card.delivered_on = delivered_on
    card.channel = channel
    card.delivered_by = name
    card.recorded_by = actor
    card.full_clean()
    card.save()
    _delivery_audit(actor=actor, candidate=locked, delivered_on=delivered_on, channel=channel)
    return card


@transaction.atomic
def cards_deliver(
    *,
    candidates: Sequence[Candidate],
    actor: Any,
    delivered_on: date,
    channel: str,
    delivered_by: str,
    today: date | None = None,
) -> int:
    """Record that the cards of several participants were handed over on one day through
    one channel by one officer (a village's or kecamatan's round); all or none.

    The same checks and the same audit entry per participant as ``card_deliver`` (Pasal 8
    ayat (4)), with the candidates and cards read and locked in one query each and the cards
    written in one UPDATE: the demo hands over 200 cards (issue 16 target 5). Returns how
    many were recorded.
    """
    actor_require(actor=actor, perm=RECORD_PERM)
    today = today or timezone.localdate()
    name = _handover_check(
        channel=channel, delivered_by=delivered_by, delivered_on=delivered_on, today=today
    )
    ids = list(dict.fromkeys(c.pk for c in candidates))
    if not ids:
        return 0
    locked: dict[int, Candidate] = {}
    cards: dict[int, Card] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        locked.update(
            (c.pk, c)
            for c in Candidate.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        )
        cards.update(
            (c.candidate_id, c)
            for c in Card.objects.select_for_update().filter(candidate_id__in=chunk)
        )
    for pk in ids:
        card = cards.get(pk)
        _holder_check(state=locked[pk].state, card=card)
        assert card is not None
        _after_receipt_check(card=card, delivered_on=delivered_on)
    for i in range(0, len(ids), 900):
        Card.objects.filter(candidate_id__in=ids[i : i + 900]).update(
            delivered_on=delivered_on, channel=channel, delivered_by=name, recorded_by=actor
        )
    # One entry per card as before, appended in one batch (the same chain).
    audit_entries_create(
        actor=actor,
        items=[
            _delivery_item(candidate=locked[pk], delivered_on=delivered_on, channel=channel)
            for pk in ids
        ],
    )
    return len(ids)


# --- reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardRow:
    """One participant and their card, as the card pages and the receipt list show them."""

    candidate_id: int
    name: str
    nik_masked: str
    kpj: str
    desa_code: str
    desa: str
    kecamatan_code: str
    kecamatan: str
    state_label: str
    registered_on: date | None
    received_on: date | None
    delivered_on: date | None
    channel_label: str
    delivered_by: str
    #: Days since the card was received, or since registration while it is not.
    age_days: int | None

    @property
    def kpj_masked(self) -> str:
        return kpj_mask(self.kpj)

    @property
    def status_label(self) -> str:
        return card_status_label(
            received_on=self.received_on,
            delivered_on=self.delivered_on,
            channel_label=self.channel_label,
        )


def card_status_label(
    *, received_on: date | None, delivered_on: date | None, channel_label: str = ""
) -> str:
    """A card's status in words, the same on every page and in the register."""
    if delivered_on is not None:
        return _("Diserahkan %(day)s melalui %(channel)s") % {
            "day": tanggal(delivered_on),
            "channel": channel_label,
        }
    if received_on is not None:
        return _("Diterima dari BPJS %(day)s, belum diserahkan") % {"day": tanggal(received_on)}
    return _("Belum diterima dari BPJS")


def card_holders(*, programme_year: ProgrammeYear) -> QuerySet[Candidate]:
    """Participants of the year registered through Payung and still registered or active,
    with their card and registration moment, in rank order. One query.

    Participants moved in from an earlier roster were never registered here: their cards
    date from before Payung, so they are not chased.
    """
    registered_at = (
        CandidateEvent.objects.filter(candidate=OuterRef("pk"), to_state=CandidateState.REGISTERED)
        .order_by("at", "id")
        .values("at")[:1]
    )
    return (
        Candidate.objects.filter(proposal__programme_year=programme_year, state__in=CARD_HOLDERS)
        .annotate(registered_at=Subquery(registered_at))
        .filter(registered_at__isnull=False)
        .select_related("person", "card")
        .order_by("rank")
    )


#: What a card row is built from, read as plain values (no model per participant: the
#: undistributed list reads every card holder of the year, 50 000 persons in budget).
_ROW_FIELDS: Final = (
    "pk",
    "corrected",
    "person__kode_desa",
    "person__nama",
    "nik",
    "kpj",
    "state",
    "registered_at",
    "card__received_on",
    "card__delivered_on",
    "card__channel",
    "card__delivered_by",
)


class _Names:
    """Village, kecamatan, state and channel names looked up once per code in one read."""

    def __init__(self) -> None:
        self.desa: dict[str, tuple[str, str, str]] = {}
        self.state: dict[str, str] = {}
        self.channel: dict[str, str] = {}
        self.day: dict[Any, date] = {}

    def place(self, code: str) -> tuple[str, str, str]:
        found = self.desa.get(code)
        if found is None:
            kec = wilayah.kecamatan_code(code) or ""
            found = (village_name(code) or code, kec, kecamatan_name(kec) if kec else "")
            self.desa[code] = found
        return found

    def local_day(self, moment: Any) -> date:
        """The Jakarta date of a moment (a batch registers many at the same moment)."""
        if moment not in self.day:
            self.day[moment] = timezone.localtime(moment).date()
        return self.day[moment]

    def state_label(self, state: str) -> str:
        if state not in self.state:
            self.state[state] = str(CandidateState(state).label)
        return self.state[state]

    def channel_label(self, channel: str) -> str:
        if channel not in self.channel:
            self.channel[channel] = str(Card.Channel(channel).label) if channel else ""
        return self.channel[channel]


def _row_of(values: tuple[Any, ...], *, today: date, names: _Names) -> CardRow:
    (pk, corrected, kode_desa, nama, nik, kpj, state, registered, received, delivered) = values[:10]
    channel, delivered_by = values[10] or "", values[11] or ""
    registered_on = names.local_day(registered) if registered else None
    since = received or registered_on
    # The village code a decree carries: Disdukcapil's correction wins over the import.
    raw = (corrected or {}).get("kode_desa") or kode_desa
    code = "".join(ch for ch in raw if ch.isdigit())
    desa, kec, kec_name = names.place(code)
    return CardRow(
        candidate_id=pk,
        name=(corrected or {}).get("nama") or nama,
        nik_masked=nik_domain.mask(nik),
        kpj=kpj,
        desa_code=code,
        desa=desa,
        kecamatan_code=kec,
        kecamatan=kec_name,
        state_label=names.state_label(state),
        registered_on=registered_on,
        received_on=received,
        delivered_on=delivered,
        channel_label=names.channel_label(channel),
        delivered_by=delivered_by,
        age_days=(today - since).days if since and delivered is None else None,
    )


def card_row_get(*, candidate: Candidate, today: date | None = None) -> CardRow | None:
    """One participant's card row, or None when they hold no card (not registered here)."""
    year = candidate.proposal.programme_year
    found = card_holders(programme_year=year).filter(pk=candidate.pk).values_list(*_ROW_FIELDS)
    values = found.first()
    if values is None:
        return None
    return _row_of(values, today=today or timezone.localdate(), names=_Names())


def card_rows(*, programme_year: ProgrammeYear, today: date | None = None) -> list[CardRow]:
    today = today or timezone.localdate()
    names = _Names()
    rows = card_holders(programme_year=programme_year).values_list(*_ROW_FIELDS)
    return [_row_of(values, today=today, names=names) for values in rows]


@dataclass(frozen=True)
class Place:
    code: str
    label: str
    count: int


@dataclass
class Undistributed:
    """The cards not yet in their owners' hands, oldest first, and the counts behind the
    filters (per kecamatan, per village of the chosen kecamatan)."""

    rows: list[CardRow]
    total: int
    not_received: int
    kecamatan: list[Place] = field(default_factory=list)
    villages: list[Place] = field(default_factory=list)
    delivered: int = 0


def _cards_version(*, programme_year: ProgrammeYear, today: date) -> tuple[object, ...]:
    """What the year's card rows change with, in one query: the day (ages), the newest
    lifecycle event (registration, end: every transition writes one), the last candidate
    saved (corrections, KPJ), and the cards written (receiving and handing over both set
    ``recorded_at``)."""

    def newest(rows: QuerySet[Any], field: str) -> Subquery:
        return Subquery(rows.order_by(f"-{field}").values(field)[:1])

    of_year = Candidate.objects.filter(proposal__programme_year=OuterRef("pk"))
    events = CandidateEvent.objects.filter(candidate__proposal__programme_year=OuterRef("pk"))
    cards = Card.objects.filter(candidate__proposal__programme_year=OuterRef("pk"))
    row = (
        ProgrammeYear.objects.filter(pk=programme_year.pk)
        .annotate(
            event=newest(events, "pk"),
            saved=newest(of_year, "updated_at"),
            cards=Subquery(
                cards.order_by()
                .values("candidate__proposal__programme_year")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            card_written=newest(cards, "recorded_at"),
        )
        .values_list("created_at", "event", "saved", "cards", "card_written")
        .first()
    )
    return (today, *(row or ()))


def card_undistributed(
    *,
    programme_year: ProgrammeYear,
    kecamatan: str = "",
    desa: str = "",
    today: date | None = None,
) -> Undistributed:
    """Participants whose card has not reached them, with its age in days (Pasal 8 ayat
    (4)): since it was received from BPJS, or since registration while BPJS still has it.
    Oldest first, so the list is worked from the top.

    The year's rows are read once per version (``_cards_version``) and kept: with 50 000
    persons, reading and shaping every card holder costs more than the page's budget."""
    today = today or timezone.localdate()
    rows = worklist_memo(
        key=f"card_rows:{programme_year.pk}",
        version=_cards_version(programme_year=programme_year, today=today),
        compute=lambda: card_rows(programme_year=programme_year, today=today),
    )
    waiting = [r for r in rows if r.delivered_on is None]
    by_kec = Counter(r.kecamatan_code for r in waiting)
    kec_names = {r.kecamatan_code: r.kecamatan for r in waiting}
    chosen = [r for r in waiting if not kecamatan or r.kecamatan_code == kecamatan]
    by_desa = Counter(r.desa_code for r in chosen)
    desa_names = {r.desa_code: r.desa for r in chosen}
    if desa:
        chosen = [r for r in chosen if r.desa_code == desa]
    chosen.sort(key=lambda r: (-(r.age_days or 0), r.kecamatan, r.desa, r.name, r.candidate_id))
    return Undistributed(
        rows=chosen,
        total=len(waiting),
        not_received=sum(1 for r in waiting if r.received_on is None),
        kecamatan=sorted(
            (Place(code, kec_names[code] or "—", n) for code, n in by_kec.items()),
            key=lambda p: (p.label, p.code),
        ),
        villages=sorted(
            (Place(code, desa_names[code] or "—", n) for code, n in by_desa.items()),
            key=lambda p: (p.label, p.code),
        )
        if kecamatan
        else [],
        delivered=len(rows) - len(waiting),
    )


@dataclass(frozen=True)
class BatchCards:
    """A registration batch and how many of its accepted participants' cards are still
    to be recorded as received."""

    batch: RegistrationBatch
    accepted: int
    to_receive: int


def card_batches(*, programme_year: ProgrammeYear) -> list[BatchCards]:
    """The year's batches that BPJS answered, with the cards still to be received. Two
    queries, whatever the number of batches."""
    batches = list(
        RegistrationBatch.objects.filter(programme_year=programme_year).order_by("number")
    )
    # Counted in the database: one row per batch, not one per participant.
    items = (
        RegistrationItem.objects.filter(
            batch__programme_year=programme_year,
            outcome=RegistrationItem.Outcome.ACCEPTED,
            candidate__state__in=CARD_HOLDERS,
        )
        .values("batch_id")
        .annotate(
            accepted=Count("pk"),
            waiting=Count("pk", filter=Q(candidate__card__received_on__isnull=True)),
        )
        .order_by("batch_id")
        .values_list("batch_id", "accepted", "waiting")
    )
    accepted: Counter[int] = Counter()
    waiting: Counter[int] = Counter()
    for batch_id, n_accepted, n_waiting in items:
        accepted[batch_id] = n_accepted
        waiting[batch_id] = n_waiting
    return [
        BatchCards(batch=b, accepted=accepted[b.pk], to_receive=waiting[b.pk])
        for b in batches
        if accepted[b.pk]
    ]


# --- the receipt list per desa (a PDF through the documents app) ---------------------------


@dataclass(frozen=True)
class ReceiptRow:
    no: int
    nama: str
    nik: str
    kpj: str


@dataclass(frozen=True)
class CardReceiptContext:
    """The Daftar Tanda Terima Kartu Peserta of one village (Pasal 8 ayat (4)): what the
    template ``documents/tanda-terima-kartu.html`` reads. NIK masked, KPJ with its last 4
    digits only: enough for each person to find their line and recognise their card."""

    region_name: str
    year: int
    desa: str
    kecamatan: str
    date_long: str
    rows: list[ReceiptRow]
    count: int


def card_receipt_context(
    *, programme_year: ProgrammeYear, desa: str, today: date | None = None
) -> CardReceiptContext:
    """The village's cards received from BPJS and not yet handed over, by name."""
    today = today or timezone.localdate()
    code = "".join(ch for ch in desa if ch.isdigit())
    rows = [
        r
        for r in card_rows(programme_year=programme_year, today=today)
        if r.desa_code == code and r.received_on is not None and r.delivered_on is None
    ]
    rows.sort(key=lambda r: (r.name.casefold(), r.candidate_id))
    kec = wilayah.kecamatan_code(code) or ""
    return CardReceiptContext(
        region_name=programme_year.region_name,
        year=programme_year.year,
        desa=village_name(code) or code,
        kecamatan=kecamatan_name(kec) if kec else "",
        date_long=tanggal(today),
        rows=[
            ReceiptRow(no=i, nama=r.name, nik=r.nik_masked, kpj=kpj_tail(r.kpj))
            for i, r in enumerate(rows, start=1)
        ],
        count=len(rows),
    )


@dataclass(frozen=True)
class ReceiptFile:
    content: bytes
    file_name: str
    count: int


@transaction.atomic
def card_receipt_pdf(
    *, programme_year: ProgrammeYear, desa: str, actor: Any, today: date | None = None
) -> ReceiptFile:
    """The village's receipt list as an A4 PDF, rendered by the documents app; the download
    (names of people) is in the audit trail with the file's SHA-256. A village is tens of
    people, so it is rendered at once rather than queued."""
    from payung.documents.render import pdf_render

    actor_require(actor=actor, perm=RECORD_PERM)
    context = card_receipt_context(programme_year=programme_year, desa=desa, today=today)
    if not context.count:
        raise ValidationError(
            _("Tidak ada kartu yang menunggu diserahkan di desa ini."), code="empty"
        )
    content = pdf_render("tanda-terima-kartu", context)  # type: ignore[arg-type]
    code = "".join(ch for ch in desa if ch.isdigit())
    audit_entry_create(
        actor=actor,
        action="card_receipt_download",
        target=programme_year,
        detail={
            "kode_desa": code,
            "rows": context.count,
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return ReceiptFile(
        content=content,
        file_name=f"tanda-terima-kartu-{programme_year.year}-{code}.pdf",
        count=context.count,
    )
