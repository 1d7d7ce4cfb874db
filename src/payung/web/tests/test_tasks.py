"""Each stage's "Tugas Anda" lines (``<app>_tasks``) for the roles that act on them: what a
user relies on to know that something waits for them, with the page to do it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from payung.web.workspace import workspace_tasks


def _texts(user: Any, year: Any) -> dict[str, Any]:
    return {t.text: t for t in workspace_tasks(user=user, programme_year=year)}


def test_a_new_year_asks_dinas_sosial_for_the_extract_and_nobody_else(
    operator_dinsos: Any, verifikator_dukcapil: Any, anggota_tim: Any
) -> None:
    from payung.programmes.tests.factories import ProgrammeYearFactory

    year = ProgrammeYearFactory(year=2026)
    task = _texts(operator_dinsos, year)["Unggah ekstrak DTSEN tahun ini"]
    assert task.url == reverse("registry:import_create", args=[year.pk])
    assert _texts(verifikator_dukcapil, year) == {}
    assert _texts(anggota_tim, year) == {}


def test_an_open_round_waits_for_disdukcapil_and_a_draft_proposal_for_the_second_operator(
    operator_dinsos: Any, operator_dinsos_2: Any, verifikator_dukcapil: Any
) -> None:
    from payung.participants.services import proposal_create
    from payung.participants.tests.factories import screened_year
    from payung.verification.services import batch_create

    run = screened_year(operator=operator_dinsos, rows=150, quota=3)
    year = run.programme_year
    proposal = proposal_create(run=run, actor=operator_dinsos, place="Pandeglang")
    # Four eyes: the proposer is not asked to approve, the second operator is.
    assert "Setujui usulan calon peserta (prinsip empat mata)" not in _texts(operator_dinsos, year)
    approve = _texts(operator_dinsos_2, year)["Setujui usulan calon peserta (prinsip empat mata)"]
    assert approve.url == reverse("participants:proposal_detail", args=[year.pk])

    from payung.participants.services import proposal_approve

    proposal_approve(proposal=proposal, actor=operator_dinsos_2)
    send = _texts(operator_dinsos, year)[
        "Kirim calon yang belum diverifikasi ke Disdukcapil (tahap baru)"
    ]
    assert send.count == proposal.candidates.filter(state="proposed").count() > 0
    batch = batch_create(proposal=proposal, actor=operator_dinsos)
    answer = _texts(verifikator_dukcapil, year)["Jawab tahap verifikasi Disdukcapil"]
    assert (answer.count, answer.url) == (1, reverse("verification:batch_detail", args=[batch.pk]))
    assert "Kirim calon yang belum diverifikasi ke Disdukcapil (tahap baru)" not in _texts(
        operator_dinsos, year
    )
    # A lifecycle change (a verified candidate) moves the version the pagu figures are kept
    # under, so the workspace recounts them.
    from payung.participants.selectors import lifecycle_version
    from payung.verification.models import Answer
    from payung.verification.services import item_record

    before = lifecycle_version(programme_year=year)
    item_record(item=batch.items.first(), answer=Answer.SESUAI, actor=verifikator_dukcapil)
    assert lifecycle_version(programme_year=year) != before


def test_a_drafted_decree_asks_disnakertrans_to_record_the_signed_copy(db: None) -> None:
    from payung.people.tests.factories import cycle_build

    cycle = cycle_build(rows=200, quota=5, signed=False)
    year = cycle.proposal.programme_year
    record = _texts(cycle.users["operator_kepesertaan_2"], year)[
        "Catat keputusan yang sudah ditandatangani Bupati"
    ]
    assert record.url == reverse("decrees:decree_detail", args=[cycle.decree.pk])
    assert record.count == 1
    # The bendahara's list holds only contributions' lines, never the decree's.
    bendahara = _texts(cycle.users["bendahara"], year)
    assert all(t.url.startswith("/iuran/") for t in bendahara.values())
