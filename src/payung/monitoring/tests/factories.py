"""A small programme year with something in every monitoring section, straight from models.

Built on the earlier stages' factories (participants' ``contribution_year`` and
``participants_add``, contributions' ``bill_made``, appeals' ``AppealFactory``, screening's
``ScreeningRunFactory``/``DecisionFactory``) so the figures are checked against rows the
tests can count directly. Nothing here is hard-coded into an expected figure: the tests
count the same rows themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from payung.appeals.models import Appeal
from payung.appeals.tests.factories import AppealFactory
from payung.contributions.models import Payment, Reconciliation, ReconciliationLine
from payung.contributions.tests.factories import bill_made, monthly_lines
from payung.core.models import JobStatus
from payung.ends.models import Claim, EndImport, EndImportRow
from payung.participants.models import Candidate, CandidateState
from payung.participants.tests.factories import (
    JKK,
    JKM,
    contribution_year,
    participants_add,
)
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.tests.factories import COST_PER_PERSON, UserFactory
from payung.registry.models import DtsenImport
from payung.screening.tests.factories import DecisionFactory, ScreeningRunFactory
from payung.verification.models import Answer, VerificationBatch, VerificationItem

JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))
#: Two kecamatan of Pandeglang: Sumur (Desa Sumberjaya) and Cimanggu (Desa Rancapinang).
SUMUR_DESA = "3601012001"
CIMANGGU_DESA = "3601022001"


@dataclass
class MonitoringYear:
    year: ProgrammeYear
    groups: dict[str, list[Candidate]]


def _decide(candidate: Candidate, run: Any, **fields: Any) -> None:
    """Attach a screening decision with ``fields`` (age, desil, occupation, priorities)."""
    decision = DecisionFactory(
        run=run, person=candidate.person, row=candidate.person.row, nik=candidate.nik, **fields
    )
    Candidate.objects.filter(pk=candidate.pk).update(decision=decision)


def _people(candidates: list[Candidate], *, desa: str, sex: str) -> None:
    from payung.registry.models import Person

    Person.objects.filter(pk__in=[c.person_id for c in candidates]).update(
        kode_desa=desa, jenis_kelamin=sex
    )


def monitoring_year(*, user: Any | None = None) -> MonitoringYear:
    """Year 2026: pagu from two sources; a finished screening run; participants in two
    kecamatan (men and women, several ages, deciles, occupations, priorities), some ended,
    one decreed not yet covered, one from the old roster without a decision; bills for
    January-March with payments and a closed reconciliation for January; claims of
    participants, of an ended one and of a never-covered one; Disdukcapil answers; appeals."""
    user = user or UserFactory()
    year, proposal = contribution_year(
        pagu=[(BudgetLine.Source.APBD, 20 * COST_PER_PERSON), ("lainnya", 10 * COST_PER_PERSON)],
        quota=40,
    )
    run = ScreeningRunFactory(
        programme_year=year,
        counts={
            "rows": 100,
            "by_status": {"selected": 30, "waitlisted": 12, "ineligible": 50, "invalid": 8},
            "by_rule": {},
            "by_invalid_code": {},
            "by_flag": {},
        },
    )
    DtsenImport.objects.filter(pk=run.dtsen_import_id).update(
        row_count=100, invalid_count=8, status=JobStatus.DONE
    )
    proposal.screening_run = run
    proposal.save(update_fields=["screening_run"])
    sumur = participants_add(proposal=proposal, periods=[(JAN, None)] * 4)
    cimanggu = participants_add(proposal=proposal, periods=[(FEB, None)] * 3)
    ended = participants_add(proposal=proposal, periods=[(JAN, date(2026, 3, 15))] * 2)
    waiting = participants_add(proposal=proposal, periods=[(None, None)])
    roster = participants_add(proposal=proposal, periods=[(JAN, None)])
    never = participants_add(
        proposal=proposal, periods=[(None, None)], state=CandidateState.WAITLISTED
    )
    _people(sumur + ended, desa=SUMUR_DESA, sex="L")
    _people(cimanggu + waiting, desa=CIMANGGU_DESA, sex="P")
    _people(roster, desa=SUMUR_DESA, sex="PEREMPUAN")
    for i, c in enumerate(sumur):
        _decide(
            c,
            run,
            age=25 + i * 10,
            desil=1 + i % 2,
            occupation_category="petani",
            priorities="7(2)a" if i == 0 else "",
        )
    for i, c in enumerate(cimanggu):
        _decide(
            c,
            run,
            age=60 + i * 2,  # 60, 62, 64: the last is too old at next year's as-of date
            desil=3,
            occupation_category="nelayan",
            priorities="7(2)a;7(2)c",
        )
    for c in ended + waiting + never:
        _decide(c, run, age=40, desil=4, occupation_category="buruh_harian", priorities="")

    # Money: January to March, paid for January and February (February partly).
    covered_jan = sumur + ended + roster
    bills = [
        bill_made(programme_year=year, issued_by=user, lines=monthly_lines(covered_jan, [JAN])),
        bill_made(
            programme_year=year,
            issued_by=user,
            lines=monthly_lines(covered_jan + cimanggu, [FEB]),
        ),
        bill_made(
            programme_year=year,
            issued_by=user,
            lines=monthly_lines(sumur + roster + cimanggu + ended, [MAR]),
        ),
    ]
    for n, (bill, amount, paid_on) in enumerate(
        [
            (bills[0], bills[0].total, date(2026, 1, 12)),
            (bills[1], bills[1].total - JKK - JKM, date(2026, 2, 14)),
        ]
    ):
        Payment.objects.create(
            bill=bill,
            sp2d_number=f"SP2D-MON-{n}",
            paid_on=paid_on,
            amount=amount,
            status=Payment.Status.CONFIRMED,
            recorded_by=user,
            confirmed_by=user,
        )
    reconciliation = Reconciliation.objects.create(
        programme_year=year,
        first_month=JAN,
        last_month=JAN,
        file_name="tagihan-bpjs-januari.csv",
        sha256="0" * 64,
        status=Reconciliation.Status.CLOSED,
        created_by=user,
    )
    ReconciliationLine.objects.create(
        reconciliation=reconciliation,
        kpj="26999999999",
        month=JAN,
        category=ReconciliationLine.Category.HANYA_BPJS,
        bpjs_amount=JKK + JKM,
    )

    # Benefits: BPJS's claims file.
    claims_import = EndImport.objects.create(
        programme_year=year,
        kind=EndImport.Kind.CLAIMS,
        file_name="klaim-bpjs.csv",
        sha256="1" * 64,
        size_bytes=100,
        status=JobStatus.DONE,
        uploaded_by=user,
    )
    claims = [
        (sumur[0], Claim.Type.JKK, date(2026, 2, 10), 2_500_000, Claim.Status.DIBAYAR),
        (cimanggu[0], Claim.Type.JKK, date(2026, 4, 2), 1_000_000, Claim.Status.PROSES),
        (ended[0], Claim.Type.JKM, date(2026, 3, 15), 42_000_000, Claim.Status.DIBAYAR),
        (ended[1], Claim.Type.JKK, date(2026, 4, 20), 750_000, Claim.Status.DIBAYAR),  # ended
        (never[0], Claim.Type.JKK, date(2026, 5, 5), 300_000, Claim.Status.DITOLAK),  # never
        (sumur[1], Claim.Type.JKK, date(2026, 8, 1), 900_000, Claim.Status.DIBAYAR),  # 2nd half
    ]
    for row, (c, kind, day, amount, status) in enumerate(claims, start=2):
        Claim.objects.create(
            candidate=c,
            kpj=c.kpj,
            claim_type=kind,
            event_date=day,
            amount_paid=amount,
            status=status,
            end_import=claims_import,
            row=row,
        )
    EndImportRow.objects.create(
        end_import=claims_import,
        row=99,
        nik="3601010101010001",
        kpj="26000000999",
        event=EndImportRow.Event.KLAIM_JKK,
        event_date=date(2026, 5, 1),
        outcome=EndImportRow.Outcome.TIDAK_COCOK,
    )

    # Data quality: Disdukcapil's answers and the appeals.
    batch = VerificationBatch.objects.create(
        proposal=proposal,
        number=1,
        created_by=user,
        status=VerificationBatch.Status.ANSWERED,
        responses=[{"file_name": "jawaban.csv", "unmatched": [{"row": 7}, {"row": 9}]}],
    )
    answers = [
        (sumur[0], Answer.SESUAI, {}),
        (sumur[1], Answer.DATA_BERBEDA, {"tanggal_lahir": "1970-01-02"}),
        (sumur[2], Answer.DATA_BERBEDA, {"nik": "3601010101700002", "tanggal_lahir": "x"}),
        (cimanggu[0], Answer.TIDAK_DITEMUKAN, {}),
        (cimanggu[1], Answer.SESUAI, {}),
    ]
    for c, answer, corrected in answers:
        VerificationItem.objects.create(
            batch=batch, candidate=c, answer=answer, corrected=corrected
        )
    AppealFactory(programme_year=year, person=never[0].person, recorded_by=user, received_on=MAR)
    AppealFactory(
        programme_year=year,
        person=waiting[0].person,
        recorded_by=user,
        received_on=APR,
        status=Appeal.Status.ANSWERED,
        outcome=Appeal.Outcome.REFUSED,
    )
    AppealFactory(
        programme_year=year,
        person=roster[0].person,
        recorded_by=user,
        received_on=date(2026, 9, 1),
        status=Appeal.Status.ANSWERED,
        outcome=Appeal.Outcome.WAITING_LIST,
    )
    return MonitoringYear(
        year=year,
        groups={
            "sumur": sumur,
            "cimanggu": cimanggu,
            "ended": ended,
            "waiting": waiting,
            "roster": roster,
            "never": never,
        },
    )
