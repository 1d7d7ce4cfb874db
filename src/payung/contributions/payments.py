"""SP2D payments of contribution bills (Pasal 9 ayat (1), (4); Pasal 13): writes and reads.

The bendahara records each SP2D (surat perintah pencairan dana) that pays a bill, typed on
the bill's page or imported from the regional finance system's export; a second person
confirms it (four eyes), because an SP2D recorded against the wrong bill or with a typo in
the amount is public money the regency cannot account for. A bill counts as paid only by
confirmed payments. A payment equal to what remains due settles the bill; a smaller one is a
partial payment and must say why and by when the rest is paid (a short payment left
unexplained can make a participant's cover lapse after three unpaid months); more than what
remains is refused. No official export format of the finance system is public, so the import
reads CSV/XLSX through a column mapping (docs/contributions.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.contributions.models import Bill, Payment
from payung.core.uploads import ROWS_CODE, UploadRefused, upload_read
from payung.domain.money import rupiah
from payung.engine import TextTable, read_text_table
from payung.programmes.models import BudgetLine, ProgrammeYear

RECORD: Final = "contributions.record_payment"
CONFIRM: Final = "contributions.confirm_payment"
#: The upload kind of core.uploads that reads an SP2D file.
UPLOAD_KIND: Final = "sp2d"
#: Shortest explanation of a partial payment: a word or two is not an explanation.
EXPLANATION_MIN: Final = 10
SP2D_MAX: Final = 120
#: Canonical columns of the SP2D file, in the order docs/contributions.md lists them;
#: PENJELASAN and SISA_PALING_LAMBAT are needed only on a row that pays part of a bill.
COLUMNS: Final[tuple[str, ...]] = (
    "NOMOR_SP2D",
    "TANGGAL",
    "NILAI",
    "JENIS",
    "KODE_REKENING",
    "SUMBER_DANA",
    "KETERANGAN",
    "TAGIHAN",
    "PENJELASAN",
    "SISA_PALING_LAMBAT",
)
REQUIRED: Final[tuple[str, ...]] = ("NOMOR_SP2D", "TANGGAL", "NILAI", "TAGIHAN")
KINDS: Final[tuple[str, ...]] = ("LS", "GU", "TU", "UP")

_SP2D_CHARS: Final = re.compile(r"[0-9A-Za-z./\-]+")
_AMOUNT: Final = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,0{1,2})?")
_AMOUNT_FLOAT: Final = re.compile(r"\d+\.0{1,2}")
_DATE_FORMATS: Final = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


# ------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BillPaymentStatus:
    """What a bill's page shows about its money: ``paid`` counts confirmed SP2D only,
    ``pending`` those still awaiting the second person, ``open`` what may still be recorded."""

    total: int
    paid: int
    pending: int
    remaining: int
    open: int
    settled: bool
    #: The latest date promised for the rest of a partial payment, if any.
    remainder_due_on: date | None


def bill_payment_status(*, bill: Bill) -> BillPaymentStatus:
    """Paid / remaining / settled of one bill (shown by the bill pages, issue 11 part 1)."""
    sums = bill.payments.aggregate(
        paid=Sum("amount", filter=Q(status=Payment.Status.CONFIRMED)),
        pending=Sum("amount", filter=Q(status=Payment.Status.RECORDED)),
    )
    paid = int(sums["paid"] or 0)
    pending = int(sums["pending"] or 0)
    remaining = max(bill.total - paid, 0)
    promised = (
        bill.payments.exclude(remainder_due_on=None)
        .order_by("-recorded_at", "-pk")
        .values_list("remainder_due_on", flat=True)
        .first()
    )
    return BillPaymentStatus(
        total=bill.total,
        paid=paid,
        pending=pending,
        remaining=remaining,
        open=max(bill.total - paid - pending, 0),
        settled=bill.total > 0 and paid >= bill.total,
        remainder_due_on=promised if remaining else None,
    )


def bill_get(*, pk: int) -> Bill | None:
    return Bill.objects.select_related("programme_year").filter(pk=pk).first()


def payment_get(*, pk: int) -> Payment | None:
    return Payment.objects.select_related("bill__programme_year").filter(pk=pk).first()


def bill_payments(*, bill: Bill) -> list[Payment]:
    """A bill's payments, oldest first, with who recorded and confirmed each."""
    return list(
        bill.payments.select_related("recorded_by", "confirmed_by", "budget_line").order_by(
            "paid_on", "pk"
        )
    )


