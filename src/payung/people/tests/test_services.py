"""The right of access and the retention period, on a whole cycle built by the real services.

The command-line tests (``payung/tests/test_cli.py``) run the same services through the
console script; these look at what the CLI output cannot show: records across years, who is
kept and why, and the year's figures before and after.
"""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from payung.audit.models import AuditEntry
from payung.participants.models import Candidate, CandidateState
from payung.people.services import person_export, retention_run
from payung.people.tests.factories import Cycle, cycle_build
from payung.registry.models import DtsenImport, Household, Person
from payung.registry.selectors import PERSON_NAME_TABLE, person_name_matches
from payung.screening.models import Decision
from payung.screening.selectors import run_summary
from payung.screening.tests.factories import (
    DtsenImportFactory,
    PersonFactory,
    ProgrammeYearFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle() -> Cycle:
    return cycle_build(rows=200, quota=5)


def test_export_gathers_every_year_and_stage_of_one_nik_into_a_private_file(
    cycle: Cycle, tmp_path: Path
) -> None:
    person = Person.objects.get(pk=cycle.decreed.person_id)
    nik = cycle.decreed.nik
    # The same person in the next year's extract, typed with spaces and an apostrophe.
    later = DtsenImportFactory(programme_year=ProgrammeYearFactory(year=2027))
    PersonFactory(dtsen_import=later, row=9, nik=nik, nama=person.nama)
    out = tmp_path / "orang.json"

    made = person_export(
        nik=f"'{nik[:6]} {nik[6:]}", actor=cycle.users["operator_pendataan"], out=out
    )

    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert made.records == data["jumlah_catatan"] == 2
    first, second = data["catatan"]
    assert (first["tahun_program"], second["tahun_program"]) == (2026, 2027)
    assert first["data_dtsen"]["nama"] == person.nama
    assert first["pencalonan"][0]["status"] == CandidateState.DECREED
    assert second["keputusan_penyaringan"] == [] and second["pencalonan"] == []
    entry = AuditEntry.objects.get(action="person_export")
    assert entry.actor_username == "operator_pendataan"
    assert nik not in json.dumps(entry.detail) and entry.detail["records"] == 2


def test_an_export_of_a_nik_excel_destroyed_holds_no_strangers(
    cycle: Cycle, tmp_path: Path
) -> None:
    """``3.60117E+15`` is every NIK of a district as Excel wrote it: it names no one, so the
    export asked for it gathers no one's rows (as the person page shows such a row alone)."""
    later = DtsenImportFactory(programme_year=ProgrammeYearFactory(year=2027))
    PersonFactory(dtsen_import=later, row=3, nik="3.60117E+15", nama="SITI AMINAH")
    PersonFactory(dtsen_import=later, row=4, nik="3.60117E+15", nama="UJANG SUPRIATNA")
    out = tmp_path / "orang.json"

    made = person_export(nik="3.60117E+15", actor=cycle.users["operator_pendataan"], out=out)

    data = json.loads(out.read_text(encoding="utf-8"))
    assert made.records == data["jumlah_catatan"] == 0
    assert "SITI" not in out.read_text(encoding="utf-8")


def test_export_explains_a_refusal_with_its_articles(cycle: Cycle, tmp_path: Path) -> None:
    ineligible = Decision.objects.filter(run=cycle.proposal.screening_run_id).exclude(reasons="")
    decision = ineligible.exclude(nik="").order_by("row").first()
    assert decision is not None
    out = tmp_path / "orang.json"
    person_export(nik=decision.nik, actor=cycle.users["operator_pendataan"], out=out)
    reasons = json.loads(out.read_text())["catatan"][0]["keputusan_penyaringan"][0]["alasan"]
    assert [r["kode"] for r in reasons] == decision.reasons.split(";")
    assert all(r["pasal"] or r["keterangan"] for r in reasons)


def test_export_is_refused_to_a_role_without_the_permission(cycle: Cycle, tmp_path: Path) -> None:
    out = tmp_path / "orang.json"
    for name in ("verifikator", "auditor", "operator_kepesertaan", "admin"):
        with pytest.raises(PermissionDenied):
            person_export(nik=cycle.decreed.nik, actor=cycle.users[name], out=out)
    assert not out.exists()
    assert not AuditEntry.objects.filter(action="person_export").exists()


def test_retention_keeps_whoever_held_a_place_and_the_years_figures(cycle: Cycle) -> None:
    year = cycle.proposal.programme_year
    run = cycle.proposal.screening_run
    recent = DtsenImportFactory(programme_year=ProgrammeYearFactory(year=2030))
    PersonFactory(dtsen_import=recent, row=1)
    # A waiting-list candidate excluded before ever being proposed: never held a place.
    waiting = cycle.proposal.candidates.filter(state=CandidateState.WAITLISTED).first()
    assert waiting is not None
    Candidate.objects.filter(pk=waiting.pk).update(state=CandidateState.REJECTED)
    placed = set(
        cycle.proposal.candidates.filter(events__to_state=CandidateState.PROPOSED).values_list(
            "person_id", flat=True
        )
    )
    assert cycle.rejected.person_id in placed  # proposed, then rejected by Disdukcapil
    summary_before = run_summary(run=run)
    import_before = DtsenImport.objects.values("row_count", "household_count").get(
        pk=run.dtsen_import_id
    )
    operator = cycle.users["operator_pendataan"]
    extract = Path(settings.MEDIA_ROOT) / "impor" / f"uji-retensi-{run.dtsen_import_id}.csv"
    extract.parent.mkdir(parents=True, exist_ok=True)
    extract.write_text("NIK;NAMA\n", encoding="utf-8")
    DtsenImport.objects.filter(pk=run.dtsen_import_id).update(
        stored_path=str(extract.relative_to(settings.MEDIA_ROOT))
    )

    removed = list(
        Person.objects.filter(dtsen_import_id=run.dtsen_import_id)
        .exclude(pk__in=placed)
        .values_list("pk", "nama")[:5]
    )
    dry = retention_run(actor=operator, as_of=date(2032, 1, 1), keep_years=5, dry_run=True)
    assert [y.year for y in dry.years] == [2026]
    assert Person.objects.filter(dtsen_import__programme_year=year).count() == 200
    assert dry.years[0].files == 1 and extract.exists()
    report = retention_run(actor=operator, as_of=date(2032, 1, 1), keep_years=5)

    assert [y.year for y in report.years] == [2026]
    assert report.years[0].persons == dry.years[0].persons == 200 - len(placed)
    assert report.years[0].households == dry.years[0].households
    assert report.years[0].files == 1 and not extract.exists()  # the uploaded extract too
    left = set(
        Person.objects.filter(dtsen_import__programme_year=year).values_list("pk", flat=True)
    )
    assert left == placed
    assert set(Decision.objects.filter(run=run).values_list("person_id", flat=True)) == placed
    assert not Candidate.objects.filter(pk=waiting.pk).exists()
    assert Person.objects.filter(dtsen_import=recent).count() == 1  # its time has not come
    # Their names left the name index too: a search finds only those kept.
    for pk, name in removed:
        assert pk not in Person.objects.filter(person_name_matches(term=name)).values_list(
            "pk", flat=True
        )
    if connection.vendor == "postgresql":
        kept_names = {
            n.upper() for n in Person.objects.filter(pk__in=placed).values_list("nama", flat=True)
        }
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nama FROM {PERSON_NAME_TABLE} WHERE dtsen_import_id = %s",
                [run.dtsen_import_id],
            )
            assert {n for (n,) in cursor.fetchall()} == kept_names
    assert (
        not Household.objects.filter(dtsen_import__programme_year=year)
        .exclude(pk__in=Person.objects.values("household_id"))
        .exists()
    )
    run.refresh_from_db()
    summary_after = run_summary(run=run)
    assert summary_after.rows == summary_before.rows == 200
    assert [(k.code, k.total, k.by_status) for k in summary_after.by_kecamatan] == [
        (k.code, k.total, k.by_status) for k in summary_before.by_kecamatan
    ]
    assert [(t.code, t.count) for t in summary_after.by_status] == [
        (t.code, t.count) for t in summary_before.by_status
    ]
    assert (
        DtsenImport.objects.values("row_count", "household_count").get(pk=run.dtsen_import_id)
        == import_before
    )
    entry = AuditEntry.objects.get(action="retention_run")
    assert entry.detail["persons"] == 200 - len(placed) and entry.detail["retention_years"] == 5


def test_retention_is_refused_without_the_permission_or_with_no_period(cycle: Cycle) -> None:
    with pytest.raises(PermissionDenied):
        retention_run(actor=cycle.users["auditor"], as_of=date(2040, 1, 1), keep_years=5)
    with pytest.raises(ValidationError):
        retention_run(actor=cycle.users["operator_pendataan"], as_of=date(2040, 1, 1), keep_years=0)
    assert Person.objects.count() == 200
