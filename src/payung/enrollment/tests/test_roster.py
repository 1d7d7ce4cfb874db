"""Existing participants moved in from the regency's roster ("dipindahkan dari data lama")."""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.core.uploads import upload_kind_get, upload_read
from payung.enrollment.models import RosterImport
from payung.enrollment.roster import REASON, roster_import
from payung.enrollment.tests.factories import roster_csv
from payung.participants.models import (
    Candidate,
    CandidateEvent,
    CandidateState,
    CoveragePeriod,
    Proposal,
)
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.registry.models import DtsenImport, Person
from payung.screening.tests import factories as screening_factories

pytestmark = pytest.mark.django_db

PAGU = 3 * screening_factories.COST_PER_PERSON


@pytest.fixture
def year() -> ProgrammeYear:
    made = screening_factories.ProgrammeYearFactory(year=2026)
    screening_factories.BudgetLineFactory(
        programme_year=made, source=BudgetLine.Source.APBD, amount=PAGU
    )
    return made


def _nik(i: int) -> str:
    return f"36010115089{i:05d}"


def _rows() -> list[dict[str, str]]:
    return [
        {
            "nik": _nik(1),
            "Kpj": "26010000001",
            "Nama": "Siti Aminah",
            "Tanggal Mulai": "2026-01-01",
            "tanggal_berakhir": "",
            "alasan berakhir": "",
            "KODE_DESA": "36.01.01.2001",
            "PEKERJAAN": "Petani",
            "JENIS_KELAMIN": "Perempuan",
        },
        {
            "nik": _nik(2),
            "Kpj": "2601-0000-002",
            "Nama": "Ujang Suryana",
            "Tanggal Mulai": "01-02-2026",
            "tanggal_berakhir": "",
            "alasan berakhir": "",
            "KODE_DESA": "3601012001",
            "PEKERJAAN": "Nelayan",
            "JENIS_KELAMIN": "L",
        },
        {
            "nik": _nik(3),
            "Kpj": "26010000003",
            "Nama": "Dede Kurnia",
            "Tanggal Mulai": "2026-01-01",
            "tanggal_berakhir": "15/03/2026",
            "alasan berakhir": "Meninggal dunia",
            "KODE_DESA": "",
            "PEKERJAAN": "Buruh harian lepas",
            "JENIS_KELAMIN": "",
        },
    ]


