"""Verification by Disdukcapil (Pasal 7 ayat (3)): files out and back, replacements,
re-screening of corrected data."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.engine.exchange_files import read_text_table
from payung.engine.synth_dukcapil import BORN_TOO_EARLY, dukcapil_response_write
from payung.participants.models import CandidateState, Proposal
from payung.participants.services import proposal_create
from payung.participants.tests.factories import (
    QUOTA,
    approved_proposal,
    place_holders,
    screened_year,
    states,
)
from payung.registry.models import Person
from payung.verification import services
from payung.verification.exchange import HEADERS
from payung.verification.models import Answer, AnswerImport, VerificationBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Proposal:
    return approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2)


@pytest.fixture
def batch(proposal: Proposal, operator_dinsos: Any) -> VerificationBatch:
    return services.batch_create(proposal=proposal, actor=operator_dinsos)


def _request(batch: VerificationBatch, actor: Any, folder: Path, fmt: str = "xlsx") -> Path:
    made = services.batch_request_file(batch=batch, fmt=fmt, actor=actor)
    path = folder / made.filename
    path.write_bytes(made.content)
    return path


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


Importer = Callable[[VerificationBatch, Path, Any], AnswerImport]


@pytest.fixture
def answers_import(django_capture_on_commit_callbacks: Any) -> Importer:
    """Upload an answer file as the page does and let the (immediate) task queue run it."""

    def run(batch: VerificationBatch, path: Path, actor: Any) -> AnswerImport:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.answer_import_create(batch=batch, uploaded=_upload(path), actor=actor)
        job.refresh_from_db()
        return job

    return run


def _answer_file(request: Path, folder: Path, edits: dict[int, dict[str, str]]) -> Path:
    """The request with HASIL set to SESUAI except ``edits`` (data row index -> cells)."""
    table = read_text_table(request)
    rows = [list(r) for r in table.rows]
    for row in rows:
        row[table.column("HASIL")] = "SESUAI"  # type: ignore[index]
    for index, cells in edits.items():
        for name, value in cells.items():
            rows[index][table.column(name)] = value  # type: ignore[index]
    out = folder / "jawaban.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(table.headers)
        writer.writerows(rows)
    return out


def test_verification_waits_for_the_approved_proposal(operator_dinsos: Any) -> None:
    run = screened_year(operator=operator_dinsos)
    draft = proposal_create(run=run, actor=operator_dinsos, place="Pandeglang")
    with pytest.raises(ValidationError, match="belum disetujui"):
        services.batch_create(proposal=draft, actor=operator_dinsos)


def test_request_file_holds_the_proposed_with_full_nik_and_an_empty_result(
    batch: VerificationBatch, proposal: Proposal, verifikator_dukcapil: Any, tmp_path: Path
) -> None:
    for fmt in ("xlsx", "csv"):
        table = read_text_table(_request(batch, verifikator_dukcapil, tmp_path, fmt))
        assert tuple(table.headers) == HEADERS
        niks = [row[1] for row in table.rows]
        expected = list(
            proposal.candidates.filter(state=CandidateState.PROPOSED)
            .order_by("rank")
            .values_list("nik", flat=True)
        )
        assert niks == expected and len(niks) == QUOTA
        assert all(len(n) == 16 and n.isdigit() for n in niks)
        assert {row[table.column("HASIL")] for row in table.rows} == {""}  # type: ignore[index]
    exports = AuditEntry.objects.filter(action="export_personal_data")
    assert exports.count() == 2
    assert exports.first().detail["rows"] == QUOTA


def test_a_nik_typed_with_excel_marks_is_sent_and_matched_as_its_16_digits(
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    first = proposal.candidates.select_related("person").get(rank=1)
    Person.objects.filter(pk=first.person_id).update(nik="'" + first.nik)
    second = proposal.candidates.get(rank=2)
    spaced = f"{second.nik[:6]} {second.nik[6:12]} {second.nik[12:]}"
    Person.objects.filter(pk=second.person_id).update(nik=spaced)
    request = _request(batch, verifikator_dukcapil, tmp_path)
    assert [row[1] for row in read_text_table(request).rows[:2]] == [first.nik, second.nik]
    answer = _answer_file(request, tmp_path, {})
    job = answers_import(batch, answer, verifikator_dukcapil)
    assert job.status == JobStatus.DONE
    assert job.report["unmatched"] == []
    assert states(proposal)[CandidateState.VERIFIED] == list(range(1, QUOTA + 1))


def test_a_synthetic_answer_verifies_rejects_and_pulls_replacements_in_rank_order(
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_dinsos: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    request = _request(batch, verifikator_dukcapil, tmp_path)
    answer, counts = dukcapil_response_write(
        request=request, out=tmp_path / "jawaban.xlsx", seed=7, unmatched=2
    )
    job = answers_import(batch, answer, verifikator_dukcapil)
    report = job.report
    # The upload is stored only while its job runs; the SHA-256 stays as the evidence.
    assert job.stored_path == "" and len(job.sha256) == 64
    # One of each other result at least, the rest SESUAI; two rows matched no candidate.
    assert {k: v for k, v in report["applied"].items()} == {
        k: v for k, v in counts.items() if k != "tidak_cocok"
    }
    assert len(report["unmatched"]) == 2
    assert all("*" in u["nik_masked"] for u in report["unmatched"])
    rejected = (
        counts["TIDAK DITEMUKAN"]
        + counts["MENINGGAL"]
        + counts["PINDAH"]
        + report["rejected_after_rescreen"]
    )
    got = states(proposal)
    assert len(got[CandidateState.REJECTED]) == rejected
    assert len(got[CandidateState.VERIFIED]) == QUOTA - rejected
    # Every freed place went to the next on the waiting list, none skipped, none over.
    assert report["replacements"] == rejected
    assert got[CandidateState.PROPOSED] == list(range(QUOTA + 1, QUOTA + 1 + rejected))
    assert place_holders(proposal) == QUOTA
    batch.refresh_from_db()
    assert batch.status == VerificationBatch.Status.ANSWERED
    assert batch.responses[0]["unmatched"] == report["unmatched"]
    # The replacements, and only they, form the next batch.
    second = services.batch_create(proposal=proposal, actor=operator_dinsos)
    assert second.number == 2
    assert sorted(second.items.values_list("candidate__rank", flat=True)) == list(
        range(QUOTA + 1, QUOTA + 1 + rejected)
    )
    with pytest.raises(ValidationError, match="Tidak ada calon"):
        services.batch_create(proposal=proposal, actor=operator_dinsos)


def test_a_corrected_birth_date_is_screened_again_and_can_reject(
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    request = _request(batch, verifikator_dukcapil, tmp_path)
    answer = _answer_file(
        request,
        tmp_path,
        {
            0: {"HASIL": "DATA BERBEDA", "TANGGAL_LAHIR": BORN_TOO_EARLY},
            1: {"HASIL": "data  berbeda", "NAMA": "NAMA YANG DIPERBAIKI"},
        },
    )
    job = answers_import(batch, answer, verifikator_dukcapil)
    assert job.report["rejected_after_rescreen"] == 1
    too_old = proposal.candidates.get(rank=1)
    assert too_old.state == CandidateState.REJECTED
    assert too_old.reason_code == "tidak_memenuhi_syarat_setelah_perbaikan"
    assert "5(2)b" in too_old.reason
    assert too_old.corrected == {"tanggal_lahir": BORN_TOO_EARLY}
    renamed = proposal.candidates.get(rank=2)
    assert renamed.state == CandidateState.VERIFIED
    assert renamed.corrected == {"nama": "NAMA YANG DIPERBAIKI"}
    assert proposal.candidates.get(rank=QUOTA + 1).state == CandidateState.PROPOSED


def test_a_file_with_bad_rows_is_refused_whole_with_row_numbers(
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    request = _request(batch, verifikator_dukcapil, tmp_path)
    answer = _answer_file(request, tmp_path, {2: {"HASIL": "OK"}, 4: {"HASIL": "DATA BERBEDA"}})
    job = answers_import(batch, answer, verifikator_dukcapil)
    assert job.status == JobStatus.FAILED and job.error_code == "refused"
    errors = job.errors
    assert len(errors) == 2 and job.error_count == 2
    assert errors[0].startswith("Baris 4, kolom HASIL:") and "tidak dikenal" in errors[0]
    assert "OK" not in errors[0]  # the cell is never repeated
    assert errors[1].startswith("Baris 6:") and "tidak ada sel yang diperbaiki" in errors[1]
    assert states(proposal)[CandidateState.PROPOSED] == list(range(1, QUOTA + 1))
    assert AuditEntry.objects.filter(action="verification_answers_refused").count() == 1


def test_a_file_without_the_result_column_is_refused(
    batch: VerificationBatch, verifikator_dukcapil: Any, tmp_path: Path, answers_import: Importer
) -> None:
    path = tmp_path / "jawaban.csv"
    path.write_text("NIK;NAMA\n3601010101010001;X\n", encoding="utf-8")
    job = answers_import(batch, path, verifikator_dukcapil)
    assert job.status == JobStatus.FAILED
    assert "Kolom wajib tidak ada: HASIL" in job.errors[0]


def test_the_verifier_records_one_by_one_and_a_second_answer_is_refused(
    batch: VerificationBatch, proposal: Proposal, verifikator_dukcapil: Any
) -> None:
    item = batch.items.get(candidate__rank=5)
    services.item_record(item=item, answer=Answer.MENINGGAL, actor=verifikator_dukcapil)
    candidate = proposal.candidates.get(rank=5)
    assert candidate.state == CandidateState.REJECTED
    assert candidate.reason_code == "meninggal"
    event = candidate.events.get(to_state=CandidateState.REJECTED)
    assert event.actor == verifikator_dukcapil
    assert proposal.candidates.get(rank=QUOTA + 1).state == CandidateState.PROPOSED
    item.refresh_from_db()
    assert item.source == "halaman"
    with pytest.raises(ValidationError, match="sudah diverifikasi"):
        services.item_record(item=item, answer=Answer.SESUAI, actor=verifikator_dukcapil)
    with pytest.raises(ValidationError, match="paling sedikit satu"):
        services.item_record(
            item=batch.items.get(candidate__rank=6),
            answer=Answer.DATA_BERBEDA,
            actor=verifikator_dukcapil,
            corrected={"nama": ""},
        )


def test_only_the_verifier_records_answers(
    batch: VerificationBatch, operator_disnaker: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.item_record(
            item=batch.items.first(), answer=Answer.SESUAI, actor=operator_disnaker
        )


def test_rejections_beyond_the_waiting_list_leave_places_empty_never_over(
    operator_dinsos: Any, operator_dinsos_2: Any, verifikator_dukcapil: Any
) -> None:
    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2)
    waiting = len(states(proposal)[CandidateState.WAITLISTED])
    rounds = 0
    while True:
        try:
            batch = services.batch_create(proposal=proposal, actor=operator_dinsos)
        except ValidationError:
            break
        rounds += 1
        for item in batch.items.all():
            services.item_record(item=item, answer=Answer.PINDAH, actor=verifikator_dukcapil)
        assert place_holders(proposal) <= QUOTA
    got = states(proposal)
    assert CandidateState.WAITLISTED not in got
    assert len(got[CandidateState.REJECTED]) == QUOTA + waiting
    assert rounds == 1 + -(-waiting // QUOTA)
