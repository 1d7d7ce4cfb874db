"""Reconciliation of Payung's bills with BPJS Ketenagakerjaan's invoice (Pasal 9 ayat (1)).

Pasal 9 ayat (1): the regency pays on BPJS's determination of contributions (Pasal 8 ayat
(3)). BPJS's invoice for some months is therefore compared, KPJ by KPJ and month by month,
with what Payung billed for those months (bill lines net of corrections), through the
engine's ``reconcile_compute``: a month BPJS bills for someone whose cover ended is public
money paid for nothing, a month it misses can end a participant's cover. Every difference
gets a decision someone owns (a standard text or their own words); the reconciliation closes
only when none is left undecided, and its berita acara (DOCX and PDF) records the period, the
figures per category and each difference with its decision, KPJ masked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.contributions.models import BillLine, Reconciliation, ReconciliationLine
from payung.contributions.payments import amount_parse, columns_missing
from payung.contributions.selectors import month_label
from payung.core.formatting import tanggal
from payung.core.uploads import upload_read
from payung.documents.contexts import Signatory
from payung.documents.models import Document
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import document_request, subject_label, subject_pk
from payung.domain.money import rupiah, terbilang_rupiah
from payung.engine import read_text_table, reconcile_compute
from payung.enrollment.cards import kpj_mask
from payung.participants.models import Candidate
from payung.programmes.models import ProgrammeYear

RECONCILE: Final = "contributions.reconcile"
VIEW: Final = "contributions.view_contributions"
UPLOAD_KIND: Final = "bpjs_invoice"
#: The categories in the order pages and the berita acara list them (engine.reconcile).
CATEGORIES: Final[tuple[str, ...]] = ("cocok", "selisih", "hanya_bpjs", "hanya_payung")
DIFFERENCES: Final[tuple[str, ...]] = CATEGORIES[1:]
#: Canonical columns of BPJS's invoice; NIK and NAMA are accepted but not kept (the KPJ is
#: the key, and Payung stores no second copy of a name it already holds).
COLUMNS: Final[tuple[str, ...]] = ("KPJ", "NIK", "NAMA", "BULAN", "IURAN_JKK", "IURAN_JKM")
REQUIRED: Final[tuple[str, ...]] = ("KPJ", "BULAN", "IURAN_JKK", "IURAN_JKM")
#: Decisions that recur, offered as choices; anything else is written out (>= DECISION_MIN).
STANDARD_DECISIONS: Final[tuple[str, ...]] = (
    "BPJS belum memproses pemberhentian: ajukan koreksi",
    "Peserta pengganti belum tercatat di BPJS",
    "Selisih tarif: minta koreksi tagihan BPJS",
    "Tagihan Payung dikoreksi pada tagihan berikutnya",
    "Diterima: sesuai penetapan BPJS",
)
DECISION_MIN: Final = 10
DECISION_MAX: Final = 300
PAGE_SIZE: Final = 50
KPJ_MAX: Final = 20
DOCUMENT_KIND: Final = "berita_acara_rekonsiliasi"
DOCX_TEMPLATE: Final = "berita-acara-rekonsiliasi"


def category_label(code: str) -> str:
    return str(ReconciliationLine.Category(code).label)


# ------------------------------------------------------------------------------------------
# BPJS's invoice
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceRow:
    row: int
    kpj: str
    month: date
    jkk: int
    jkm: int


@dataclass
class Invoice:
    """The rows of BPJS's invoice and every row problem (any problem refuses the file)."""

    rows: list[InvoiceRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def month_parse(text: str) -> date | None:
    """``2026-01`` (or a spreadsheet date ``2026-01-01``, which Excel makes of it): the first
    day of the month; None for anything else."""
    text = text.strip().split(" ", 1)[0]
    parts = text.split("-")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    if len(parts[0]) != 4 or len(parts[1]) not in (1, 2):
        return None
    if len(parts) == 3 and int(parts[2]) != 1:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), 1)
    except ValueError:
        return None


def _at(row: int, column: str, text: str) -> str:
    return _("Baris %(row)s, kolom %(col)s: %(text)s") % {"row": row, "col": column, "text": text}


