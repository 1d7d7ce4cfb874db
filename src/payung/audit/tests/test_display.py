"""An entry worded for the auditor: formatted values, named keys, targets without names."""

from __future__ import annotations

import pytest

from payung.audit.display import detail_items, entry_rows, target_kind, value_text
from payung.audit.models import AuditEntry
from payung.audit.services import audit_entry_create
from payung.programmes.tests.factories import ProgrammeYearFactory
from payung.screening.tests.factories import PersonFactory


@pytest.mark.parametrize(
    ("value", "key", "shown"),
    [
        (50000, "rows", "50.000"),
        (2026, "year", "2026"),
        (17, "decision_id", "17"),
        ("2026-01-01", "as_of", "1 Januari 2026"),
        ("2026-02-30", "as_of", "2026-02-30"),
        (True, "full_nik", "Ya"),
        (False, "full_nik", "Tidak"),
        (None, "reason", "—"),
        ("3601********0001", "nik_masked", "3601********0001"),
        (["a.csv", "b.csv"], "files", "a.csv, b.csv"),
        ({"valid": 1200, "invalid": 3}, "counts", "Jumlah sah: 1.200; Jumlah tidak sah: 3"),
        ("verifikasi_disdukcapil", "purpose", "Verifikasi dan validasi oleh Disdukcapil"),
        ({"proposed": 5, "ended": 1}, "by_state", "Jumlah diusulkan: 5; Jumlah diakhiri: 1"),
        ("e3b0c44298fc1c14", "sha256", "e3b0c44298fc1c14"),
    ],
)
def test_value_text(value: object, key: str, shown: str) -> None:
    assert value_text(value, key=key) == shown


def test_a_moment_is_shown_in_wib() -> None:
    assert value_text("2026-01-01T17:30:00+00:00") == "2 Januari 2026 pukul 00.30 WIB"


def test_known_keys_are_named_first_and_unknown_keys_read_as_words() -> None:
    items = detail_items({"zz_extra": "x", "file_name": "dtsen.csv", "rows": 12})

    assert [(i.label, i.value) for i in items] == [
        ("Nama berkas", "dtsen.csv"),
        ("Jumlah baris", "12"),
        ("Zz extra", "x"),
    ]


def test_no_detail_no_items() -> None:
    assert detail_items({}) == ()


def test_target_kind_is_the_models_indonesian_name() -> None:
    assert target_kind("accounts.user") == "Pengguna"
    assert target_kind("linkage.otherlist") == "Daftar sumber dana lain"
    assert target_kind("gone.model") == "gone.model"


@pytest.mark.django_db
def test_a_person_target_shows_its_id_never_its_name_or_nik(operator_dinsos) -> None:
    person = PersonFactory()
    audit_entry_create(actor=operator_dinsos, action="person_view", target=person)

    (row,) = entry_rows(AuditEntry.objects.filter(action="person_view"))

    assert row.target_kind == "Orang"
    assert row.target == f"nomor {person.pk}"
    assert person.nama not in row.target
    assert row.actor == "operator_dinsos"
    assert row.agency == "Dinas Sosial"
    assert row.action == "Halaman orang dilihat"


@pytest.mark.django_db
def test_a_target_without_personal_data_is_named(operator_dinsos) -> None:
    year = ProgrammeYearFactory(year=2026)
    audit_entry_create(actor=operator_dinsos, action="programme_year_create", target=year)

    (row,) = entry_rows(AuditEntry.objects.filter(action="programme_year_create"))

    assert (row.target_kind, row.target) == ("Tahun program", "Kabupaten Pandeglang 2026")


@pytest.mark.django_db
def test_a_deleted_target_falls_back_to_its_id(operator_dinsos) -> None:
    year = ProgrammeYearFactory(year=2026)
    audit_entry_create(actor=operator_dinsos, action="programme_year_create", target=year)
    pk = year.pk
    year.delete()

    (row,) = entry_rows(AuditEntry.objects.filter(action="programme_year_create"))

    assert row.target == f"nomor {pk}"


def test_an_imports_problem_counts_read_as_words_not_codes() -> None:
    """An import's entry counts invalid rows per data-quality code; the auditor reads the
    problem, not ``nik.excel_scientific`` (crawl of the demo, issue 9)."""
    text = value_text({"nik.excel_scientific": 12, "tanggal_lahir.missing": 3400})
    assert "nik.excel_scientific" not in text and "tanggal_lahir.missing" not in text
    assert "NIK rusak oleh Excel (notasi ilmiah): 12" in text
    assert "Tanggal lahir kosong: 3.400" in text
