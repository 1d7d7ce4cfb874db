"""``simulation_create`` on a year's real screening (issue 14): every figure checked against
a direct count of the same decisions, the refusals, and the audit entry."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from payung.audit.models import AuditEntry
from payung.participants.tests.factories import QUOTA
from payung.planning.services import simulation_create
from payung.planning.tests.factories import simulated_year
from payung.programmes.tests.factories import COST_PER_PERSON, ProgrammeYearFactory
from payung.screening.models import Decision

ELIGIBLE = ("eligible", "selected", "waitlisted")

pytestmark = pytest.mark.django_db


def test_figures_agree_with_direct_counts_of_the_run(
    operator_dinsos: Any, anggota_tim: Any
) -> None:
    run, sim = simulated_year(operator=operator_dinsos, member=anggota_tim, places=QUOTA)
    result = sim.result
    eligible = Decision.objects.filter(run=run, status__in=ELIGIBLE).count()
    assert result["eligible"] == eligible > QUOTA
    assert result["cost_per_person_year"] == COST_PER_PERSON
    assert result["covered"] == min(eligible, QUOTA * COST_PER_PERSON // COST_PER_PERSON)
    assert result["years_to_full_coverage"] == math.ceil(eligible / QUOTA)
    assert result["pagu_for_full_coverage"] == eligible * COST_PER_PERSON
    # The run cut the same pagu (Pasal 6 ayat (2)): the covered per kecamatan are exactly
    # its selected per kecamatan, and the eligible per kecamatan its GROUP BY.
    by_kec = {
        row["kode_kecamatan"]: row["n"]
        for row in Decision.objects.filter(run=run, status__in=ELIGIBLE)
        .values("kode_kecamatan")
        .annotate(n=Count("id"))
    }
    selected = {
        row["kode_kecamatan"]: row["n"]
        for row in Decision.objects.filter(run=run, status="selected")
        .values("kode_kecamatan")
        .annotate(n=Count("id"))
    }
    assert {r["code"]: r["eligible"] for r in result["by_kecamatan"]} == by_kec
    assert {r["code"]: r["covered"] for r in result["by_kecamatan"] if r["covered"]} == selected
    older = Decision.objects.filter(run=run, status__in=ELIGIBLE, priorities__contains="7(2)a")
    assert result["by_priority"][0]["eligible"] == older.count()
    assert sim.input_sha256 == run.dtsen_import.sha256
    assert sim.policy_sha256 == run.programme_year.policy_sha256


def test_running_a_simulation_is_audited_without_personal_data(
    operator_dinsos: Any, anggota_tim: Any
) -> None:
    run, sim = simulated_year(operator=operator_dinsos, member=anggota_tim, growth="5")
    entry = AuditEntry.objects.get(action="simulation_create")
    assert entry.actor_id == anggota_tim.pk
    assert entry.detail["growth_pct"] == "5"
    assert entry.detail["eligible"] == sim.result["eligible"]
    assert entry.detail["sha256"] == run.dtsen_import.sha256
    niks = set(Decision.objects.filter(run=run).values_list("nik", flat=True)[:50])
    assert not any(nik and nik in str(entry.detail) for nik in niks)


def test_a_year_without_a_finished_screening_is_refused(anggota_tim: Any) -> None:
    year = ProgrammeYearFactory(year=2031)
    with pytest.raises(ValidationError) as exc:
        simulation_create(
            programme_year=year, pagu=10**9, growth=Decimal(0), months=12, created_by=anggota_tim
        )
    assert "belum memiliki penyaringan yang selesai" in exc.value.messages[0]


def test_a_pagu_below_one_person_year_is_kept_with_its_reason(
    operator_dinsos: Any, anggota_tim: Any
) -> None:
    run, _sim = simulated_year(operator=operator_dinsos, member=anggota_tim, places=0)
    sim = simulation_create(
        programme_year=run.programme_year,
        pagu=COST_PER_PERSON - 1,
        growth=Decimal(0),
        months=12,
        created_by=anggota_tim,
    )
    assert sim.result["covered"] == 0
    assert sim.result["years_to_full_coverage"] is None
    assert sim.result["years_to_full_coverage_reason"] == "pagu_below_one_person_year"