def invoice_read(
    path: Path, *, name: str | None = None, mapping: Mapping[str, str] | None = None
) -> Invoice:
    """Read and check BPJS's invoice row by row. Messages name the row and column and never
    repeat the cell (a KPJ is personal data). ``mapping`` names the file's header for a
    canonical column (docs/contributions.md)."""
    table = read_text_table(path, name=name)
    mapped = {k.upper(): " ".join(v.split()).upper() for k, v in (mapping or {}).items() if v}
    where = {c: table.column(mapped.get(c, c)) for c in COLUMNS}
    missing = [c for c in REQUIRED if where[c] is None]
    if missing:
        raise columns_missing(file=name or path.name, missing=missing, mapping=mapping)
    out = Invoice()

    def cell(cells: Sequence[str], column: str) -> str:
        index = where[column]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for cells, row in zip(table.rows, table.row_numbers, strict=True):
        problems: list[str] = []
        kpj = cell(cells, "KPJ").removeprefix("'")
        if not kpj:
            problems.append(_at(row, "KPJ", _("nomor KPJ wajib diisi.")))
        elif not kpj.isdigit() or len(kpj) > KPJ_MAX:
            problems.append(
                _at(row, "KPJ", _("nomor KPJ harus angka (paling panjang %(n)s).") % {"n": KPJ_MAX})
            )
        month = month_parse(cell(cells, "BULAN"))
        if month is None:
            problems.append(_at(row, "BULAN", _("bulan harus ditulis TTTT-BB, misalnya 2026-01.")))
        amounts = {}
        for column in ("IURAN_JKK", "IURAN_JKM"):
            text = cell(cells, column)
            value = amount_parse(text) if text else 0
            if value is None:
                problems.append(_at(row, column, _("iuran harus bilangan bulat rupiah.")))
            amounts[column] = value
        if problems:
            out.errors += problems
            continue
        assert month is not None
        out.rows.append(
            InvoiceRow(
                row=row,
                kpj=kpj,
                month=month,
                jkk=int(amounts["IURAN_JKK"] or 0),
                jkm=int(amounts["IURAN_JKM"] or 0),
            )
        )
    return out


# ------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryFigure:
    code: str
    label: str
    count: int
    payung: int
    bpjs: int
    undecided: int


def reconciliation_list(*, programme_year: ProgrammeYear) -> list[Reconciliation]:
    """The year's reconciliations, newest period first, with their undecided differences."""
    return list(
        programme_year.reconciliations.select_related("created_by", "closed_by")
        .annotate(
            n_undecided=Count(
                "lines",
                filter=Q(lines__category__in=DIFFERENCES, lines__decision=""),
            )
        )
        .order_by("-first_month", "-pk")
    )


def reconciliation_get(*, pk: int) -> Reconciliation | None:
    return (
        Reconciliation.objects.select_related("programme_year", "created_by", "closed_by")
        .filter(pk=pk)
        .first()
    )


def reconciliation_figures(*, reconciliation: Reconciliation) -> list[CategoryFigure]:
    """Counts and rupiah per category, and how many differences still need a decision."""
    rows = {
        r["category"]: r
        for r in reconciliation.lines.values("category").annotate(
            n=Count("pk"),
            payung=Sum("payung_amount"),
            bpjs=Sum("bpjs_amount"),
            undecided=Count("pk", filter=Q(decision="")),
        )
    }
    out = []
    for code in CATEGORIES:
        r = rows.get(code, {})
        out.append(
            CategoryFigure(
                code=code,
                label=category_label(code),
                count=int(r.get("n") or 0),
                payung=int(r.get("payung") or 0),
                bpjs=int(r.get("bpjs") or 0),
                undecided=int(r.get("undecided") or 0) if code != "cocok" else 0,
            )
        )
    return out


def reconciliation_undecided(*, reconciliation: Reconciliation) -> int:
    return reconciliation.lines.filter(category__in=DIFFERENCES, decision="").count()


def reconciliation_lines_page(
    *, reconciliation: Reconciliation, category: str, page: Any = None
) -> Page:
    """One category's lines, by KPJ and month, a page at a time (an invoice of a regency
    holds tens of thousands of lines)."""
    lines = (
        reconciliation.lines.filter(category=category)
        .select_related("decided_by")
        .order_by("kpj", "month", "pk")
    )
    return Paginator(lines, PAGE_SIZE).get_page(page)


