"""Screening services: a run over an import stores exactly the engine's decisions."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.domain.policy import policy_get
from payung.engine.backends import connect
from payung.engine.screening import ScreeningResult, screen
from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport, Person
from payung.screening import services
from payung.screening.models import Decision, ScreeningRun
from payung.screening.tests import factories

pytestmark = pytest.mark.django_db


def _engine(table: pa.Table, run: ScreeningRun) -> ScreeningResult:
    with connect("duckdb") as backend:
        return screen(
            table,
            policy=policy_get(run.policy_id),
            as_of=run.as_of,
            backend=backend,
            budget=run.budget,
            months=run.months,
        )


def test_run_stores_the_engines_decisions_one_per_person(
    run: ScreeningRun, imported: tuple[DtsenImport, pa.Table]
) -> None:
    dtsen_import, table = imported
    assert run.status == JobStatus.DONE, run.error_message
    assert run.progress == 100
    assert run.task_id

    expected = _engine(table, run)
    stored = {
        d.row: d for d in Decision.objects.filter(run=run).select_related("person").order_by("row")
    }
    assert len(stored) == Person.objects.filter(dtsen_import=dtsen_import).count() == 500
    for item in expected.decisions.to_pylist():
        d = stored[item["row"]]
        assert d.person.row == d.row
        assert d.person.dtsen_import_id == dtsen_import.pk
        assert (d.status, d.reasons, d.priority_rank) == (
            item["status"],
            item["reasons"] or "",
            item["priority_rank"],
        ), item["row"]
        assert d.nik == (item["nik"] or "")
        assert d.priorities == (item["priorities"] or "")
        assert d.flags == (item["flags"] or "")
        assert (d.age, d.desil) == (item["age"], item["desil"])
        assert d.kode_desa == (item["kode_desa"] or "")
        assert d.kode_kecamatan == d.kode_desa[:6]
    # The engine's counts, and the totals by kecamatan and village kept for the pages
    # (issue 16), which are those of the stored decisions.
    areas = {"by_kecamatan", "by_desa"}
    assert {k: v for k, v in run.counts.items() if k not in areas} == expected.counts
    by_kecamatan: dict[str, dict[str, int]] = {}
    for d in stored.values():
        per = by_kecamatan.setdefault(d.kode_kecamatan, {})
        per[d.status] = per.get(d.status, 0) + 1
    assert run.counts["by_kecamatan"] == by_kecamatan
    assert run.counts["by_desa"] == dict(Counter(d.kode_desa for d in stored.values()))
    assert run.quota == expected.quota


def test_run_copies_the_year_and_sums_the_pagu(
    run: ScreeningRun, year: ProgrammeYear, imported: tuple[DtsenImport, pa.Table]
) -> None:
    assert (run.policy_id, run.policy_version) == (year.policy_id, year.policy_version)
    assert run.as_of == year.as_of
    assert run.months == year.coverage_months
    assert run.budget == 30 * factories.COST_PER_PERSON + 1000
    assert run.dtsen_import == imported[0]


def test_pagu_selects_the_first_ranks_and_waitlists_the_rest(run: ScreeningRun) -> None:
    """Pasal 6 ayat (2): quota = floor(pagu / (Rp16.800 × 12)); ranks 1..quota selected."""
    assert run.quota == 30
    decisions = Decision.objects.filter(run=run)
    selected = decisions.filter(status="selected")
    waitlisted = decisions.filter(status="waitlisted")
    eligible = selected.count() + waitlisted.count()
    assert eligible > run.quota, "the synthetic import must have more candidates than pagu"
    assert selected.count() == run.quota
    assert sorted(selected.values_list("priority_rank", flat=True)) == list(range(1, 31))
    assert min(waitlisted.values_list("priority_rank", flat=True)) == 31
    assert not decisions.filter(status="eligible").exists()
    assert not decisions.filter(status__in=["ineligible", "invalid"], priority_rank__isnull=False)


def test_year_without_pagu_gives_eligible_without_cut(
    operator_dinsos: Any, run_screening: Callable[..., ScreeningRun]
) -> None:
    year = factories.ProgrammeYearFactory()
    dtsen_import, _table = factories.synthetic_import(programme_year=year, rows=120, seed=5)
    run = run_screening(programme_year=year, dtsen_import=dtsen_import, user=operator_dinsos)
    assert run.budget is None and run.quota is None
    statuses = set(Decision.objects.filter(run=run).values_list("status", flat=True))
    assert "eligible" in statuses
    assert not statuses & {"selected", "waitlisted"}


def test_start_and_finish_are_audited(run: ScreeningRun, operator_dinsos: Any) -> None:
    entries = AuditEntry.objects.filter(object_type="screening.screeningrun", object_id=run.pk)
    start, finish = entries.order_by("id")
    assert (start.action, start.actor_id) == ("screening_run_start", operator_dinsos.pk)
    assert start.detail["policy_version"] == "2025.1"
    assert start.detail["budget"] == run.budget
    assert finish.action == "screening_run_finish"
    assert finish.detail["rows"] == 500
    assert finish.detail["by_status"] == run.counts["by_status"]


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED])
def test_refuses_an_import_that_is_not_done(
    year: ProgrammeYear, operator_dinsos: Any, status: str
) -> None:
    dtsen_import = factories.DtsenImportFactory(programme_year=year, status=status)
    with pytest.raises(ValidationError) as info:
        services.screening_run_start(
            programme_year=year, dtsen_import=dtsen_import, started_by=operator_dinsos
        )
    assert "belum selesai" in info.value.messages[0]
    assert not ScreeningRun.objects.exists()


def test_refuses_an_import_of_another_year(year: ProgrammeYear, operator_dinsos: Any) -> None:
    other = factories.DtsenImportFactory()
    with pytest.raises(ValidationError, match="bukan milik tahun program"):
        services.screening_run_start(
            programme_year=year, dtsen_import=other, started_by=operator_dinsos
        )


def test_refuses_a_second_run_while_one_is_queued(
    year: ProgrammeYear, operator_dinsos: Any
) -> None:
    dtsen_import = factories.DtsenImportFactory(programme_year=year)
    # Callbacks are not executed here, so the first run stays queued.
    services.screening_run_start(
        programme_year=year, dtsen_import=dtsen_import, started_by=operator_dinsos
    )
    with pytest.raises(ValidationError, match="sedang berjalan"):
        services.screening_run_start(
            programme_year=year, dtsen_import=dtsen_import, started_by=operator_dinsos
        )


def test_refuses_a_policy_whose_version_changed(
    year: ProgrammeYear,
    imported: tuple[DtsenImport, pa.Table],
    operator_dinsos: Any,
    run_screening: Callable[..., ScreeningRun],
) -> None:
    ProgrammeYear.objects.filter(pk=year.pk).update(policy_version="2024.9")
    year.refresh_from_db()
    run = run_screening(programme_year=year, dtsen_import=imported[0], user=operator_dinsos)
    assert run.status == JobStatus.FAILED
    assert "2025.1" in run.error_message and "2024.9" in run.error_message
    assert "Versi kebijakan" in run.error_message
    assert not Decision.objects.filter(run=run).exists()
    assert AuditEntry.objects.filter(action="screening_run_fail", object_id=run.pk).exists()


def test_failure_keeps_personal_data_out_of_the_message_and_log(
    run_screening: Callable[..., ScreeningRun],
    year: ProgrammeYear,
    operator_dinsos: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dtsen_import, table = factories.synthetic_import(programme_year=year, rows=40, seed=9)
    a_nik = table.column("nik")[0].as_py()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError(f"cannot parse {a_nik}")

    monkeypatch.setattr(services, "screen", broken)
    with caplog.at_level(logging.DEBUG):
        run = run_screening(programme_year=year, dtsen_import=dtsen_import, user=operator_dinsos)
    assert run.status == JobStatus.FAILED
    assert "kesalahan sistem" in run.error_message
    assert a_nik not in run.error_message
    assert a_nik not in caplog.text
    assert not Decision.objects.filter(run=run).exists()


def test_progress_is_visible_while_the_engine_runs(
    run_screening: Callable[..., ScreeningRun],
    year: ProgrammeYear,
    operator_dinsos: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dtsen_import, _table = factories.synthetic_import(programme_year=year, rows=40, seed=11)
    seen: list[tuple[str, int]] = []
    real_screen = services.screen

    def watched(*args: Any, **kwargs: Any) -> ScreeningResult:
        seen.append(tuple(ScreeningRun.objects.values_list("status", "progress").get()))
        return real_screen(*args, **kwargs)

    monkeypatch.setattr(services, "screen", watched)
    run = run_screening(programme_year=year, dtsen_import=dtsen_import, user=operator_dinsos)
    assert seen == [(JobStatus.RUNNING, 25)]
    assert (run.status, run.progress) == (JobStatus.DONE, 100)
    assert run.finished_at is not None


def test_rerunning_replaces_the_decisions(run: ScreeningRun) -> None:
    before = list(Decision.objects.filter(run=run).values_list("row", "status"))
    services.screening_run_execute(run=run)
    after = list(Decision.objects.filter(run=run).values_list("row", "status"))
    assert after == before


def test_reveal_needs_the_permission_and_is_audited(
    verifikator_dukcapil: Any, operator_disnaker: Any
) -> None:
    decision = factories.DecisionFactory()
    with pytest.raises(PermissionDenied):
        services.decision_nik_reveal(decision=decision, actor=operator_disnaker)
    assert not AuditEntry.objects.filter(action="nik_view").exists()

    assert services.decision_nik_reveal(decision=decision, actor=verifikator_dukcapil) == (
        decision.nik
    )
    entry = AuditEntry.objects.get(action="nik_view")
    assert entry.actor_id == verifikator_dukcapil.pk
    assert entry.detail["decision_id"] == decision.pk
    assert entry.detail["nik_masked"] == decision.nik[:4] + "********" + decision.nik[-4:]
    assert decision.nik not in str(entry.detail)
