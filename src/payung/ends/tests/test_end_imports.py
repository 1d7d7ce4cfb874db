"""Disdukcapil's deaths and moves and BPJS's claims (issue 12, design §4): checked row by row,
matched to the year's participants, previewed, applied by a second person.

What the team relies on: a file with one bad row is refused whole with "Baris N, kolom X"
messages that never repeat a cell; a row for nobody of the year is kept and exportable; a
row for someone already ended says so; the uploader cannot apply the file; a JKM claim paid
or in process ends cover on the event date, a JKK claim only records the claim.
"""

from __future__ import annotations

import io
import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.contributions.models import BillLine
from payung.contributions.services import bill_issue
from payung.core.models import JobStatus
from payung.core.uploads import upload_kind_get
from payung.ends import services
from payung.ends.models import Claim, EndImport, EndImportRow
from payung.ends.tests.factories import claims_file, dukcapil_file, ends_year, import_read
from payung.participants.models import CandidateEvent, CandidateState, CoveragePeriod, EndReason

pytestmark = pytest.mark.django_db

DUKCAPIL = EndImport.Kind.DUKCAPIL
CLAIMS = EndImport.Kind.CLAIMS
OUTSIDER = "3601019999990001"


def test_both_kinds_are_registered_upload_kinds() -> None:
    assert upload_kind_get("dukcapil_ends").reader == "payung.ends.files.dukcapil_ends_read"
    assert upload_kind_get("bpjs_claims").reader == "payung.ends.files.claims_read"


def test_a_dukcapil_file_is_matched_and_applied_by_a_second_person(
    verifikator_dukcapil: Any, operator_disnaker: Any
) -> None:
    year, (dead, moved, _stays) = ends_year()
    uploaded = dukcapil_file(
        [
            [dead.nik, "Meninggal", "10/03/2026", "3601-KM-0001", ""],
            [moved.nik, "pindah keluar", "2026-04-02", "", "ke Kab. Lebak"],
            [OUTSIDER, "MENINGGAL", "2026-02-01", "", ""],
        ]
    )
    job = import_read(year=year, kind=DUKCAPIL, uploaded=uploaded, actor=verifikator_dukcapil)
    assert job.status == JobStatus.DONE and not job.stored_path
    outcomes = dict(job.rows.values_list("row", "outcome"))
    assert outcomes == {2: "akan_berakhir", 3: "akan_berakhir", 4: "tidak_cocok"}
    # Nothing has ended yet: the preview waits for a second person.
    dead.refresh_from_db()
    assert dead.state == CandidateState.ACTIVE

    result = services.end_import_apply(end_import=job, actor=operator_disnaker)

    assert result.ended == {EndReason.MENINGGAL: 1, EndReason.PINDAH: 1}
    assert CoveragePeriod.objects.get(candidate=dead).end == date(2026, 3, 10)
    assert CoveragePeriod.objects.get(candidate=moved).end_reason == EndReason.PINDAH
    event = CandidateEvent.objects.get(candidate=dead, to_state=CandidateState.ENDED)
    assert event.evidence["file_sha256"] == job.sha256
    assert event.evidence["row"] == 2
    assert event.evidence["nomor akta kematian"] == "3601-KM-0001"
    assert event.evidence["sumber"] == "data Disdukcapil"
    assert event.actor == operator_disnaker
    # The unmatched row is kept, not dropped.
    assert job.rows.filter(outcome="tidak_cocok", nik=OUTSIDER).exists()
    applied = AuditEntry.objects.get(action="end_import_apply")
    assert dead.nik not in str(applied.detail)
    with pytest.raises(ValidationError, match="sudah diterapkan"):
        services.end_import_apply(end_import=job, actor=operator_disnaker)


def test_the_uploader_cannot_apply_the_file_four_eyes(
    operator_disnaker: Any, operator_disnaker_2: Any, petugas_bpjs: Any
) -> None:
    year, (dead, *_rest) = ends_year()
    job = import_read(
        year=year,
        kind=DUKCAPIL,
        uploaded=dukcapil_file([[dead.nik, "MENINGGAL", "2026-03-10", "", ""]]),
        actor=operator_disnaker,
    )
    with pytest.raises(ValidationError, match="empat mata"):
        services.end_import_apply(end_import=job, actor=operator_disnaker)
    with pytest.raises(PermissionDenied):
        services.end_import_apply(end_import=job, actor=petugas_bpjs)
    dead.refresh_from_db()
    assert dead.state == CandidateState.ACTIVE
    services.end_import_apply(end_import=job, actor=operator_disnaker_2)
    dead.refresh_from_db()
    assert dead.state == CandidateState.ENDED