def reconciliation_documents(*, reconciliation: Reconciliation) -> list[Document]:
    return list(
        Document.objects.filter(subject=subject_label(reconciliation), kind=DOCUMENT_KIND).order_by(
            "-created_at", "format"
        )
    )


def reconciliation_document_get(*, reconciliation: Reconciliation, pk: int) -> Document | None:
    return Document.objects.filter(
        pk=pk, subject=subject_label(reconciliation), kind=DOCUMENT_KIND
    ).first()


# ------------------------------------------------------------------------------------------
# Writes
# ------------------------------------------------------------------------------------------


def _payung_side(
    *, programme_year: ProgrammeYear, first: date, last: date
) -> tuple[list[tuple[str, date, int]], dict[str, int]]:
    """What Payung billed per (KPJ, month) in the period, net of corrections (a month taken
    back by a correction and not billed again is not billed)."""
    sums = (
        BillLine.objects.filter(
            bill__programme_year=programme_year, month__gte=first, month__lte=last
        )
        .exclude(candidate__kpj="")
        .values("candidate__kpj", "month", "candidate_id")
        .annotate(net=Sum(F("jkk") + F("jkm")))
        .order_by()
    )
    rows: dict[tuple[str, date], int] = defaultdict(int)
    candidates: dict[str, int] = {}
    for r in sums:
        rows[(r["candidate__kpj"], r["month"])] += int(r["net"] or 0)
        candidates[r["candidate__kpj"]] = r["candidate_id"]
    return [(k, m, v) for (k, m), v in rows.items() if v != 0], candidates


def invoice_check(
    *,
    first_month: date,
    last_month: date,
    path: Path,
    name: str,
    mapping: Mapping[str, str] | None = None,
) -> Invoice:
    """Read BPJS's invoice for ``first_month``..``last_month`` and check it row by row.

    Raises ``ValidationError`` with every row message on any problem, so the file is refused
    whole; an invoice line outside the period is one (it would otherwise show as a
    difference nobody can decide). Messages never repeat a cell.
    """
    first, last = first_month.replace(day=1), last_month.replace(day=1)
    if last < first:
        raise ValidationError(_("Bulan terakhir tidak boleh sebelum bulan pertama."), code="period")
    outcome = upload_read(
        kind=UPLOAD_KIND, path=path, name=name, options={"mapping": dict(mapping or {})}
    )
    if not outcome.accepted:
        raise ValidationError(list(outcome.messages), code="refused")
    invoice: Invoice = outcome.result
    outside = [
        _at(
            r.row,
            "BULAN",
            _("bulan di luar periode rekonsiliasi (%(a)s sampai %(b)s).")
            % {"a": month_label(first), "b": month_label(last)},
        )
        for r in invoice.rows
        if not first <= r.month <= last
    ]
    if outside:
        raise ValidationError(outside, code="rows")
    return invoice


