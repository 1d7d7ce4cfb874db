"""registration_batch_create and the request file (Pasal 8 ayat (1)-(2))."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.engine import read_text_table
from payung.enrollment import services
from payung.enrollment.models import RegistrationItem
from payung.enrollment.tests.factories import DecreedYear, decreed_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> dict[str, Any]:
    return {
        "operator_dinsos": operator_dinsos,
        "operator_dinsos_2": operator_dinsos_2,
        "verifikator_dukcapil": verifikator_dukcapil,
        "operator_disnaker": operator_disnaker,
        "petugas_bpjs": petugas_bpjs,
    }


@pytest.fixture
def world(personas: dict[str, Any]) -> DecreedYear:
    return decreed_year(personas=personas, n=4, pks_start=date(2026, 3, 1))


def test_a_batch_holds_the_decreed_in_rank_order_with_the_default_profile(
    world: DecreedYear, operator_disnaker: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    items = list(batch.items.order_by("row"))
    assert [i.candidate_id for i in items] == [c.pk for c in world.decreed]
    assert [i.row for i in items] == [1, 2, 3, 4]
    assert batch.decree == world.decree
    assert batch.pks_cover_start == date(2026, 3, 1)
    headers = [c["header"] for c in batch.profile_snapshot["columns"]]
    assert headers[:3] == ["NO", "NIK", "NAMA"] and "TANGGAL_MULAI" in headers
    assert batch.profile_snapshot["programmes"] == "JKK, JKM"
    assert AuditEntry.objects.filter(action="registration_batch_create").count() == 1


def test_the_decreed_in_a_batch_awaiting_its_answer_are_not_sent_twice(
    world: DecreedYear, operator_disnaker: Any
) -> None:
    services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    with pytest.raises(ValidationError) as caught:
        services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    assert caught.value.code == "nothing"
    assert "belum didaftarkan" in caught.value.messages[0]


def test_no_batch_before_the_signed_decree(world: DecreedYear, operator_disnaker: Any) -> None:
    world.decree.delete()
    with pytest.raises(ValidationError, match="belum ditetapkan"):
        services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)


def test_only_the_operator_kepesertaan_prepares_a_batch(
    world: DecreedYear, petugas_bpjs: Any, operator_dinsos: Any
) -> None:
    for actor in (petugas_bpjs, operator_dinsos):
        with pytest.raises(PermissionDenied):
            services.registration_batch_create(programme_year=world.year, actor=actor)


def test_the_request_xlsx_reads_back_with_full_niks_as_text_and_a_guide(
    world: DecreedYear, operator_disnaker: Any, tmp_path: Path
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    made = services.registration_request_file(batch=batch, fmt="xlsx", actor=operator_disnaker)
    path = tmp_path / made.filename
    path.write_bytes(made.content)
    with CalamineWorkbook.from_path(str(path)) as workbook:
        assert workbook.sheet_names == ["PENDAFTARAN", "PETUNJUK"]
        rows = workbook.get_sheet_by_name("PENDAFTARAN").to_python()
        guide = [r[0] for r in workbook.get_sheet_by_name("PETUNJUK").to_python()]
    header = rows[0]
    assert header[:3] == ["NO", "NIK", "NAMA"]
    first = dict(zip(header, rows[1], strict=True))
    person = world.decreed[0].person
    assert first["NIK"] == world.decreed[0].nik and isinstance(first["NIK"], str)
    assert first["NAMA"] == person.nama
    assert first["TANGGAL_MULAI"] == "01-03-2026"
    assert first["JENIS_KEPESERTAAN"] == "SG" and first["PENGHASILAN"] == "1000000"
    assert first["PROGRAM"] == "JKK, JKM"
    born = first["TANGGAL_LAHIR"]
    assert len(born) == 10 and born[2] == "-" and born[5] == "-"
    assert first["KECAMATAN"] and first["DESA"].startswith(("Desa", "Kel."))
    assert any("DITERIMA atau DITOLAK" in line for line in guide)
    audit = AuditEntry.objects.get(action="export_personal_data")
    assert audit.detail["full_nik"] is True and audit.detail["purpose"] == "pendaftaran_bpjs"
    assert world.decreed[0].nik not in str(audit.detail)


def test_the_request_xlsx_converts_with_libreoffice_and_keeps_sixteen_digit_niks(
    world: DecreedYear, operator_disnaker: Any, tmp_path: Path
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    made = services.registration_request_file(batch=batch, fmt="xlsx", actor=operator_disnaker)
    source = tmp_path / "permintaan.xlsx"
    source.write_bytes(made.content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    table = read_text_table(tmp_path / "out" / "permintaan.csv")
    niks = [row[table.column("NIK")] for row in table.rows]
    assert niks == [c.nik for c in world.decreed]


def test_the_request_csv_is_semicolon_utf8_with_bom_and_the_same_file_again(
    world: DecreedYear, operator_disnaker: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    first = services.registration_request_file(batch=batch, fmt="csv", actor=operator_disnaker)
    again = services.registration_request_file(batch=batch, fmt="csv", actor=operator_disnaker)
    assert first.content.startswith("\ufeffNO;NIK;NAMA".encode())
    assert first.content == again.content
    xlsx = services.registration_request_file(batch=batch, fmt="xlsx", actor=operator_disnaker)
    assert (
        xlsx.content
        == services.registration_request_file(
            batch=batch, fmt="xlsx", actor=operator_disnaker
        ).content
    )


def test_a_formula_like_name_goes_out_neutralised(
    world: DecreedYear, operator_disnaker: Any
) -> None:
    person = world.decreed[0].person
    person.nama = "=HYPERLINK(1)"
    person.save(update_fields=["nama"])
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    made = services.registration_request_file(batch=batch, fmt="csv", actor=operator_disnaker)
    assert "'=HYPERLINK(1)" in made.content.decode("utf-8-sig")


def test_a_branch_profile_writes_its_own_columns_and_date_format(
    world: DecreedYear, operator_disnaker: Any
) -> None:
    profile = services.registration_profile_save(
        actor=operator_disnaker,
        name="Cabang Pandeglang",
        branch_office="BPJS Ketenagakerjaan Cabang Pandeglang",
        columns_text="NIK=nik\nNAMA LENGKAP=nama\nKERJA=pekerjaan\nALAMAT=alamat\n"
        "TGL LAHIR=tanggal_lahir:YYYY-MM-DD\nWADAH=jenis_kepesertaan",
        participation_type="sg",
        declared_income=1_000_000,
        kpj_min_length=11,
        kpj_max_length=11,
    )
    batch = services.registration_batch_create(
        programme_year=world.year, actor=operator_disnaker, profile=profile
    )
    made = services.registration_request_file(batch=batch, fmt="csv", actor=operator_disnaker)
    lines = made.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "NIK;NAMA LENGKAP;KERJA;ALAMAT;TGL LAHIR;WADAH"
    cells = lines[1].split(";")
    assert cells[5] == "SG" and cells[4][4] == "-"
    # Editing the profile later changes no file already sent.
    services.registration_profile_save(
        actor=operator_disnaker,
        profile=profile,
        name="Cabang Pandeglang",
        branch_office="",
        columns_text="NIK=nik\nNAMA=nama\nPEKERJAAN=pekerjaan\nALAMAT=alamat",
        participation_type="SG",
        declared_income=1_000_000,
        kpj_min_length=10,
        kpj_max_length=15,
    )
    batch.refresh_from_db()
    assert (
        services.registration_request_file(batch=batch, fmt="csv", actor=operator_disnaker).content
        == made.content
    )


def test_a_profile_without_the_four_columns_of_pasal_8_is_refused(
    operator_disnaker: Any,
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.registration_profile_save(
            actor=operator_disnaker,
            name="Kurang",
            branch_office="",
            columns_text="NIK=nik\nNAMA=nama\nTGL=tanggal_lahir:DD.MM\nX=gaji",
            participation_type="SG",
            declared_income=1_000_000,
            kpj_min_length=10,
            kpj_max_length=15,
        )
    text = " ".join(caught.value.messages)
    assert "Baris 3" in text and "Baris 4" in text


def test_the_items_start_pending(world: DecreedYear, operator_disnaker: Any) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    assert set(batch.items.values_list("outcome", flat=True)) == {RegistrationItem.Outcome.PENDING}
