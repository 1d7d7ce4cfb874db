"""A programme year keeps the regulation it started with (issue 8: a pinned policy).

The shipped YAML file is edited after a year's decree is signed: the year's cost, its signed
decree and the decree's documents must not change; only a year created after the edit sees
the new rate.
"""

from __future__ import annotations

import shutil
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.decrees import services
from payung.decrees.documents import decree_context
from payung.decrees.tests.pdfs import pdf_bytes
from payung.domain import policy as policy_module
from payung.participants.tests.factories import QUOTA, approved_proposal
from payung.programmes import selectors as programme_selectors
from payung.programmes.services import programme_year_create
from payung.verification import services as verification
from payung.verification.models import Answer

pytestmark = pytest.mark.django_db

JKK_LINE = "monthly: 10000"


@pytest.fixture
def edited_policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The package's policy folder as a copy in which the JKK rate is doubled, standing in
    for the shipped files (as if someone edited or replaced the YAML after the year began)."""
    shipped = Path(str(resources.files("payung") / "policies"))
    package = tmp_path / "payung"
    shutil.copytree(shipped, package / "policies")
    target = package / "policies" / "pandeglang-2025.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.count(JKK_LINE) == 1
    target.write_text(text.replace(JKK_LINE, "monthly: 20000"), encoding="utf-8")

    class _Resources:
        @staticmethod
        def files(_package: str) -> Path:
            return package

    monkeypatch.setattr(policy_module, "resources", _Resources)
    return target


def test_editing_the_policy_file_changes_nothing_for_a_signed_year(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    request: pytest.FixtureRequest,
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2)
    year = proposal.programme_year
    while True:
        try:
            batch = verification.batch_create(proposal=proposal, actor=operator_dinsos)
        except ValidationError:
            break
        for item in batch.items.all():
            verification.item_record(item=item, answer=Answer.SESUAI, actor=verifikator_dukcapil)
    draft = services.decree_draft(programme_year=year, kind="peserta", actor=operator_disnaker)
    signed = services.decree_record_signed(
        decree=draft,
        actor=operator_disnaker_2,
        number="400.10/Kep.12-Huk/2026",
        signed_on=date(2026, 2, 2),
        signer_name="Bupati Sintetis",
        scan=SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    cost_before = programme_selectors.programme_year_cost(programme_year=year)
    context_before = decree_context(signed, masked=True)
    assert context_before.total_cost == QUOTA * 16_800 * 12

    request.getfixturevalue("edited_policies")
    assert policy_module.policy_get("pandeglang-2025").contribution.monthly_total == 26_800

    year.refresh_from_db()
    signed.refresh_from_db()
    cost_after = programme_selectors.programme_year_cost(programme_year=year)
    assert cost_after is not None and cost_before is not None
    assert (cost_after.monthly_per_person, cost_after.cost_per_person, cost_after.quota) == (
        16_800,
        16_800 * 12,
        cost_before.quota,
    )
    assert signed.total_cost == QUOTA * 16_800 * 12
    assert decree_context(signed, masked=True) == context_before

    # A year created after the edit pins the edited file: the new rate is for new years only.
    later = programme_year_create(
        created_by=operator_dinsos,
        year=year.year + 1,
        policy_id="pandeglang-2025",
        as_of=date(year.year + 1, 1, 1),
        coverage_months=12,
        budgets={"apbd": 1_000_000_000},
    )
    assert later.policy_sha256 != year.policy_sha256
    later_cost = programme_selectors.programme_year_cost(programme_year=later)
    assert later_cost is not None and later_cost.monthly_per_person == 26_800


def test_a_snapshot_altered_in_the_database_is_refused(operator_dinsos: Any) -> None:
    year = programme_year_create(
        created_by=operator_dinsos,
        year=2031,
        policy_id="pandeglang-2025",
        as_of=date(2031, 1, 1),
        coverage_months=12,
        budgets={"apbd": 1_000_000_000},
    )
    assert year.policy_text == policy_module.policy_text("pandeglang-2025")
    year.policy_text = year.policy_text.replace(JKK_LINE, "monthly: 1")
    with pytest.raises(policy_module.PolicyError, match="SHA-256"):
        programme_selectors.programme_year_policy(programme_year=year)
    assert programme_selectors.programme_year_cost(programme_year=year) is None