@transaction.atomic
def reconciliation_create(
    *,
    programme_year: ProgrammeYear,
    first_month: date,
    last_month: date,
    invoice: Invoice,
    file_name: str,
    sha256: str,
    actor: Any,
) -> Reconciliation:
    """Compare a checked invoice (``invoice_check``) with Payung's bills for the period.

    Called by the background job of an uploaded invoice (``reconciliation_imports``), never
    inside a web request: an annual invoice is tens of thousands of lines. Lines are stored
    one per (KPJ, month) on either side, linked to the participant when the KPJ is known.
    """
    if not actor.has_perm(RECONCILE):
        raise PermissionDenied
    first, last = first_month.replace(day=1), last_month.replace(day=1)
    payung, known = _payung_side(programme_year=programme_year, first=first, last=last)
    bpjs = [(r.kpj, r.month, r.jkk + r.jkm) for r in invoice.rows]
    result = reconcile_compute(payung=payung, bpjs=bpjs)
    only_bpjs = {r.kpj for r in result if r.kpj not in known}
    if only_bpjs:
        for pk, kpj in Candidate.objects.filter(
            proposal__programme_year=programme_year, kpj__in=only_bpjs
        ).values_list("pk", "kpj"):
            known.setdefault(kpj, pk)
    summary: dict[str, dict[str, int]] = {
        c: {"count": 0, "payung": 0, "bpjs": 0} for c in CATEGORIES
    }
    for r in result:
        s = summary[r.category]
        s["count"] += 1
        s["payung"] += r.payung_amount
        s["bpjs"] += r.bpjs_amount
    reconciliation = Reconciliation.objects.create(
        programme_year=programme_year,
        first_month=first,
        last_month=last,
        file_name=Path(file_name).name[:255],
        sha256=sha256,
        summary=summary,
        created_by=actor,
    )
    ReconciliationLine.objects.bulk_create(
        (
            ReconciliationLine(
                reconciliation=reconciliation,
                kpj=r.kpj,
                month=r.month,
                category=r.category,
                payung_amount=r.payung_amount,
                bpjs_amount=r.bpjs_amount,
                candidate_id=known.get(r.kpj),
            )
            for r in result
        ),
        batch_size=2000,
    )
    audit_entry_create(
        actor=actor,
        action="reconciliation_create",
        target=reconciliation,
        detail={
            "months": [first.isoformat()[:7], last.isoformat()[:7]],
            "file_sha256": reconciliation.sha256,
            "rows": len(invoice.rows),
            "counts": {c: summary[c]["count"] for c in CATEGORIES},
        },
    )
    return reconciliation


def decision_clean(*, choice: str = "", text: str = "") -> str:
    """The decision as stored: a standard text, or the officer's own words (at least
    ``DECISION_MIN`` characters, so "ok" is not a decision)."""
    text = " ".join((text or "").split())
    if text:
        if len(text) < DECISION_MIN:
            raise ValidationError(
                _("Keputusan yang ditulis sendiri paling sedikit %(n)s karakter.")
                % {"n": DECISION_MIN},
                code="decision_short",
            )
        return text[:DECISION_MAX]
    if choice in STANDARD_DECISIONS:
        return choice
    raise ValidationError(
        _("Pilih keputusan baku atau tuliskan keputusan sendiri."), code="decision_missing"
    )


@transaction.atomic
def reconciliation_decide(
    *,
    reconciliation: Reconciliation,
    decision: str,
    actor: Any,
    category: str | None = None,
    line_ids: Sequence[int] | None = None,
) -> int:
    """Record ``decision`` on differences: every undecided line of ``category`` (in bulk), or
    the lines ``line_ids`` (one by one, replacing an earlier decision). Returns how many.

    Matching lines (``cocok``) need no decision and are never touched.
    """
    if not actor.has_perm(RECONCILE):
        raise PermissionDenied
    reconciliation = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
    if reconciliation.status != Reconciliation.Status.OPEN:
        raise ValidationError(_("Rekonsiliasi ini sudah ditutup."), code="closed")
    if decision not in STANDARD_DECISIONS and len(decision.strip()) < DECISION_MIN:
        raise ValidationError(_("Keputusan tidak sah."), code="decision")
    lines = reconciliation.lines.filter(category__in=DIFFERENCES)
    if line_ids is not None:
        lines = lines.filter(pk__in=list(line_ids))
        scope = "lines"
    elif category in DIFFERENCES:
        lines = lines.filter(category=category, decision="")
        scope = category
    else:
        raise ValidationError(_("Pilih kategori selisih atau baris."), code="scope")
    count = lines.update(
        decision=decision[:DECISION_MAX], decided_by=actor, decided_at=timezone.now()
    )
    if count == 0:
        raise ValidationError(_("Tidak ada baris selisih yang dipilih."), code="empty")
    audit_entry_create(
        actor=actor,
        action="reconciliation_decide",
        target=reconciliation,
        # A decision in the officer's own words may name someone: the trail keeps only
        # whether it was a standard text (the text itself is on the lines).
        detail={
            "scope": scope,
            "lines": count,
            "decision": decision if decision in STANDARD_DECISIONS else "teks sendiri",
        },
    )
    return count


