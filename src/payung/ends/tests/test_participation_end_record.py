"""``participation_end_record``: one participant ended by hand, with the evidence its reason
needs (issue 12), and what billing makes of it (Pasal 9: the end month is the last billed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.contributions.models import BillLine
from payung.contributions.services import bill_issue
from payung.ends.services import EndEvidence, participation_end_record
from payung.ends.tests.factories import FEB, ends_year
from payung.participants.models import CandidateEvent, CandidateState, CoveragePeriod, EndReason

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
MAR, APR = date(2026, 3, 1), date(2026, 4, 1)

EVIDENCE = {
    EndReason.MENINGGAL: EndEvidence(
        death_source="akta", akta_number="3601-KM-01032026-0001", akta_date=date(2026, 3, 12)
    ),
    EndReason.PINDAH: EndEvidence(letter_number="474.2/123/Disdukcapil/2026"),
    EndReason.TIDAK_MEMENUHI_SYARAT: EndEvidence(failed_rules=("5(2)d",)),
    EndReason.MENGUNDURKAN_DIRI: EndEvidence(letter_date=date(2026, 3, 5)),
}


def end(candidate: Any, actor: Any, reason: str, **kwargs: Any) -> Any:
    return participation_end_record(
        candidate=candidate,
        actor=actor,
        on=kwargs.pop("on", date(2026, 3, 10)),
        reason_code=reason,
        evidence=kwargs.pop("evidence", EVIDENCE.get(reason, EndEvidence())),
        today=kwargs.pop("today", TODAY),
    )


def problems(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict


@pytest.mark.parametrize("reason", list(EVIDENCE))
def test_each_reason_ends_cover_on_the_day_and_billing_stops_after_that_month(
    reason: str, operator_disnaker: Any, bendahara_disnaker: Any
) -> None:
    year, (gone, stays, _other) = ends_year()
    end(gone, operator_disnaker, reason)

    gone.refresh_from_db()
    assert gone.state == CandidateState.ENDED and gone.reason_code == reason
    period = CoveragePeriod.objects.get(candidate=gone)
    assert (period.end, period.end_reason) == (date(2026, 3, 10), reason)
    event = CandidateEvent.objects.filter(candidate=gone).latest("at", "id")
    assert event.evidence["sumber"] == "formulir"
    assert event.evidence["end_date"] == "2026-03-10"
    # The end month is billed, the month after it is not (Pasal 9).
    bill_issue(programme_year=year, first_month=MAR, last_month=APR, actor=bendahara_disnaker)
    months = {
        c: sorted(BillLine.objects.filter(candidate=c).values_list("month", flat=True))
        for c in (gone.pk, stays.pk)
    }
    assert months[gone.pk] == [MAR]
    assert months[stays.pk] == [MAR, APR]


def test_the_evidence_of_each_reason_is_kept_in_the_history(operator_disnaker: Any) -> None:
    _year, (a, b, c) = ends_year()
    end(a, operator_disnaker, EndReason.MENINGGAL)
    end(b, operator_disnaker, EndReason.TIDAK_MEMENUHI_SYARAT)
    end(c, operator_disnaker, EndReason.PINDAH)
    death = CandidateEvent.objects.filter(candidate=a, to_state=CandidateState.ENDED).get()
    assert death.evidence["nomor akta kematian"] == "3601-KM-01032026-0001"
    assert death.evidence["tanggal akta kematian"] == "2026-03-12"
    assert death.evidence["dilaporkan oleh"] == "keluarga"
    recheck = CandidateEvent.objects.filter(candidate=b, to_state=CandidateState.ENDED).get()
    assert recheck.evidence["pasal tidak terpenuhi"] == "5(2)d"
    assert "5(2)d" in recheck.reason
    move = CandidateEvent.objects.filter(candidate=c, to_state=CandidateState.ENDED).get()
    assert move.evidence["nomor surat Disdukcapil"] == "474.2/123/Disdukcapil/2026"


def test_the_date_must_be_inside_the_year_after_cover_start_and_not_in_the_future(
    operator_disnaker: Any,
) -> None:
    _year, (a, *_rest) = ends_year(start=FEB)
    for on, expected in (
        (date(2025, 12, 31), "di dalam tahun program 2026"),
        (date(2026, 1, 20), "sebelum mulai kepesertaan (1 Februari 2026)"),
        (date(2026, 7, 1), "tidak boleh di masa depan"),
    ):
        with pytest.raises(ValidationError) as caught:
            end(a, operator_disnaker, EndReason.PINDAH, on=on)
        assert any(expected in m for m in problems(caught.value)["on"]), on
    a.refresh_from_db()
    assert a.state == CandidateState.ACTIVE


@pytest.mark.parametrize(
    ("reason", "evidence", "field", "expected"),
    [
        (EndReason.MENINGGAL, EndEvidence(), "death_source", "Pilih siapa"),
        (EndReason.MENINGGAL, EndEvidence(death_source="akta"), "akta_number", "nomor akta"),
        (EndReason.MENINGGAL, EndEvidence(death_source="akta"), "akta_date", "tanggal akta"),
        (
            EndReason.MENINGGAL,
            EndEvidence(death_source="akta", akta_number="1", akta_date=date(2026, 3, 1)),
            "akta_date",
            "sebelum tanggal meninggal",
        ),
        (EndReason.MENINGGAL, EndEvidence(death_source="lain"), "other_source", "Sebutkan"),
        (EndReason.PINDAH, EndEvidence(), "letter_number", "Isi nomor surat"),
        (EndReason.TIDAK_MEMENUHI_SYARAT, EndEvidence(), "failed_rules", "Pilih pasal"),
        (
            EndReason.TIDAK_MEMENUHI_SYARAT,
            EndEvidence(failed_rules=("9(9)z",)),
            "failed_rules",
            "peraturan tahun program ini",
        ),
        (EndReason.MENGUNDURKAN_DIRI, EndEvidence(), "letter_date", "Isi tanggal surat"),
        (
            EndReason.MENGUNDURKAN_DIRI,
            EndEvidence(letter_date=date(2026, 8, 1)),
            "letter_date",
            "masa depan",
        ),
        (EndReason.DANA_GANDA, EndEvidence(), "reason_code", "Pilih alasan"),
    ],
)
def test_each_reason_requires_its_evidence(
    reason: str, evidence: EndEvidence, field: str, expected: str, operator_disnaker: Any
) -> None:
    _year, (a, *_rest) = ends_year()
    with pytest.raises(ValidationError) as caught:
        end(a, operator_disnaker, reason, evidence=evidence)
    assert any(expected in m for m in problems(caught.value)[field])
    a.refresh_from_db()
    assert a.state == CandidateState.ACTIVE
    assert not CandidateEvent.objects.filter(candidate=a).exists()


def test_only_a_participant_can_end_and_only_with_the_permission(
    operator_disnaker: Any, petugas_bpjs: Any
) -> None:
    _year, (a, *_rest) = ends_year()
    with pytest.raises(PermissionDenied):
        end(a, petugas_bpjs, EndReason.PINDAH)
    end(a, operator_disnaker, EndReason.PINDAH)
    with pytest.raises(ValidationError, match="tidak dapat diakhiri"):
        end(a, operator_disnaker, EndReason.PINDAH)
