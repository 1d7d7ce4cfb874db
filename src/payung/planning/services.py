"""Writes of the budget simulator (issue 14): running a simulation and keeping it.

Pasal 6 ayat (2) phases the cover by the regency's financial capacity; BPKD and Bapperida
plan the pagu with these figures, so each run is kept with who ran it and its inputs'
fingerprints, and written to the audit trail (aggregates only, no person).

``simulation_create`` (the page) counts the year's screening (the run the year's charts
describe: the year's import under its pinned policy), read from the stored decisions: nothing
is screened again, so a run takes one query and no background job.
``simulation_extract_create`` (the demo) screens a whole extract with the engine first, as
``payung simulate`` does. The arithmetic is the engine's (``engine.simulation_compute``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.engine import EligibleRows, SimulationError, connect, screen, simulation_compute
from payung.planning.models import Simulation
from payung.planning.selectors import run_eligible_rows, simulation_source_run
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.wording import SIMULATION_ERRORS


@transaction.atomic
def simulation_create(
    *,
    programme_year: ProgrammeYear,
    pagu: int,
    growth: Decimal,
    months: int,
    created_by: Any,
) -> Simulation:
    """Simulate ``pagu`` (growing by ``growth`` percent a year) on the year's screening and
    keep the figures. Refused, in Indonesian, when the year has no finished screening or the
    run's decisions were removed by retention (their totals alone cannot be ranked)."""
    run = simulation_source_run(programme_year=programme_year)
    if run is None:
        raise ValidationError(
            _("Tahun %(year)s belum memiliki penyaringan yang selesai; simulasi membutuhkannya.")
            % {"year": programme_year.year}
        )
    try:
        people = run_eligible_rows(run=run)
    except SimulationError as exc:
        raise ValidationError(SIMULATION_ERRORS.get(str(exc), str(exc))) from None
    eligible_stored = sum(
        int(v)
        for k, v in (run.counts or {}).get("by_status", {}).items()
        if k in ("eligible", "selected", "waitlisted")
    )
    if len(people.ranks) != eligible_stored:
        raise ValidationError(
            _(
                "Keputusan per orang penyaringan ini sudah dihapus menurut masa simpan; "
                "simulasi membutuhkan urutan prioritasnya."
            )
        )
    policy = programme_year_policy(programme_year=programme_year)
    try:
        result = simulation_compute(
            people,
            policy=policy,
            pagu=pagu,
            growth=growth,
            months=months,
            year=programme_year.year,
        )
    except SimulationError as exc:
        raise ValidationError(SIMULATION_ERRORS.get(str(exc), str(exc))) from None
    except ValueError as exc:  # a month of the year without a rate in the policy
        raise ValidationError(str(exc)) from None
    input_sha = run.dtsen_import.sha256 if run.dtsen_import_id else ""
    return _simulation_keep(
        programme_year=programme_year,
        run=run,
        result=result,
        counts=None,
        input_sha256=input_sha,
        pagu=pagu,
        created_by=created_by,
    )


def _simulation_keep(
    *,
    programme_year: ProgrammeYear,
    run: Any,
    result: dict[str, Any],
    counts: dict[str, Any] | None,
    input_sha256: str,
    pagu: int,
    created_by: Any,
) -> Simulation:
    """Save the figures with their provenance and write the audit entry (one transaction)."""
    policy = programme_year_policy(programme_year=programme_year)
    as_of = run.as_of if run is not None else programme_year.as_of
    result["policy"] = {
        "id": policy.id,
        "version": policy.version,
        "title": policy.short_title,
        "sha256": programme_year.policy_sha256,
    }
    result["as_of"] = as_of.isoformat()
    result["input"] = {"sha256": input_sha256}
    if counts is not None:
        result["counts"] = counts
    simulation = Simulation(
        programme_year=programme_year,
        screening_run=run,
        pagu=pagu,
        growth_pct=result["growth_pct"],
        months=result["months"],
        as_of=as_of,
        policy_id=policy.id,
        policy_version=policy.version,
        policy_sha256=programme_year.policy_sha256,
        input_sha256=input_sha256,
        result=result,
        created_by=created_by,
    )
    simulation.full_clean()
    simulation.save()
    audit_entry_create(
        actor=created_by,
        action="simulation_create",
        target=simulation,
        detail={
            "year": programme_year.year,
            "pagu": pagu,
            "growth_pct": result["growth_pct"],
            "months": result["months"],
            "eligible": result["eligible"],
            "covered": result["covered"],
            "sha256": input_sha256,
            "policy_sha256": programme_year.policy_sha256,
        },
    )
    return simulation


@transaction.atomic
def simulation_extract_create(
    *,
    programme_year: ProgrammeYear,
    table: Any,
    input_sha256: str,
    pagu: int,
    growth: Decimal,
    months: int,
    created_by: Any,
) -> Simulation:
    """Simulate on an extract screened now under the year's pinned policy and as-of date
    (``engine.screen``, the rules never re-implemented), as ``payung simulate`` does: a whole
    DTSEN extract planned for a year before it is imported. ``table`` is the extract as
    ``engine.read_extract`` returns it. Screening 50 000 rows takes seconds: the demo calls
    this directly; a page offering it would run it as a background job."""
    policy = programme_year_policy(programme_year=programme_year)
    with connect("duckdb") as backend:
        screened = screen(table, policy=policy, as_of=programme_year.as_of, backend=backend)
    try:
        result = simulation_compute(
            EligibleRows.from_decisions(screened.decisions),
            policy=policy,
            pagu=pagu,
            growth=growth,
            months=months,
            year=programme_year.year,
        )
    except SimulationError as exc:
        raise ValidationError(SIMULATION_ERRORS.get(str(exc), str(exc))) from None
    return _simulation_keep(
        programme_year=programme_year,
        run=None,
        result=result,
        counts={"rows": screened.counts["rows"], "by_status": screened.counts["by_status"]},
        input_sha256=input_sha256,
        pagu=pagu,
        created_by=created_by,
    )