@transaction.atomic
def reconciliation_close(*, reconciliation: Reconciliation, actor: Any) -> Reconciliation:
    """Close once every difference has a decision, and queue the berita acara (DOCX, PDF).

    A difference without a decision is money nobody has answered for, so it blocks.
    """
    if not actor.has_perm(RECONCILE):
        raise PermissionDenied
    reconciliation = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
    if reconciliation.status != Reconciliation.Status.OPEN:
        raise ValidationError(_("Rekonsiliasi ini sudah ditutup."), code="closed")
    undecided = reconciliation_undecided(reconciliation=reconciliation)
    if undecided:
        raise ValidationError(
            _("Masih ada %(n)s selisih tanpa keputusan; rekonsiliasi belum dapat ditutup.")
            % {"n": f"{undecided:,}".replace(",", ".")},
            code="undecided",
        )
    reconciliation.status = Reconciliation.Status.CLOSED
    reconciliation.closed_by = actor
    reconciliation.closed_at = timezone.now()
    reconciliation.save(update_fields=["status", "closed_by", "closed_at"])
    audit_entry_create(
        actor=actor,
        action="reconciliation_close",
        target=reconciliation,
        detail={"counts": {c: v["count"] for c, v in reconciliation.summary.items()}},
    )
    reconciliation_documents_request(reconciliation=reconciliation, actor=actor)
    return reconciliation


def reconciliation_documents_request(
    *, reconciliation: Reconciliation, actor: Any
) -> list[Document]:
    """Queue the berita acara rekonsiliasi as DOCX and PDF (built by the worker)."""
    if not actor.has_perm(RECONCILE):
        raise PermissionDenied
    stem = f"berita-acara-rekonsiliasi-{reconciliation.first_month:%Y-%m}"
    builder = "payung.contributions.reconciliation"
    return [
        document_request(
            subject=reconciliation,
            programme_year=reconciliation.programme_year,
            kind=DOCUMENT_KIND,
            title=_("Berita Acara Rekonsiliasi Iuran"),
            fmt=fmt,
            builder=f"{builder}.berita_acara_{fmt}",
            file_name=f"{stem}.{fmt}",
            actor=actor,
        )
        for fmt in ("docx", "pdf")
    ]


@transaction.atomic
def reconciliation_document_download(*, document: Document, actor: Any) -> Path:
    """The stored berita acara, after recording who took it (it lists masked KPJs).

    Mirrors ``documents.services.document_download`` with this stage's permission: the
    bendahara reconciles but reads no other document of the year.
    """
    if not (actor.has_perm(RECONCILE) or actor.has_perm(VIEW)):
        raise PermissionDenied
    if document.kind != DOCUMENT_KIND:
        raise PermissionDenied
    from payung.core.models import JobStatus

    if document.status != JobStatus.DONE or not document.stored_path:
        raise ValidationError(_("Dokumen belum selesai dibuat."), code="not_ready")
    audit_entry_create(
        actor=actor,
        action="document_download",
        target=document,
        detail={"kind": document.kind, "format": document.format, "sha256": document.sha256},
    )
    return Path(document.stored_path)


# ------------------------------------------------------------------------------------------
# The berita acara rekonsiliasi
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    """One category in the berita acara: how many (KPJ, month) lines and their rupiah."""

    label: str
    count: int
    payung_rupiah: str
    bpjs_rupiah: str


@dataclass(frozen=True)
class DifferenceRow:
    no: int
    kpj: str  # masked
    month: str
    category: str
    payung_rupiah: str
    bpjs_rupiah: str
    decision: str


@dataclass(frozen=True)
class RekonsiliasiContext:
    """Berita Acara Rekonsiliasi Iuran (Pasal 9 ayat (1)); read by the DOCX template
    ``berita-acara-rekonsiliasi`` and the PDF ``documents/berita-acara-rekonsiliasi.html``."""

    region_name: str
    year: int
    place: str
    date: date
    date_long: str
    status: str  # "DRAF" while open, else empty
    policy_title: str
    period: str
    file_name: str
    sha256: str
    categories: list[CategoryRow]
    line_count: int
    payung_total: int
    payung_total_rupiah: str
    payung_total_words: str
    bpjs_total: int
    bpjs_total_rupiah: str
    bpjs_total_words: str
    difference_count: int
    differences: list[DifferenceRow]
    prepared_by: Signatory
    bpjs_signer: Signatory
    approved_by: Signatory


