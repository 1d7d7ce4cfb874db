"""Two programme years of one regency through the real services: 2026 with active
participants, 2027 created with carry-over and screened on an extract where one of them no
longer qualifies and one is gone (issue 12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from payung.participants.models import Candidate
from payung.participants.services import participant_activate, proposal_create
from payung.participants.tests.factories import decreed_candidates, register
from payung.participants.transitions import candidates_transition
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.programmes.services import programme_year_create
from payung.programmes.tests.factories import COST_PER_PERSON
from payung.screening import services as screening_services
from payung.screening.models import ScreeningRun
from payung.screening.tests.factories import (
    DtsenImportFactory,
    persons_create,
    synthetic_table,
)

#: The 2026 screening behind the participants; the 2027 extract is the same people again.
ROWS = 150
SEED = 63
LAST_QUOTA = 3
NEXT_QUOTA = 5
NUMBER_2027 = "400.10/Kep.3-Huk/2027"


def last_year_active(*, personas: dict[str, Any]) -> list[Candidate]:
    """2026: three participants decreed, registered with a KPJ and active from 1 February;
    the year's status is where the signed participants decree leaves it."""
    decreed = decreed_candidates(
        operator=personas["operator_dinsos"],
        approver=personas["operator_dinsos_2"],
        verifier=personas["verifikator_dukcapil"],
        recorder=personas["operator_disnaker"],
        n=LAST_QUOTA,
        rows=ROWS,
        quota=LAST_QUOTA,
    )
    for i, candidate in enumerate(decreed):
        register(candidate, personas["petugas_bpjs"], kpj=f"2601000000{i}", row=i + 2)
        participant_activate(
            candidate=candidate, actor=personas["petugas_bpjs"], start=date(2026, 2, 1)
        )
    ProgrammeYear.objects.filter(pk=decreed[0].proposal.programme_year_id).update(
        status=ProgrammeYear.Status.DITETAPKAN
    )
    return [Candidate.objects.get(pk=c.pk) for c in decreed]


def next_year_create(*, actor: Any, carry_over: bool = True, quota: int = NEXT_QUOTA) -> Any:
    return programme_year_create(
        created_by=actor,
        year=2027,
        policy_id="pandeglang-2025",
        as_of=date(2027, 1, 1),
        coverage_months=12,
        budgets={BudgetLine.Source.APBD: quota * COST_PER_PERSON},
        carry_over=carry_over,
    )


def extract_2027(*, ineligible_nik: str, absent_nik: str) -> pa.Table:
    """The 2026 extract again, but one participant's decile is now 9 (Pasal 5 ayat (2)
    huruf e fails) and another is no longer in it."""
    table = synthetic_table(rows=ROWS, seed=SEED)
    table = table.filter(pc.not_equal(table["nik"], absent_nik))
    desil = pc.if_else(pc.equal(table["nik"], ineligible_nik), "9", table["desil"])
    return table.set_column(table.schema.get_field_index("desil"), "desil", desil)


def screened(*, programme_year: Any, table: pa.Table, operator: Any) -> ScreeningRun:
    dtsen_import = DtsenImportFactory(programme_year=programme_year)
    persons_create(dtsen_import=dtsen_import, table=table)
    run = screening_services.screening_run_start(
        programme_year=programme_year, dtsen_import=dtsen_import, started_by=operator
    )
    screening_services.screening_run_execute(run=run)
    run.refresh_from_db()
    return run


@dataclass
class Renewal:
    last: list[Candidate]  # 2026's participants, by rank: kept, ineligible, absent
    year: ProgrammeYear  # 2027
    run: ScreeningRun


def renewal_screened(*, personas: dict[str, Any]) -> Renewal:
    """2026 participants, and 2027 created with carry-over and screened."""
    last = last_year_active(personas=personas)
    year = next_year_create(actor=personas["operator_dinsos"])
    table = extract_2027(ineligible_nik=last[1].nik, absent_nik=last[2].nik)
    run = screened(programme_year=year, table=table, operator=personas["operator_dinsos"])
    return Renewal(last=last, year=year, run=run)


def proposed(renewal: Renewal, *, personas: dict[str, Any]) -> Any:
    return proposal_create(run=renewal.run, actor=personas["operator_dinsos"], place="Pandeglang")


def decree_carried(candidates: list[Candidate], *, personas: dict[str, Any]) -> None:
    """Verify and decree ``candidates`` as the signed 2027 decree would (the decree service
    itself is the decrees app's to test)."""
    ids = [c.pk for c in candidates]
    candidates_transition(
        candidate_ids=ids, action="verify", actor=personas["verifikator_dukcapil"]
    )
    candidates_transition(
        candidate_ids=ids,
        action="decree",
        actor=personas["operator_disnaker"],
        reason_code="keputusan",
        evidence={"decree": 99, "number": NUMBER_2027},
    )
