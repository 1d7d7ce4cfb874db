"""Factories for the contributions tests (bills, payments, reconciliation): a year with
participants and their coverage periods, made without a screening run.

Billing reads coverage periods, budget lines and the pinned policy only, so the participants
are built straight from the models (``payung.participants.tests.factories``: a roster-origin
proposal, as a regency that moves in its earlier roster has) instead of screening an
extract: a test with 200 participants stays fast. The lifecycle services themselves are
tested in ``participants``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from payung.contributions.models import Bill, BillLine
from payung.participants.models import Candidate

# The participants and their coverage periods are built at the participants layer, whose
# own tests (the pagu forecast) need them too; re-exported here for the contributions tests.
from payung.participants.tests.factories import (
    JKK,
    JKM,
    MONTHLY,
    CandidateFactory,
    CooperationAgreementFactory,
    CoveragePeriodFactory,
    ProposalFactory,
    contribution_year,
    participants_add,
)
from payung.programmes.models import ProgrammeYear
from payung.programmes.tests.factories import COST_PER_PERSON, BudgetLineFactory, UserFactory

__all__ = [
    "COST_PER_PERSON",
    "JKK",
    "JKM",
    "MONTHLY",
    "BudgetLineFactory",
    "CandidateFactory",
    "CooperationAgreementFactory",
    "CoveragePeriodFactory",
    "ProposalFactory",
    "UserFactory",
    "bill_made",
    "contribution_year",
    "invoice_compared",
    "monthly_lines",
    "participants_add",
    "second_bendahara",
    "table_file",
]


# --- Payments and reconciliation (issue 11, part 2) ----------------------------------------


def second_bendahara(*, username: str = "bendahara_disnaker_2") -> Any:
    """Another treasurer of Disnakertrans: four eyes need two people with the same rights."""
    from payung.accounts.services import agency_get_or_create, user_create
    from payung.conftest import PASSWORD

    agency = agency_get_or_create(kind="disnakertrans", name="Disnakertrans")
    return user_create(username=username, password=PASSWORD, role="bendahara", agency=agency)


def bill_made(
    *,
    programme_year: ProgrammeYear,
    issued_by: Any,
    lines: Sequence[tuple[Candidate, date, int, int]] = (),
    corrections: Sequence[tuple[Candidate, date, int, int]] = (),
    number: int | None = None,
) -> Bill:
    """A bill written straight to the models, with ``(candidate, month, jkk, jkm)`` lines and
    correction lines; billing itself (``bill_issue``) is tested on its own. Its period spans
    the months of its regular lines (January 2026 when it has none)."""
    months = sorted({m for _c, m, _k, _j in lines}) or [date(programme_year.year, 1, 1)]
    budget_line = programme_year.budget_lines.order_by("source").first()
    if budget_line is None:
        budget_line = BudgetLineFactory(programme_year=programme_year)
    if number is None:
        last = programme_year.bills.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    all_lines = [(*line, False) for line in lines] + [(*line, True) for line in corrections]
    bill = Bill.objects.create(
        programme_year=programme_year,
        number=number,
        first_month=months[0],
        last_month=months[-1],
        due_on=months[0].replace(day=15),
        participant_count=len({c.pk for c, _m, _k, _j, _x in all_lines}),
        total=sum(k + j for _c, _m, k, j, _x in all_lines),
        policy_sha256="0" * 64,
        issued_by=issued_by,
    )
    BillLine.objects.bulk_create(
        BillLine(
            bill=bill,
            candidate=candidate,
            budget_line=budget_line,
            month=month,
            jkk=jkk,
            jkm=jkm,
            correction=correction,
        )
        for candidate, month, jkk, jkm, correction in all_lines
    )
    return bill


def monthly_lines(
    candidates: Sequence[Candidate], months: Sequence[date]
) -> list[tuple[Candidate, date, int, int]]:
    """Every candidate for every month at Pandeglang's rates (JKK 10.000, JKM 6.800)."""
    return [(c, m, JKK, JKM) for c in candidates for m in months]


def table_file(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """A CSV (``;``, UTF-8 with BOM, as Excel saves it) or an XLSX with every cell as text,
    by the suffix of ``path``."""
    if path.suffix.lower() == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet()
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                sheet.write_string(r, col, str(value))
        book.close()
    else:
        from payung.engine import csv_bytes

        path.write_bytes(csv_bytes(list(headers), [[str(v) for v in row] for row in rows]))
    return path


def invoice_compared(
    *,
    programme_year: ProgrammeYear,
    first_month: date,
    last_month: date,
    path: Path,
    actor: Any,
    mapping: dict[str, str] | None = None,
) -> Any:
    """Upload BPJS's invoice as the page does and run its job's service synchronously (the
    task is queued on commit, which a test's transaction never reaches); the job, fresh."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from payung.contributions import reconciliation_imports as imports

    job = imports.reconciliation_import_create(
        programme_year=programme_year,
        first_month=first_month,
        last_month=last_month,
        uploaded=SimpleUploadedFile(path.name, path.read_bytes()),
        actor=actor,
        mapping=mapping,
    )
    imports.reconciliation_import_execute(reconciliation_import=job)
    job.refresh_from_db()
    return job
