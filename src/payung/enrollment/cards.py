"""Participants' cards (Pasal 8 ayat (4)): received from BPJS, then handed to each person.

Pasal 8 ayat (4) gives every registered participant the right to a card that BPJS
Ketenagakerjaan issues and distributes. Cards come back to the regency in bundles, one per
registration batch, and reach people one by one through BPJS, the village, the kecamatan or
Disnakertrans; the team chases the cards still undelivered, oldest first, and a desa signs a
printed receipt list when it hands them out. Writes (``cards_receive_batch``,
``card_deliver``) are audited with masked NIK/KPJ only; reads build the lists and the
receipt's context, rendered by the documents app (``pdf_render``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.formatting import tanggal
from payung.core.permissions import actor_require
from payung.core.places import kecamatan_name, village_name
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
    Card.objects.bulk_create(
        [Card(candidate_id=pk, received_on=received_on, recorded_by=actor) for pk in new],
        batch_size=1000,
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
    if locked.state not in CARD_HOLDERS:
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
    if delivered_on < card.received_on:
        raise ValidationError(
            _("Tanggal kartu diserahkan tidak boleh sebelum kartu diterima dari BPJS (%(day)s).")
            % {"day": tanggal(card.received_on)},
            code="before_receipt",
        )
    card.delivered_on = delivered_on
    card.channel = channel
    card.delivered_by = name.value
    card.recorded_by = actor
    card.full_clean()
    card.save()
    audit_entry_create(
        actor=actor,
        action="card_deliver",
        target=locked,
        detail={
            "nik_masked": nik_domain.mask(locked.nik),
            "kpj_masked": kpj_mask(locked.kpj),
            "delivered_on": delivered_on.isoformat(),
            "channel": channel,
        },
    )
    return card


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


def _village_of(candidate: Candidate) -> str:
    """The village code a decree carries: Disdukcapil's correction wins over the import."""
    raw = (candidate.corrected or {}).get("kode_desa") or candidate.person.kode_desa
    return "".join(ch for ch in raw if ch.isdigit())


def _name_of(candidate: Candidate) -> str:
    return (candidate.corrected or {}).get("nama") or candidate.person.nama


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


def _row(candidate: Candidate, *, today: date) -> CardRow:
    card: Card | None = getattr(candidate, "card", None)
    registered = candidate.registered_at  # type: ignore[attr-defined]
    registered_on = timezone.localtime(registered).date() if registered else None
    received = card.received_on if card else None
    delivered = card.delivered_on if card else None
    since = received or registered_on
    code = _village_of(candidate)
    kec = wilayah.kecamatan_code(code) or ""
    return CardRow(
        candidate_id=candidate.pk,
        name=_name_of(candidate),
        nik_masked=nik_domain.mask(candidate.nik),
        kpj=candidate.kpj,
        desa_code=code,
        desa=village_name(code) or code,
        kecamatan_code=kec,
        kecamatan=kecamatan_name(kec) if kec else "",
        state_label=str(CandidateState(candidate.state).label),
        registered_on=registered_on,
        received_on=received,
        delivered_on=delivered,
        channel_label=card.get_channel_display() if card and card.channel else "",
        delivered_by=card.delivered_by if card else "",
        age_days=(today - since).days if since and delivered is None else None,
    )


def card_row_get(*, candidate: Candidate, today: date | None = None) -> CardRow | None:
    """One participant's card row, or None when they hold no card (not registered here)."""
    year = candidate.proposal.programme_year
    found = card_holders(programme_year=year).filter(pk=candidate.pk).first()
    return _row(found, today=today or timezone.localdate()) if found is not None else None


def card_rows(*, programme_year: ProgrammeYear, today: date | None = None) -> list[CardRow]:
    today = today or timezone.localdate()
    return [_row(c, today=today) for c in card_holders(programme_year=programme_year)]


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


def card_undistributed(
    *,
    programme_year: ProgrammeYear,
    kecamatan: str = "",
    desa: str = "",
    today: date | None = None,
) -> Undistributed:
    """Participants whose card has not reached them, with its age in days (Pasal 8 ayat
    (4)): since it was received from BPJS, or since registration while BPJS still has it.
    Oldest first, so the list is worked from the top."""
    rows = card_rows(programme_year=programme_year, today=today)
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
    items = RegistrationItem.objects.filter(
        batch__programme_year=programme_year,
        outcome=RegistrationItem.Outcome.ACCEPTED,
        candidate__state__in=CARD_HOLDERS,
    ).values_list("batch_id", "candidate__card__received_on")
    accepted: Counter[int] = Counter()
    waiting: Counter[int] = Counter()
    for batch_id, received in items:
        accepted[batch_id] += 1
        if received is None:
            waiting[batch_id] += 1
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
