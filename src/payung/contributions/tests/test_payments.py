"""SP2D payments (Pasal 9 ayat (1), (4)): four eyes, partial payments, the import.

What a treasurer relies on: a bill is paid only when a second person confirmed the SP2D; an
amount other than what remains is refused (more) or must be explained with a deadline
(less); an SP2D is never recorded twice; a file is taken whole or not at all, and every bad
row is named by row and column without repeating the cell.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.contributions import payments
from payung.contributions.models import Bill, Payment
from payung.contributions.tests import factories as f

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
SP2D = "35.19/04.0/000003/LS/2.19.3.26.0.00.01.0000/M/2/2024"
HEADERS = ["NOMOR_SP2D", "TANGGAL", "NILAI", "JENIS", "KODE_REKENING", "SUMBER_DANA", "TAGIHAN"]
ACCOUNT = "5.1.02.01.01.0026"


@pytest.fixture
def bendahara_2(db: None) -> Any:
    return f.second_bendahara()


@pytest.fixture
def bill(bendahara_disnaker: Any) -> Bill:
    """Three participants for January: Rp50.400."""
    year, proposal = f.contribution_year()
    people = f.participants_add(proposal=proposal, periods=[(JAN, None)] * 3)
    return f.bill_made(
        programme_year=year, issued_by=bendahara_disnaker, lines=f.monthly_lines(people, [JAN])
    )


def _record(bill: Bill, actor: Any, **kwargs: Any) -> Payment:
    values: dict[str, Any] = {
        "sp2d_number": SP2D,
        "paid_on": date(2026, 1, 12),
        "amount": bill.total,
        "account_code": ACCOUNT,
        "budget_line": bill.programme_year.budget_lines.get(),
    }
    values.update(kwargs)
    return payments.payment_record(bill=bill, actor=actor, **values)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- four eyes --------------------------------------------------------------------------------


def test_a_payment_settles_the_bill_only_once_a_second_person_confirms(
    bill: Bill, bendahara_disnaker: Any, bendahara_2: Any
) -> None:
    assert bill.total == 3 * f.MONTHLY
    payment = _record(bill, bendahara_disnaker)

    before = payments.bill_payment_status(bill=bill)
    assert (before.paid, before.pending, before.remaining, before.settled) == (
        0,
        bill.total,
        bill.total,
        False,
    )

    payments.payment_confirm(payment=payment, actor=bendahara_2)

    after = payments.bill_payment_status(bill=bill)
    assert (after.paid, after.pending, after.remaining, after.settled) == (bill.total, 0, 0, True)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CONFIRMED
    assert payment.confirmed_by == bendahara_2


def test_the_recorder_cannot_confirm_their_own_payment(
    bill: Bill, bendahara_disnaker: Any, bendahara_2: Any
) -> None:
    payment = _record(bill, bendahara_disnaker)
    with pytest.raises(ValidationError) as refused:
        payments.payment_confirm(payment=payment, actor=bendahara_disnaker)
    assert "bukan pencatatnya" in _messages(refused)
    assert not payments.bill_payment_status(bill=bill).settled

    payments.payment_confirm(payment=payment, actor=bendahara_2)
    with pytest.raises(ValidationError, match="sudah dikonfirmasi"):
        payments.payment_confirm(payment=payment, actor=bendahara_2)


def test_roles_without_the_rights_can_neither_record_nor_confirm(
    bill: Bill, bendahara_disnaker: Any, auditor_inspektorat: Any, operator_disnaker: Any
) -> None:
    with pytest.raises(PermissionDenied):
        _record(bill, auditor_inspektorat)
    payment = _record(bill, bendahara_disnaker)
    with pytest.raises(PermissionDenied):
        payments.payment_confirm(payment=payment, actor=operator_disnaker)


def test_an_unconfirmed_sp2d_can_be_refused_or_withdrawn_a_confirmed_one_cannot(
    bill: Bill, bendahara_disnaker: Any, bendahara_2: Any, auditor_inspektorat: Any
) -> None:
    wrong = _record(
        bill, bendahara_disnaker, amount=f.MONTHLY, explanation="x" * 12, remainder_due_on=FEB
    )
    with pytest.raises(PermissionDenied):
        payments.payment_reject(payment=wrong, actor=auditor_inspektorat, reason="x" * 20)
    with pytest.raises(ValidationError, match="alasan penolakan"):
        payments.payment_reject(payment=wrong, actor=bendahara_2, reason="salah")
    payments.payment_reject(payment=wrong, actor=bendahara_2, reason="Nilai salah ketik di SP2D")
    assert not Payment.objects.exists()
    assert payments.bill_payment_status(bill=bill).open == bill.total  # open again

    own = _record(bill, bendahara_disnaker)
    payments.payment_reject(payment=own, actor=bendahara_disnaker, reason="Tagihan keliru dipilih")
    actions = list(
        AuditEntry.objects.filter(action__in=["payment_reject", "payment_withdraw"])
        .order_by("pk")
        .values_list("action", "detail__sp2d")
    )
    assert actions == [("payment_reject", SP2D), ("payment_withdraw", SP2D)]

    confirmed = _record(bill, bendahara_disnaker)
    payments.payment_confirm(payment=confirmed, actor=bendahara_2)
    with pytest.raises(ValidationError, match="sudah dikonfirmasi"):
        payments.payment_reject(payment=confirmed, actor=bendahara_2, reason="x" * 20)


# --- amounts ----------------------------------------------------------------------------------


def test_a_partial_payment_must_be_explained_with_a_deadline(
    bill: Bill, bendahara_disnaker: Any, bendahara_2: Any
) -> None:
    part = 2 * f.MONTHLY
    with pytest.raises(ValidationError) as refused:
        _record(bill, bendahara_disnaker, amount=part)
    text = _messages(refused)
    assert "penjelasan" in text and "paling lambat" in text
    assert "Rp50.400" in text  # what remains, so the treasurer sees what a full one would be
    assert not Payment.objects.exists()

    with pytest.raises(ValidationError, match="penjelasan"):
        _record(bill, bendahara_disnaker, amount=part, explanation="kurang", remainder_due_on=FEB)

    payment = _record(
        bill,
        bendahara_disnaker,
        amount=part,
        explanation="Pagu triwulan I belum cair seluruhnya",
        remainder_due_on=date(2026, 2, 10),
    )
    payments.payment_confirm(payment=payment, actor=bendahara_2)
    status = payments.bill_payment_status(bill=bill)
    assert (status.paid, status.remaining, status.settled) == (part, f.MONTHLY, False)
    assert status.remainder_due_on == date(2026, 2, 10)

    rest = _record(bill, bendahara_disnaker, sp2d_number="SP2D/0002/LS/2026", amount=f.MONTHLY)
    assert rest.explanation == "" and rest.remainder_due_on is None
    payments.payment_confirm(payment=rest, actor=bendahara_2)
    assert payments.bill_payment_status(bill=bill).settled


def test_more_than_remains_is_refused_counting_payments_not_yet_confirmed(
    bill: Bill, bendahara_disnaker: Any
) -> None:
    with pytest.raises(ValidationError, match="melebihi sisa"):
        _record(bill, bendahara_disnaker, amount=bill.total + 1)
    _record(
        bill,
        bendahara_disnaker,
        amount=f.MONTHLY,
        explanation="Sisa dibayar bulan depan",
        remainder_due_on=FEB,
    )
    # The first SP2D awaits confirmation, yet it already takes its share of the bill.
    with pytest.raises(ValidationError, match="melebihi sisa"):
        _record(bill, bendahara_disnaker, sp2d_number="SP2D/0002/LS/2026", amount=bill.total)


def test_the_same_sp2d_number_is_never_recorded_twice(bill: Bill, bendahara_disnaker: Any) -> None:
    _record(bill, bendahara_disnaker, amount=f.MONTHLY, explanation="x" * 12, remainder_due_on=FEB)
    with pytest.raises(ValidationError, match="sudah pernah dicatat"):
        _record(bill, bendahara_disnaker, sp2d_number=SP2D.lower(), amount=f.MONTHLY)


def test_the_budget_line_must_be_one_of_the_bills_year(bill: Bill, bendahara_disnaker: Any) -> None:
    other_year, _proposal = f.contribution_year(year=2027)
    with pytest.raises(ValidationError, match="pagu tahun program"):
        _record(bill, bendahara_disnaker, budget_line=other_year.budget_lines.get())


def test_recording_and_confirming_are_audited_without_personal_data(
    bill: Bill, bendahara_disnaker: Any, bendahara_2: Any
) -> None:
    payment = _record(bill, bendahara_disnaker)
    payments.payment_confirm(payment=payment, actor=bendahara_2)
    entries = {e.action: e for e in AuditEntry.objects.filter(action__startswith="payment_")}
    assert entries["payment_record"].detail == {
        "bill": bill.number,
        "sp2d": SP2D,
        "amount": bill.total,
        "partial": False,
        "source": "halaman",
    }
    assert entries["payment_confirm"].detail["settled"] is True
    kpjs = list(bill.lines.values_list("candidate__kpj", flat=True))
    for entry in entries.values():
        assert not any(k in str(entry.detail) for k in kpjs)


# --- the SP2D file ----------------------------------------------------------------------------


def test_amounts_are_integer_rupiah_as_finance_exports_write_them() -> None:
    assert payments.amount_parse("1008000") == 1_008_000
    assert payments.amount_parse("1.008.000") == 1_008_000
    assert payments.amount_parse("Rp1.008.000,00") == 1_008_000
    assert payments.amount_parse("1008000.0") == 1_008_000
    assert payments.amount_parse("10.000") == 10_000  # a thousands dot, not a decimal point
    for bad in ("1.008.000,50", "1008000.5", "-5", "satu juta", "1,5", "10.00.00"):
        assert payments.amount_parse(bad) is None, bad


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_good_file_records_every_sp2d_awaiting_confirmation(
    bill: Bill, bendahara_disnaker: Any, tmp_path: Path, suffix: str
) -> None:
    path = f.table_file(
        tmp_path / f"sp2d{suffix}",
        [*HEADERS, "PENJELASAN", "SISA_PALING_LAMBAT"],
        [
            [
                SP2D,
                "2026-01-12",
                "33.600",
                "LS",
                ACCOUNT,
                "APBD",
                bill.number,
                "Dana baru cair",
                "10-02-2026",
            ],
            ["SP2D/0002/LS/2026", "20/01/2026", "16800", "LS", ACCOUNT, "", bill.number, "", ""],
        ],
    )
    made = payments.payments_import(
        programme_year=bill.programme_year, path=path, name=path.name, actor=bendahara_disnaker
    )
    assert made.total == bill.total
    assert [p.amount for p in made.payments] == [33_600, 16_800]
    assert {p.source for p in made.payments} == {"berkas"}
    assert made.payments[0].remainder_due_on == date(2026, 2, 10)
    status = payments.bill_payment_status(bill=bill)
    assert (status.paid, status.pending) == (0, bill.total)  # still four eyes


def test_a_file_with_bad_rows_is_refused_whole_and_names_each_row_and_column(
    bill: Bill, bendahara_disnaker: Any, tmp_path: Path
) -> None:
    _record(bill, bendahara_disnaker, amount=f.MONTHLY, explanation="x" * 12, remainder_due_on=FEB)
    path = f.table_file(
        tmp_path / "sp2d.csv",
        HEADERS,
        [
            ["SP2D/0010/LS/2026", "2026-01-12", "33600", "LS", ACCOUNT, "APBD", bill.number],
            ["SP2D/0011/LS/2026", "31-02-2026", "16800", "LS", ACCOUNT, "APBD", bill.number],
            ["SP2D/0012/LS/2026", "2026-01-12", "16800,50", "LS", ACCOUNT, "APBD", bill.number],
            ["SP2D/0013/LS/2026", "2026-01-12", "16800", "LS", ACCOUNT, "APBD", "987"],
            [SP2D, "2026-01-12", "16800", "LS", ACCOUNT, "APBD", bill.number],
            ["SP2D/0010/LS/2026", "2026-01-12", "100", "LS", ACCOUNT, "APBD", bill.number],
        ],
    )
    with pytest.raises(ValidationError) as refused:
        payments.payments_import(
            programme_year=bill.programme_year,
            path=path,
            name=path.name,
            actor=bendahara_disnaker,
        )
    messages = refused.value.messages
    assert "Baris 3, kolom TANGGAL: tanggal tidak terbaca" in messages[0]
    assert "Baris 4, kolom NILAI: nilai harus bilangan bulat" in messages[1]
    text = " | ".join(messages)
    assert "Baris 5, kolom TAGIHAN: tagihan ini tidak ada" in text  # reported, never dropped
    assert "Baris 6, kolom NOMOR_SP2D: SP2D ini sudah pernah dicatat" in text
    assert "Baris 7, kolom NOMOR_SP2D: nomor SP2D sama dengan baris sebelumnya" in text
    # The cells themselves are never repeated in a message.
    for cell in ("31-02-2026", "16800,50", "987", "SP2D/0010", "33600", "33.600"):
        assert cell not in text
    assert Payment.objects.count() == 1  # the one recorded by hand; nothing from the file


def test_a_partial_row_without_its_explanation_refuses_the_file(
    bill: Bill, bendahara_disnaker: Any, tmp_path: Path
) -> None:
    path = f.table_file(
        tmp_path / "sp2d.csv",
        HEADERS,
        [["SP2D/0020/LS/2026", "2026-01-12", "16800", "LS", ACCOUNT, "APBD", bill.number]],
    )
    with pytest.raises(ValidationError) as refused:
        payments.payments_import(
            programme_year=bill.programme_year, path=path, name="a.csv", actor=bendahara_disnaker
        )
    text = " | ".join(refused.value.messages)
    assert "Baris 2, kolom PENJELASAN" in text and "Baris 2, kolom SISA_PALING_LAMBAT" in text
    assert not Payment.objects.exists()


def test_other_headers_are_read_through_the_mapping(
    bill: Bill, bendahara_disnaker: Any, tmp_path: Path
) -> None:
    path = f.table_file(
        tmp_path / "sipd.xlsx",
        ["No SP2D", "Tgl SP2D", "Nilai SP2D", "No Tagihan"],
        [[SP2D, "2026-01-12", str(bill.total), str(bill.number)]],
    )
    mapping = {
        "NOMOR_SP2D": "No SP2D",
        "TANGGAL": "Tgl SP2D",
        "NILAI": "Nilai SP2D",
        "TAGIHAN": "No Tagihan",
    }
    with pytest.raises(
        ValidationError, match=r"Kolom wajib tidak ditemukan di berkas 'sipd\.xlsx'"
    ):
        payments.payments_import(
            programme_year=bill.programme_year,
            path=path,
            name="sipd.xlsx",
            actor=bendahara_disnaker,
        )
    made = payments.payments_import(
        programme_year=bill.programme_year,
        path=path,
        name="sipd.xlsx",
        mapping=mapping,
        actor=bendahara_disnaker,
    )
    assert [(p.sp2d_number, p.amount, p.kind) for p in made.payments] == [(SP2D, bill.total, "LS")]


# --- pages ------------------------------------------------------------------------------------


def test_the_bill_page_asks_for_an_explanation_of_a_partial_payment(
    client: Client, bill: Bill, bendahara_disnaker: Any
) -> None:
    client.force_login(bendahara_disnaker)
    url = reverse("contributions:bill_payments", args=[bill.pk])
    response = client.post(
        url,
        {
            "sp2d_number": SP2D,
            "paid_on": "2026-01-12",
            "amount": "Rp16.800",
            "kind": "LS",
            "budget_line": bill.programme_year.budget_lines.get().pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "tuliskan penjelasan pembayaran sebagian" in page
    assert "Rp50.400" in page
    assert not Payment.objects.exists()

    response = client.post(
        url,
        {
            "sp2d_number": SP2D,
            "paid_on": "2026-01-12",
            "amount": "50.400",
            "kind": "LS",
            "budget_line": bill.programme_year.budget_lines.get().pk,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "dihitung setelah dikonfirmasi orang lain" in page
    assert "Menunggu konfirmasi orang lain" in page  # no confirm button for the recorder
    assert "12 Januari 2026" in page


def test_payment_pages_do_not_grow_queries_with_payments(
    client: Client,
    bendahara_disnaker: Any,
    bendahara_2: Any,
    django_assert_max_num_queries: Any,
) -> None:
    year, proposal = f.contribution_year()
    people = f.participants_add(proposal=proposal, periods=[(JAN, None)] * 2)
    bills = [
        f.bill_made(
            programme_year=year,
            issued_by=bendahara_disnaker,
            lines=f.monthly_lines(people, [date(2026, m, 1)]),
        )
        for m in range(1, 9)
    ]
    line = year.budget_lines.get()
    for i, b in enumerate(bills):
        p = payments.payment_record(
            bill=b,
            sp2d_number=f"SP2D/{i:04d}/LS/2026",
            paid_on=date(2026, 1, 12),
            amount=b.total,
            budget_line=line,
            actor=bendahara_disnaker,
        )
        if i % 2:
            payments.payment_confirm(payment=p, actor=bendahara_2)
    client.force_login(bendahara_disnaker)
    with django_assert_max_num_queries(12):
        register = client.get(reverse("contributions:payment_list", args=[year.pk]))
    assert register.status_code == 200
    assert register.content.decode().count("SP2D/00") == len(bills)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("contributions:bill_payments", args=[bills[0].pk]))
    assert page.status_code == 200


def test_the_import_page_lists_every_bad_row_then_records_a_good_file(
    client: Client, bill: Bill, bendahara_disnaker: Any, tmp_path: Path
) -> None:
    client.force_login(bendahara_disnaker)
    url = reverse("contributions:payment_import", args=[bill.programme_year_id])
    bad = f.table_file(
        tmp_path / "sp2d-salah.csv",
        HEADERS,
        [
            ["SP2D/0030/LS/2026", "kemarin", "50400", "LS", ACCOUNT, "APBD", bill.number],
            ["SP2D/0031/LS/2026", "2026-01-12", "50400", "LS", ACCOUNT, "APBD", "77"],
        ],
    )
    with bad.open("rb") as handle:
        response = client.post(url, {"file": handle})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Berkas ditolak seluruhnya" in page
    assert "Baris 2, kolom TANGGAL" in page and "Baris 3, kolom TAGIHAN" in page
    assert "kemarin" not in page

    good = f.table_file(
        tmp_path / "sp2d.csv",
        HEADERS,
        [["SP2D/0031/LS/2026", "12-01-2026", "50.400", "LS", ACCOUNT, "APBD", bill.number]],
    )
    with good.open("rb") as handle:
        response = client.post(url, {"file": handle}, follow=True)
    page = response.content.decode()
    assert "1 SP2D dicatat (Rp50.400)" in page
    assert "SP2D/0031/LS/2026" in page