def year_payments(*, programme_year: ProgrammeYear) -> list[Payment]:
    """Every payment of the year, newest first (the year's SP2D register)."""
    return list(
        Payment.objects.filter(bill__programme_year=programme_year)
        .select_related("bill", "recorded_by", "confirmed_by", "budget_line")
        .order_by("-paid_on", "-pk")
    )


def year_budget_lines(*, programme_year: ProgrammeYear) -> list[BudgetLine]:
    return list(programme_year.budget_lines.order_by("source"))


# ------------------------------------------------------------------------------------------
# Writes
# ------------------------------------------------------------------------------------------


def _sp2d_clean(raw: str) -> str:
    return " ".join(raw.split())


def _sp2d_problem(number: str) -> str | None:
    if not number:
        return _("Nomor SP2D wajib diisi.")
    if len(number) > SP2D_MAX or not _SP2D_CHARS.fullmatch(number):
        return _(
            "Nomor SP2D hanya boleh berisi angka, huruf, titik, garis miring dan tanda hubung "
            "(paling panjang %(n)s karakter)."
        ) % {"n": SP2D_MAX}
    return None


def _amount_rules(
    *,
    amount: int,
    open_amount: int,
    explanation: str,
    remainder_due_on: date | None,
    paid_on: date,
) -> list[ValidationError]:
    """Pasal 9 ayat (1): the regency pays what BPJS determined; any other amount is a
    decision someone must own, so it is refused or explained, never silently accepted."""
    problems: list[ValidationError] = []
    if amount <= 0:
        problems.append(ValidationError(_("Nilai SP2D harus lebih dari nol."), code="amount"))
    elif amount > open_amount:
        problems.append(
            ValidationError(
                _("Nilai SP2D melebihi sisa tagihan yang belum dibayar (%(open)s).")
                % {"open": _rp(open_amount)},
                code="overpaid",
            )
        )
    elif amount < open_amount:
        if len(explanation.strip()) < EXPLANATION_MIN:
            problems.append(
                ValidationError(
                    _(
                        "Nilai SP2D kurang dari sisa tagihan (%(open)s): tuliskan penjelasan "
                        "pembayaran sebagian (paling sedikit %(n)s karakter)."
                    )
                    % {"open": _rp(open_amount), "n": EXPLANATION_MIN},
                    code="partial_explanation",
                )
            )
        if remainder_due_on is None:
            problems.append(
                ValidationError(
                    _("Pembayaran sebagian: isi tanggal paling lambat sisa tagihan dibayar."),
                    code="partial_due",
                )
            )
        elif remainder_due_on < paid_on:
            problems.append(
                ValidationError(
                    _("Tanggal pelunasan sisa tidak boleh sebelum tanggal SP2D."),
                    code="partial_due_past",
                )
            )
    return problems


def _rp(amount: int) -> str:
    return rupiah(amount)


def _open_amount(bill: Bill) -> int:
    """What may still be recorded: the bill less every payment, confirmed or awaiting."""
    taken = bill.payments.aggregate(total=Sum("amount"))["total"] or 0
    return max(bill.total - int(taken), 0)


