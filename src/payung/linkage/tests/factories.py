"""Other funders' lists for tests: a province's list typed by other hands, built from the
year's own synthetic people with the noise issue 13 names, and stored matches."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from payung.core.models import JobStatus
from payung.linkage.models import Funder, ListMatch, OtherList
from payung.registry.models import Person

HEADERS = ("NIK_PESERTA", "NAMA_PESERTA", "TGL_LAHIR", "JENIS_KELAMIN", "KODE_DESA")


def nik_typo(nik: str) -> str:
    """The NIK with its second-to-last digit typed wrong (the same region, one digit off)."""
    digit = str((int(nik[-2]) + 1) % 10)
    return nik[:-2] + digit + nik[-1]


def _row(person: Person, *, typo: bool) -> list[str]:
    nama = person.nama
    if typo:
        # A dropped double letter and the other hand's spelling: still the same person.
        nama = nama.replace("MUHAMMAD", "MUHAMAD").replace("NN", "N").replace("LL", "L")
    return [
        nik_typo(person.nik) if typo else person.nik,
        nama.title(),
        person.tanggal_lahir,
        person.jenis_kelamin,
        person.kode_desa,
    ]


def strangers(n: int) -> list[list[str]]:
    """People of another regency (region 3201): nobody of the extract."""
    return [
        [
            f"3201{(i % 28) + 1:02d}{(i % 12) + 1:02d}75{i:04d}"[:16].ljust(16, "0"),
            f"ORANG LAIN NOMOR {i} BIN SUTISNA",
            f"19{60 + i % 30}-0{1 + i % 9}-1{i % 9}",
            "PEREMPUAN" if i % 2 else "LAKI-LAKI",
            "3201010001",
        ]
        for i in range(n)
    ]


def other_list_bytes(*, exact: list[Person], typed: list[Person], others: int = 20) -> bytes:
    """A CSV list (``;``, as the province sends it) holding ``exact`` as they are in the
    extract, ``typed`` with a NIK one digit off and the name spelt by another hand, and
    ``others`` strangers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for person in exact:
        writer.writerow(_row(person, typo=False))
    for person in typed:
        writer.writerow(_row(person, typo=True))
    writer.writerows(strangers(others))
    return out.getvalue().encode("utf-8")


def other_list_upload(content: bytes, name: str = "bpu-apbd-provinsi.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def list_match_create(*, person: Person, uploaded_by: Any, probability: str = "0.973") -> ListMatch:
    """A linked list with one pending match on ``person`` (the other row one NIK digit off)."""
    other_list = OtherList.objects.create(
        programme_year=person.dtsen_import.programme_year,
        source_name="Peserta BPU APBD Provinsi Banten",
        funder=Funder.APBD_PROVINSI,
        list_date=date(2026, 1, 15),
        file_name="bpu-provinsi.csv",
        sha256="5" * 64,
        size_bytes=100,
        status=JobStatus.DONE,
        progress=100,
        dtsen_import=person.dtsen_import,
        row_count=21,
        match_count=1,
        uploaded_by=uploaded_by,
    )
    return ListMatch.objects.create(
        other_list=other_list,
        person=person,
        other_row=3,
        probability=Decimal(probability),
        band=ListMatch.Band.MATCH,
        evidence={
            "nik": "beda_1_digit",
            "nama": "mirip_0_95",
            "tanggal_lahir": "sama",
            "jenis_kelamin": "sama",
            "wilayah": "desa_sama",
            "no_kk": "kosong",
        },
        other_nik=nik_typo(person.nik),
        other_nama=person.nama.title(),
        other_tanggal_lahir=person.tanggal_lahir,
        other_jenis_kelamin=person.jenis_kelamin,
        other_kode_desa=person.kode_desa,
    )
