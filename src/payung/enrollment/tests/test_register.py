"""The register for Disnakertrans (Pasal 8 ayat (5)): XLSX read back through real readers."""

from __future__ import annotations

import csv
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.enrollment import cards, register
from payung.enrollment.register import HEADERS
from payung.enrollment.tests.factories import Registered, registered_batch
from payung.participants.models import Candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> Registered:
    made = registered_batch(
        personas={
            "operator_dinsos": operator_dinsos,
            "operator_dinsos_2": operator_dinsos_2,
            "verifikator_dukcapil": verifikator_dukcapil,
            "operator_disnaker": operator_disnaker,
            "petugas_bpjs": petugas_bpjs,
        },
        n=4,
        refused=1,
        active=2,
    )
    cards.cards_receive_batch(
        batch=made.batch, actor=petugas_bpjs, received_on=date(2026, 3, 1), today=date(2026, 3, 9)
    )
    cards.card_deliver(
        candidate=made.accepted[0],
        actor=petugas_bpjs,
        delivered_on=date(2026, 3, 2),
        channel="kecamatan",
        delivered_by="Dede Kurnia",
        today=date(2026, 3, 9),
    )
    return made


def _sheets(content: bytes, tmp_path: Path) -> dict[str, list[list[Any]]]:
    path = tmp_path / "register.xlsx"
    path.write_bytes(content)
    with CalamineWorkbook.from_path(str(path)) as book:
        return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_register_lists_every_participant_with_a_kpj_as_text_nik_masked(
    registered: Registered, operator_disnaker: Any, tmp_path: Path
) -> None:
    made = register.register_export(
        programme_year=registered.batch.programme_year, actor=operator_disnaker
    )
    sheets = _sheets(made.content, tmp_path)
    assert list(sheets) == ["REGISTER", "PETUNJUK"]
    rows = sheets["REGISTER"]
    assert tuple(rows[0]) == HEADERS
    body = [dict(zip(HEADERS, r, strict=True)) for r in rows[1:]]
    accepted = registered.accepted
    assert [r["KPJ"] for r in body] == [c.kpj for c in accepted]  # the refused has no KPJ
    first, second, third = body
    person = Candidate.objects.select_related("person").get(pk=accepted[0].pk).person
    assert first["NIK"] == f"{accepted[0].nik[:4]}{'*' * 8}{accepted[0].nik[-4:]}"
    assert first["NAMA"] == person.nama and first["PEKERJAAN"] == person.pekerjaan
    assert first["DESA"].startswith(("Desa", "Kel.")) and first["KECAMATAN"]
    assert first["MULAI_KEPESERTAAN"] == "2026-02-01" == third["MULAI_KEPESERTAAN"]
    assert (first["STATUS_PESERTA"], third["STATUS_PESERTA"]) == ("Aktif", "Terdaftar di BPJS")
    assert first["STATUS_KARTU"] == "Diserahkan 2 Maret 2026 melalui Kecamatan"
    assert second["STATUS_KARTU"] == "Diterima dari BPJS 1 Maret 2026, belum diserahkan"
    assert all(isinstance(v, str) for r in rows for v in r)  # text cells, KPJ keeps its digits
    assert any("Pasal 8 ayat (5)" in line[0] for line in sheets["PETUNJUK"])
    entry = AuditEntry.objects.filter(action="register_export").get()
    assert entry.detail == {"rows": 3, "full_nik": False}


def test_the_register_converts_with_libreoffice(
    registered: Registered, operator_disnaker: Any, tmp_path: Path
) -> None:
    made = register.register_export(
        programme_year=registered.batch.programme_year, actor=operator_disnaker
    )
    source = tmp_path / "register.xlsx"
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
    with (tmp_path / "out" / "register.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADERS
    assert [r[1] for r in rows[1:]] == [c.kpj for c in registered.accepted]


def test_full_niks_need_the_unmasking_right_and_are_audited(
    registered: Registered, operator_disnaker: Any, tmp_path: Path
) -> None:
    year = registered.batch.programme_year
    with pytest.raises(PermissionDenied):
        register.register_export(programme_year=year, actor=operator_disnaker, full_nik=True)
    operator_disnaker.user_permissions.add(
        Permission.objects.get(codename="view_unmasked_nik", content_type__app_label="screening")
    )
    operator_disnaker = type(operator_disnaker).objects.get(pk=operator_disnaker.pk)
    made = register.register_export(programme_year=year, actor=operator_disnaker, full_nik=True)
    rows = _sheets(made.content, tmp_path)["REGISTER"]
    assert [r[2] for r in rows[1:]] == [c.nik for c in registered.accepted]
    assert made.file_name.endswith("-nik-lengkap.xlsx")
    entry = AuditEntry.objects.filter(action="register_export").get()
    assert entry.detail["full_nik"] is True


def test_the_register_download_is_for_the_operator_kepesertaan_and_masked_by_default(
    client: Client,
    registered: Registered,
    operator_disnaker: Any,
    petugas_bpjs: Any,
    tmp_path: Path,
) -> None:
    url = reverse("enrollment:register_download", args=[registered.batch.programme_year_id])
    client.force_login(petugas_bpjs)
    assert client.get(url).status_code == 403
    client.force_login(operator_disnaker)
    response = client.get(url)
    assert response.status_code == 200
    rows = _sheets(b"".join(response.streaming_content), tmp_path)["REGISTER"]
    assert all("*" in r[2] for r in rows[1:])
    assert client.get(url + "?nik=lengkap").status_code == 403