@transaction.atomic
def payment_record(
    *,
    bill: Bill,
    sp2d_number: str,
    paid_on: date,
    amount: int,
    actor: Any,
    kind: str = "LS",
    account_code: str = "",
    budget_line: BudgetLine | None = None,
    note: str = "",
    explanation: str = "",
    remainder_due_on: date | None = None,
    source: str = "halaman",
) -> Payment:
    """Record one SP2D against ``bill``; it counts as paid once a second person confirms it.

    Pasal 9 ayat (1) and (4): the regency pays BPJS from the APBD; Pasal 13: from the budget
    line of the year it names. The bill row is locked so two SP2D recorded at once cannot
    together pay more than the bill.
    """
    if not actor.has_perm(RECORD):
        raise PermissionDenied
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    number = _sp2d_clean(sp2d_number)
    problems: list[ValidationError] = []
    if (text := _sp2d_problem(number)) is not None:
        problems.append(ValidationError(text, code="sp2d_number"))
    elif Payment.objects.filter(sp2d_number__iexact=number).exists():
        problems.append(
            ValidationError(_("SP2D dengan nomor ini sudah pernah dicatat."), code="duplicate")
        )
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount must be integer rupiah")
    if paid_on > timezone.localdate():
        problems.append(
            ValidationError(_("Tanggal SP2D tidak boleh di masa depan."), code="future")
        )
    if kind not in KINDS:
        problems.append(
            ValidationError(
                _("Jenis SP2D harus salah satu dari: %(k)s.") % {"k": ", ".join(KINDS)},
                code="kind",
            )
        )
    if budget_line is not None and budget_line.programme_year_id != bill.programme_year_id:
        problems.append(
            ValidationError(
                _("Sumber dana harus pagu tahun program tagihan ini."), code="budget_line"
            )
        )
    open_amount = _open_amount(bill)
    problems += _amount_rules(
        amount=amount,
        open_amount=open_amount,
        explanation=explanation,
        remainder_due_on=remainder_due_on,
        paid_on=paid_on,
    )
    if problems:
        raise ValidationError(problems)
    partial = amount < open_amount
    payment = Payment(
        bill=bill,
        sp2d_number=number,
        paid_on=paid_on,
        amount=amount,
        kind=kind,
        account_code=account_code.strip()[:120],
        budget_line=budget_line,
        note=note.strip()[:500],
        explanation=explanation.strip() if partial else "",
        remainder_due_on=remainder_due_on if partial else None,
        source=source,
        recorded_by=actor,
    )
    payment.full_clean(exclude=["recorded_by", "bill", "budget_line", "confirmed_by"])
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:  # the same number recorded by someone else a moment ago
        raise ValidationError(
            _("SP2D dengan nomor ini sudah pernah dicatat."), code="duplicate"
        ) from None
    audit_entry_create(
        actor=actor,
        action="payment_record",
        target=payment,
        detail={
            "bill": bill.number,
            "sp2d": number,
            "amount": amount,
            "partial": partial,
            "source": source,
        },
    )
    return payment


@transaction.atomic
def payment_confirm(*, payment: Payment, actor: Any) -> Payment:
    """The second person's confirmation (four eyes): only then does the SP2D count as paid.

    The recorder cannot confirm their own entry; a confirmation is final.
    """
    if not actor.has_perm(CONFIRM):
        raise PermissionDenied
    payment = Payment.objects.select_for_update().select_related("bill").get(pk=payment.pk)
    if payment.status != Payment.Status.RECORDED:
        raise ValidationError(_("Pembayaran ini sudah dikonfirmasi."), code="confirmed")
    if payment.recorded_by_id == actor.pk:
        raise ValidationError(
            _("Pembayaran harus dikonfirmasi oleh orang lain, bukan pencatatnya."),
            code="four_eyes",
        )
    payment.status = Payment.Status.CONFIRMED
    payment.confirmed_by = actor
    payment.confirmed_at = timezone.now()
    payment.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    status = bill_payment_status(bill=payment.bill)
    audit_entry_create(
        actor=actor,
        action="payment_confirm",
        target=payment,
        detail={
            "bill": payment.bill.number,
            "sp2d": payment.sp2d_number,
            "amount": payment.amount,
            "settled": status.settled,
        },
    )
    return payment