def test_a_file_with_bad_rows_is_refused_whole_without_repeating_a_cell(
    verifikator_dukcapil: Any,
) -> None:
    year, (dead, moved, _stays) = ends_year()
    secret = "3601-RAHASIA-77"
    uploaded = dukcapil_file(
        [
            [dead.nik, "MENINGGAL", "2026-03-10", "", ""],
            ["36010112345", "PINDAH", "2026-03-10", "", ""],  # short NIK
            [moved.nik, "CERAI", "2026-03-10", "", ""],  # not a known type
            [moved.nik, "PINDAH", "kemarin", "", ""],  # no date
            [OUTSIDER, "MENINGGAL", "2026-03-10", secret * 5, ""],  # akta number too long
        ]
    )
    job = import_read(year=year, kind=DUKCAPIL, uploaded=uploaded, actor=verifikator_dukcapil)
    assert job.status == JobStatus.FAILED and job.error_code == "refused"
    assert job.errors == [
        "Baris 3, kolom NIK: NIK harus 16 angka (tulis sebagai teks).",
        "Baris 4, kolom JENIS: isi dengan MENINGGAL atau PINDAH.",
        "Baris 5, kolom TANGGAL: tanggal wajib diisi sebagai TTTT-BB-HH atau HH-BB-TTTT.",
        "Baris 6, kolom NOMOR_AKTA: paling panjang 60 karakter.",
    ]
    text = " ".join(job.errors)
    assert "36010112345" not in text and "CERAI" not in text and secret not in text
    assert not job.rows.exists() and not job.stored_path
    assert AuditEntry.objects.filter(action="end_import_refused", object_id=str(job.pk)).exists()


def test_events_in_the_future_outside_the_year_or_before_cover_are_row_problems(
    verifikator_dukcapil: Any,
) -> None:
    year, (a, b, c) = ends_year(start=date(2026, 2, 1))
    uploaded = dukcapil_file(
        [
            [a.nik, "MENINGGAL", "2026-07-15", "", ""],
            [b.nik, "MENINGGAL", "2025-12-30", "", ""],
            [c.nik, "PINDAH", "2026-01-20", "", ""],
            [c.nik, "PINDAH", "2026-03-20", "", ""],
            [c.nik, "MENINGGAL", "2026-04-20", "", ""],
        ]
    )
    job = import_read(year=year, kind=DUKCAPIL, uploaded=uploaded, actor=verifikator_dukcapil)
    assert job.errors == [
        "Baris 2, kolom TANGGAL: tanggal tidak boleh di masa depan.",
        "Baris 3, kolom TANGGAL: tanggal di luar tahun program 2026.",
        "Baris 4, kolom TANGGAL: tanggal sebelum mulai kepesertaan.",
        "Baris 6, kolom NIK: peserta yang sama sudah diakhiri oleh baris 5.",
    ]


def test_claims_end_on_a_jkm_death_and_record_every_claim(
    petugas_bpjs: Any, operator_disnaker: Any, bendahara_disnaker: Any
) -> None:
    year, (dead, injured, pending, refused) = ends_year(active=4)
    uploaded = claims_file(
        [
            [dead.kpj, dead.nik, "JKM", "2026-04-05", "Rp42.000.000", "DIBAYAR"],
            [injured.kpj, injured.nik, "jkk", "2026-04-06", "1.500.000", "DIBAYAR"],
            [pending.kpj, pending.nik, "JKM", "2026-05-01", "0", "PROSES"],
            [refused.kpj, refused.nik, "JKM", "2026-05-02", "", "DITOLAK"],
            ["99900011122", OUTSIDER, "JKK", "2026-05-03", "1500000", "DIBAYAR"],
        ]
    )
    job = import_read(year=year, kind=CLAIMS, uploaded=uploaded, actor=petugas_bpjs)
    assert dict(job.rows.values_list("row", "outcome")) == {
        2: "akan_berakhir",
        3: "dicatat",
        4: "akan_berakhir",
        5: "dicatat",
        6: "tidak_cocok",
    }
    result = services.end_import_apply(end_import=job, actor=operator_disnaker)
    assert result.ended == {EndReason.MENINGGAL: 2} and result.claims == 4
    for c, state in ((dead, "ended"), (pending, "ended"), (injured, "active"), (refused, "active")):
        c.refresh_from_db()
        assert c.state == state
    assert CoveragePeriod.objects.get(candidate=dead).end == date(2026, 4, 5)
    # Billing: the month of the death is billed, the month after it is not (Pasal 9); a
    # JKK claim changes nothing.
    bill_issue(
        programme_year=year,
        first_month=date(2026, 4, 1),
        last_month=date(2026, 5, 1),
        actor=bendahara_disnaker,
    )
    assert list(BillLine.objects.filter(candidate=dead).values_list("month", flat=True)) == [
        date(2026, 4, 1)
    ]
    assert BillLine.objects.filter(candidate=injured).count() == 2
    event = CandidateEvent.objects.get(candidate=dead, to_state=CandidateState.ENDED)
    assert event.evidence["jenis klaim"] == "JKM" and event.evidence["sumber"] == "klaim BPJS"
    claims = {c.candidate_id: c for c in Claim.objects.all()}
    assert (claims[injured.pk].claim_type, claims[injured.pk].amount_paid) == ("JKK", 1_500_000)
    assert claims[dead.pk].amount_paid == 42_000_000
    assert claims[refused.pk].status == "DITOLAK"


