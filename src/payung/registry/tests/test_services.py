"""DTSEN imports (Pasal 7(1)) through the services (programme years: programmes/tests)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.domain.policy import policy_get
from payung.engine.backends import connect
from payung.engine.readers import file_sha256, read_extract
from payung.engine.screening import screen
from payung.programmes.models import ProgrammeYear
from payung.registry import services
from payung.registry.models import ColumnMappingProfile, DtsenImport, Household, Person
from payung.registry.tests import factories
from payung.registry.tests.conftest import upload

pytestmark = pytest.mark.django_db

ImportFile = Callable[..., DtsenImport]


# --- import: upload --------------------------------------------------------------------------


def test_import_stores_every_person_and_household(
    year: ProgrammeYear, synth_csv: Path, import_file: ImportFile, settings: Any
) -> None:
    imp = import_file(year, synth_csv)

    table = read_extract(synth_csv)
    assert imp.status == JobStatus.DONE
    assert imp.progress == 100
    assert imp.finished_at is not None
    assert imp.sha256 == file_sha256(synth_csv)
    assert imp.task_id
    assert (Path(settings.MEDIA_ROOT) / imp.stored_path).read_bytes() == synth_csv.read_bytes()
    assert imp.stored_path == f"imports/{imp.sha256}.csv"
    assert imp.row_count == 300 == Person.objects.filter(dtsen_import=imp).count()

    kk = [k for k in table["no_kk"].to_pylist() if k]
    assert imp.household_count == len(set(kk)) == Household.objects.count()
    # Each household carries its first row's village and address.
    first_rows = {}
    for row in table.to_pylist():
        if row["no_kk"] and row["no_kk"] not in first_rows:
            first_rows[row["no_kk"]] = (row["kode_desa"] or "", row["alamat"] or "")
    stored = {h.no_kk: (h.kode_desa, h.alamat) for h in Household.objects.all()}
    assert stored == first_rows
    # Persons point at their household; a person without NO_KK at none.
    for person in Person.objects.select_related("household")[:50]:
        if person.no_kk:
            assert person.household is not None and person.household.no_kk == person.no_kk
        else:
            assert person.household is None

    # Text as the file said it, an empty cell as "" (never NULL).
    first = table.slice(0, 1).to_pylist()[0]
    person = Person.objects.get(dtsen_import=imp, row=first["row"])
    assert (person.nik, person.nama) == (first["nik"], first["nama"])
    assert person.bantuan_iuran == (first["bantuan_iuran"] or "")
    assert Person.objects.filter(bantuan_iuran="").exists()

    finish = AuditEntry.objects.get(action="dtsen_import_finish")
    assert finish.detail["rows"] == 300
    assert finish.detail["sha256"] == imp.sha256
    assert AuditEntry.objects.filter(action="dtsen_import_create").count() == 1


def test_the_same_file_twice_in_a_year_is_refused_naming_the_first(
    year: ProgrammeYear, synth_csv: Path, import_file: ImportFile, operator_dinsos_2: Any
) -> None:
    first = import_file(year, synth_csv)

    with pytest.raises(ValidationError) as caught:
        services.dtsen_import_create(
            programme_year=year,
            uploaded_file=upload(synth_csv, "salinan.csv"),
            uploaded_by=operator_dinsos_2,
        )

    message = caught.value.messages[0]
    assert f"#{first.pk}" in message and "x.csv" in message
    assert str(first.created_at.year) in message
    assert DtsenImport.objects.count() == 1
    assert Person.objects.count() == 300


def test_the_same_file_may_go_into_another_year(
    year: ProgrammeYear, synth_csv: Path, import_file: ImportFile, operator_dinsos: Any
) -> None:
    other = factories.ProgrammeYearFactory(year=2027, created_by=operator_dinsos)
    import_file(year, synth_csv)
    second = import_file(other, synth_csv)

    assert second.status == JobStatus.DONE
    assert Person.objects.count() == 600


@pytest.mark.parametrize("name", ["dtsen.txt", "dtsen.xls", "dtsen"])
def test_other_suffixes_are_refused(year: ProgrammeYear, operator_dinsos: Any, name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.dtsen_import_create(
            programme_year=year,
            uploaded_file=SimpleUploadedFile(name, b"NIK\n1\n"),
            uploaded_by=operator_dinsos,
        )

    assert "tidak didukung" in caught.value.messages[0]
    assert not DtsenImport.objects.exists()


def test_files_over_the_limit_are_refused_and_not_kept(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any, settings: Any
) -> None:
    settings.PAYUNG_UPLOAD_MAX_BYTES = 1000

    with pytest.raises(ValidationError) as caught:
        services.dtsen_import_create(
            programme_year=year, uploaded_file=upload(synth_csv), uploaded_by=operator_dinsos
        )

    assert "terlalu besar" in caught.value.messages[0]
    assert not DtsenImport.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / services.IMPORT_FOLDER
    assert not folder.exists() or not any(folder.iterdir())


def test_declared_size_cannot_hide_a_large_file(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any, settings: Any
) -> None:
    settings.PAYUNG_UPLOAD_MAX_BYTES = 1000
    lying = upload(synth_csv)
    lying.size = 10

    with pytest.raises(ValidationError):
        services.dtsen_import_create(
            programme_year=year, uploaded_file=lying, uploaded_by=operator_dinsos
        )

    folder = Path(settings.MEDIA_ROOT) / services.IMPORT_FOLDER
    assert not any(folder.iterdir())


# --- import: unreadable files change nothing -------------------------------------------------


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("kosong.csv", b"", "file.empty", "Berkas kosong: 'kosong.csv'"),
        ("judul.csv", b"NAMA,ALAMAT\nBUDI,KP. SUKA\n", "columns.missing", "Kolom wajib"),
        ("rusak.xlsx", b"PK\x03\x04bukan xlsx" * 20, "xlsx.not_zip", "tidak dapat dibaca"),
        (
            "judul-saja.csv",
            b"NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n",
            "file.header_only",
            "hanya berisi baris judul",
        ),
    ],
)
def test_an_unreadable_file_changes_nothing(
    year: ProgrammeYear,
    import_file: ImportFile,
    tmp_path: Path,
    name: str,
    content: bytes,
    code: str,
    words: str,
) -> None:
    imp = import_file(year, _write(tmp_path, name, content))

    assert imp.status == JobStatus.FAILED
    assert imp.error_code == code
    assert words in imp.error_message
    assert "--columns" not in imp.error_message
    if code == "columns.missing":
        assert "pemetaan kolom pada formulir unggah" in imp.error_message
    assert str(tmp_path) not in imp.error_message and "media" not in imp.error_message
    assert imp.row_count is None
    assert not Person.objects.exists() and not Household.objects.exists()
    fail = AuditEntry.objects.get(action="dtsen_import_fail")
    assert fail.detail["error_code"] == code


def test_a_failed_import_may_be_retried_with_a_mapping(
    year: ProgrammeYear, synth_csv: Path, import_file: ImportFile, tmp_path: Path
) -> None:
    renamed = tmp_path / "sumber-lain.csv"
    text = synth_csv.read_text(encoding="utf-8")
    renamed.write_text(text.replace("NIK,", "No Induk,", 1), encoding="utf-8")

    failed = import_file(year, renamed)
    retried = import_file(
        year,
        renamed,
        mapping_name="Desa Sukamaju",
        mapping_text='columns:\n  "No Induk": NIK\n',
    )

    assert failed.status == JobStatus.FAILED and failed.error_code == "columns.missing"
    assert retried.status == JobStatus.DONE
    assert retried.row_count == 300
    assert retried.mapping is not None
    assert ColumnMappingProfile.objects.get().mapping == {"No Induk": "NIK"}
    assert AuditEntry.objects.filter(action="column_mapping_profile_create").count() == 1


def test_a_saved_mapping_is_reused(
    year: ProgrammeYear, synth_csv: Path, import_file: ImportFile, tmp_path: Path
) -> None:
    profile = factories.ColumnMappingProfileFactory(mapping={"Tgl Lhr": "TANGGAL_LAHIR"})
    renamed = tmp_path / "tgl.csv"
    text = synth_csv.read_text(encoding="utf-8")
    renamed.write_text(text.replace("TANGGAL_LAHIR", "Tgl Lhr", 1), encoding="utf-8")

    imp = import_file(year, renamed, mapping=profile)

    assert imp.status == JobStatus.DONE
    assert Person.objects.exclude(tanggal_lahir="").count() > 250


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("columns: [", "YAML tidak valid"),
        ("kolom:\n  A: NIK\n", "kunci 'columns' tidak ditemukan"),
        ("columns:\n  A: BUKAN_KOLOM\n", "bukan kolom DTSEN"),
    ],
)
def test_an_invalid_mapping_is_refused_before_anything_is_stored(
    year: ProgrammeYear, synth_csv: Path, operator_dinsos: Any, text: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.dtsen_import_create(
            programme_year=year,
            uploaded_file=upload(synth_csv),
            uploaded_by=operator_dinsos,
            mapping_name="Rusak",
            mapping_text=text,
        )

    assert words in caught.value.messages[0]
    assert "'Rusak'" in caught.value.messages[0] or words == "YAML tidak valid"
    assert not ColumnMappingProfile.objects.exists()
    assert not DtsenImport.objects.exists()


def test_a_value_longer_than_its_column_fails_without_showing_it(
    year: ProgrammeYear, import_file: ImportFile, tmp_path: Path
) -> None:
    secret = "RAHASIA" * 10
    path = _write(
        tmp_path,
        "panjang.csv",
        (
            "NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n"
            f"3601011505800001,1980-05-15,PETANI,1,3601012001\n"
            f"{secret},1980-05-15,PETANI,1,3601012001\n"
        ).encode(),
    )

    imp = import_file(year, path)

    assert imp.status == JobStatus.FAILED
    assert imp.error_code == "value.too_long"
    assert "NIK" in imp.error_message and "baris 2" in imp.error_message
    assert secret not in imp.error_message
    assert not Person.objects.exists()


def test_an_invisible_character_fails_the_import_as_it_fails_a_correction(
    year: ProgrammeYear, import_file: ImportFile, tmp_path: Path
) -> None:
    """The same field rules for every way data enters (issue 17, defect 3): a zero-width
    space pasted into a name is refused here as on the verifier's page."""
    path = _write(
        tmp_path,
        "tak-terlihat.csv",
        (
            "NIK,NAMA,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n"
            "3601011505800001,UDIN,1980-05-15,PETANI,1,3601012001\n"
            "3601011505800002,SITI\u200bAMINAH,1980-05-15,PETANI,1,3601012001\n"
        ).encode(),
    )

    imp = import_file(year, path)

    assert imp.status == JobStatus.FAILED
    assert imp.error_code == "value.control_character"
    assert "NAMA" in imp.error_message and "baris 2" in imp.error_message
    assert "SITI" not in imp.error_message
    assert not Person.objects.exists()


