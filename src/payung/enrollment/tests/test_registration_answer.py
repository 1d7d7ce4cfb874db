"""BPJS's answer: checked all or nothing, applied by a second person (Pasal 8 ayat (3))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.domain import nik as nik_domain
from payung.enrollment import services
from payung.enrollment.models import RegistrationAnswer, RegistrationBatch, RegistrationItem
from payung.enrollment.tests.factories import (
    DecreedYear,
    answer_bytes,
    answer_checked,
    answer_row,
    decreed_year,
)
from payung.participants.models import (
    PLACE_HOLDING,
    Candidate,
    CandidateState,
    CoveragePeriod,
)

pytestmark = pytest.mark.django_db

KPJS = ["26030000011", "26030000012", "26030000013", "26030000014"]


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


@pytest.fixture
def batch(world: DecreedYear, operator_disnaker: Any) -> RegistrationBatch:
    return services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)


def _accept_all(world: DecreedYear, **kwargs: str) -> list[dict[str, str]]:
    return [
        answer_row(c, kpj=KPJS[i], start="01-03-2026", **kwargs)
        for i, c in enumerate(world.decreed)
    ]


def test_a_clean_answer_waits_for_a_second_person_and_changes_nobody(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any
) -> None:
    job = answer_checked(batch, petugas_bpjs, answer_bytes(_accept_all(world)))

    assert (job.status, job.stage) == (JobStatus.DONE, RegistrationAnswer.Stage.AWAITING)
    assert job.report["accepted"] == 4 and job.report["refused"] == []
    assert not job.stored_path
    states = set(
        Candidate.objects.filter(pk__in=[c.pk for c in world.decreed]).values_list(
            "state", flat=True
        )
    )
    assert states == {CandidateState.DECREED}


def test_every_kind_of_bad_row_refuses_the_whole_file_without_echoing_cells(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any
) -> None:
    a, b, c, d = world.decreed
    rows = [
        answer_row(a, kpj=KPJS[0]),  # row 2: fine
        {**answer_row(b, kpj=KPJS[1]), "NIK": ""},  # 3: NIK empty
        {**answer_row(b, kpj=KPJS[1]), "NIK": "36010X"},  # 4: NIK not 16 digits
        answer_row(b, status="DIPROSES", kpj=KPJS[1]),  # 5: STATUS unknown
        answer_row(c, kpj=""),  # 6: KPJ missing
        answer_row(c, kpj="12AB5678901"),  # 7: KPJ not digits
        answer_row(c, kpj="123456789"),  # 8: KPJ too short
        answer_row(c, kpj=KPJS[2], start="31-02-2026"),  # 9: date unreadable
        answer_row(c, kpj=KPJS[2], start="01-03-2027"),  # 10: outside the year
        answer_row(c, kpj=KPJS[2], start="15-02-2026"),  # 11: before the PKS
        answer_row(d, status="DITOLAK", kpj=""),  # 12: refusal without reason
        answer_row(a, kpj=KPJS[3]),  # 13: NIK again
        answer_row(d, kpj=KPJS[0]),  # 14: KPJ of row 2
        answer_row(c, kpj=KPJS[2], iuran="enam belas ribu"),  # 15: IURAN not a number
    ]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))

    assert (job.status, job.stage) == (JobStatus.FAILED, RegistrationAnswer.Stage.REFUSED)
    text = "\n".join(job.errors)
    for where in (
        "Baris 3, kolom NIK",
        "Baris 4, kolom NIK",
        "Baris 5, kolom STATUS",
        "Baris 6, kolom KPJ",
        "Baris 7, kolom KPJ",
        "Baris 8, kolom KPJ",
        "Baris 9, kolom TANGGAL_MULAI",
        "Baris 10, kolom TANGGAL_MULAI",
        "Baris 11, kolom TANGGAL_MULAI",
        "Baris 12, kolom ALASAN",
        "Baris 13, kolom NIK",
        "Baris 14, kolom KPJ",
        "Baris 15, kolom IURAN",
    ):
        assert where in text, where
    assert "Baris 2" not in text
    assert "sama dengan baris 2" in text
    for value in ("36010X", "DIPROSES", "12AB5678901", "31-02-2026", "enam belas ribu", a.nik):
        assert value not in text
    assert nik_domain.mask(a.nik) in text  # the repeated NIK, masked
    assert not RegistrationItem.objects.filter(batch=batch).exclude(outcome="pending").exists()
    assert AuditEntry.objects.filter(action="registration_answer_refused").count() == 1


def test_a_file_without_the_required_columns_names_them(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any
) -> None:
    rows = _accept_all(world)
    job = answer_checked(
        batch, petugas_bpjs, answer_bytes(rows, headers=["NIK", "NAMA", "HASIL", "NOMOR KPJ"])
    )
    assert job.stage == RegistrationAnswer.Stage.REFUSED
    assert "Kolom wajib tidak ada: STATUS, KPJ" in job.errors[0]


def test_other_headers_are_read_through_a_mapping_from_an_xlsx(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any
) -> None:
    rows = [
        {"No Identitas": r["NIK"], "Hasil": r["STATUS"], "Nomor KPJ": r["KPJ"], "TMT": "01-03-2026"}
        for r in _accept_all(world)
    ]
    job = answer_checked(
        batch,
        petugas_bpjs,
        answer_bytes(rows, headers=list(rows[0]), fmt="xlsx"),
        name="jawaban.xlsx",
        mapping_text="No Identitas=NIK\nHasil=STATUS\nNomor KPJ=KPJ\nTMT=TANGGAL_MULAI",
    )
    assert job.stage == RegistrationAnswer.Stage.AWAITING, job.errors
    assert job.report["accepted"] == 4


def test_a_bad_mapping_is_refused_before_the_file_is_stored(
    batch: RegistrationBatch, petugas_bpjs: Any
) -> None:
    with pytest.raises(ValidationError, match="Pemetaan baris 1"):
        answer_checked(batch, petugas_bpjs, b"x", mapping_text="Nomor=GAJI")
    assert not RegistrationAnswer.objects.exists()


def test_rows_that_match_no_one_are_kept_in_the_report(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any
) -> None:
    stranger = "3601011501900009"
    rows = [
        *_accept_all(world)[:3],
        {"NIK": stranger, "STATUS": "DITERIMA", "KPJ": "26039999999", "TANGGAL_MULAI": ""},
    ]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    assert job.stage == RegistrationAnswer.Stage.AWAITING
    assert job.report["unmatched"] == [
        {"row": 5, "nik_masked": nik_domain.mask(stranger), "status": "DITERIMA"}
    ]
    assert job.report["pending_after"] == 1


def test_cover_start_comes_from_the_answer_or_else_from_the_pks(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    rows = _accept_all(world)
    rows[0]["TANGGAL_MULAI"] = ""
    rows[1]["TANGGAL_MULAI"] = "2026-04-01"
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    services.registration_answer_apply(
        answer=job, actor=operator_disnaker_2, today=date(2026, 3, 15)
    )
    starts = dict(batch.items.values_list("row", "cover_start"))
    assert starts[1] == date(2026, 3, 1)  # empty: the PKS's
    assert starts[2] == date(2026, 4, 1)  # BPJS's own date
    first = Candidate.objects.get(pk=world.decreed[0].pk)
    second = Candidate.objects.get(pk=world.decreed[1].pk)
    assert first.state == CandidateState.ACTIVE
    assert CoveragePeriod.objects.get(candidate=first).start == date(2026, 3, 1)
    assert second.state == CandidateState.REGISTERED  # its start has not come yet


def test_without_a_pks_an_empty_cover_start_is_a_row_error(
    personas: dict[str, Any], operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    world = decreed_year(personas=personas, n=2)
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=KPJS[i], start="") for i, c in enumerate(world.decreed)]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    assert job.stage == RegistrationAnswer.Stage.REFUSED
    assert job.errors[0].startswith("Baris 2, kolom TANGGAL_MULAI: wajib diisi")


def test_a_contribution_that_differs_from_the_policy_is_shown_not_refused(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    rows = _accept_all(world)
    rows[2]["IURAN"] = "Rp 17.500"
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    assert job.stage == RegistrationAnswer.Stage.AWAITING
    [diff] = job.report["differences"]
    assert (diff["row"], diff["bpjs"], diff["policy"]) == (4, 17_500, 16_800)
    services.registration_answer_apply(answer=job, actor=operator_disnaker_2)
    item = batch.items.get(row=3)
    assert (item.bpjs_contribution, item.policy_contribution) == (17_500, 16_800)


def test_a_kpj_held_by_another_participant_refuses_the_file_naming_both(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    first = answer_checked(batch, petugas_bpjs, answer_bytes(_accept_all(world)[:3]))
    services.registration_answer_apply(answer=first, actor=operator_disnaker_2)
    last = world.decreed[3]
    job = answer_checked(batch, petugas_bpjs, answer_bytes([answer_row(last, kpj=KPJS[0])]))
    assert job.stage == RegistrationAnswer.Stage.REFUSED
    [message] = job.errors
    holder = world.decreed[0]
    assert message.startswith("Baris 2, kolom KPJ")
    assert last.person.nama in message and holder.person.nama in message
    assert nik_domain.mask(last.nik) in message and nik_domain.mask(holder.nik) in message
    assert last.nik not in message and holder.nik not in message
    assert Candidate.objects.get(pk=last.pk).state == CandidateState.DECREED


def test_the_uploader_cannot_apply_and_the_petugas_bpjs_may_not_apply(
    world: DecreedYear,
    batch: RegistrationBatch,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    petugas_bpjs: Any,
) -> None:
    job = answer_checked(batch, operator_disnaker, answer_bytes(_accept_all(world)))
    with pytest.raises(ValidationError, match="empat mata"):
        services.registration_answer_apply(answer=job, actor=operator_disnaker)
    with pytest.raises(PermissionDenied):
        services.registration_answer_apply(answer=job, actor=petugas_bpjs)
    report = services.registration_answer_apply(answer=job, actor=operator_disnaker_2)
    assert report.registered == 4
    job.refresh_from_db()
    assert (job.stage, job.applied_by, job.lines) == (
        RegistrationAnswer.Stage.APPLIED,
        operator_disnaker_2,
        [],
    )
    with pytest.raises(ValidationError, match="tidak menunggu penerapan"):
        services.registration_answer_apply(answer=job, actor=operator_disnaker_2)
    event = Candidate.objects.get(pk=world.decreed[0].pk).events.get(to_state="registered")
    assert event.actor == operator_disnaker_2
    assert event.evidence["kpj_masked"] == nik_domain.mask(KPJS[0])
    batch.refresh_from_db()
    assert batch.status == RegistrationBatch.Status.ANSWERED


def test_refusals_pull_the_next_waitlisted_in_rank_order_within_the_quota(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    rows = _accept_all(world)
    for i in (1, 3):
        rows[i] = answer_row(
            world.decreed[i], status="DITOLAK", reason="NIK tidak terdaftar di Dukcapil"
        )
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    assert [r["row"] for r in job.report["refused"]] == [3, 5]
    report = services.registration_answer_apply(
        answer=job, actor=operator_disnaker_2, today=date(2026, 3, 2)
    )

    assert (report.registered, report.refused, report.replacements) == (2, 2, 2)
    refused = Candidate.objects.get(pk=world.decreed[1].pk)
    assert refused.state == CandidateState.ENDED
    assert refused.reason_code == "ditolak_bpjs"
    assert "NIK tidak terdaftar di Dukcapil" in refused.reason
    pulled = list(
        Candidate.objects.filter(proposal=refused.proposal, state=CandidateState.PROPOSED)
        .order_by("rank")
        .values_list("pk", flat=True)
    )
    assert pulled == [c.pk for c in world.waiting[:2]]
    proposal = refused.proposal
    held = proposal.candidates.filter(state__in=PLACE_HOLDING).count()
    assert held == proposal.quota
    item = batch.items.get(row=2)
    assert (item.outcome, item.refusal_reason) == ("refused", "NIK tidak terdaftar di Dukcapil")


def test_a_later_cover_start_is_activated_when_its_day_comes(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    rows = [answer_row(c, kpj=KPJS[i], start="01-06-2026") for i, c in enumerate(world.decreed)]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    report = services.registration_answer_apply(
        answer=job, actor=operator_disnaker_2, today=date(2026, 5, 20)
    )
    assert (report.registered, report.activated) == (4, 0)
    assert services.registration_activate_due(today=date(2026, 5, 31)) == 0
    assert services.registration_activate_due(today=date(2026, 6, 1)) == 4
    assert services.registration_activate_due(today=date(2026, 6, 2)) == 0
    for candidate in world.decreed:
        fresh = Candidate.objects.get(pk=candidate.pk)
        assert fresh.state == CandidateState.ACTIVE
        assert CoveragePeriod.objects.get(candidate=fresh).start == date(2026, 6, 1)


def test_a_discarded_answer_makes_room_for_a_corrected_one(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any
) -> None:
    job = answer_checked(batch, petugas_bpjs, answer_bytes(_accept_all(world)))
    with pytest.raises(ValidationError, match="sudah mempunyai jawaban"):
        answer_checked(batch, petugas_bpjs, answer_bytes(_accept_all(world)))
    services.registration_answer_discard(answer=job, actor=petugas_bpjs)
    again = answer_checked(batch, petugas_bpjs, answer_bytes(_accept_all(world)))
    assert again.stage == RegistrationAnswer.Stage.AWAITING


def test_the_upload_is_checked_by_the_task_queue_and_stored_owner_only(
    world: DecreedYear,
    batch: RegistrationBatch,
    petugas_bpjs: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    modes = []
    real = services.registration_answer_check

    def spy(*, answer: RegistrationAnswer) -> RegistrationAnswer:
        from django.conf import settings

        modes.append((settings.MEDIA_ROOT / answer.stored_path).stat().st_mode & 0o777)
        return real(answer=answer)

    monkeypatch.setattr(services, "registration_answer_check", spy)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.registration_answer_create(
            batch=batch,
            uploaded=SimpleUploadedFile("jawaban.csv", answer_bytes(_accept_all(world))),
            actor=petugas_bpjs,
        )
    job.refresh_from_db()
    assert modes == [0o600]
    assert (job.status, job.stage) == (JobStatus.DONE, RegistrationAnswer.Stage.AWAITING)
    assert job.task_id


def test_the_daily_command_activates_the_due(
    world: DecreedYear, batch: RegistrationBatch, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    rows = [answer_row(c, kpj=KPJS[i], start="01-07-2026") for i, c in enumerate(world.decreed)]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    services.registration_answer_apply(
        answer=job, actor=operator_disnaker_2, today=date(2026, 6, 20)
    )
    out = StringIO()
    call_command("registration_activate_due", "--date", "2026-07-01", stdout=out)
    assert out.getvalue().startswith("4 peserta diaktifkan")
    assert Candidate.objects.get(pk=world.decreed[0].pk).state == CandidateState.ACTIVE
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("registration_activate_due", "--date", "1 Juli")


def test_the_kpj_length_comes_from_the_batch_profile(
    world: DecreedYear, operator_disnaker: Any, petugas_bpjs: Any, operator_disnaker_2: Any
) -> None:
    short = [f"9900000{i}" for i in range(1, 5)]  # 8 digits: a branch that prints them so
    default = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    rows = [answer_row(c, kpj=short[i]) for i, c in enumerate(world.decreed)]
    refused = answer_checked(default, petugas_bpjs, answer_bytes(rows))
    assert "KPJ harus 10 sampai 15 angka" in refused.errors[0]
    RegistrationItem.objects.filter(batch=default).delete()
    profile = services.registration_profile_save(
        actor=operator_disnaker,
        name="Cabang KPJ pendek",
        branch_office="",
        columns_text="NIK=nik\nNAMA=nama\nPEKERJAAN=pekerjaan\nALAMAT=alamat",
        participation_type="SG",
        declared_income=1_000_000,
        kpj_min_length=8,
        kpj_max_length=8,
    )
    batch = services.registration_batch_create(
        programme_year=world.year, actor=operator_disnaker, profile=profile
    )
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    assert job.stage == RegistrationAnswer.Stage.AWAITING, job.errors
    services.registration_answer_apply(answer=job, actor=operator_disnaker_2)
    assert Candidate.objects.get(pk=world.decreed[0].pk).kpj == short[0]


def test_confirming_on_the_page_applies_through_the_worker(
    world: DecreedYear,
    batch: RegistrationBatch,
    petugas_bpjs: Any,
    operator_disnaker_2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    rows = [answer_row(c, kpj=KPJS[i]) for i, c in enumerate(world.decreed)]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    with pytest.raises(PermissionDenied):
        services.registration_answer_confirm(answer=job, actor=petugas_bpjs)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_answer_confirm(answer=job, actor=operator_disnaker_2)
    job.refresh_from_db()
    assert (job.stage, job.status, job.applied_by) == (
        RegistrationAnswer.Stage.APPLIED,
        JobStatus.DONE,
        operator_disnaker_2,
    )
    assert not job.lease
    assert Candidate.objects.get(pk=world.decreed[0].pk).kpj == KPJS[0]
    assert AuditEntry.objects.filter(action="registration_answer_confirm").count() == 1


def test_a_confirmed_answer_that_no_longer_fits_is_not_applied_and_says_why(
    world: DecreedYear,
    batch: RegistrationBatch,
    petugas_bpjs: Any,
    operator_disnaker_2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    rows = [answer_row(c, kpj=KPJS[i]) for i, c in enumerate(world.decreed)]
    job = answer_checked(batch, petugas_bpjs, answer_bytes(rows))
    # Meanwhile someone recorded one participant's outcome another way.
    batch.items.filter(row=2).update(outcome=RegistrationItem.Outcome.REFUSED)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_answer_confirm(answer=job, actor=operator_disnaker_2)
    job.refresh_from_db()
    assert (job.stage, job.status, job.error_code) == (
        RegistrationAnswer.Stage.AWAITING,
        JobStatus.FAILED,
        "apply_refused",
    )
    assert "sudah dijawab" in job.error_message
    assert Candidate.objects.get(pk=world.decreed[0].pk).state == CandidateState.DECREED