def test_a_claim_whose_kpj_and_nik_name_different_people_is_a_row_problem(
    petugas_bpjs: Any,
) -> None:
    year, (a, b, _c) = ends_year()
    # Format problems first (the file as written), every one of them ...
    bad = claims_file(
        [
            [a.kpj, a.nik, "JKX", "2026-04-05", "12,5", "LUNAS"],
            ["", a.nik, "JKK", "2026-04-05", "1000000", "DIBAYAR"],
        ]
    )
    job = import_read(year=year, kind=CLAIMS, uploaded=bad, actor=petugas_bpjs)
    assert job.status == JobStatus.FAILED
    assert job.errors == [
        "Baris 2, kolom JENIS_KLAIM: isi dengan JKK atau JKM.",
        "Baris 2, kolom NILAI_DIBAYAR: nilai harus bilangan bulat rupiah, misalnya 1500000.",
        "Baris 2, kolom STATUS: isi dengan DIBAYAR, PROSES atau DITOLAK.",
        "Baris 3, kolom KPJ: nomor KPJ wajib diisi.",
    ]
    # ... then the match: a KPJ and a NIK of two different participants.
    mixed = claims_file(
        [
            [b.kpj, b.nik, "JKK", "2026-04-05", "1000000", "DIBAYAR"],
            [a.kpj, b.nik, "JKK", "2026-04-05", "1000000", "DIBAYAR"],
        ]
    )
    job = import_read(year=year, kind=CLAIMS, uploaded=mixed, actor=petugas_bpjs)
    assert job.errors == ["Baris 3, kolom KPJ: KPJ dan NIK tidak menunjuk peserta yang sama."]
    assert a.kpj not in " ".join(job.errors) and not job.rows.exists()


def test_rows_for_people_already_ended_say_so_and_are_skipped(
    verifikator_dukcapil: Any, operator_disnaker: Any
) -> None:
    year, (a, b, _c) = ends_year()
    first = import_read(
        year=year,
        kind=DUKCAPIL,
        uploaded=dukcapil_file([[a.nik, "MENINGGAL", "2026-03-10", "", ""]]),
        actor=verifikator_dukcapil,
    )
    services.end_import_apply(end_import=first, actor=operator_disnaker)
    again = import_read(
        year=year,
        kind=DUKCAPIL,
        uploaded=dukcapil_file(
            [[a.nik, "MENINGGAL", "2026-03-10", "", ""], [b.nik, "PINDAH", "2026-03-11", "", ""]]
        ),
        actor=verifikator_dukcapil,
    )
    assert dict(again.rows.values_list("row", "outcome")) == {
        2: "sudah_berakhir",
        3: "akan_berakhir",
    }
    # Someone ends b by hand before the file is applied: skipped, counted, not refused.
    from payung.ends.services import EndEvidence, participation_end_record

    participation_end_record(
        candidate=b,
        actor=operator_disnaker,
        on=date(2026, 3, 11),
        reason_code=EndReason.PINDAH,
        evidence=EndEvidence(letter_number="474/1"),
        today=date(2026, 6, 30),
    )
    result = services.end_import_apply(end_import=again, actor=operator_disnaker)
    assert result.ended == {} and result.skipped == 1
    assert CandidateEvent.objects.filter(candidate=a, to_state=CandidateState.ENDED).count() == 1


