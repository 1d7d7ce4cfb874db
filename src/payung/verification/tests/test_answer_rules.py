"""Disdukcapil's corrections: a value that went out and came back unchanged is no correction
(issue 17, defect 2), and every changed value meets the rules the DTSEN import applies, on
the answer file and on the verifier's page alike (defect 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from payung.core.models import JobStatus
from payung.engine.exchange_files import read_text_table
from payung.participants.models import CandidateState, Proposal
from payung.participants.tests.factories import approved_proposal
from payung.registry.models import Person
from payung.verification import services
from payung.verification.models import Answer, VerificationBatch
from payung.verification.tests.helpers import Importer, answer_file, importer, request_file

pytestmark = pytest.mark.django_db

NEW_KK = "3601019912990001"


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Proposal:
    return approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2, quota=10)


@pytest.fixture
def batch(proposal: Proposal, operator_dinsos: Any) -> VerificationBatch:
    return services.batch_create(proposal=proposal, actor=operator_dinsos)


@pytest.fixture
def answers_import(django_capture_on_commit_callbacks: Any) -> Importer:
    return importer(django_capture_on_commit_callbacks)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_cells_neutralised_on_the_way_out_come_back_unchanged_and_are_no_correction(
    fmt: str,
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    first, second = (proposal.candidates.get(rank=r) for r in (1, 2))
    Person.objects.filter(pk__in=[first.person_id, second.person_id]).update(
        nama="+1+2", alamat="-"
    )
    request = request_file(batch, verifikator_dukcapil, tmp_path, fmt)
    table = read_text_table(request)
    # Out: neutralised, so a spreadsheet shows them as text rather than run them.
    assert table.rows[0][table.headers.index("NAMA")] == "'+1+2"
    assert table.rows[0][table.headers.index("ALAMAT")] == "'-"
    # Back as downloaded under DATA BERBEDA: nothing was corrected, so the file is refused.
    unchanged = answer_file(request, tmp_path, {1: {"HASIL": "DATA BERBEDA"}}, fmt=fmt)
    job = answers_import(batch, unchanged, verifikator_dukcapil)
    assert job.status == JobStatus.FAILED
    assert job.errors == [
        "Baris 3: HASIL DATA BERBEDA tetapi tidak ada sel yang diperbaiki; perbaiki sel yang "
        "berbeda atau pilih hasil lain."
    ]
    assert not batch.items.exclude(answer="").exists()
    # A real correction beside the unchanged cells: only the KK is recorded.
    corrected = answer_file(
        request, tmp_path, {0: {"HASIL": "DATA BERBEDA", "NO_KK": NEW_KK}}, fmt=fmt
    )
    job = answers_import(batch, corrected, verifikator_dukcapil)
    assert job.status == JobStatus.DONE, job.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.corrected == {"no_kk": NEW_KK}
    assert first.state == CandidateState.VERIFIED
    assert second.corrected == {} and second.state == CandidateState.VERIFIED
    assert batch.items.get(candidate=first).corrected == {"no_kk": NEW_KK}


def test_every_correction_meets_the_import_rules_and_messages_never_repeat_the_value(
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    request = request_file(batch, verifikator_dukcapil, tmp_path, "csv")
    bad = {
        0: {"NAMA": "A" * 10_000},
        1: {"ALAMAT": "JL. " + "B" * 10_000},
        2: {"NAMA": "SITI\x1b[2J AMINAH"},
        3: {"TANGGAL_LAHIR": "1980-02-31"},
        4: {"JENIS_KELAMIN": "X"},
        5: {"NO_KK": "12345"},
        6: {"KODE_DESA": "99"},
        7: {"NAMA": "SITI\u202eHANIMA"},
    }
    edits = {row: {"HASIL": "DATA BERBEDA", **cells} for row, cells in bad.items()}
    edits[8] = {"KETERANGAN": "K" * 301}
    job = answers_import(batch, answer_file(request, tmp_path, edits), verifikator_dukcapil)
    assert job.status == JobStatus.FAILED
    assert [e.split(":")[0] for e in job.errors] == [
        "Baris 2, kolom NAMA",
        "Baris 3, kolom ALAMAT",
        "Baris 4, kolom NAMA",
        "Baris 5, kolom TANGGAL_LAHIR",
        "Baris 6, kolom JENIS_KELAMIN",
        "Baris 7, kolom NO_KK",
        "Baris 8, kolom KODE_DESA",
        "Baris 9, kolom NAMA",
        "Baris 10, kolom KETERANGAN",
    ]
    assert "lebih dari 200 karakter" in job.errors[0]
    assert "lebih dari 300 karakter" in job.errors[1]
    assert "karakter kendali" in job.errors[2]
    text = "\n".join(job.errors)
    for value in ("AAAA", "BBBB", "SITI", "1980-02-31", "12345", "KKKK"):
        assert value not in text
    assert not batch.items.exclude(answer="").exists()
    assert not proposal.candidates.exclude(corrected={}).exists()


def test_a_correction_is_stored_in_its_canonical_form_and_a_respelling_is_no_correction(
    batch: VerificationBatch,
    proposal: Proposal,
    verifikator_dukcapil: Any,
    tmp_path: Path,
    answers_import: Importer,
) -> None:
    first = proposal.candidates.select_related("person").get(rank=1)
    second = proposal.candidates.select_related("person").get(rank=2)
    code = first.person.kode_desa.replace(".", "")
    dotted = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
    request = request_file(batch, verifikator_dukcapil, tmp_path, "csv")
    edits = {
        # The birth date as Indonesians write it is read as the engine reads it.
        0: {"HASIL": "DATA BERBEDA", "TANGGAL_LAHIR": "15/08/1990", "KODE_DESA": dotted},
        # The village code dotted, the sex spelled out: the same data, so nothing to record.
        1: {
            "HASIL": "DATA BERBEDA",
            "JENIS_KELAMIN": {"L": "laki-laki", "P": "Perempuan"}[second.person.jenis_kelamin],
            "NAMA": second.person.nama.lower(),
        },
    }
    job = answers_import(batch, answer_file(request, tmp_path, edits), verifikator_dukcapil)
    assert job.status == JobStatus.DONE, job.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.corrected == {"tanggal_lahir": "1990-08-15"}
    assert second.corrected == {"nama": second.person.nama.lower()}


def test_the_service_refuses_a_correction_the_page_would_have_refused(
    batch: VerificationBatch, verifikator_dukcapil: Any
) -> None:
    item = batch.items.get(candidate__rank=3)
    with pytest.raises(ValidationError) as caught:
        services.item_record(
            item=item,
            answer=Answer.DATA_BERBEDA,
            actor=verifikator_dukcapil,
            corrected={"nama": "N" * 10_000, "tanggal_lahir": "1990-13-01"},
        )
    assert caught.value.messages == [
        "Kolom NAMA: Isi lebih dari 200 karakter.",
        "Kolom TANGGAL_LAHIR: Tanggal lahir harus tanggal yang benar dengan format YYYY-MM-DD "
        "(tahun 1900 atau sesudahnya).",
    ]
    item.refresh_from_db()
    assert item.answer == "" and item.candidate.corrected == {}
