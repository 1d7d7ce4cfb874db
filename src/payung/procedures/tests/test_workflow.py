"""The SOP's workflow is the code's own tables: change a table and the SOP changes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from payung.accounts.roles import ROLES
from payung.documents.render import SHIPPED_DIR
from payung.domain.policy import policy_get
from payung.participants import transitions
from payung.participants.models import CandidateState as S
from payung.procedures import workflow
from payung.procedures.documents import sop_context


@pytest.fixture
def pandeglang() -> Any:
    return policy_get("pandeglang-2025")


def _titles(agency: str, policy: Any) -> list[str]:
    year = SimpleNamespace(year=2026, region_name=policy.region.name)
    return [s.title for s in sop_context(programme_year=year, agency=agency, policy=policy).steps]


def test_every_move_of_the_transition_table_has_its_sop_facts() -> None:
    """A transition added without its facts would print "belum ditetapkan" as its article:
    this test names it, so the facts are written next to the move."""
    stages = {s.code for s in workflow.STAGES}
    assert set(transitions.MOVE_FACTS) == set(transitions.MOVES)
    assert all(
        f.stage in stages and f.article.startswith("Pasal") for f in transitions.MOVE_FACTS.values()
    )


def test_every_step_names_existing_documents_and_held_permissions() -> None:
    html = SHIPPED_DIR.parent / "templates" / "documents"
    shipped = {p.stem for p in SHIPPED_DIR.glob("*.docx")} | {p.stem for p in html.glob("*.html")}
    held = {perm for role in ROLES for perm in role.permissions}
    for step in workflow.PROCESS_STEPS:
        assert set(step.documents) <= shipped, step.code
        assert not step.permission or step.permission in held, step.code
        assert step.agencies or step.permission, step.code


def test_adding_a_transition_to_the_table_adds_a_step_to_the_sop(
    pandeglang: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _titles("disnakertrans", pandeglang)
    moves = dict(transitions.MOVES)
    moves["suspend"] = transitions.Move(
        frozenset({S.ACTIVE}), S.REGISTERED, (transitions.END_PERM,)
    )
    monkeypatch.setattr(transitions, "MOVES", moves)
    after = _titles("disnakertrans", pandeglang)
    added = "Mengubah status calon dari Aktif menjadi Terdaftar di BPJS"
    assert added not in before
    assert added in after and len(after) == len(before) + 1
    # END_PERM is Disnakertrans's alone: Dinas Sosial's SOP does not get the step.
    assert added not in _titles("dinsos", pandeglang)
    # With its facts written, the step moves to its stage and cites its article.
    facts = dict(transitions.MOVE_FACTS)
    facts["suspend"] = transitions.MoveFacts("perubahan", "Pasal 8 ayat (3)", "x", "y")
    monkeypatch.setattr(transitions, "MOVE_FACTS", facts)
    steps = {s.title: s for s in workflow.workflow_steps(policy=pandeglang)}
    assert (steps[added].stage, steps[added].article) == ("perubahan", "Pasal 8 ayat (3)")


def test_a_permission_moved_to_another_role_moves_the_step(
    pandeglang: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who does a step is read from roles.py: give BPJS's officer the bill and BPJS's SOP
    has the step."""
    bill = "Menerbitkan tagihan dan surat permohonan pembayaran iuran"
    assert bill not in _titles("bpjs", pandeglang)
    roles = tuple(
        r
        if r.code != "petugas_bpjs"
        else type(r)(
            r.code, r.name, r.agency_kind, r.articles, (*r.permissions, "contributions.issue_bill")
        )
        for r in ROLES
    )
    monkeypatch.setattr(workflow.roles_table, "ROLES", roles)
    assert bill in _titles("bpjs", pandeglang)


def test_deadlines_and_sanctions_follow_the_pinned_policy(pandeglang: Any) -> None:
    steps = {s.code: s for s in workflow.workflow_steps(policy=pandeglang)}
    assert steps["jawab_sanggahan"].deadline == "14 hari sejak sanggahan diterima"
    assert "bulanan" in steps["tagihan"].deadline
    assert "teguran" not in steps  # Pandeglang has the PP 86/2013 ladder off
    longer = pandeglang.model_copy(
        update={"cycle": pandeglang.cycle.model_copy(update={"appeal_answer_days": 21})}
    )
    steps = {s.code: s for s in workflow.workflow_steps(policy=longer)}
    assert steps["jawab_sanggahan"].deadline == "21 hari sejak sanggahan diterima"
    pekalongan = policy_get("pekalongan-2025")
    steps = {s.code: s for s in workflow.workflow_steps(policy=pekalongan)}
    sanctions = pekalongan.sanctions
    assert steps["teguran"].agencies == ("bpjs",)
    assert steps["teguran"].deadline == (
        f"{sanctions.warning_working_days} hari kerja setiap teguran, paling banyak "
        f"{sanctions.warnings} teguran"
    )
    assert sanctions.basis in steps["tidak_dapat_layanan"].article
    # Pekalongan's funding articles (Pasal 14 ayat (3)), not Pandeglang's Pasal 13.
    assert "Pasal 13" not in steps["anggaran"].article


def test_agency_names_come_from_the_policy_when_it_names_them() -> None:
    """Pekalongan's labour agency is the Dinkop UKM dan Naker (minutes item 1); Pandeglang's
    file names none, so its SOPs keep the usual names."""
    names = workflow.agency_names(policy=policy_get("pekalongan-2025"))
    assert names["disnakertrans"] == "Dinas Koperasi, Usaha Kecil dan Menengah dan Tenaga Kerja"
    assert names["dinsos"] == "Dinas Sosial"
    assert workflow.agency_names(policy=policy_get("pandeglang-2025"))["disnakertrans"] == (
        "Dinas Tenaga Kerja dan Transmigrasi"
    )


def test_every_agency_has_steps_and_the_team_reports_to_the_regent(pandeglang: Any) -> None:
    steps = workflow.workflow_steps(policy=pandeglang)
    assert [s.no for s in steps] == list(range(1, len(steps) + 1))
    for agency in workflow.AGENCIES:
        assert workflow.agency_steps(steps=steps, agency=agency), agency
    report = next(s for s in steps if s.code == "lapor_bupati")
    assert set(report.agencies) == set(workflow.TEAM) and "bpjs" not in report.agencies
