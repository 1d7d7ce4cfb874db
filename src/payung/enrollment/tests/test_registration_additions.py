"""Cover start for an amending decree's additions, and applying an answer in bulk.

Pasal 8 ayat (3): BPJS records the participants; the PKS fixes the cover start of the
establishing decree's participants, while replacements added by an amending decree are
covered from when BPJS records them, so their answer must carry the date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from payung.audit.models import AuditEntry
from payung.decrees.models import Decree
from payung.domain import nik as nik_domain
from payung.engine import read_text_table
from payung.enrollment import services
from payung.enrollment.models import RegistrationAnswer, RegistrationBatch
from payung.enrollment.tests.factories import (
    DecreedYear,
    answer_bytes,
    answer_checked,
    answer_row,
    decreed_year,
)
from payung.participants.models import Candidate, CandidateState, CoveragePeriod
from payung.participants.transitions import candidates_transition

pytestmark = pytest.mark.django_db

KPJS = ["26030000021", "26030000022", "26030000023", "26030000024", "26030000025"]


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
    return decreed_year(personas=personas, n=4, pks_start=date(2026, 1, 1))


def _first_batch_with_one_refused(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any, confirmer: Any
) -> RegistrationBatch:
    """The establishing decree's batch: three accepted from the PKS start, the last refused
    (its place goes to the next waitlisted)."""
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i], start="") for i, c in enumerate(world.decreed[:3])]
    rows.append(answer_row(world.decreed[3], status="DITOLAK", reason="Data tidak lengkap"))
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    assert job.stage == RegistrationAnswer.Stage.AWAITING, job.errors
    services.registration_answer_apply(answer=job, actor=confirmer, today=date(2026, 1, 20))
    return batch


def _amending_batch(
    world: DecreedYear, personas: dict[str, Any], operator_disnaker: Any
) -> tuple[RegistrationBatch, Candidate]:
    """The replacement verified and named by a signed amending decree, then batched."""
    [replacement] = Candidate.objects.filter(
        proposal=world.decreed[0].proposal, state=CandidateState.PROPOSED
    )
    candidates_transition(
        candidate_ids=[replacement.pk], action="verify", actor=personas["verifikator_dukcapil"]
    )
    candidates_transition(
        candidate_ids=[replacement.pk],
        action="decree",
        actor=operator_disnaker,
        reason_code="keputusan",
        evidence={"number": "400.10/Kep.40-Huk/2026"},
    )
    Decree.objects.create(
        programme_year=world.year,
        kind="peserta",
        title="Perubahan Penetapan Peserta",
        status=Decree.Status.SIGNED,
        drafted_by=operator_disnaker,
        number="400.10/Kep.40-Huk/2026",
        signed_on=date(2026, 2, 10),
        signer_name="Bupati Sintetis",
        recorded_by=operator_disnaker,
        recorded_at=timezone.now(),
        amends=world.decree,
    )
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    return batch, replacement


def test_the_establishing_batch_sends_the_pks_start_and_an_empty_answer_date_means_it(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    batch = _first_batch_with_one_refused(
        world, operator_disnaker, petugas_bpjs, operator_disnaker_2
    )
    assert batch.decree == world.decree and batch.pks_cover_start == date(2026, 1, 1)
    assert {r.values["tanggal_mulai"] for r in services.request_rows(batch)} == {date(2026, 1, 1)}
    starts = {c.pk: CoveragePeriod.objects.get(candidate=c).start for c in world.decreed[:3]}
    assert set(starts.values()) == {date(2026, 1, 1)}


def test_an_amending_batch_leaves_the_start_empty_and_needs_bpjs_date(
    world: DecreedYear,
    personas: dict[str, Any],
    operator_disnaker: Any,
    petugas_bpjs: Any,
    operator_disnaker_2: Any,
    tmp_path: Any,
) -> None:
    _first_batch_with_one_refused(world, operator_disnaker, petugas_bpjs, operator_disnaker_2)
    batch, replacement = _amending_batch(world, personas, operator_disnaker)
    assert batch.decree.amends == world.decree
    assert batch.pks_cover_start is None
    assert [i.candidate_id for i in batch.items.all()] == [replacement.pk]
    client = Client()
    client.force_login(operator_disnaker)
    page = client.get(reverse("enrollment:batch_detail", args=[batch.pk])).content.decode()
    assert "jawaban BPJS wajib mengisinya" in page and "menurut PKS" not in page

    request = services.registration_request_file(batch=batch, fmt="csv", actor=operator_disnaker)
    path = tmp_path / request.filename
    path.write_bytes(request.content)
    table = read_text_table(path)
    [row] = table.rows
    assert row[table.column("NIK")] == replacement.nik
    assert row[table.column("TANGGAL_MULAI")] == ""

    empty = answer_checked(
        batch, petugas_bpjs, answer_bytes([answer_row(replacement, kpj=KPJS[4], start="")])
    )
    assert empty.stage == RegistrationAnswer.Stage.REFUSED
    assert empty.errors[0].startswith(
        "Baris 2, kolom TANGGAL_MULAI: wajib diisi untuk peserta keputusan perubahan"
    )

    dated = answer_checked(
        batch,
        petugas_bpjs,
        answer_bytes([answer_row(replacement, kpj=KPJS[4], start="16-02-2026")]),
    )
    assert dated.stage == RegistrationAnswer.Stage.AWAITING, dated.errors
    report = services.registration_answer_apply(
        answer=dated, actor=operator_disnaker_2, today=date(2026, 2, 20)
    )
    assert (report.registered, report.activated) == (1, 1)
    fresh = Candidate.objects.get(pk=replacement.pk)
    assert (fresh.state, fresh.kpj) == (CandidateState.ACTIVE, KPJS[4])
    assert CoveragePeriod.objects.get(candidate=fresh).start == date(2026, 2, 16)


def test_an_amending_answer_date_before_the_pks_start_is_still_refused(
    personas: dict[str, Any],
    operator_disnaker: Any,
    petugas_bpjs: Any,
    operator_disnaker_2: Any,
) -> None:
    world = decreed_year(personas=personas, n=4, pks_start=date(2026, 2, 1))
    _first_batch_with_one_refused(world, operator_disnaker, petugas_bpjs, operator_disnaker_2)
    batch, replacement = _amending_batch(world, personas, operator_disnaker)
    job = answer_checked(
        batch,
        petugas_bpjs,
        answer_bytes([answer_row(replacement, kpj=KPJS[4], start="20-01-2026")]),
    )
    assert job.errors == [
        "Baris 2, kolom TANGGAL_MULAI: tidak boleh sebelum mulai kepesertaan menurut PKS."
    ]


def test_applying_writes_one_audit_entry_and_each_persons_history(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i], start="01-01-2026") for i, c in enumerate(world.decreed)]
    rows[1]["TANGGAL_MULAI"] = "01-04-2026"
    rows[3] = answer_row(world.decreed[3], status="DITOLAK", reason="Data tidak lengkap")
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    before = AuditEntry.objects.count()
    report = services.registration_answer_apply(
        answer=job, actor=operator_disnaker_2, today=date(2026, 2, 1)
    )
    assert (report.registered, report.activated, report.refused) == (3, 2, 1)
    new = list(AuditEntry.objects.order_by("pk")[before:].values_list("action", flat=True))
    # One for the apply; places_fill's own transitions write no audit entry of their own.
    assert new.count("registration_answer_apply") == 1
    assert not {"participant_register", "participant_activate", "participant_end"} & set(new)
    detail = AuditEntry.objects.get(action="registration_answer_apply").detail
    a, b, c, d = (x.pk for x in world.decreed)
    assert detail["candidates"]["registered"] == [a, b, c]
    assert detail["candidates"]["activated"] == [a, c]
    assert detail["candidates"]["refused"] == [d]
    assert (detail["answer"], detail["sha256"]) == (job.pk, job.sha256)
    for candidate in world.decreed:
        assert candidate.nik not in str(detail)

    registered = Candidate.objects.get(pk=b).events.get(to_state="registered")
    assert registered.actor == operator_disnaker_2
    assert registered.evidence == {
        "registration_batch": batch.pk,
        "registration_answer": job.pk,
        "file_name": job.file_name,
        "file_sha256": job.sha256,
        "row": 3,
        "kpj_masked": nik_domain.mask(KPJS[1]),
        "cover_start": "2026-04-01",
    }
    assert not Candidate.objects.get(pk=b).events.filter(to_state="active").exists()
    ended = Candidate.objects.get(pk=d)
    assert ended.reason == "BPJS Ketenagakerjaan: Data tidak lengkap"
    assert ended.events.get(to_state="ended").evidence["row"] == 5

    assert services.registration_activate_due(today=date(2026, 4, 1)) == 1
    assert CoveragePeriod.objects.get(candidate_id=b).start == date(2026, 4, 1)
    due = AuditEntry.objects.get(action="registration_activate_due")
    assert (due.actor, due.detail["candidates"]) == (operator_disnaker_2, [b])


def test_a_kpj_another_candidate_took_since_the_check_refuses_the_whole_apply(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i], start="01-01-2026") for i, c in enumerate(world.decreed)]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    # Meanwhile a waitlisted person of the same year was given the third KPJ.
    Candidate.objects.filter(pk=world.waiting[0].pk).update(kpj=KPJS[2])
    with pytest.raises(ValidationError, match="sudah tercatat untuk peserta lain"):
        services.registration_answer_apply(
            answer=job, actor=operator_disnaker_2, today=date(2026, 2, 1)
        )
    assert set(
        Candidate.objects.filter(pk__in=[c.pk for c in world.decreed]).values_list(
            "state", flat=True
        )
    ) == {CandidateState.DECREED}
    assert not CoveragePeriod.objects.filter(candidate__in=world.decreed).exists()


def test_an_overlapping_coverage_refuses_the_whole_apply(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i], start="01-03-2026") for i, c in enumerate(world.decreed)]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    CoveragePeriod.objects.create(
        candidate=world.decreed[2], start=date(2026, 1, 1), end=date(2026, 3, 10)
    )
    with pytest.raises(ValidationError, match="bertumpang tindih"):
        services.registration_answer_apply(
            answer=job, actor=operator_disnaker_2, today=date(2026, 3, 15)
        )
    assert Candidate.objects.get(pk=world.decreed[0].pk).state == CandidateState.DECREED
    assert Candidate.objects.get(pk=world.decreed[0].pk).kpj == ""


def test_applying_nine_participants_takes_no_more_queries_than_three(
    personas: dict[str, Any],
    operator_disnaker: Any,
    petugas_bpjs: Any,
    operator_disnaker_2: Any,
) -> None:
    """Bulk, not one by one: a decree's 5 000 must apply in seconds (docs/registration.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = decreed_year(personas=personas, n=12, pks_start=date(2026, 1, 1))
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    kpjs = [f"{26030000100 + i}" for i in range(12)]
    counts = []
    for part in (world.decreed[:3], world.decreed[3:]):
        rows = [answer_row(c, kpj=kpjs[world.decreed.index(c)], start="") for c in part]
        job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
        with CaptureQueriesContext(connection) as queries:
            report = services.registration_answer_apply(
                answer=job, actor=operator_disnaker_2, today=date(2026, 1, 5)
            )
        assert (report.registered, report.activated) == (len(part), len(part))
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts
    assert CoveragePeriod.objects.filter(candidate__in=world.decreed).count() == 12


def test_the_request_rows_of_a_batch_take_one_query_whatever_its_size(
    world: DecreedYear, operator_disnaker: Any, django_assert_num_queries: Any
) -> None:
    """Issue 16: the demo's 5 000-row request file took a query per row (the item's batch
    read back one by one); the rows are now read in one query."""
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    assert batch.items.count() == 4
    with django_assert_num_queries(1):
        rows = services.request_rows(batch)
    assert [r.values["nik"] for r in rows] == [c.nik for c in world.decreed[:4]]
