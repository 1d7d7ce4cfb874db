"""Pairs the linkage engine proposes, worded for the person who decides them (issue 13).

The engine writes one code per comparison (``engine/linkage/model.py``: ``beda_1_digit``,
``hari_bulan_tertukar`` …); a reviewer reads a sentence and sees at a glance whether the
field agrees, nearly agrees, disagrees or is missing. Both kinds of pair use this: the
duplicates within one extract (``registry.DuplicatePair``) and the matches against another
funder's list (``linkage.ListMatch``); ``pair_decision_record`` is the one place a decision
is written, so both refuse a second decision and a decision without a reason alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung.registry.models import LinkedPair, PairDecision

__all__ = [
    "COMPARISON_LABELS",
    "EvidenceLine",
    "ProposedPair",
    "pair_decision_record",
    "pair_evidence",
    "pairs_from_result",
]

#: The comparisons in the order a reviewer reads them, with their Indonesian names.
COMPARISON_LABELS: Final = {
    "nik": gettext_lazy("NIK"),
    "nama": gettext_lazy("Nama"),
    "tanggal_lahir": gettext_lazy("Tanggal lahir"),
    "jenis_kelamin": gettext_lazy("Jenis kelamin"),
    "wilayah": gettext_lazy("Desa/kecamatan"),
    "no_kk": gettext_lazy("Nomor KK"),
}

#: (comparison, level code) -> (sentence, tone); tone is ``sama`` (agrees), ``mirip``
#: (agrees but for a typing error the model knows), ``beda`` or ``kosong``.
_LEVELS: Final[dict[tuple[str, str], tuple[Any, str]]] = {
    ("nik", "sama"): (gettext_lazy("sama"), "sama"),
    ("nik", "rusak_excel_digit16"): (
        gettext_lazy("sama sampai digit ke-15 (digit ke-16 dihapus Excel)"),
        "mirip",
    ),
    ("nik", "rusak_excel_notasi_e"): (
        gettext_lazy("rusak oleh Excel (notasi E); awalannya sama"),
        "mirip",
    ),
    ("nik", "beda_1_digit"): (gettext_lazy("beda satu digit (salah ketik)"), "mirip"),
    ("nik", "beda_2_digit"): (
        gettext_lazy("beda dua digit atau dua digit tertukar"),
        "mirip",
    ),
    ("nik", "beda_kode_wilayah"): (
        gettext_lazy("sepuluh digit terakhir sama, kode wilayah berbeda"),
        "mirip",
    ),
    ("nama", "sama"): (gettext_lazy("sama setelah ejaan dibakukan"), "sama"),
    ("nama", "mirip_0_95"): (gettext_lazy("sangat mirip (salah ketik)"), "mirip"),
    ("nama", "mirip_0_88"): (gettext_lazy("mirip"), "mirip"),
    ("nama", "sebagian_kata"): (
        gettext_lazy("kata-kata yang satu ada di yang lain (nama tengah hilang)"),
        "mirip",
    ),
    ("tanggal_lahir", "sama"): (gettext_lazy("sama"), "sama"),
    ("tanggal_lahir", "hari_bulan_tertukar"): (
        gettext_lazy("hari dan bulan tertukar"),
        "mirip",
    ),
    ("tanggal_lahir", "selisih_1_hari"): (gettext_lazy("selisih satu hari"), "mirip"),
    ("tanggal_lahir", "selisih_1_tahun"): (gettext_lazy("selisih satu tahun"), "mirip"),
    ("jenis_kelamin", "sama"): (gettext_lazy("sama"), "sama"),
    ("wilayah", "desa_sama"): (gettext_lazy("desa sama"), "sama"),
    ("wilayah", "kecamatan_sama"): (gettext_lazy("kecamatan sama, desa berbeda"), "mirip"),
    ("no_kk", "sama"): (gettext_lazy("sama"), "sama"),
}

#: Least a reason for rejecting a proposed pair says (a confirmation needs none: the
#: evidence is on the page and in the audit trail).
MIN_NOTE_LENGTH: Final = 10


@dataclass(frozen=True)
class EvidenceLine:
    field: str
    label: str
    sentence: str
    tone: str


def pair_evidence(evidence: dict[str, str]) -> list[EvidenceLine]:
    """The engine's codes as one line per comparison, in reading order."""
    lines = []
    for field, label in COMPARISON_LABELS.items():
        code = evidence.get(field, "kosong")
        if (field, code) in _LEVELS:
            sentence, tone = _LEVELS[(field, code)]
        elif code == "beda":
            sentence, tone = _("berbeda"), "beda"
        else:
            sentence, tone = _("tidak ada di salah satu daftar"), "kosong"
        lines.append(EvidenceLine(field=field, label=str(label), sentence=str(sentence), tone=tone))
    return lines


@dataclass(frozen=True)
class ProposedPair:
    """One pair of a link result: two data row numbers, the probability and the evidence."""

    first: int
    second: int
    probability: Decimal
    band: str
    evidence: dict[str, str]


def pairs_from_result(result: Any) -> list[ProposedPair]:
    """The engine's ``matches`` and ``review`` tables (``LinkResult``) as pairs to store.

    Linking two lists gives ``a_row``/``b_row``, a dedupe ``row_1``/``row_2``; both become
    ``first``/``second``. The probability keeps the engine's six decimals exactly.
    """
    pairs: list[ProposedPair] = []
    for band, table in (
        (LinkedPair.Band.MATCH, result.matches),
        (LinkedPair.Band.REVIEW, result.review),
    ):
        names = table.column_names
        first, second = ("a_row", "b_row") if "a_row" in names else ("row_1", "row_2")
        evidence_columns = [c for c in names if c in COMPARISON_LABELS]
        for row in table.to_pylist():
            pairs.append(
                ProposedPair(
                    first=int(row[first]),
                    second=int(row[second]),
                    probability=Decimal(str(row["match_probability"])).quantize(
                        Decimal("0.000001")
                    ),
                    band=band,
                    evidence={c: str(row[c]) for c in evidence_columns if row[c] is not None},
                )
            )
    return pairs


def pair_decision_record(*, pair: LinkedPair, decision: str, note: str, actor: Any) -> LinkedPair:
    """Write a person's decision on a pending pair (the caller holds its row lock).

    A decision is final: it may have refused or ended someone's cover, which only a new,
    recorded act undoes. Rejecting the model's proposal needs a reason an auditor can read.
    """
    if pair.decision != PairDecision.PENDING:
        raise ValidationError(
            _("Pasangan ini sudah diputuskan oleh orang lain; muat ulang halaman."),
            code="decided",
        )
    if decision not in (PairDecision.CONFIRMED, PairDecision.REJECTED):
        raise ValidationError(_("Pilih: orang yang sama, atau bukan."), code="decision")
    note = " ".join((note or "").split())
    if decision == PairDecision.REJECTED and len(note) < MIN_NOTE_LENGTH:
        raise ValidationError(
            _("Tuliskan mengapa keduanya bukan orang yang sama (paling sedikit %(n)s karakter).")
            % {"n": MIN_NOTE_LENGTH},
            code="note",
        )
    pair.decision = decision
    pair.note = note
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    return pair