@transaction.atomic
def payment_reject(*, payment: Payment, actor: Any, reason: str) -> None:
    """Take back an SP2D not yet confirmed: the second person refuses it (a wrong bill, a
    typo in the amount), or its recorder withdraws it. The entry is deleted so the bill's
    remainder is open again; the audit trail keeps what it was and why.

    A confirmed payment is final: money that left the treasury is corrected by the finance
    system, not by erasing it here.
    """
    payment = Payment.objects.select_for_update().select_related("bill").get(pk=payment.pk)
    own = payment.recorded_by_id == actor.pk
    if not actor.has_perm(CONFIRM if not own else RECORD):
        raise PermissionDenied
    if payment.status != Payment.Status.RECORDED:
        raise ValidationError(
            _("Pembayaran yang sudah dikonfirmasi tidak dapat ditolak."), code="confirmed"
        )
    reason = " ".join(reason.split())
    if len(reason) < EXPLANATION_MIN:
        raise ValidationError(
            _("Tuliskan alasan penolakan (paling sedikit %(n)s karakter).")
            % {"n": EXPLANATION_MIN},
            code="reason",
        )
    audit_entry_create(
        actor=actor,
        action="payment_withdraw" if own else "payment_reject",
        target=payment.bill,
        detail={
            "bill": payment.bill.number,
            "sp2d": payment.sp2d_number,
            "amount": payment.amount,
            "recorded_by": payment.recorded_by_id,
            "reason": reason[:300],
        },
    )
    payment.delete()


# ------------------------------------------------------------------------------------------
# The SP2D file
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sp2dRow:
    """One SP2D of an imported file, as checked text and values."""

    row: int
    sp2d_number: str
    paid_on: date
    amount: int
    kind: str
    account_code: str
    budget_source: str
    note: str
    bill_number: int
    explanation: str
    remainder_due_on: date | None


@dataclass
class Sp2dFile:
    """The rows of an SP2D file and every row problem (any problem refuses the file)."""

    rows: list[Sp2dRow] = field(default_factory=list)
    #: (row, message) of every problem, in row order.
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [message for _row, message in self.problems]


def amount_parse(text: str) -> int | None:
    """Integer rupiah as finance exports write it: ``1008000``, ``1.008.000``,
    ``1.008.000,00`` or a spreadsheet number ``1008000.0``; None for anything else (a
    fraction of a rupiah, a negative, letters)."""
    text = text.strip().removeprefix("Rp").strip()
    if _AMOUNT_FLOAT.fullmatch(text):
        return int(text.split(".")[0])
    if not _AMOUNT.fullmatch(text):
        return None
    return int(text.split(",")[0].replace(".", ""))


def date_parse(text: str) -> date | None:
    """``2026-02-10`` (a spreadsheet date), ``10-02-2026`` or ``10/02/2026``."""
    text = text.strip()
    if " " in text:
        text = text.split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _headers(table: TextTable, mapping: Mapping[str, str] | None) -> dict[str, int | None]:
    mapping = {k.upper(): " ".join(v.split()).upper() for k, v in (mapping or {}).items() if v}
    return {c: table.column(mapping.get(c, c)) for c in COLUMNS}


def _cell(table_row: Sequence[str], index: int | None) -> str:
    return table_row[index].strip() if index is not None and index < len(table_row) else ""


def columns_missing(
    *, file: str, missing: Sequence[str], mapping: Mapping[str, str] | None
) -> UploadRefused:
    """Required columns absent: named as the file should have them (mapped or default)."""
    shown = ", ".join((mapping or {}).get(c) or c for c in missing)
    return UploadRefused(
        "columns.missing",
        [
            _(
                "Kolom wajib tidak ditemukan di berkas '%(file)s': %(cols)s. Periksa judul "
                "kolom, atau isi pemetaan kolom di halaman unggah."
            )
            % {"file": file, "cols": shown}
        ],
    )


def _at(row: int, column: str, text: str) -> str:
    return _("Baris %(row)s, kolom %(col)s: %(text)s") % {"row": row, "col": column, "text": text}


