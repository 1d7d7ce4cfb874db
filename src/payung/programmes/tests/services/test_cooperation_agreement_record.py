"""Recording the year's PKS with BPJS Ketenagakerjaan (Pasal 6 ayat (4)-(5), 9 ayat (3))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.programmes import services
from payung.programmes.models import CooperationAgreement, ProgrammeYear

pytestmark = pytest.mark.django_db


def _record(year: ProgrammeYear, actor: Any, **overrides: Any) -> CooperationAgreement:
    kwargs: dict[str, Any] = {
        "programme_year": year,
        "actor": actor,
        "number": "  560/12-Disnakertrans/2026 ",
        "signed_on": date(2025, 12, 15),
        "branch_office": "Kantor Cabang  Pandeglang",
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "coverage_start": date(2026, 2, 1),
        "billing_period": CooperationAgreement.BillingPeriod.MONTHLY,
    }
    kwargs.update(overrides)
    return services.cooperation_agreement_record(**kwargs)


def test_operator_kepesertaan_records_the_pks_and_it_is_audited(
    year: ProgrammeYear, operator_disnaker: Any
) -> None:
    agreement = _record(year, operator_disnaker)

    agreement.refresh_from_db()
    assert agreement.programme_year == year
    assert agreement.number == "560/12-Disnakertrans/2026"
    assert agreement.branch_office == "Kantor Cabang Pandeglang"
    assert agreement.coverage_start == date(2026, 2, 1)
    assert agreement.recorded_by == operator_disnaker
    entry = AuditEntry.objects.get(action="cooperation_agreement_record")
    assert entry.actor_username == operator_disnaker.username
    assert entry.detail["number"] == "560/12-Disnakertrans/2026"
    assert entry.detail["billing_period"] == "bulanan"


def test_recording_again_replaces_the_terms_and_keeps_both_in_the_audit_trail(
    year: ProgrammeYear, operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    _record(year, operator_disnaker)
    _record(
        year,
        operator_disnaker_2,
        number="560/12-Add.1/2026",
        billing_period=CooperationAgreement.BillingPeriod.QUARTERLY,
    )

    agreement = CooperationAgreement.objects.get()
    assert agreement.number == "560/12-Add.1/2026"
    assert agreement.billing_period == "triwulanan"
    assert agreement.recorded_by == operator_disnaker_2
    numbers = AuditEntry.objects.filter(action="cooperation_agreement_record").values_list(
        "detail__number", flat=True
    )
    assert sorted(numbers) == ["560/12-Add.1/2026", "560/12-Disnakertrans/2026"]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"number": "   "}, "number", "Nomor PKS wajib diisi"),
        ({"branch_office": ""}, "branch_office", "kantor cabang"),
        ({"period_end": date(2026, 1, 1)}, "period_end", "sesudah awal masa berlaku"),
        ({"period_end": date(2025, 6, 30)}, "period_end", "sesudah awal masa berlaku"),
        ({"coverage_start": date(2025, 12, 31)}, "coverage_start", "di dalam masa berlaku"),
        ({"coverage_start": date(2027, 1, 1)}, "coverage_start", "di dalam masa berlaku"),
        ({"billing_period": "mingguan"}, "billing_period", "periode tagihan"),
    ],
)
def test_refused_in_indonesian_and_nothing_is_stored(
    year: ProgrammeYear,
    operator_disnaker: Any,
    overrides: dict[str, Any],
    field: str,
    words: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        _record(year, operator_disnaker, **overrides)

    assert words in " ".join(caught.value.message_dict[field])
    assert not CooperationAgreement.objects.exists()
    assert not AuditEntry.objects.filter(action="cooperation_agreement_record").exists()


def test_every_problem_is_reported_at_once(year: ProgrammeYear, operator_disnaker: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        _record(year, operator_disnaker, number="", branch_office="", period_end=date(2025, 1, 1))

    assert set(caught.value.message_dict) == {"number", "branch_office", "period_end"}


def test_coverage_may_start_on_the_first_or_last_day_of_the_period(
    year: ProgrammeYear, operator_disnaker: Any
) -> None:
    assert _record(year, operator_disnaker, coverage_start=date(2026, 1, 1))
    assert _record(year, operator_disnaker, coverage_start=date(2026, 12, 31))


@pytest.mark.parametrize(
    "persona", ["operator_dinsos", "bendahara_disnaker", "auditor_inspektorat"]
)
def test_other_roles_may_not_record(
    year: ProgrammeYear, persona: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        _record(year, request.getfixturevalue(persona))
    assert not CooperationAgreement.objects.exists()
