"""Small fixtures of supervision: a year whose policy applies PP 86/2013's ladder (or not),
an employer, a visit, and a case walked along the ladder through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from payung.domain.policy import policy_sha256, policy_text
from payung.programmes.models import ProgrammeYear
from payung.programmes.tests.factories import ProgrammeYearFactory
from payung.supervision import services
from payung.supervision.models import Employer, SanctionCase, SupervisionReport

#: A village of Kabupaten Pandeglang (Kepmendagri), and one of Kabupaten Pekalongan.
VILLAGE_PANDEGLANG = "3601012001"
VILLAGE_PEKALONGAN = "3326082001"


def sanctions_policy_text(*, enabled: bool = True, warnings: int = 2) -> str:
    """Pandeglang's policy with the sanctions section switched as asked: the ladder's tests
    do not depend on another regency's file."""
    return (
        policy_text("pandeglang-2025")
        + f"\nsanctions:\n  enabled: {'true' if enabled else 'false'}\n  warnings: {warnings}\n"
    )


def supervision_year(
    *, enabled: bool = True, year: int = 2026, warnings: int = 2, policy_id: str = ""
) -> ProgrammeYear:
    """A programme year whose pinned policy applies the ladder (``enabled``) or not."""
    if policy_id:
        text = policy_text(policy_id)
        return ProgrammeYearFactory(
            year=year,
            policy_id=policy_id,
            region_code="3326",
            region_name="Kabupaten Pekalongan",
            policy_text=text,
            policy_sha256=policy_sha256(text),
        )
    text = sanctions_policy_text(enabled=enabled, warnings=warnings)
    return ProgrammeYearFactory(year=year, policy_text=text, policy_sha256=policy_sha256(text))


def employer_add(*, actor: Any, name: str = "CV Maju Jaya", nib: str = "", **kw: Any) -> Employer:
    fields = {
        "npwp": "",
        "address": "Jl. Raya Labuan No. 5",
        "village_code": VILLAGE_PANDEGLANG,
        "sector": "Perdagangan",
        "workers": 25,
    }
    fields.update(kw)
    return services.employer_create(actor=actor, name=name, nib=nib, **fields)


def report_add(
    *,
    year: ProgrammeYear,
    employer: Employer,
    actor: Any,
    visited_on: date | None = None,
    found: int = 25,
    unregistered: int = 12,
) -> SupervisionReport:
    return services.supervision_report_record(
        programme_year=year,
        employer=employer,
        actor=actor,
        visited_on=visited_on or date(year.year, 2, 10),
        inspector="Ahmad Pengawas",
        workers_found=found,
        workers_unregistered=unregistered,
        findings="12 pekerja belum didaftarkan ke BPJS Ketenagakerjaan.",
    )


def pdf_bytes(text: str = "bukti") -> bytes:
    """A one-page PDF, as a scanner would give (pypdf reads it)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "bukti.pdf", text: str = "bukti") -> Any:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


#: The ladder's dates used across tests: every step after the previous period ended.
W1 = date(2026, 3, 13)  # Friday; its 10 working days cross Nyepi, Idulfitri and Good Friday
W1_DEADLINE = date(2026, 4, 6)
W2 = date(2026, 4, 7)
W2_DEADLINE = date(2026, 4, 21)
FINE = date(2026, 4, 22)
FINE_DEADLINE = date(2026, 5, 22)
REQUEST = date(2026, 5, 25)
WITHHOLD = date(2026, 5, 26)
LIFT = date(2026, 6, 10)


def case_to(
    *, case: SanctionCase, bpjs: Any, disnaker: Any, until: str, unpaid: int | None = None
) -> SanctionCase:
    """Walk ``case`` along the ladder up to and including the step ``until``."""
    plan = [
        ("teguran_1", bpjs, W1, {}),
        ("teguran_2", bpjs, W2, {}),
        ("denda", bpjs, FINE, {}),
        ("permintaan", bpjs, REQUEST, {}),
        ("penghentian", disnaker, WITHHOLD, {}),
        (
            "pencabutan",
            disnaker,
            LIFT,
            {"paid_proof": True, "registered_proof": True, "evidence": pdf_upload()},
        ),
    ]
    for i, (kind, actor, when, extra) in enumerate(plan, start=1):
        services.sanction_step_record(
            case=case,
            actor=actor,
            kind=kind,
            letter_date=when,
            letter_number=f"B/{i}/2026",
            **extra,
        )
        if kind == until:
            break
    case.refresh_from_db()
    return case