def berita_acara_context(
    *, reconciliation: Reconciliation, requested_at: datetime | None = None
) -> RekonsiliasiContext:
    """The reconciliation as it stands: figures per category and each difference with its
    decision (KPJ masked; no names)."""
    year = reconciliation.programme_year
    from payung.programmes.selectors import programme_year_policy

    policy = programme_year_policy(programme_year=year)
    figures = reconciliation_figures(reconciliation=reconciliation)
    closed = reconciliation.status == Reconciliation.Status.CLOSED
    day = (
        timezone.localdate(reconciliation.closed_at)
        if closed and reconciliation.closed_at
        else (timezone.localdate(requested_at) if requested_at else timezone.localdate())
    )
    differences = [
        DifferenceRow(
            no=i,
            kpj=kpj_mask(line.kpj),
            month=month_label(line.month),
            category=category_label(line.category),
            payung_rupiah=rupiah(line.payung_amount),
            bpjs_rupiah=rupiah(line.bpjs_amount),
            decision=line.decision,
        )
        for i, line in enumerate(
            reconciliation.lines.filter(category__in=DIFFERENCES).order_by(
                "category", "kpj", "month", "pk"
            ),
            start=1,
        )
    ]
    payung_total = sum(f.payung for f in figures)
    bpjs_total = sum(f.bpjs for f in figures)
    closer = reconciliation.closed_by if closed else None
    place = year.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    period = month_label(reconciliation.first_month)
    if reconciliation.last_month != reconciliation.first_month:
        period = f"{period} – {month_label(reconciliation.last_month)}"
    return RekonsiliasiContext(
        region_name=year.region_name,
        year=year.year,
        place=place,
        date=day,
        date_long=tanggal(day),
        status="" if closed else "DRAF",
        policy_title=policy.title,
        period=period,
        file_name=reconciliation.file_name,
        sha256=reconciliation.sha256,
        categories=[
            CategoryRow(
                label=f.label,
                count=f.count,
                payung_rupiah=rupiah(f.payung),
                bpjs_rupiah=rupiah(f.bpjs),
            )
            for f in figures
        ],
        line_count=sum(f.count for f in figures),
        payung_total=payung_total,
        payung_total_rupiah=rupiah(payung_total),
        payung_total_words=terbilang_rupiah(payung_total),
        bpjs_total=bpjs_total,
        bpjs_total_rupiah=rupiah(bpjs_total),
        bpjs_total_words=terbilang_rupiah(bpjs_total),
        difference_count=len(differences),
        differences=differences,
        prepared_by=Signatory(
            title="Bendahara Dinas Tenaga Kerja dan Transmigrasi",
            name=(closer.get_full_name() or closer.username) if closer else "",
        ),
        bpjs_signer=Signatory(title="BPJS Ketenagakerjaan Kantor Cabang"),
        approved_by=Signatory(title="Kepala Dinas Tenaga Kerja dan Transmigrasi"),
    )


def _context(document: Any) -> RekonsiliasiContext:
    reconciliation = Reconciliation.objects.select_related("programme_year", "closed_by").get(
        pk=subject_pk(document)
    )
    return berita_acara_context(
        reconciliation=reconciliation, requested_at=getattr(document, "created_at", None)
    )


def berita_acara_docx(document: Any) -> bytes:
    return docx_render(DOCX_TEMPLATE, _context(document))  # type: ignore[arg-type]


def berita_acara_pdf(document: Any) -> bytes:
    return pdf_render(DOCX_TEMPLATE, _context(document))  # type: ignore[arg-type]


__all__ = [
    "CATEGORIES",
    "STANDARD_DECISIONS",
    "Invoice",
    "InvoiceRow",
    "RekonsiliasiContext",
    "berita_acara_context",
    "decision_clean",
    "invoice_check",
    "invoice_read",
    "reconciliation_close",
    "reconciliation_create",
    "reconciliation_decide",
    "reconciliation_figures",
    "reconciliation_lines_page",
    "reconciliation_list",
    "reconciliation_undecided",
]
