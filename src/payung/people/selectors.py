"""Everything Payung holds about one NIK, across programme years (the right of access).

A person asking "what do you keep about me, and why was I (not) chosen?" gets one answer
that spans every stage: the rows of each DTSEN import that carried the NIK, each screening
decision with its articles, the candidacy with its history, Disdukcapil's answers and the
decree that made the person a participant. Each stage keeps its own rows; this module is the
one place that gathers them, so nothing is left out when a stage is added (add it here).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from payung import wording
from payung.decrees.models import Decree
from payung.domain import nik as nik_domain
from payung.engine import CANONICAL
from payung.participants.models import Candidate, CandidateState
from payung.registry.models import Person
from payung.screening.labels import status_label
from payung.screening.models import Decision
from payung.screening.selectors import codes, run_policy
from payung.verification.models import VerificationItem

#: Version of the export's layout; bumped when a field changes meaning.
EXPORT_FORMAT = "payung.person-export/1"


def person_nik_normalise(*, raw: str) -> str:
    """The NIK as typed by an operator (spaces, a leading apostrophe) as Payung stores it."""
    return nik_domain.clean(raw)


def _reasons(run: Any, value: str) -> list[dict[str, str]]:
    policy = run_policy(run)
    out = []
    for code in codes(value):
        try:
            rule = policy.rule(code)
        except KeyError:
            out.append({"kode": code, "pasal": "", "keterangan": wording.describe(code)})
        else:
            out.append({"kode": code, "pasal": rule.article, "keterangan": rule.sentence})
    return out


def _decision(decision: Decision) -> dict[str, Any]:
    run = decision.run
    return {
        "penyaringan": run.pk,
        "kebijakan": f"{run.policy_id} {run.policy_version}",
        "tanggal_acuan": run.as_of.isoformat(),
        "status": decision.status,
        "status_keterangan": status_label(decision.status),
        "alasan": _reasons(run, decision.reasons),
        "peringkat": decision.priority_rank,
        "prioritas": codes(decision.priorities),
        "catatan": [wording.describe(c) for c in codes(decision.flags)],
        "usia": decision.age,
        "desil": decision.desil,
    }


def _candidate(candidate: Candidate) -> dict[str, Any]:
    history = [
        {
            "waktu": event.at.isoformat(),
            "dari": event.from_state,
            "ke": event.to_state,
            "alasan": event.reason,
            "bukti": event.evidence,
            "oleh": getattr(event.actor, "username", ""),
        }
        for event in candidate.events.select_related("actor").order_by("at", "id")
    ]
    answers = [
        {
            "tahap": item.batch.number,
            "hasil": item.answer,
            "data_perbaikan": item.corrected,
            "keterangan": item.note,
            "dicatat": item.recorded_at.isoformat() if item.recorded_at else None,
        }
        for item in VerificationItem.objects.filter(candidate=candidate)
        .select_related("batch")
        .order_by("batch__number")
    ]
    decrees = []
    if candidate.state == CandidateState.DECREED:
        decrees = [
            {"nomor": d.number, "tanggal": d.signed_on.isoformat(), "judul": d.title}
            for d in Decree.objects.filter(
                programme_year_id=candidate.proposal.programme_year_id,
                status=Decree.Status.SIGNED,
            ).order_by("signed_on", "pk")
            if d.signed_on
        ]
    return {
        "peringkat": candidate.rank,
        "status": candidate.state,
        "status_keterangan": str(CandidateState(candidate.state).label),
        "alasan": candidate.reason,
        "data_perbaikan": candidate.corrected,
        "riwayat": history,
        "verifikasi_disdukcapil": answers,
        "keputusan": decrees,
    }


def person_records(*, nik: str) -> list[dict[str, Any]]:
    """One record per imported row carrying ``nik``, oldest year first, with every stage.

    Matched on the NIK as imported and on the NIK as screened (an extract may have carried
    it with spaces or an apostrophe), so a person is found whichever form the file used.
    """
    nik = person_nik_normalise(raw=nik)
    if not nik:
        return []
    persons = (
        Person.objects.filter(
            Q(nik=nik) | Q(pk__in=Decision.objects.filter(nik=nik).values("person_id"))
        )
        .select_related("dtsen_import", "dtsen_import__programme_year")
        .order_by("dtsen_import__programme_year__year", "dtsen_import_id", "row")
    )
    records = []
    for person in persons:
        dtsen_import = person.dtsen_import
        year = dtsen_import.programme_year
        decisions = (
            Decision.objects.filter(person_id=person.pk)
            .select_related("run", "run__programme_year")
            .order_by("run_id")
        )
        candidates = Candidate.objects.filter(person_id=person.pk).select_related(
            "proposal", "proposal__programme_year"
        )
        records.append(
            {
                "tahun_program": year.year,
                "wilayah": year.region_name,
                "impor": {
                    "id": dtsen_import.pk,
                    "nama_berkas": dtsen_import.file_name,
                    "sha256": dtsen_import.sha256,
                    "baris": person.row,
                    "diimpor": dtsen_import.created_at.isoformat(),
                },
                "data_dtsen": {name: getattr(person, name) for name in CANONICAL},
                "keputusan_penyaringan": [_decision(d) for d in decisions],
                "pencalonan": [_candidate(c) for c in candidates],
            }
        )
    return records