def sp2d_file_read(
    path: Path, *, name: str | None = None, mapping: Mapping[str, str] | None = None
) -> Sp2dFile:
    """Read and check an SP2D file row by row; every problem is a "Baris N, kolom X" message
    that never repeats the cell (an SP2D file is not personal data, but the rule is one rule
    for every upload). ``mapping`` names the file's header for a canonical column."""
    table = read_text_table(path, name=name)
    where = _headers(table, mapping)
    missing = [c for c in REQUIRED if where[c] is None]
    if missing:
        raise columns_missing(file=name or path.name, missing=missing, mapping=mapping)
    out = Sp2dFile()
    for cells, row in zip(table.rows, table.row_numbers, strict=True):
        values = {c: _cell(cells, where[c]) for c in COLUMNS}
        problems: list[str] = []
        number = _sp2d_clean(values["NOMOR_SP2D"])
        if (text := _sp2d_problem(number)) is not None:
            problems.append(_at(row, "NOMOR_SP2D", text))
        paid_on = date_parse(values["TANGGAL"])
        if paid_on is None:
            problems.append(
                _at(row, "TANGGAL", _("tanggal tidak terbaca (tulis 2026-02-10 atau 10-02-2026)."))
            )
        amount = amount_parse(values["NILAI"])
        if amount is None or amount <= 0:
            problems.append(
                _at(row, "NILAI", _("nilai harus bilangan bulat rupiah lebih dari nol."))
            )
        kind = (values["JENIS"] or "LS").upper()
        if kind not in KINDS:
            problems.append(
                _at(
                    row,
                    "JENIS",
                    _("jenis SP2D harus salah satu dari: %(k)s.") % {"k": ", ".join(KINDS)},
                )
            )
        bill_text = values["TAGIHAN"]
        if not bill_text.isdigit():
            problems.append(_at(row, "TAGIHAN", _("nomor tagihan harus angka.")))
        due_text = values["SISA_PALING_LAMBAT"]
        due = date_parse(due_text) if due_text else None
        if due_text and due is None:
            problems.append(_at(row, "SISA_PALING_LAMBAT", _("tanggal tidak terbaca.")))
        if problems:
            out.problems += [(row, p) for p in problems]
            continue
        assert paid_on is not None and amount is not None
        out.rows.append(
            Sp2dRow(
                row=row,
                sp2d_number=number,
                paid_on=paid_on,
                amount=amount,
                kind=kind,
                account_code=values["KODE_REKENING"][:120],
                budget_source=values["SUMBER_DANA"],
                note=values["KETERANGAN"][:500],
                bill_number=int(bill_text),
                explanation=values["PENJELASAN"],
                remainder_due_on=due,
            )
        )
    return out


@dataclass(frozen=True)
class Sp2dImport:
    """What an accepted SP2D file did: the payments recorded (awaiting confirmation)."""

    payments: list[Payment]
    total: int


def _budget_line_for(
    text: str, lines: Sequence[BudgetLine]
) -> tuple[BudgetLine | None, str | None]:
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        if len(lines) == 1:
            return lines[0], None
        return None, _("sumber dana wajib diisi karena tahun ini punya lebih dari satu pagu.")
    for line in lines:
        if wanted in {line.source.casefold(), str(line.get_source_display()).casefold()}:
            return line, None
    return None, _("sumber dana bukan pagu tahun ini (tulis APBD atau lainnya).")


