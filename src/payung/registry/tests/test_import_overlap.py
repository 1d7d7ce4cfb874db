"""The same people arriving again in a file with other bytes (issue 17, defect 10).

A byte-identical file is refused by its SHA-256; a re-exported or re-sorted one is not. Its
people already imported this year are counted by NIK when it finishes, shown on its page
(counts, earlier file name and date, never a NIK), and it cannot be screened until an
operator confirms it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.core.formatting import tanggal_jam
from payung.engine.synth import synth_write
from payung.programmes.models import ProgrammeYear
from payung.registry import services
from payung.registry.models import DtsenImport, Person
from payung.screening import services as screening

pytestmark = pytest.mark.django_db

ImportFile = Callable[..., DtsenImport]


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    return header, rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Semicolon-separated, other bytes than the synthetic CSV, same people."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _niks(dtsen_import: DtsenImport) -> set[str]:
    return set(
        Person.objects.filter(dtsen_import=dtsen_import)
        .exclude(nik="")
        .values_list("nik", flat=True)
    )


def _start(imp: DtsenImport, actor: Any) -> Any:
    return screening.screening_run_start(
        programme_year=imp.programme_year, dtsen_import=imp, started_by=actor
    )


def test_the_same_people_in_other_bytes_wait_for_confirmation_before_screening(
    year: ProgrammeYear,
    synth_csv: Path,
    import_file: ImportFile,
    tmp_path: Path,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
) -> None:
    first = import_file(year, synth_csv)
    assert (first.overlap_count, first.overlap_unconfirmed) == (0, False)
    header, rows = _rows(synth_csv)
    again = import_file(year, _write(tmp_path / "ekspor-ulang.csv", header, rows[::-1]))

    assert again.sha256 != first.sha256
    people = _niks(again)
    assert again.overlap_of == len(people)
    assert again.overlap_count == len(people & _niks(first)) == len(people)
    assert again.overlap_percent == 100.0
    assert again.overlap_imports == [
        {
            "pk": first.pk,
            "file_name": first.file_name,
            "created_at": first.created_at.isoformat(),
            "count": len(people),
        }
    ]
    assert again.overlap_unconfirmed
    with pytest.raises(ValidationError) as refused:
        _start(again, operator_dinsos)
    assert refused.value.code == "import_overlap_unconfirmed"

    confirmed = services.dtsen_import_overlap_confirm(dtsen_import=again, actor=operator_dinsos_2)
    assert confirmed.overlap_confirmed_by == operator_dinsos_2
    assert not confirmed.overlap_unconfirmed
    assert _start(confirmed, operator_dinsos).dtsen_import_id == again.pk
    with pytest.raises(ValidationError, match="tidak memerlukan konfirmasi"):
        services.dtsen_import_overlap_confirm(dtsen_import=confirmed, actor=operator_dinsos)

    # The audit trail keeps the counts and the earlier import, never a NIK.
    for action in ("dtsen_import_finish", "dtsen_import_overlap_confirm"):
        entry = AuditEntry.objects.filter(action=action).latest("pk")
        assert entry.detail["overlap"] == len(people)
        assert entry.detail["overlap_imports"] == [first.pk]
        assert not any(nik in str(entry.detail) for nik in people)


def test_a_partial_overlap_is_counted_per_earlier_import(
    year: ProgrammeYear,
    synth_csv: Path,
    import_file: ImportFile,
    tmp_path: Path,
) -> None:
    first = import_file(year, synth_csv)
    header, rows = _rows(synth_csv)
    others = synth_write(rows=120, seed=77, out=tmp_path / "lain.csv")
    second = import_file(year, others)
    _, other_rows = _rows(others)
    _, new_rows = _rows(synth_write(rows=60, seed=79, out=tmp_path / "baru.csv"))
    mixed = import_file(
        year,
        _write(tmp_path / "campuran.csv", header, rows[:90] + other_rows[:40] + new_rows),
    )

    expected_first = _niks(mixed) & _niks(first)
    expected_second = _niks(mixed) & _niks(second)
    assert expected_first and expected_second
    assert mixed.overlap_count == len(expected_first | expected_second)
    assert mixed.overlap_of == len(_niks(mixed))
    assert [(i["pk"], i["count"]) for i in mixed.overlap_imports] == [
        (first.pk, len(expected_first)),
        (second.pk, len(expected_second)),
    ]
    assert 0 < mixed.overlap_percent < 100


def test_new_people_need_no_confirmation(
    year: ProgrammeYear,
    synth_csv: Path,
    import_file: ImportFile,
    tmp_path: Path,
    operator_dinsos: Any,
) -> None:
    import_file(year, synth_csv)
    others = import_file(year, synth_write(rows=50, seed=78, out=tmp_path / "baru.csv"))
    assert _niks(others)
    assert (others.overlap_count, others.overlap_imports) == (0, [])
    assert not others.overlap_unconfirmed
    assert _start(others, operator_dinsos).dtsen_import_id == others.pk


def test_only_who_may_import_confirms(
    year: ProgrammeYear,
    synth_csv: Path,
    import_file: ImportFile,
    tmp_path: Path,
    auditor_inspektorat: Any,
) -> None:
    import_file(year, synth_csv)
    header, rows = _rows(synth_csv)
    again = import_file(year, _write(tmp_path / "ulang.csv", header, rows))
    with pytest.raises(PermissionDenied):
        services.dtsen_import_overlap_confirm(dtsen_import=again, actor=auditor_inspektorat)
    again.refresh_from_db()
    assert again.overlap_unconfirmed


def test_the_import_page_reports_the_overlap_without_a_nik_and_confirms_it(
    year: ProgrammeYear,
    synth_csv: Path,
    import_file: ImportFile,
    tmp_path: Path,
    operator_dinsos: Any,
    auditor_inspektorat: Any,
) -> None:
    first = import_file(year, synth_csv, name="dtsen-januari.csv")
    header, rows = _rows(synth_csv)
    again = import_file(year, _write(tmp_path / "dtsen-februari.csv", header, rows[:150]))
    page = reverse("registry:import_detail", args=[again.pk])
    confirm = reverse("registry:import_overlap_confirm", args=[again.pk])

    client = Client()
    client.force_login(operator_dinsos)
    html = client.get(page).content.decode()
    n = again.overlap_count
    assert f"{n} orang (100,0 %) dari {n} NIK dalam berkas ini sudah ada" in html
    when = tanggal_jam(first.created_at)  # "2 Desember 2026 09.11", WIB (issue 9)
    assert f"{n} orang pada impor 'dtsen-januari.csv' ({when})" in html
    assert confirm in html
    assert not any(nik in html for nik in _niks(again))
    year_page = client.get(reverse("registry:year_detail", args=[year.pk])).content.decode()
    assert "Perlu konfirmasi tumpang tindih" in year_page

    auditor = Client()
    auditor.force_login(auditor_inspektorat)
    assert confirm not in auditor.get(page).content.decode()
    assert auditor.post(confirm).status_code == 403

    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == page
    again.refresh_from_db()
    assert not again.overlap_unconfirmed
    assert "Dikonfirmasi oleh" in client.get(page).content.decode()
