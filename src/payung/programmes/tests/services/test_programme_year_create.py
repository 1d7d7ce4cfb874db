"""Opening a programme year (Pasal 6 ayat (2), 13) under a pinned policy with its pagu."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from payung.audit.models import AuditEntry
from payung.domain.policy import policy_get, policy_sha256, policy_text
from payung.programmes import services
from payung.programmes.models import BudgetLine, ProgrammeYear

pytestmark = pytest.mark.django_db


def _year_create(user: Any, **overrides: Any) -> ProgrammeYear:
    kwargs: dict[str, Any] = {
        "created_by": user,
        "year": 2026,
        "policy_id": "pandeglang-2025",
        "as_of": date(2026, 1, 1),
        "coverage_months": 12,
        "budgets": {"apbd": 1_000_000_000, "lainnya": 8_000_000},
    }
    kwargs.update(overrides)
    return services.programme_year_create(**kwargs)


def test_year_takes_region_and_version_from_the_policy(operator_dinsos: Any) -> None:
    year = _year_create(operator_dinsos)

    assert (year.region_code, year.region_name) == ("3601", "Kabupaten Pandeglang")
    assert year.policy_version == policy_get("pandeglang-2025").version
    assert year.status == ProgrammeYear.Status.DRAFT
    lines = dict(year.budget_lines.values_list("source", "amount"))
    assert lines == {BudgetLine.Source.APBD: 1_000_000_000, BudgetLine.Source.OTHER: 8_000_000}
    entry = AuditEntry.objects.get(action="programme_year_create")
    assert entry.object_id == str(year.pk)
    assert entry.actor_username == operator_dinsos.username
    assert entry.detail["budgets"] == {"apbd": 1_000_000_000, "lainnya": 8_000_000}


def test_year_pins_the_policy_text_and_its_sha256(operator_dinsos: Any) -> None:
    """Every later stage reads this snapshot, never the shipped file (design §3)."""
    year = _year_create(operator_dinsos)

    assert year.policy_text == policy_text("pandeglang-2025")
    assert year.policy_sha256 == policy_sha256(year.policy_text)
    entry = AuditEntry.objects.get(action="programme_year_create")
    assert entry.detail["policy_sha256"] == year.policy_sha256


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"policy_id": "atlantis-2099"}, "policy_id", "tidak dikenal"),
        ({"policy_id": "../../etc/passwd"}, "policy_id", "tidak dikenal"),
        ({"as_of": date(2027, 1, 1)}, "as_of", "di dalam tahun 2026 atau sebelumnya"),
        ({"coverage_months": 0}, "coverage_months", "1 sampai 12"),
        ({"coverage_months": 13}, "coverage_months", "1 sampai 12"),
        ({"year": 1999}, "year", "antara 2000 dan 2100"),
        ({"budgets": {"apbd": -1}}, "budgets", "tidak negatif"),
        ({"budgets": {"apbn": 5}}, "budgets", "tidak dikenal"),
    ],
)
def test_year_refuses_invalid_input_in_indonesian(
    operator_dinsos: Any, overrides: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _year_create(operator_dinsos, **overrides)

    assert words in " ".join(caught.value.message_dict[field])
    assert not ProgrammeYear.objects.exists()
    assert not AuditEntry.objects.filter(action="programme_year_create").exists()


def test_as_of_before_the_year_is_allowed(operator_dinsos: Any) -> None:
    year = _year_create(operator_dinsos, as_of=date(2025, 11, 30))
    assert year.as_of == date(2025, 11, 30)


def test_one_year_per_region(operator_dinsos: Any) -> None:
    _year_create(operator_dinsos)

    with pytest.raises(ValidationError) as caught:
        _year_create(operator_dinsos)

    assert "sudah ada" in caught.value.message_dict["year"][0]
    assert ProgrammeYear.objects.count() == 1