def payments_import(
    *,
    programme_year: ProgrammeYear,
    path: Path,
    name: str,
    actor: Any,
    mapping: Mapping[str, str] | None = None,
) -> Sp2dImport:
    """Record every SP2D of a file, or none (all or nothing).

    Rows are checked twice: on their own (dates, integer amounts) by the reader, then
    against the database and each other: the bill must be one of the year (an SP2D for an
    unknown bill is reported, never dropped), the SP2D number new, the amounts within what
    remains due, a partial payment explained (PENJELASAN, SISA_PALING_LAMBAT). One message per
    problem, "Baris N, kolom X: ...", and nothing is recorded while any remains.
    """
    if not actor.has_perm(RECORD):
        raise PermissionDenied
    outcome = upload_read(
        kind=UPLOAD_KIND, path=path, name=name, options={"mapping": dict(mapping or {})}
    )
    if outcome.accepted:
        parsed: Sp2dFile = outcome.result
    elif set(outcome.codes) == {ROWS_CODE}:
        # Row problems: read again for the good rows, so the database checks below report
        # theirs in the same answer (every problem at once, in row order).
        parsed = sp2d_file_read(path, name=name, mapping=mapping)
    else:
        raise ValidationError(list(outcome.messages), code="refused")
    with transaction.atomic():
        bills = {
            b.number: b
            for b in Bill.objects.select_for_update().filter(
                programme_year=programme_year, number__in={r.bill_number for r in parsed.rows}
            )
        }
        known = {
            n.casefold()
            for n in Payment.objects.annotate(upper=Upper("sp2d_number"))
            .filter(upper__in={r.sp2d_number.upper() for r in parsed.rows})
            .values_list("sp2d_number", flat=True)
        }
        lines = year_budget_lines(programme_year=programme_year)
        open_by_bill = {number: _open_amount(bill) for number, bill in bills.items()}
        seen: set[str] = set()
        errors: list[tuple[int, str]] = list(parsed.problems)
        plan: list[tuple[Sp2dRow, Bill, BudgetLine | None]] = []
        for r in parsed.rows:
            row_errors: list[str] = []
            key = r.sp2d_number.casefold()
            if key in known:
                row_errors.append(_at(r.row, "NOMOR_SP2D", _("SP2D ini sudah pernah dicatat.")))
            elif key in seen:
                row_errors.append(
                    _at(r.row, "NOMOR_SP2D", _("nomor SP2D sama dengan baris sebelumnya."))
                )
            seen.add(key)
            if r.paid_on > timezone.localdate():
                row_errors.append(_at(r.row, "TANGGAL", _("tanggal tidak boleh di masa depan.")))
            budget_line, problem = _budget_line_for(r.budget_source, lines)
            if problem:
                row_errors.append(_at(r.row, "SUMBER_DANA", problem))
            bill = bills.get(r.bill_number)
            if bill is None:
                row_errors.append(
                    _at(r.row, "TAGIHAN", _("tagihan ini tidak ada pada tahun program ini."))
                )
            else:
                amount_problems = _amount_rules(
                    amount=r.amount,
                    open_amount=open_by_bill[r.bill_number],
                    explanation=r.explanation,
                    remainder_due_on=r.remainder_due_on,
                    paid_on=r.paid_on,
                )
                for p in amount_problems:
                    column = (
                        "NILAI"
                        if p.code in {"amount", "overpaid"}
                        else (
                            "PENJELASAN"
                            if p.code == "partial_explanation"
                            else "SISA_PALING_LAMBAT"
                        )
                    )
                    row_errors.append(_at(r.row, column, _file_wording(p.code)))
                if not amount_problems:
                    open_by_bill[r.bill_number] -= r.amount
            if row_errors:
                errors += [(r.row, e) for e in row_errors]
            else:
                assert bill is not None
                plan.append((r, bill, budget_line))
        if errors:
            ordered = sorted(errors, key=lambda item: item[0])
            raise ValidationError([message for _row, message in ordered], code="rows")
        made = [
            payment_record(
                bill=bill,
                sp2d_number=r.sp2d_number,
                paid_on=r.paid_on,
                amount=r.amount,
                kind=r.kind,
                account_code=r.account_code,
                budget_line=budget_line,
                note=r.note,
                explanation=r.explanation,
                remainder_due_on=r.remainder_due_on,
                actor=actor,
                source="berkas",
            )
            for r, bill, budget_line in plan
        ]
        audit_entry_create(
            actor=actor,
            action="payments_import",
            target=programme_year,
            detail={"file": name[:120], "rows": len(made), "total": sum(p.amount for p in made)},
        )
    return Sp2dImport(payments=made, total=sum(p.amount for p in made))


def _file_wording(code: str | None) -> str:
    """The amount rules worded for a file row (the page words them with the amounts)."""
    return {
        "amount": _("nilai harus lebih dari nol."),
        "overpaid": _("nilai melebihi sisa tagihan yang belum dibayar."),
        "partial_explanation": _(
            "nilai kurang dari sisa tagihan: isi penjelasan pembayaran sebagian "
            "(paling sedikit %(n)s karakter)."
        )
        % {"n": EXPLANATION_MIN},
        "partial_due": _("pembayaran sebagian: isi tanggal paling lambat sisa dibayar."),
        "partial_due_past": _("tanggal pelunasan sisa tidak boleh sebelum tanggal SP2D."),
    }.get(code or "", _("nilai tidak dapat diterima."))


__all__ = [
    "COLUMNS",
    "BillPaymentStatus",
    "Sp2dFile",
    "Sp2dImport",
    "Sp2dRow",
    "amount_parse",
    "bill_payment_status",
    "bill_payments",
    "date_parse",
    "payment_confirm",
    "payment_record",
    "payment_reject",
    "payments_import",
    "sp2d_file_read",
    "year_payments",
]