def _upload(content: bytes, name: str = "peserta-lama.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _refusal(year: ProgrammeYear, actor: Any, rows: list[dict[str, str]]) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        roster_import(programme_year=year, uploaded_file=_upload(roster_csv(rows)), actor=actor)
    assert not RosterImport.objects.exists() and not Proposal.objects.exists()
    assert not Person.objects.exists() and not DtsenImport.objects.exists()
    return exc.value.messages


def test_a_roster_becomes_the_year_s_participants_with_their_history(
    year: ProgrammeYear, operator_disnaker: Any
) -> None:
    content = roster_csv(_rows())
    made = roster_import(
        programme_year=year, uploaded_file=_upload(content), actor=operator_disnaker
    )
    sha = hashlib.sha256(content).hexdigest()
    assert (made.rows, made.imported, made.sha256) == (3, 3, sha)
    assert made.report["active"] == 2 and made.report["ended_by_reason"] == {"meninggal": 1}

    holder = DtsenImport.objects.get()
    assert (holder.status, holder.file_name, holder.sha256, holder.row_count) == (
        "done",
        "peserta-lama.csv",
        sha,
        3,
    )
    persons = list(Person.objects.filter(dtsen_import=holder).order_by("row"))
    assert [p.nik for p in persons] == [_nik(1), _nik(2), _nik(3)]
    assert [p.kode_desa for p in persons] == ["3601012001", "3601012001", ""]
    assert [p.jenis_kelamin for p in persons] == ["P", "L", ""]
    assert persons[2].pekerjaan == "Buruh harian lepas"

    proposal = Proposal.objects.get(programme_year=year)
    assert proposal.origin == Proposal.Origin.ROSTER and proposal.screening_run is None
    assert proposal.status == Proposal.Status.APPROVED
    assert (proposal.quota, proposal.budget, proposal.months) == (3, PAGU, year.coverage_months)

    candidates = list(Candidate.objects.filter(proposal=proposal).order_by("rank"))
    assert [c.rank for c in candidates] == [1, 2, 3]
    assert [c.kpj for c in candidates] == ["26010000001", "26010000002", "26010000003"]
    assert all(c.decision_id is None for c in candidates)
    assert [c.state for c in candidates] == [
        CandidateState.ACTIVE,
        CandidateState.ACTIVE,
        CandidateState.ENDED,
    ]
    events = list(CandidateEvent.objects.order_by("candidate__rank"))
    assert [(e.from_state, e.to_state) for e in events] == [
        ("screened", "active"),
        ("screened", "active"),
        ("screened", "ended"),
    ]
    assert {e.reason for e in events} == {REASON}
    assert [e.evidence["row"] for e in events] == [2, 3, 4]  # the rows people see in Excel
    assert {e.evidence["file_sha256"] for e in events} == {sha}
    assert events[2].reason_code == "meninggal"

    periods = list(CoveragePeriod.objects.order_by("candidate__rank"))
    assert [(p.start, p.end, p.end_reason) for p in periods] == [
        (date(2026, 1, 1), None, ""),
        (date(2026, 2, 1), None, ""),
        (date(2026, 1, 1), date(2026, 3, 15), "meninggal"),
    ]
    year.refresh_from_db()
    assert year.status == ProgrammeYear.Status.ACTIVE
    entry = AuditEntry.objects.get(action="roster_import")
    assert entry.detail["rows"] == 3 and _nik(1) not in str(entry.detail)


BAD_ROWS = [
    ({"nik": "360101150890001"}, "Baris 2, kolom NIK: NIK harus 16 angka."),
    ({"nik": ""}, "Baris 2, kolom NIK: NIK kosong."),
    ({"Kpj": "26O10000001"}, "Baris 2, kolom KPJ: Nomor KPJ harus 10 sampai 15 angka."),
    ({"Kpj": "260100001"}, "Baris 2, kolom KPJ: Nomor KPJ harus 10 sampai 15 angka."),
    ({"Kpj": "2601000000100001"}, "Baris 2, kolom KPJ: Nomor KPJ harus 10 sampai 15 angka."),
    ({"Kpj": ""}, "Baris 2, kolom KPJ: Nomor KPJ kosong."),
    ({"Nama": " "}, "Baris 2, kolom NAMA: Nama kosong."),
    ({"Nama": "Siti\u200bAminah"}, "Baris 2, kolom NAMA: Isi berisi karakter kendali"),
    ({"Tanggal Mulai": "2026/13/01"}, "Baris 2, kolom TANGGAL_MULAI: Tanggal harus berformat"),
    ({"Tanggal Mulai": ""}, "Baris 2, kolom TANGGAL_MULAI: Tanggal mulai kosong."),
    ({"Tanggal Mulai": "2025-12-31"}, "Baris 2, kolom TANGGAL_MULAI: Tanggal harus di dalam"),
    (
        {
            "tanggal_berakhir": "2026-01-01",
            "Tanggal Mulai": "2026-02-01",
            "alasan berakhir": "pindah",
        },
        "Baris 2, kolom TANGGAL_BERAKHIR: Tanggal berakhir tidak boleh sebelum tanggal mulai.",
    ),
    (
        {"tanggal_berakhir": "2027-01-05", "alasan berakhir": "pindah"},
        "Baris 2, kolom TANGGAL_BERAKHIR: Tanggal harus di dalam tahun program 2026.",
    ),
    (
        {"tanggal_berakhir": "2026-05-01"},
        "Baris 2, kolom ALASAN_BERAKHIR: Isi alasan berakhir bila TANGGAL_BERAKHIR diisi",
    ),
    (
        {"tanggal_berakhir": "2026-05-01", "alasan berakhir": "dipecat"},
        "Baris 2, kolom ALASAN_BERAKHIR: Alasan tidak dikenal",
    ),
    (
        {"alasan berakhir": "pindah"},
        "Baris 2, kolom ALASAN_BERAKHIR: Alasan berakhir diisi tetapi TANGGAL_BERAKHIR kosong.",
    ),
    ({"KODE_DESA": "360101200"}, "Baris 2, kolom KODE_DESA: Kode desa harus 10 angka"),
    ({"JENIS_KELAMIN": "X"}, "Baris 2, kolom JENIS_KELAMIN: Jenis kelamin harus L atau P."),
    ({"nik": _nik(2)}, "Baris 3, kolom NIK: NIK yang sama sudah ada di baris 2."),
    ({"Kpj": "26010000002"}, "Baris 3, kolom KPJ: Nomor KPJ yang sama sudah ada di baris 2."),
]


@pytest.mark.parametrize(("change", "message"), BAD_ROWS)
def test_every_kind_of_bad_row_refuses_the_whole_file_naming_row_and_column(
    year: ProgrammeYear, operator_disnaker: Any, change: dict[str, str], message: str
) -> None:
    rows = _rows()
    rows[0].update(change)
    messages = _refusal(year, operator_disnaker, rows)
    assert any(m.startswith(message) for m in messages), messages
    for value in change.values():
        if len(value) >= 5:  # a cell's value is never repeated back
            assert not any(value in m for m in messages)


def test_a_file_without_a_required_column_is_refused(
    year: ProgrammeYear, operator_disnaker: Any
) -> None:
    rows = [{k: v for k, v in r.items() if k != "Kpj"} for r in _rows()]
    messages = _refusal(year, operator_disnaker, rows)
    assert messages[0].startswith("Kolom wajib tidak ada: KPJ.")


def test_a_kpj_payung_knows_for_another_person_is_refused_with_the_masked_nik(
    year: ProgrammeYear, operator_disnaker: Any
) -> None:
    roster_import(
        programme_year=year, uploaded_file=_upload(roster_csv(_rows())), actor=operator_disnaker
    )
    later = screening_factories.ProgrammeYearFactory(year=2027)
    rows = _rows()
    for row in rows:
        row["Tanggal Mulai"], row["tanggal_berakhir"], row["alasan berakhir"] = "2027-01-01", "", ""
    rows[1]["nik"] = _nik(9)
    with pytest.raises(ValidationError) as exc:
        roster_import(
            programme_year=later, uploaded_file=_upload(roster_csv(rows)), actor=operator_disnaker
        )
    assert exc.value.messages == [
        "Baris 3, kolom KPJ: Nomor KPJ ini sudah tercatat untuk peserta lain "
        f"(NIK {_nik(2)[:4]}********{_nik(2)[-4:]})."
    ]


def test_a_year_that_already_has_a_proposal_takes_no_roster(
    year: ProgrammeYear, operator_disnaker: Any
) -> None:
    roster_import(
        programme_year=year, uploaded_file=_upload(roster_csv(_rows())), actor=operator_disnaker
    )
    other = _rows()
    for i, row in enumerate(other, start=4):
        row["nik"], row["Kpj"] = _nik(i), f"2601000001{i}"
    with pytest.raises(ValidationError) as exc:
        roster_import(
            programme_year=year,
            uploaded_file=_upload(roster_csv(other), "kedua.csv"),
            actor=operator_disnaker,
        )
    assert "sudah mempunyai usulan calon peserta" in exc.value.messages[0]
    assert RosterImport.objects.count() == 1 and Candidate.objects.count() == 3


def test_an_xlsx_roster_with_date_and_number_cells_is_read(
    year: ProgrammeYear, operator_disnaker: Any
) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Peserta")
    sheet.write_row(0, 0, ["NIK", "KPJ", "NAMA", "TANGGAL MULAI"])
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_string(1, 0, _nik(1))
    sheet.write_number(1, 1, 26010000001)
    sheet.write_string(1, 2, "Siti Aminah")
    sheet.write_datetime(1, 3, datetime(2026, 3, 1), day)
    book.close()
    made = roster_import(
        programme_year=year,
        uploaded_file=_upload(buffer.getvalue(), "peserta.xlsx"),
        actor=operator_disnaker,
    )
    assert made.imported == 1
    candidate = Candidate.objects.get()
    assert candidate.kpj == "26010000001" and candidate.state == CandidateState.ACTIVE
    assert CoveragePeriod.objects.get().start == date(2026, 3, 1)


def test_only_the_operator_kepesertaan_moves_a_roster(
    year: ProgrammeYear, petugas_bpjs: Any
) -> None:
    with pytest.raises(PermissionDenied):
        roster_import(
            programme_year=year, uploaded_file=_upload(roster_csv(_rows())), actor=petugas_bpjs
        )


def test_the_roster_reader_is_in_the_upload_registry(tmp_path: Any) -> None:
    kind = upload_kind_get("roster")
    path = tmp_path / "a.csv"
    rows = _rows()
    rows[1]["nik"] = "123"
    path.write_bytes(roster_csv(rows))
    outcome = upload_read(kind=kind, path=path, name="a.csv")
    assert not outcome.accepted
    assert outcome.messages == ("Baris 3, kolom NIK: NIK harus 16 angka.",)


def test_the_roster_page_uploads_and_shows_the_refusal_and_the_result(
    client: Client, year: ProgrammeYear, operator_disnaker: Any
) -> None:
    url = reverse("enrollment:roster_upload", args=[year.pk])
    client.force_login(operator_disnaker)
    rows = _rows()
    rows[2]["Kpj"] = "12"
    refused = client.post(url, {"file": _upload(roster_csv(rows))})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Berkas ditolak seluruhnya" in page and "Baris 4, kolom KPJ" in page
    done = client.post(url, {"file": _upload(roster_csv(_rows()))})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "peserta-lama.csv" in page and "3 peserta dipindahkan dari data lama." in page
    assert _nik(1) not in page


def test_the_year_s_pages_show_a_roster_proposal_and_its_participants(
    client: Client, year: ProgrammeYear, operator_disnaker: Any
) -> None:
    roster_import(
        programme_year=year, uploaded_file=_upload(roster_csv(_rows())), actor=operator_disnaker
    )
    candidate = Candidate.objects.get(rank=1)
    client.force_login(operator_disnaker)
    proposal = client.get(reverse("participants:proposal_detail", args=[year.pk]))
    assert proposal.status_code == 200 and "Data peserta lama" in proposal.content.decode()
    detail = client.get(reverse("participants:candidate_detail", args=[candidate.pk]))
    assert detail.status_code == 200
    assert "Dipindahkan dari data peserta lama" in detail.content.decode()
    person = client.get(reverse("people:person_detail", args=[candidate.person_id]))
    page = person.content.decode()
    assert "Dipindahkan dari data lama" in page and "sejak 1 Januari 2026, masih aktif" in page
    assert candidate.kpj not in page
