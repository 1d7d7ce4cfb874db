"""``payung.E001``: a policy Payung may apply that does not load is reported by the checks.

A shipped file is checked by ``manage.py check``; a programme year's pinned snapshot by the
database checks (``migrate``, ``manage.py check --database default``), with the year named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks

from payung.domain import policy as policy_module
from payung.domain.policy import policy_sha256, policy_text
from payung.programmes.models import ProgrammeYear
from payung.registry.tests.factories import ProgrammeYearFactory

SHIPPED = policy_text("pandeglang-2025")


def e001(**kwargs: Any) -> list[Any]:
    return [m for m in run_checks(**kwargs) if m.id == "payung.E001"]


def test_the_shipped_policies_pass() -> None:
    assert e001() == []


def test_a_broken_shipped_policy_is_reported_with_its_id_and_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "pandeglang-2025.yaml").write_text(SHIPPED, encoding="utf-8")
    broken = SHIPPED.replace("min_age: 18", "min_age: delapan belas")
    (folder / "contoh-2027.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(policy_module.resources, "files", lambda package: tmp_path)

    (error,) = e001()
    line = broken.splitlines().index("      min_age: delapan belas") + 1
    assert "Kebijakan contoh-2027" in error.msg
    assert f"contoh-2027.yaml:{line}" in error.msg
    assert "min_age" in error.msg
    assert "payung policy check" in error.hint


@pytest.mark.django_db
def test_a_year_whose_snapshot_no_longer_loads_is_reported() -> None:
    """A year pinned a policy with a rule kind this version of Payung does not know."""
    ProgrammeYearFactory(year=2026)
    old = ProgrammeYearFactory(year=2027)
    text = SHIPPED.replace("kind: other_aid", "kind: bantuan_lain")
    ProgrammeYear.objects.filter(pk=old.pk).update(
        policy_text=text, policy_sha256=policy_sha256(text)
    )

    (error,) = e001(databases=["default"])
    assert f"tahun program 2027 (id {old.pk}, pandeglang-2025)" in error.msg
    assert "jenis (kind) tidak dikenal" in error.msg
    # Without the database the checks do not read the years (``manage.py check``).
    assert e001() == []


@pytest.mark.django_db
def test_an_altered_snapshot_is_reported() -> None:
    year = ProgrammeYearFactory(year=2026)
    ProgrammeYear.objects.filter(pk=year.pk).update(policy_text=SHIPPED + "\n# diubah\n")

    (error,) = e001(databases=["default"])
    assert "tahun program 2026" in error.msg
    assert "tidak cocok dengan SHA-256" in error.msg
