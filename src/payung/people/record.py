"""The data-subject record: what the regency holds on one person, as a PDF (UU 27/2022).

UU Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi gives a person the right to know
what is held on them and why (Pasal 7). A refused person asks at the counter; the operator
pendataan prints this record: every imported row of the NIK (identity fields as the DTSEN
extract gave them), every screening decision with each criterion, its article and the value
used, the candidacy's history, the cover periods and the appeals. It is built from the same
reads as the person page (``selectors.person_journey``), so the page and the print agree.
The full NIK is in it: it is the person's own copy, and printing it is audited
(``services.person_record_pdf``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _

from payung.appeals.selectors import field_label, person_appeals
from payung.core.formatting import tanggal
from payung.core.places import village_label
from payung.people.selectors import Journey, person_journey
from payung.registry.models import Person

TEMPLATE: Final = "catatan-data-pribadi"

#: The imported fields a person is shown, with their labels, in the extract's order.
IDENTITY_FIELDS: Final = (
    ("nik", "NIK"),
    ("no_kk", "Nomor KK"),
    ("nama", "Nama"),
    ("jenis_kelamin", "Jenis kelamin"),
    ("tanggal_lahir", "Tanggal lahir"),
    ("status_perkawinan", "Status perkawinan"),
    ("jumlah_tanggungan", "Jumlah tanggungan"),
    ("pekerjaan", "Pekerjaan"),
    ("desil", "Desil"),
    ("disabilitas", "Disabilitas"),
    ("alamat", "Alamat"),
    ("kode_desa", "Kode desa"),
    ("bantuan_iuran", "Bantuan iuran"),
)


@dataclass(frozen=True)
class RecordField:
    label: str
    value: str


@dataclass(frozen=True)
class RecordCriterion:
    article: str
    sentence: str
    result: str
    value: str


@dataclass(frozen=True)
class RecordDecision:
    heading: str
    status: str
    criteria: list[RecordCriterion]
    problems: list[str]


@dataclass(frozen=True)
class RecordEvent:
    at: str
    change: str
    reason: str


@dataclass(frozen=True)
class RecordAppeal:
    received: str
    refusal: str
    outcome: str
    corrections: list[str]


@dataclass(frozen=True)
class RecordYear:
    year: int
    region: str
    source: str
    identity: list[RecordField]
    decisions: list[RecordDecision]
    final: str
    history: list[RecordEvent]
    coverage: list[str]
    appeals: list[RecordAppeal]


@dataclass(frozen=True)
class PersonRecordContext:
    name: str
    nik: str
    made_long: str
    made_by: str
    purpose: str
    years: list[RecordYear]
    legal_basis: str


def _result(passed: bool | None) -> str:
    if passed is None:
        return _("tidak dinilai")
    return _("terpenuhi") if passed else _("tidak terpenuhi")


def _appeal_rows(person_ids: list[int]) -> dict[int, list[RecordAppeal]]:
    out: dict[int, list[RecordAppeal]] = {}
    for appeal in person_appeals(person_ids=person_ids):
        out.setdefault(appeal.person_id, []).append(
            RecordAppeal(
                received=tanggal(appeal.received_on),
                refusal=appeal.get_refusal_display(),
                outcome=(
                    appeal.get_outcome_display()
                    + (f" ({_('peringkat')} {appeal.placed_rank})" if appeal.placed_rank else "")
                    if appeal.outcome
                    else _("Belum dijawab")
                ),
                corrections=[
                    f"{field_label(name)}: {item['value']} ({item['source']})"
                    for name, item in sorted(appeal.corrections.items())
                ],
            )
        )
    return out


def person_record_context(*, person: Person, actor: Any, purpose: str) -> PersonRecordContext:
    """The record of the person behind ``person`` (every row of the same NIK)."""
    journey: Journey = person_journey(person=person)
    appeals = _appeal_rows([y.person.pk for y in journey.years])
    years = []
    for y in journey.years:
        row = y.person
        identity = []
        for name, label in IDENTITY_FIELDS:
            value = getattr(row, name) or ""
            if name == "kode_desa" and value:
                value = f"{value} ({village_label(value)})"
            identity.append(RecordField(label=label, value=value or "—"))
        decisions = [
            RecordDecision(
                heading=_("Penyaringan tanggal acuan %(d)s, %(policy)s")
                % {"d": tanggal(x.decision.run.as_of), "policy": x.policy_title},
                status=x.status_label + (f", {_('peringkat')} {x.rank}" if x.rank else ""),
                criteria=[
                    RecordCriterion(
                        article=c.article + (f" {c.deemed_note}" if c.deemed_by else ""),
                        sentence=c.sentence,
                        result=_result(c.passed),
                        value=c.value,
                    )
                    for c in x.criteria
                ],
                problems=[p.label for p in x.problems],
            )
            for x in y.explanations
        ]
        years.append(
            RecordYear(
                year=y.year,
                region=y.region,
                source=_("Impor DTSEN %(file)s, baris %(row)s")
                % {"file": row.dtsen_import.file_name, "row": row.row},
                identity=identity,
                decisions=decisions,
                final=y.final.label + (f": {y.final.reason}" if y.final.reason else ""),
                history=[
                    RecordEvent(
                        at=h.at,
                        change=f"{h.from_label} → {h.to_label}",
                        reason=h.reason or "—",
                    )
                    for h in y.history
                ],
                coverage=[
                    (
                        _("%(s)s sampai %(e)s") % {"s": c.start, "e": c.end}
                        + (f" ({c.reason})" if c.reason else "")
                    )
                    if c.end
                    else _("sejak %(s)s, masih aktif") % {"s": c.start}
                    for c in y.coverage
                ],
                appeals=appeals.get(row.pk, []),
            )
        )
    return PersonRecordContext(
        name=journey.name or "—",
        nik=journey.nik,
        made_long=tanggal(timezone.localdate()),
        made_by=actor.get_full_name() or actor.username,
        purpose=purpose,
        years=years,
        legal_basis=_(
            "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi, Pasal 7 "
            "(hak mengakses dan memperoleh salinan data pribadi)"
        ),
    )
