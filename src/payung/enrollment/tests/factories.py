"""Test data of the enrollment app, through the real services where they exist.

Shared by the registration (part A) and the cards/register/roster (part B) tests; each part
adds its helpers at the end.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from payung.decrees.models import Decree
from payung.enrollment.models import RegistrationBatch, RegistrationItem, RegistrationProfile
from payung.participants.models import Candidate
from payung.participants.services import participant_activate
from payung.participants.tests.factories import decreed_candidates, register

# --- cards, register, roster (part B) --------------------------------------------------------


def profile_default() -> RegistrationProfile:
    """The default registration profile a batch is written through (columns do not matter
    to the cards: they only read which participants BPJS accepted)."""
    profile, _made = RegistrationProfile.objects.get_or_create(
        name="Bawaan",
        defaults={
            "branch_office": "Cabang Pandeglang",
            "columns": [{"header": "NIK", "field": "nik", "format": ""}],
            "participation_type": "SG",
            "declared_income": 1_000_000,
            "is_default": True,
        },
    )
    return profile


def signed_decree(year: Any, actor: Any) -> Decree:
    return Decree.objects.create(
        programme_year=year,
        kind="peserta",
        title="Penetapan Peserta",
        status=Decree.Status.SIGNED,
        drafted_by=actor,
        number="400.10/Kep.12-Huk/2026",
        signed_on=date(2026, 2, 2),
        signer_name="Bupati Sintetis",
        recorded_by=actor,
        recorded_at=timezone.now(),
    )


@dataclass
class Registered:
    """A registration batch BPJS answered: ``accepted`` registered (the first ``active``
    of them covered from 1 February 2026), ``refused`` refused and still decreed."""

    batch: RegistrationBatch
    accepted: list[Candidate]
    refused: list[Candidate]


def registered_batch(
    *,
    personas: dict[str, Any],
    n: int = 4,
    refused: int = 1,
    active: int = 2,
    rows: int = 150,
    number: int = 1,
) -> Registered:
    """``n`` decreed participants in one batch: BPJS accepted all but the last ``refused``
    (registered with an 11-digit KPJ through ``participant_register``), the first ``active``
    covered. ``personas`` holds operator_dinsos, operator_dinsos_2, verifikator_dukcapil,
    operator_disnaker and petugas_bpjs."""
    decreed = decreed_candidates(
        operator=personas["operator_dinsos"],
        approver=personas["operator_dinsos_2"],
        verifier=personas["verifikator_dukcapil"],
        recorder=personas["operator_disnaker"],
        n=n,
        rows=rows,
        quota=n,
    )
    year = decreed[0].proposal.programme_year
    batch = RegistrationBatch.objects.create(
        programme_year=year,
        decree=signed_decree(year, personas["operator_disnaker"]),
        profile=profile_default(),
        number=number,
        status=RegistrationBatch.Status.ANSWERED,
        created_by=personas["operator_disnaker"],
    )
    RegistrationBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.make_aware(datetime(2026, 2, 3, 9, 0))
    )
    batch.refresh_from_db()
    accepted = decreed[: n - refused]
    for i, candidate in enumerate(decreed, start=1):
        ok = candidate in accepted
        if ok:
            register(candidate, personas["petugas_bpjs"], kpj=f"{26020000000 + i}", row=i + 1)
        RegistrationItem.objects.create(
            batch=batch,
            candidate=candidate,
            row=i,
            outcome=(RegistrationItem.Outcome.ACCEPTED if ok else RegistrationItem.Outcome.REFUSED),
            kpj=f"{26020000000 + i}" if ok else "",
            cover_start=date(2026, 2, 1) if ok else None,
            refusal_reason="" if ok else "NIK sudah terdaftar sebagai peserta penerima upah",
            answered_at=timezone.now(),
        )
    for candidate in accepted[:active]:
        participant_activate(
            candidate=candidate, actor=personas["petugas_bpjs"], start=date(2026, 2, 1)
        )
    return Registered(
        batch=batch,
        accepted=[Candidate.objects.get(pk=c.pk) for c in accepted],
        refused=[Candidate.objects.get(pk=c.pk) for c in decreed[n - refused :]],
    )


def roster_csv(rows: list[dict[str, str]], *, headers: list[str] | None = None) -> bytes:
    """A roster file as a regency keeps it: ``;``-separated UTF-8 with BOM."""
    import csv

    headers = headers or list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- registration batches and BPJS's answer (part A) -----------------------------------------

#: The answer's columns in the default format (docs/registration.md).
ANSWER_HEADERS = ["NIK", "NAMA", "STATUS", "KPJ", "TANGGAL_MULAI", "IURAN", "ALASAN"]


@dataclass
class DecreedYear:
    """A year whose signed participants decree names ``decreed`` (rank order), with the
    rest of the eligible on the waiting list (``waiting``, rank order)."""

    year: Any
    decree: Decree
    decreed: list[Candidate]
    waiting: list[Candidate]


def decreed_year(
    *, personas: dict[str, Any], n: int = 4, rows: int = 150, pks_start: date | None = None
) -> DecreedYear:
    """``n`` decreed participants (quota ``n``) under a signed participants decree, through
    the real services up to the decree; with ``pks_start`` a PKS fixing the cover start.
    ``personas`` as for ``registered_batch``."""
    from payung.programmes.models import CooperationAgreement

    decreed = decreed_candidates(
        operator=personas["operator_dinsos"],
        approver=personas["operator_dinsos_2"],
        verifier=personas["verifikator_dukcapil"],
        recorder=personas["operator_disnaker"],
        n=n,
        rows=rows,
        quota=n,
    )
    year = decreed[0].proposal.programme_year
    decree = signed_decree(year, personas["operator_disnaker"])
    if pks_start is not None:
        CooperationAgreement.objects.create(
            programme_year=year,
            number="PKS/001/2026",
            signed_on=date(2026, 1, 5),
            branch_office="Cabang Pandeglang",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            coverage_start=pks_start,
            billing_period="bulanan",
            recorded_by=personas["operator_disnaker"],
        )
    waiting = list(
        Candidate.objects.filter(proposal=decreed[0].proposal, state="waitlisted").order_by("rank")
    )
    return DecreedYear(year=year, decree=decree, decreed=decreed, waiting=waiting)


def answer_row(
    candidate: Candidate,
    *,
    status: str = "DITERIMA",
    kpj: str = "",
    start: str = "01-03-2026",
    iuran: str = "16800",
    reason: str = "",
) -> dict[str, str]:
    """One answer line for ``candidate`` as BPJS writes it."""
    return {
        "NIK": candidate.nik,
        "NAMA": candidate.person.nama,
        "STATUS": status,
        "KPJ": kpj,
        "TANGGAL_MULAI": start,
        "IURAN": iuran,
        "ALASAN": reason,
    }


def answer_bytes(
    rows: list[dict[str, str]], *, headers: list[str] | None = None, fmt: str = "csv"
) -> bytes:
    """An answer file: CSV as Payung writes exchange CSVs, or an XLSX of text cells."""
    from payung.engine import csv_bytes

    headers = headers or ANSWER_HEADERS
    cells = [[row.get(h, "") for h in headers] for row in rows]
    if fmt == "csv":
        return csv_bytes(headers, cells)
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "in_memory": True})
    sheet = workbook.add_worksheet("JAWABAN")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(cells, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()


def answer_checked(
    batch: RegistrationBatch,
    actor: Any,
    content: bytes,
    *,
    name: str = "jawaban-bpjs.csv",
    mapping_text: str = "",
) -> Any:
    """Upload an answer as the page does and run its check (what the worker does)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from payung.enrollment import services

    job = services.registration_answer_create(
        batch=batch,
        uploaded=SimpleUploadedFile(name, content),
        actor=actor,
        mapping_text=mapping_text,
    )
    services.registration_answer_check(answer=job)
    job.refresh_from_db()
    return job