def test_an_unexpected_error_fails_with_a_generic_message_and_rolls_back(
    year: ProgrammeYear,
    synth_csv: Path,
    import_file: ImportFile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = services.bulk_load
    calls = []

    def households(model: Any, columns: Any, rows: Any) -> int:
        calls.append(model)
        return real(model, columns, rows)

    def broken_persons(model: Any, table: Any) -> int:
        calls.append(model)
        raise RuntimeError("3601011505800001 BUDI")  # a library error quoting a row

    monkeypatch.setattr(services, "bulk_load", households)
    monkeypatch.setattr(services, "bulk_load_arrow", broken_persons)
    imp = import_file(year, synth_csv)

    assert calls == [Household, Person]
    assert imp.status == JobStatus.FAILED
    assert imp.error_code == "system"
    assert "kesalahan sistem" in imp.error_message
    assert "3601" not in imp.error_message and "BUDI" not in imp.error_message
    assert not Household.objects.exists() and not Person.objects.exists()


# --- import: row problems --------------------------------------------------------------------


def test_problems_list_the_invalid_rows_by_number_in_indonesian(
    year: ProgrammeYear, synth_csv: Path, import_file: ImportFile
) -> None:
    imp = import_file(year, synth_csv)

    table = read_extract(synth_csv)
    with connect("duckdb") as backend:
        decisions = screen(
            table, policy=policy_get(year.policy_id), as_of=year.as_of, backend=backend
        ).decisions
    invalid = decisions.filter(pc.equal(decisions["status"], "invalid"))
    assert invalid.num_rows > 0
    assert [p["row"] for p in imp.problems] == invalid["row"].to_pylist()
    assert imp.invalid_count == invalid.num_rows
    assert sum(imp.invalid_by_code.values()) >= invalid.num_rows
    for problem in imp.problems:
        assert problem["codes"]
        assert problem["message"] and "." in problem["message"]
        assert not any(problem["message"] == code for code in problem["codes"])
    # No names and no NIKs in what the page and the audit trail show.
    shown = json.dumps(imp.problems) + json.dumps(
        list(AuditEntry.objects.values_list("detail", flat=True))
    )
    for value in table["nik"].to_pylist()[:100] + table["nama"].to_pylist()[:100]:
        if value:
            assert value not in shown


def test_problems_are_capped_but_counted(
    year: ProgrammeYear,
    import_file: ImportFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "MAX_PROBLEMS", 3)
    rows = pa.table(
        {
            "NIK": [f"36010115058{i:05d}" if i % 2 else "" for i in range(1, 11)],
            "TANGGAL_LAHIR": ["1980-05-15"] * 10,
            "PEKERJAAN": ["PETANI"] * 10,
            "DESIL": ["1"] * 10,
            "KODE_DESA": ["3601012001"] * 10,
        }
    )
    path = tmp_path / "kosong-nik.csv"
    pa_csv.write_csv(rows, path)

    imp = import_file(year, path)

    assert imp.status == JobStatus.DONE
    assert imp.invalid_count == 5
    assert [p["row"] for p in imp.problems] == [2, 4, 6]
    assert imp.problems[0]["codes"] == ["nik.empty"]
    assert imp.problems[0]["message"] == "NIK kosong."
    assert imp.invalid_by_code["nik.empty"] == 5


def test_task_skips_an_import_that_already_ran(year: ProgrammeYear) -> None:
    """A repeated delivery must not load the same people twice."""
    from payung.registry.tasks import dtsen_import_execute

    done = factories.DtsenImportFactory(programme_year=year, status=JobStatus.DONE)
    failed = factories.DtsenImportFactory(programme_year=year, status=JobStatus.FAILED)
    dtsen_import_execute.call(done.pk)
    dtsen_import_execute.call(failed.pk)
    dtsen_import_execute.call(999_999)  # a deleted import

    assert not AuditEntry.objects.filter(action__startswith="dtsen_import").exists()
    assert DtsenImport.objects.get(pk=failed.pk).status == JobStatus.FAILED