def test_unmatched_rows_export_as_text_with_petunjuk_and_the_download_is_audited(
    verifikator_dukcapil: Any, operator_disnaker: Any, anggota_tim: Any
) -> None:
    year, (a, *_rest) = ends_year()
    job = import_read(
        year=year,
        kind=DUKCAPIL,
        uploaded=dukcapil_file(
            [
                [a.nik, "MENINGGAL", "2026-03-10", "", ""],
                ["0360101999999001", "PINDAH", "2026-03-12", "", '=HYPERLINK("x")'],
            ]
        ),
        actor=verifikator_dukcapil,
    )
    content, name = services.end_import_unmatched_file(
        end_import=job, fmt="xlsx", actor=operator_disnaker
    )
    assert name.endswith(".xlsx")
    with CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
        assert book.sheet_names == ["TIDAK COCOK", "PETUNJUK"]
        rows = book.get_sheet_by_name("TIDAK COCOK").to_python()
    # The NIK is a text cell (its leading zero kept), the formula neutralised.
    assert rows[1][1] == "0360101999999001" and isinstance(rows[1][1], str)
    assert not str(rows[1][5]).startswith("=")
    csv, _name = services.end_import_unmatched_file(
        end_import=job, fmt="csv", actor=operator_disnaker
    )
    assert csv.startswith("\ufeff".encode()) and b";" in csv and a.nik.encode() not in csv
    assert AuditEntry.objects.filter(action="end_import_unmatched_download").count() == 2
    with pytest.raises(PermissionDenied):
        services.end_import_unmatched_file(end_import=job, fmt="csv", actor=anggota_tim)


def test_the_upload_is_stored_0600_and_the_task_gets_only_the_id(
    verifikator_dukcapil: Any, petugas_bpjs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from unittest import mock

    year, (a, *_rest) = ends_year()
    with (
        mock.patch("payung.ends.tasks.end_import_execute") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        task.enqueue.return_value.id = "t-1"
        job = services.end_import_create(
            programme_year=year,
            kind=DUKCAPIL,
            uploaded=dukcapil_file([[a.nik, "MENINGGAL", "2026-03-10", "", ""]]),
            actor=verifikator_dukcapil,
        )
    task.enqueue.assert_called_once_with(end_import_id=job.pk)
    stored = Path(settings.MEDIA_ROOT) / job.stored_path
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    upload = AuditEntry.objects.get(action="end_import_upload")
    assert upload.detail["sha256"] == job.sha256 and a.nik not in str(upload.detail)
    # Each kind has its uploader: BPJS may not upload Disdukcapil's data.
    with pytest.raises(PermissionDenied):
        services.end_import_create(
            programme_year=year, kind=DUKCAPIL, uploaded=dukcapil_file([]), actor=petugas_bpjs
        )


def test_the_real_task_reads_the_file(
    verifikator_dukcapil: Any, django_capture_on_commit_callbacks: Any
) -> None:
    year, (a, *_rest) = ends_year()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.end_import_create(
            programme_year=year,
            kind=DUKCAPIL,
            uploaded=dukcapil_file([[a.nik, "MENINGGAL", "2026-03-10", "", ""]]),
            actor=verifikator_dukcapil,
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.rows.get().outcome == EndImportRow.Outcome.AKAN_BERAKHIR


def test_a_row_for_someone_of_the_year_who_never_became_a_participant_is_unmatched(
    petugas_bpjs: Any, verifikator_dukcapil: Any
) -> None:
    from payung.participants.tests.factories import participants_add

    year, (a, *_rest) = ends_year()
    (waiting,) = participants_add(
        proposal=a.proposal, periods=[(None, None)], state=CandidateState.WAITLISTED
    )
    claims = import_read(
        year=year,
        kind=CLAIMS,
        uploaded=claims_file([["77700011122", waiting.nik, "JKK", "2026-04-05", "0", "PROSES"]]),
        actor=petugas_bpjs,
    )
    deaths = import_read(
        year=year,
        kind=DUKCAPIL,
        uploaded=dukcapil_file([[waiting.nik, "MENINGGAL", "2026-04-05", "", ""]]),
        actor=verifikator_dukcapil,
    )
    for job in (claims, deaths):
        assert job.status == JobStatus.DONE
        row = job.rows.get()
        assert (row.outcome, row.candidate_id) == ("tidak_cocok", None)
