"""Team and decrees (Pasal 7 ayat (4), 10 ayat (2) huruf d, 10 ayat (3)-(5))."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from payung.audit.models import AuditEntry
from payung.decrees import services
from payung.decrees.models import Decree
from payung.decrees.tests.pdfs import pdf_bytes
from payung.documents.models import Document
from payung.participants.models import CandidateState, Proposal
from payung.participants.tests.factories import QUOTA, approved_proposal, states
from payung.programmes.models import TeamMember
from payung.verification import services as verification
from payung.verification.models import Answer

pytestmark = pytest.mark.django_db

SCAN = pdf_bytes()


def _scan(content: bytes = SCAN, name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Proposal:
    return approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2)


def _verify_all(proposal: Proposal, verifier: Any, *, reject_ranks: tuple[int, ...] = ()) -> None:
    """Answer every batch until nobody is proposed: the given ranks move away, others match."""
    while True:
        try:
            # A round is started by the operator pendataan who proposed (issue 17, defect 10).
            batch = verification.batch_create(proposal=proposal, actor=proposal.proposed_by)
        except ValidationError:
            return
        for item in batch.items.select_related("candidate"):
            answer = Answer.PINDAH if item.candidate.rank in reject_ranks else Answer.SESUAI
            verification.item_record(item=item, answer=answer, actor=verifier)


def test_the_team_has_one_ketua_and_only_disnakertrans_manages_it(
    proposal: Proposal, operator_disnaker: Any, operator_dinsos: Any
) -> None:
    year = proposal.programme_year
    services.team_member_add(
        programme_year=year,
        actor=operator_disnaker,
        position="ketua",
        name="Drs. Ahmad Sintetis",
        agency="Dinas Tenaga Kerja dan Transmigrasi",
    )
    with pytest.raises(ValidationError, match="hanya mempunyai satu Ketua"):
        services.team_member_add(
            programme_year=year,
            actor=operator_disnaker,
            position="ketua",
            name="Orang Lain",
            agency="Inspektorat",
        )
    with pytest.raises(PermissionDenied):
        services.team_member_add(
            programme_year=year,
            actor=operator_dinsos,
            position="anggota",
            name="X",
            agency="Dinas Sosial",
        )
    assert TeamMember.objects.filter(programme_year=year).count() == 1


def test_a_participants_decree_waits_for_verification_to_finish(
    proposal: Proposal, operator_disnaker: Any
) -> None:
    with pytest.raises(ValidationError, match=f"Masih ada {QUOTA} calon"):
        services.decree_draft(
            programme_year=proposal.programme_year, kind="peserta", actor=operator_disnaker
        )


def test_draft_then_signed_decree_makes_the_verified_participants(
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    _verify_all(proposal, verifikator_dukcapil, reject_ranks=(2, 9))
    year = proposal.programme_year
    draft = services.decree_draft(programme_year=year, kind="peserta", actor=operator_disnaker)
    assert draft.participant_count == QUOTA
    assert draft.total_cost == QUOTA * 16_800 * 12
    assert "Tahun 2026" in draft.title
    kinds = sorted(
        Document.objects.filter(subject=f"decrees.decree:{draft.pk}").values_list(
            "kind", "format", "confidential"
        )
    )
    assert kinds == [
        ("keputusan", "docx", False),
        ("lampiran", "pdf", False),
        ("lampiran_internal", "docx", True),
        ("lampiran_internal", "pdf", True),
    ]
    # Four eyes: the drafter does not record the signature.
    with pytest.raises(ValidationError, match="empat mata"):
        services.decree_record_signed(
            decree=draft,
            actor=operator_disnaker,
            number="400.10/Kep.12-Huk/2026",
            signed_on=date(2026, 2, 2),
            signer_name="Bupati Sintetis",
            scan=_scan(),
        )
    signed = services.decree_record_signed(
        decree=draft,
        actor=operator_disnaker_2,
        number="400.10/Kep.12-Huk/2026",
        signed_on=date(2026, 2, 2),
        signer_name="Bupati Sintetis",
        scan=_scan(),
    )
    assert signed.status == Decree.Status.SIGNED
    # The scan names the year's participants: owner-only on disk, whatever the umask.
    scan_file = Path(signed.scan_path)
    assert scan_file.read_bytes() == SCAN
    assert stat.S_IMODE(scan_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(scan_file.parent.stat().st_mode) == 0o700
    got = states(proposal)
    assert len(got[CandidateState.DECREED]) == QUOTA
    assert CandidateState.VERIFIED not in got
    assert got[CandidateState.REJECTED] == [2, 9]
    event = proposal.candidates.get(rank=1).events.get(to_state=CandidateState.DECREED)
    assert event.evidence["number"] == "400.10/Kep.12-Huk/2026"
    assert len(event.evidence["scan_sha256"]) == 64
    assert event.actor == operator_disnaker_2
    assert AuditEntry.objects.filter(action="decree_record_signed").count() == 1
    # A signed decree is immutable.
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        services.decree_record_signed(
            decree=signed,
            actor=operator_disnaker_2,
            number="lain",
            signed_on=date(2026, 2, 3),
            signer_name="X",
            scan=_scan(),
        )
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        services.decree_draft(programme_year=year, kind="peserta", actor=operator_disnaker)


def test_the_signed_record_is_checked_field_by_field(
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    _verify_all(proposal, verifikator_dukcapil)
    draft = services.decree_draft(
        programme_year=proposal.programme_year, kind="peserta", actor=operator_disnaker
    )
    with pytest.raises(ValidationError) as caught:
        services.decree_record_signed(
            decree=draft,
            actor=operator_disnaker_2,
            number=" ",
            signed_on=date(2099, 1, 1),
            signer_name="",
            scan=_scan(b"PK\x03\x04 not a pdf", "sk.docx"),
        )
    assert caught.value.messages == [
        "Nomor keputusan wajib diisi.",
        "Nama penanda tangan wajib diisi.",
        "Tanggal penetapan tidak boleh di masa depan.",
        "Pindaian harus berkas PDF.",
    ]
    too_big = _scan(b"%PDF-" + b"0" * (services.MAX_SCAN_BYTES + 1))
    with pytest.raises(ValidationError, match="terlalu besar"):
        services.decree_record_signed(
            decree=draft,
            actor=operator_disnaker_2,
            number="1/2026",
            signed_on=date(2026, 1, 5),
            signer_name="Bupati",
            scan=too_big,
        )
    draft.refresh_from_db()
    assert draft.status == Decree.Status.DRAFT


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-", "bukan PDF yang dapat dibaca"),
        (pdf_bytes(user_password="rahasia"), "dikunci dengan kata sandi"),
        (pdf_bytes(pages=0), "tidak berisi halaman"),
    ],
    ids=["header-only", "locked", "no-pages"],
)
def test_a_scan_that_is_not_a_readable_pdf_decrees_nobody(
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    content: bytes,
    message: str,
) -> None:
    """The probe's defect 4: five bytes ``%PDF-`` were accepted as the Regent's decree."""
    _verify_all(proposal, verifikator_dukcapil)
    draft = services.decree_draft(
        programme_year=proposal.programme_year, kind="peserta", actor=operator_disnaker
    )
    with pytest.raises(ValidationError, match=message):
        services.decree_record_signed(
            decree=draft,
            actor=operator_disnaker_2,
            number="3/2026",
            signed_on=date(2026, 1, 5),
            signer_name="Bupati",
            scan=_scan(content),
        )
    draft.refresh_from_db()
    assert draft.status == Decree.Status.DRAFT
    assert not states(proposal).get(CandidateState.DECREED)


def test_a_list_changed_after_the_draft_cannot_be_signed(
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    _verify_all(proposal, verifikator_dukcapil)
    draft = services.decree_draft(
        programme_year=proposal.programme_year, kind="peserta", actor=operator_disnaker
    )
    # A candidate leaves the verified list after drafting (stand-in for a later mutation).
    proposal.candidates.filter(rank=1).update(state=CandidateState.REJECTED)
    with pytest.raises(ValidationError, match="berubah sejak rancangan"):
        services.decree_record_signed(
            decree=draft,
            actor=operator_disnaker_2,
            number="2/2026",
            signed_on=date(2026, 1, 5),
            signer_name="Bupati",
            scan=_scan(),
        )


def test_the_team_decree_needs_a_ketua(proposal: Proposal, operator_disnaker: Any) -> None:
    year = proposal.programme_year
    with pytest.raises(ValidationError, match="ketua"):
        services.decree_draft(programme_year=year, kind="tim", actor=operator_disnaker)
    services.team_member_add(
        programme_year=year,
        actor=operator_disnaker,
        position="ketua",
        name="Ketua Sintetis",
        agency="Sekretariat Daerah",
    )
    decree = services.decree_draft(programme_year=year, kind="tim", actor=operator_disnaker)
    assert decree.participant_count == 1
    assert Document.objects.filter(subject=f"decrees.decree:{decree.pk}").count() == 1


def test_an_unknown_decree_kind_is_refused(proposal: Proposal, operator_disnaker: Any) -> None:
    with pytest.raises(ValidationError, match="tidak mengenal keputusan"):
        services.decree_draft(
            programme_year=proposal.programme_year, kind="lain", actor=operator_disnaker
        )


def test_a_signing_date_before_the_draft_and_a_scan_of_another_decree_are_refused(
    proposal: Proposal,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
) -> None:
    """Issue 9, defect 3: 1 January 2020 was accepted for the 2026 year's decree, and the
    scan of one decree (same SHA-256) was accepted again for a second decree."""
    _verify_all(proposal, verifikator_dukcapil)
    year = proposal.programme_year
    draft = services.decree_draft(programme_year=year, kind="peserta", actor=operator_disnaker)

    def record(decree: Decree, *, on: date, content: bytes, number: str) -> Decree:
        return services.decree_record_signed(
            decree=decree,
            actor=operator_disnaker_2,
            number=number,
            signed_on=on,
            signer_name="Bupati Sintetis",
            scan=_scan(content),
        )

    with pytest.raises(ValidationError) as early:
        record(draft, on=date(2020, 1, 1), content=SCAN, number="400.10/Kep.12-Huk/2026")
    assert early.value.messages == [
        "Tanggal penetapan tidak boleh sebelum 1 Januari 2026: rancangan keputusan tahun "
        "program 2026 belum ada sebelum tanggal itu."
    ]
    draft.refresh_from_db()
    assert draft.status == Decree.Status.DRAFT and draft.signed_on is None
    # The earliest day is the draft's, or 1 January of the year when the draft is younger.
    assert services.decree_signed_on_earliest(decree=draft, programme_year=year) == date(2026, 1, 1)
    Decree.objects.filter(pk=draft.pk).update(drafted_at=datetime(2025, 11, 3, 1, 0, tzinfo=UTC))
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="sebelum 3 November 2025"):
        record(draft, on=date(2025, 11, 2), content=SCAN, number="400.10/Kep.12-Huk/2026")
    record(draft, on=date(2025, 11, 3), content=SCAN, number="400.10/Kep.12-Huk/2026")

    services.team_member_add(
        programme_year=year,
        actor=operator_disnaker,
        position="ketua",
        name="Ketua Sintetis",
        agency="Sekretariat Daerah",
    )
    team = services.decree_draft(programme_year=year, kind="tim", actor=operator_disnaker)
    with pytest.raises(ValidationError) as again:
        record(team, on=date(2026, 1, 5), content=SCAN, number="400.10/Kep.13-Huk/2026")
    assert again.value.messages == [
        "Pindaian ini sudah dicatat untuk keputusan lain (Nomor 400.10/Kep.12-Huk/2026); "
        "unggah pindaian keputusan ini sendiri."
    ]
    team.refresh_from_db()
    assert team.status == Decree.Status.DRAFT
    own = pdf_bytes(title="SK tim 2026")
    signed = record(team, on=date(2026, 1, 5), content=own, number="400.10/Kep.13-Huk/2026")
    assert signed.status == Decree.Status.SIGNED
