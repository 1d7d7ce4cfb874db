"""The register of participants for Disnakertrans (Pasal 8 ayat (5)), as an XLSX file.

Pasal 8 ayat (5) has BPJS hand what it recorded (the participants with their card numbers
and the contributions it fixed) to Dinas Tenaga Kerja dan Transmigrasi, which keeps the
register of the regency's participants. Payung holds the same data once the answers are
applied, so the register is written from it: every participant of the year with a KPJ, one
row each, every cell text (a KPJ or NIK typed as a number loses digits in Excel), formulas
neutralised, and a PETUNJUK sheet saying what each column means. NIKs are masked unless the
user may see them in full and asks for it; every download is in the audit trail.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.exports import neutralise
from payung.core.places import kecamatan_name, village_name
from payung.domain import nik as nik_domain
from payung.domain import wilayah
from payung.enrollment.cards import card_status_label
from payung.enrollment.models import RegistrationItem
from payung.participants.models import Candidate, CandidateState
from payung.programmes.models import ProgrammeYear

EXPORT_PERM: Final = "enrollment.export_register"
UNMASK_PERM: Final = "screening.view_unmasked_nik"

HEADERS: Final[tuple[str, ...]] = (
    "NO",
    "KPJ",
    "NIK",
    "NAMA",
    "PEKERJAAN",
    "DESA",
    "KECAMATAN",
    "MULAI_KEPESERTAAN",
    "STATUS_PESERTA",
    "STATUS_KARTU",
)

#: States of a participant BPJS recorded (with a KPJ): registered, covered, or ended since.
RECORDED: Final = (CandidateState.REGISTERED, CandidateState.ACTIVE, CandidateState.ENDED)


def _participants(programme_year: ProgrammeYear) -> QuerySet[Candidate]:
    """One query: the year's recorded participants with their card, cover start (the first
    coverage period, else the start BPJS answered) and person."""
    answered = (
        RegistrationItem.objects.filter(
            candidate=OuterRef("pk"), outcome=RegistrationItem.Outcome.ACCEPTED
        )
        .order_by("-answered_at", "-pk")
        .values("cover_start")[:1]
    )
    return (
        Candidate.objects.filter(proposal__programme_year=programme_year, state__in=RECORDED)
        .exclude(kpj="")
        .annotate(first_start=Min("coverage_periods__start"), answered_start=Subquery(answered))
        .select_related("person", "card")
        .order_by("rank")
    )


def _cells(no: int, c: Candidate, *, full_nik: bool) -> list[str]:
    corrected = c.corrected or {}
    code = "".join(ch for ch in (corrected.get("kode_desa") or c.person.kode_desa) if ch.isdigit())
    kec = wilayah.kecamatan_code(code) or ""
    start: date | None = c.first_start or c.answered_start  # type: ignore[attr-defined]
    card = getattr(c, "card", None)
    return [
        str(no),
        c.kpj,
        c.nik if full_nik else nik_domain.mask(c.nik),
        corrected.get("nama") or c.person.nama,
        c.person.pekerjaan,
        village_name(code) or code,
        kecamatan_name(kec) if kec else "",
        start.isoformat() if start else "",
        str(CandidateState(c.state).label),
        card_status_label(
            received_on=card.received_on if card else None,
            delivered_on=card.delivered_on if card else None,
            channel_label=card.get_channel_display() if card and card.channel else "",
        ),
    ]


def _guide(full_nik: bool) -> list[str]:
    return [
        _("Register peserta Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan")
        + " (Pasal 8 ayat (5)).",
        _("Satu baris untuk setiap peserta yang sudah tercatat di BPJS Ketenagakerjaan (ber-KPJ)."),
        _("Semua sel berisi teks agar KPJ dan NIK tidak kehilangan angka di Excel."),
        "KPJ — " + _("nomor kartu peserta BPJS Ketenagakerjaan"),
        "NIK — "
        + (
            _("Nomor Induk Kependudukan lengkap (RAHASIA: unduhan ini tercatat di jejak audit)")
            if full_nik
            else _("Nomor Induk Kependudukan, ditampilkan sebagian (4 angka awal dan akhir)")
        ),
        "NAMA, PEKERJAAN, DESA, KECAMATAN — "
        + _("menurut data kependudukan (dengan perbaikan Disdukcapil)"),
        "MULAI_KEPESERTAAN — " + _("tanggal mulai kepesertaan, format YYYY-MM-DD"),
        "STATUS_PESERTA — " + _("Terdaftar di BPJS, Aktif, atau Berakhir"),
        "STATUS_KARTU — " + _("penerimaan kartu dari BPJS dan penyerahannya kepada peserta"),
    ]


@dataclass(frozen=True)
class RegisterFile:
    content: bytes
    file_name: str
    rows: int


@transaction.atomic
def register_export(
    *, programme_year: ProgrammeYear, actor: Any, full_nik: bool = False
) -> RegisterFile:
    """The year's register as XLSX (sheets REGISTER and PETUNJUK), audited.

    ``full_nik`` needs ``screening.view_unmasked_nik`` as well: the register goes to another
    agency's desk, so by default it carries NIKs masked; the KPJ is the register's key and
    is always in full (Disnakertrans pays and reconciles by it, Pasal 9).
    """
    if actor is None or not actor.has_perm(EXPORT_PERM):
        raise PermissionDenied
    if full_nik and not actor.has_perm(UNMASK_PERM):
        raise PermissionDenied
    rows = [
        _cells(no, c, full_nik=full_nik)
        for no, c in enumerate(_participants(programme_year), start=1)
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("REGISTER")
    sheet.write_row(0, 0, HEADERS, bold)
    for col, width in enumerate((6, 16, 19, 30, 22, 22, 18, 18, 18, 44)):
        sheet.set_column(col, col, width, text)
    for i, cells in enumerate(rows, start=1):
        for col, value in enumerate(cells):
            sheet.write_string(i, col, neutralise(value), text)
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("PETUNJUK")
    for i, line in enumerate(_guide(full_nik)):
        guide.write_string(i, 0, line)
    guide.set_column(0, 0, 110)
    book.close()
    audit_entry_create(
        actor=actor,
        action="register_export",
        target=programme_year,
        detail={"rows": len(rows), "full_nik": full_nik},
    )
    day = timezone.localdate().isoformat()
    suffix = "-nik-lengkap" if full_nik else ""
    return RegisterFile(
        content=buffer.getvalue(),
        file_name=f"register-peserta-{programme_year.year}-{day}{suffix}.xlsx",
        rows=len(rows),
    )
