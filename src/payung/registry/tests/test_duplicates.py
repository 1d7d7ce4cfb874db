"""The same person twice in one extract (issue 13): the search after an import, the
operator's re-check, the decisions and their refusals."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.core import jobs
from payung.core.models import JobStatus
from payung.programmes.models import ProgrammeYear
from payung.registry import duplicates
from payung.registry.models import DtsenImport, DuplicateCheck, PairDecision, Person
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(tmp_path: Path) -> factories.PlantedExtract:
    return factories.extract_with_duplicate_write(out=tmp_path / "dtsen-ganda.csv")


@pytest.fixture
def search_after_import(settings: Any) -> None:
    settings.PAYUNG_DUPLICATE_CHECK_AFTER_IMPORT = True


def _rows(check: DuplicateCheck) -> list[tuple[int, int]]:
    return [
        (p.person_1.row, p.person_2.row)
        for p in check.pairs.select_related("person_1", "person_2").order_by("pk")
    ]


def test_an_import_is_searched_and_the_planted_duplicate_is_found_with_its_persons(
    search_after_import: None,
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    planted: factories.PlantedExtract,
) -> None:
    imp = import_file(year, planted.path)

    check = imp.duplicate_checks.get()
    assert check.status == JobStatus.DONE, check.error_message
    assert _rows(check) == [(planted.original, planted.duplicate)]
    pair = check.pairs.get()
    assert pair.person_1 == Person.objects.get(dtsen_import=imp, row=planted.original)
    assert pair.person_2 == Person.objects.get(dtsen_import=imp, row=planted.duplicate)
    assert pair.person_1.nik != pair.person_2.nik
    assert pair.person_1.nama == pair.person_2.nama
    assert pair.decision == PairDecision.PENDING
    assert pair.evidence["nik"] == "beda_1_digit"
    assert check.match_count + check.review_count == 1
    assert check.requested_by == imp.uploaded_by


def test_twins_on_one_family_card_are_not_proposed(
    search_after_import: None,
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    planted: factories.PlantedExtract,
) -> None:
    imp = import_file(year, planted.path)

    check = imp.duplicate_checks.get()
    rows = {row for pair in _rows(check) for row in pair}
    assert planted.twin not in rows
    assert planted.sibling not in rows
    # Scored like a duplicate (one digit apart, same birth date), held apart by the guard.
    assert check.guarded_family_count == 1


def test_the_search_is_audited_without_personal_data(
    search_after_import: None,
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    planted: factories.PlantedExtract,
) -> None:
    imp = import_file(year, planted.path)

    created = AuditEntry.objects.get(action="duplicate_check_create")
    assert created.detail == {"dtsen_import": imp.pk, "automatic": True}
    finished = AuditEntry.objects.get(action="duplicate_check_finish")
    assert finished.detail["match_count"] + finished.detail["review_count"] == 1
    person = Person.objects.get(dtsen_import=imp, row=planted.duplicate)
    text = json.dumps([created.detail, finished.detail])
    assert person.nik not in text
    assert person.nama not in text


def test_without_the_setting_an_import_starts_no_search(
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    planted: factories.PlantedExtract,
) -> None:
    imp = import_file(year, planted.path)

    assert imp.status == JobStatus.DONE
    assert not DuplicateCheck.objects.filter(dtsen_import=imp).exists()


def test_a_failed_import_starts_no_search(
    search_after_import: None,
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    tmp_path: Path,
) -> None:
    bad = tmp_path / "kosong.csv"
    bad.write_text("BUKAN,KOLOM\n1,2\n", encoding="utf-8")

    imp = import_file(year, bad)

    assert imp.status == JobStatus.FAILED
    assert not DuplicateCheck.objects.filter(dtsen_import=imp).exists()


def test_the_operator_searches_again_and_a_second_search_waits_for_the_first(
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    planted: factories.PlantedExtract,
    operator_dinsos: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    imp = import_file(year, planted.path)
    queued = duplicates.duplicate_check_create(dtsen_import=imp, actor=operator_dinsos)
    assert queued.status == JobStatus.QUEUED  # its task runs on commit

    with pytest.raises(ValidationError) as refused:
        duplicates.duplicate_check_create(dtsen_import=imp, actor=operator_dinsos)
    assert refused.value.code == "busy"

    DuplicateCheck.objects.filter(pk=queued.pk).update(status=JobStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        again = duplicates.duplicate_check_create(dtsen_import=imp, actor=operator_dinsos)
    again.refresh_from_db()
    assert again.status == JobStatus.DONE
    assert _rows(again) == [(planted.original, planted.duplicate)]
    assert duplicates.duplicate_check_latest(dtsen_import=imp) == again


@pytest.mark.parametrize("persona", ["auditor_inspektorat", "verifikator_dukcapil"])
def test_a_role_without_review_duplicates_may_not_search_or_decide(
    request: pytest.FixtureRequest, persona: str, year: ProgrammeYear
) -> None:
    actor = request.getfixturevalue(persona)
    pair = _pair(year)

    with pytest.raises(PermissionDenied):
        duplicates.duplicate_check_create(
            dtsen_import=pair.duplicate_check.dtsen_import, actor=actor
        )
    with pytest.raises(PermissionDenied):
        duplicates.duplicate_pair_decide(
            pair=pair, decision=PairDecision.CONFIRMED, note="", actor=actor
        )
    pair.refresh_from_db()
    assert pair.decision == PairDecision.PENDING


def _pair(year: ProgrammeYear) -> Any:
    """A pending pair on two persons of a finished import (no engine run)."""
    imp = factories.DtsenImportFactory(programme_year=year)
    first = Person.objects.create(dtsen_import=imp, row=1, nik="3601243011800002", nama="A")
    second = Person.objects.create(dtsen_import=imp, row=7, nik="3601243011800012", nama="A")
    return factories.DuplicatePairFactory(
        duplicate_check__dtsen_import=imp, person_1=first, person_2=second
    )


def test_a_confirmation_is_recorded_audited_and_final(
    year: ProgrammeYear, operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    pair = _pair(year)

    decided = duplicates.duplicate_pair_decide(
        pair=pair, decision=PairDecision.CONFIRMED, note="", actor=operator_dinsos
    )

    assert decided.decision == PairDecision.CONFIRMED
    assert decided.decided_by == operator_dinsos
    assert decided.decided_at is not None
    entry = AuditEntry.objects.get(action="duplicate_pair_decide")
    assert entry.detail == {"pair": pair.pk, "decision": "confirmed"}
    with pytest.raises(ValidationError) as second:
        duplicates.duplicate_pair_decide(
            pair=pair,
            decision=PairDecision.REJECTED,
            note="Dua orang berbeda menurut kepala desa.",
            actor=operator_dinsos_2,
        )
    assert second.value.code == "decided"
    pair.refresh_from_db()
    assert (pair.decision, pair.decided_by) == (PairDecision.CONFIRMED, operator_dinsos)
    assert AuditEntry.objects.filter(action="duplicate_pair_decide").count() == 1


def test_a_rejection_needs_a_reason(year: ProgrammeYear, operator_dinsos: Any) -> None:
    pair = _pair(year)

    with pytest.raises(ValidationError) as refused:
        duplicates.duplicate_pair_decide(
            pair=pair, decision=PairDecision.REJECTED, note="  ", actor=operator_dinsos
        )
    assert refused.value.code == "note"
    pair.refresh_from_db()
    assert pair.decision == PairDecision.PENDING

    duplicates.duplicate_pair_decide(
        pair=pair,
        decision=PairDecision.REJECTED,
        note="Kakak beradik, dicek ke ketua RT.",
        actor=operator_dinsos,
    )
    pair.refresh_from_db()
    assert pair.decision == PairDecision.REJECTED
    assert pair.note == "Kakak beradik, dicek ke ketua RT."


def test_a_failed_search_is_retried_through_the_job_machinery(
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    planted: factories.PlantedExtract,
    operator_dinsos: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    imp = import_file(year, planted.path)
    failed = factories.DuplicateCheckFactory(
        dtsen_import=imp, status=JobStatus.FAILED, error_code="worker.dead", progress=40
    )

    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_retry(job=failed, actor=operator_dinsos)

    failed.refresh_from_db()
    assert failed.status == JobStatus.DONE
    assert _rows(failed) == [(planted.original, planted.duplicate)]
    assert AuditEntry.objects.filter(action="duplicate_check_retry").count() == 1


def test_a_retry_is_refused_while_another_search_of_the_import_runs(
    year: ProgrammeYear, operator_dinsos: Any
) -> None:
    failed = factories.DuplicateCheckFactory(
        dtsen_import__programme_year=year, status=JobStatus.FAILED
    )
    factories.DuplicateCheckFactory(dtsen_import=failed.dtsen_import, status=JobStatus.QUEUED)

    with pytest.raises(ValidationError) as refused:
        jobs.job_retry(job=failed, actor=operator_dinsos)
    assert refused.value.code == "conflict"


def test_an_engine_error_fails_the_search_with_a_reason_and_no_pairs(
    year: ProgrammeYear,
    import_file: Callable[..., DtsenImport],
    planted: factories.PlantedExtract,
    operator_dinsos: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import payung.engine

    imp = import_file(year, planted.path)
    person = Person.objects.get(dtsen_import=imp, row=planted.duplicate)

    def broken(**_kwargs: Any) -> Any:
        raise RuntimeError(f"cannot compare {person.nama}")

    monkeypatch.setattr(payung.engine, "dedupe_list", broken)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        check = duplicates.duplicate_check_create(dtsen_import=imp, actor=operator_dinsos)

    check.refresh_from_db()
    assert check.status == JobStatus.FAILED
    assert "kesalahan sistem" in check.error_message
    assert not check.pairs.exists()
    assert person.nama not in caplog.text
    assert "RuntimeError" in caplog.text


@pytest.mark.parametrize(
    ("probability", "shown"),
    [("0.973000", "97,3 %"), ("0.500000", "50,0 %"), ("0.999600", "99,9 %"), ("1", "100,0 %")],
)
def test_the_probability_reads_as_an_indonesian_percent(probability: str, shown: str) -> None:
    assert duplicates.probability_percent(probability) == shown
