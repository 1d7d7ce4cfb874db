"""Recording an appeal: who may appeal, every bad value at once, re-screened at once, audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from payung.appeals.models import Appeal
from payung.appeals.services import Correction, appeal_record
from payung.appeals.tests.factories import appeal_year, refused_person
from payung.audit.models import AuditEntry
from payung.domain import nik as nik_domain
from payung.participants.models import CandidateState


@pytest.fixture
def proposal(operator_dinsos: Any, operator_dinsos_2: Any) -> Any:
    return appeal_year(operator=operator_dinsos, approver=operator_dinsos_2)


def _record(person: Any, actor: Any, **kwargs: Any) -> Appeal:
    args = {
        "person": person,
        "actor": actor,
        "received_on": datetime.date(2026, 3, 2),
        "channel": Appeal.Channel.DESA,
        "filed_by": "Kepala Desa (surat pengantar)",
        "grounds": "Pekerjaan tercatat keliru; sebenarnya petani penggarap.",
        "corrections": {"pekerjaan": Correction("PETANI", "Surat keterangan desa No. 470/12")},
    }
    return appeal_record(**{**args, **kwargs})


def test_every_bad_value_is_reported_at_once_without_repeating_it(
    proposal: Any, operator_dinsos: Any
) -> None:
    person = refused_person(proposal, reasons="5(1)")
    future = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        _record(
            person,
            operator_dinsos,
            received_on=future,
            grounds="",
            corrections={
                "desil": Correction("11", "Surat desa"),
                "kode_desa": Correction("3201012001", "KTP"),  # Kabupaten Bogor, not Pandeglang
                "tanggal_lahir": Correction(future.isoformat(), "Akta kelahiran"),
                "pekerjaan": Correction("PETANI", ""),
                "alamat": Correction("", "Surat desa"),
            },
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "received_on",
        "grounds",
        "desil",
        "kode_desa",
        "tanggal_lahir",
        "pekerjaan",
        "alamat",
    }
    assert "1 sampai 10" in errors["desil"][0]
    assert "Kabupaten Pandeglang" in errors["kode_desa"][0]
    assert "masa depan" in errors["tanggal_lahir"][0]
    assert "dokumen sumber" in errors["pekerjaan"][0]
    text = " ".join(m for ms in errors.values() for m in ms)
    for value in ("11", "3201012001", future.isoformat(), "PETANI"):
        assert value not in text
    assert not Appeal.objects.exists()


def test_a_malformed_village_code_and_date_are_refused(proposal: Any, operator_dinsos: Any) -> None:
    person = refused_person(proposal, reasons="5(1)")
    with pytest.raises(ValidationError) as caught:
        _record(
            person,
            operator_dinsos,
            corrections={
                "kode_desa": Correction("36.01.01", "KTP"),
                "tanggal_lahir": Correction("31-02-1980", "Akta"),
            },
        )
    assert set(caught.value.message_dict) == {"kode_desa", "tanggal_lahir"}


def test_recorded_appeal_is_rescreened_due_by_policy_and_audited_with_masked_nik(
    proposal: Any, operator_dinsos: Any
) -> None:
    person = refused_person(proposal, reasons="5(1)")
    appeal = _record(
        person,
        operator_dinsos,
        corrections={
            "pekerjaan": Correction(" PETANI ", "Surat keterangan desa No. 470/12"),
            "kode_desa": Correction(person.kode_desa, "KTP domisili"),
        },
    )
    assert appeal.status == Appeal.Status.OPEN
    assert appeal.refusal == Appeal.Refusal.INELIGIBLE
    assert appeal.due_on == datetime.date(2026, 3, 16)  # 14 days (policy.cycle)
    assert appeal.corrections["pekerjaan"] == {
        "value": "PETANI",
        "source": "Surat keterangan desa No. 470/12",
    }
    assert appeal.result_status == "eligible" and appeal.result_reasons == ""
    entry = AuditEntry.objects.get(action="appeal_record")
    assert entry.detail["nik_masked"] == nik_domain.mask(person.nik)
    flat = str(entry.detail)
    assert person.nik not in flat and person.nama not in flat and "PETANI" not in flat
    # One open appeal per person.
    with pytest.raises(ValidationError) as caught:
        _record(person, operator_dinsos)
    assert caught.value.code == "open_appeal"


def test_only_refused_people_may_appeal_and_only_dinas_sosial_records(
    proposal: Any, operator_dinsos: Any, verifikator_dukcapil: Any
) -> None:
    placed = proposal.candidates.filter(state=CandidateState.PROPOSED).first()
    with pytest.raises(ValidationError) as caught:
        _record(placed.person, operator_dinsos)
    assert caught.value.code == "not_refused"
    with pytest.raises(PermissionDenied):
        _record(refused_person(proposal, reasons="5(1)"), verifikator_dukcapil)
