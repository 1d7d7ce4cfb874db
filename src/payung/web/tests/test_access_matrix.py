"""The role × URL × method matrix (design §6): every page, as every role and as a stranger.

The URLs come from the URL configuration itself, so a new page is in this test the moment it
is mounted; it then fails until ``payung.accounts.access.ACCESS`` says who may use it (and,
if the URL takes arguments, ``KWARGS`` below says which fixture object fills them). For every
named URL, for GET and POST, as each role of ``roles.py`` and anonymously:

- a role the table allows is served (no 403, no 404, no 405, no detour to the login page);
- a signed-in role the table does not allow gets 403, an anonymous visitor the login page;
- a method the table does not list is refused with 405;
- no page shown to a role without ``screening.view_unmasked_nik`` contains the full NIK of
  any person of the fixture, and roles with it see one only on the audited reveal
  (``FULL_NIK_PAGES``); file downloads are left to the services' own audit tests.

One cycle (screening of 200 synthetic people to a signed decree) is built once for the
module inside a transaction that is rolled back at the end; each test runs in a savepoint of
it, so a POST that changes something is undone before the next request. Document rendering
and other work queued "on commit" never runs, because nothing here commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from payung.accounts.access import ACCESS, ANONYMOUS, access_roles, access_unknown_roles
from payung.accounts.roles import ROLES
from payung.documents.models import Document
from payung.participants.tests.documents_stub import BUILDERS, FIXED
from payung.people.tests.factories import Cycle, cycle_build
from payung.registry.models import Person
from payung.screening.models import Decision

METHODS = ("GET", "POST")
ROLE_CODES = [r.code for r in ROLES]
CLIENTS = [*ROLE_CODES, ANONYMOUS]
#: A role's persona in the fixture (four eyes needs two of some; the first one is used).
PERSONA = {code: code for code in ROLE_CODES}
NIK_RE = re.compile(r"(?<!\d)\d{16}(?!\d)")
#: The only pages that show a full NIK, and only to roles with ``view_unmasked_nik``: the
#: audited reveal. Every other page masks it for every role, even for those who may reveal.
FULL_NIK_PAGES = frozenset({"screening:reveal_nik", "registry:duplicate_pair_reveal"})


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        else:
            yield f"{namespace}{entry.name}" if entry.name else "", entry


def url_patterns() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


URL_NAMES = sorted({name for name, _p in url_patterns() if name})


@dataclass
class World:
    cycle: Cycle
    clients: dict[str, Client]
    niks: frozenset[str]
    document: Document
    answer_import: Any


#: How each URL's arguments are filled from the fixture. A URL with arguments that is not
#: here fails its test with its name, like a URL missing from the access table.
KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "accounts:user_detail": lambda w: {"pk": w.cycle.users["operator_pendataan"].pk},
    "accounts:user_deactivate": lambda w: {"pk": w.cycle.users["operator_pendataan"].pk},
    "accounts:user_reactivate": lambda w: {"pk": w.cycle.users["operator_pendataan"].pk},
    "accounts:user_unlock": lambda w: {"pk": w.cycle.users["operator_pendataan"].pk},
    "accounts:user_password_reset": lambda w: {"pk": w.cycle.users["operator_pendataan"].pk},
    "accounts:user_second_factor_reset": lambda w: {"pk": w.cycle.users["operator_pendataan"].pk},
    "registry:year_detail": lambda w: {"pk": w.cycle.proposal.programme_year_id},
    "registry:import_create": lambda w: {"pk": w.cycle.proposal.programme_year_id},
    "registry:cooperation_agreement_record": lambda w: {"pk": w.cycle.proposal.programme_year_id},
    "registry:import_detail": lambda w: {"pk": w.cycle.proposal.screening_run.dtsen_import_id},
    "registry:import_progress": lambda w: {"pk": w.cycle.proposal.screening_run.dtsen_import_id},
    "registry:import_problems": lambda w: {"pk": w.cycle.proposal.screening_run.dtsen_import_id},
    "registry:import_problems_xlsx": lambda w: {
        "pk": w.cycle.proposal.screening_run.dtsen_import_id
    },
    "registry:import_overlap_confirm": lambda w: {
        "pk": w.cycle.proposal.screening_run.dtsen_import_id
    },
    "registry:import_retry": lambda w: {"pk": w.cycle.proposal.screening_run.dtsen_import_id},
    "registry:import_cancel": lambda w: {"pk": w.cycle.proposal.screening_run.dtsen_import_id},
    "registry:duplicate_check_create": lambda w: {
        "pk": w.cycle.proposal.screening_run.dtsen_import_id
    },
    "registry:duplicate_pair_decide": lambda w: {"pk": _duplicate_pair(w).pk},
    "registry:duplicate_pair_reveal": lambda w: {"pk": _duplicate_pair(w).pk},
    "screening:run_detail": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:policy_compare": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:run_progress": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:run_retry": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:run_cancel": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:decision_list": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:decision_export": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:decision_desa_options": lambda w: {"pk": w.cycle.proposal.screening_run_id},
    "screening:person_detail": lambda w: {"pk": w.cycle.decreed.decision_id},
    "screening:reveal_nik": lambda w: {"pk": w.cycle.decreed.decision_id},
    "participants:proposal_detail": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "participants:proposal_create": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "participants:proposal_approve": lambda w: {"pk": w.cycle.proposal.pk},
    "participants:berita_acara_request": lambda w: {"pk": w.cycle.proposal.pk},
    "participants:candidate_detail": lambda w: {"pk": w.cycle.rejected.pk},
    "participants:candidate_exclude": lambda w: {"pk": w.cycle.rejected.pk},
    "participants:replacement_round": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "participants:year_charts": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "monitoring:year": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "monitoring:report_year": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "monitoring:report_half": lambda w: {"year_pk": w.cycle.proposal.programme_year_id, "half": 1},
    "monitoring:report_upload_signed": lambda w: {"pk": _semester_report(w).pk},
    "monitoring:report_signed": lambda w: {"pk": _semester_report(w).pk},
    "monitoring:report_document": lambda w: {"pk": _semester_report(w).pdf_document_id},
    "monitoring:report_minutes": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "monitoring:report_recap": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "monitoring:chart_csv": lambda w: {
        "year_pk": w.cycle.proposal.programme_year_id,
        "period": "semester-1",
        "name": "cakupan",
    },
    "monitoring:chart_xlsx": lambda w: {
        "year_pk": w.cycle.proposal.programme_year_id,
        "period": "tahun",
        "name": "manfaat-jenis",
    },
    "participants:year_chart_csv": lambda w: {
        "year_pk": w.cycle.proposal.programme_year_id,
        "name": "corong",
    },
    "participants:year_chart_xlsx": lambda w: {
        "year_pk": w.cycle.proposal.programme_year_id,
        "name": "pasal",
    },
    "renewal:year_detail": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "renewal:not_qualifying_end": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "renewal:continuity_activate": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "participants:replacement_propose": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "verification:batch_list": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "verification:batch_create": lambda w: {"proposal_pk": w.cycle.proposal.pk},
    "verification:batch_detail": lambda w: {"pk": w.cycle.batch.pk},
    "verification:batch_request_file": lambda w: {"pk": w.cycle.batch.pk, "fmt": "xlsx"},
    "verification:batch_answers_upload": lambda w: {"pk": w.cycle.batch.pk},
    "verification:item_record": lambda w: {"pk": w.cycle.item.pk},
    "verification:answer_import_detail": lambda w: {"pk": w.answer_import.pk},
    "verification:answer_import_progress": lambda w: {"pk": w.answer_import.pk},
    "verification:answer_import_errors": lambda w: {"pk": w.answer_import.pk, "fmt": "csv"},
    "decrees:year_detail": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "decrees:team_member_add": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "decrees:decree_draft": lambda w: {
        "year_pk": w.cycle.proposal.programme_year_id,
        "kind": "daftar_nama",
    },
    "decrees:decree_record_signed": lambda w: {"pk": w.cycle.decree.pk},
    "decrees:decree_amendment_draft": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "decrees:decree_detail": lambda w: {"pk": w.cycle.decree.pk},
    "decrees:decree_scan": lambda w: {"pk": w.cycle.decree.pk},
    "documents:document_download": lambda w: {"pk": w.document.pk},
    "documents:export_detail": lambda w: {"pk": _export_job(w).pk},
    "documents:export_progress": lambda w: {"pk": _export_job(w).pk},
    "documents:export_download": lambda w: {"pk": _export_job(w).pk},
    "people:person_detail": lambda w: {"pk": w.cycle.rejected.person_id},
    "people:reveal_kpj": lambda w: {"pk": w.cycle.decreed.person_id},
    "enrollment:batch_year": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "enrollment:batch_create": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "enrollment:batch_detail": lambda w: {"pk": _registration_batch(w).pk},
    "enrollment:batch_request_file": lambda w: {"pk": _registration_batch(w).pk, "fmt": "csv"},
    "enrollment:batch_answer_upload": lambda w: {"pk": _registration_batch(w).pk},
    "enrollment:batch_answer_detail": lambda w: {"pk": _registration_answer(w).pk},
    "enrollment:batch_answer_progress": lambda w: {"pk": _registration_answer(w).pk},
    "enrollment:batch_answer_apply": lambda w: {"pk": _registration_answer(w).pk},
    "enrollment:batch_answer_discard": lambda w: {"pk": _registration_answer(w).pk},
    "enrollment:profile_edit": lambda w: {"pk": _registration_batch(w).profile_id},
    "enrollment:card_list": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "enrollment:cards_receive": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "enrollment:card_receipt": lambda w: {
        "year_pk": w.cycle.proposal.programme_year_id,
        "desa": "".join(ch for ch in w.cycle.decreed.person.kode_desa if ch.isdigit()),
    },
    "enrollment:card_deliver": lambda w: {"pk": w.cycle.decreed.pk},
    "enrollment:register_download": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "enrollment:roster_upload": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "documents:document_progress": lambda w: {"pk": w.document.pk},
    "contributions:year_detail": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "contributions:bill_issue": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "contributions:bill_detail": lambda w: {"pk": _bill(w).pk},
    "contributions:bill_letter_request": lambda w: {"pk": _bill(w).pk},
    "contributions:bill_letter_download": lambda w: {
        "pk": _bill(w).pk,
        "document_pk": _bill_letter(w).pk,
    },
    "contributions:bill_payments": lambda w: {"bill_pk": _bill(w).pk},
    "contributions:payment_confirm": lambda w: {"pk": _payment(w).pk},
    "contributions:payment_reject": lambda w: {"pk": _payment(w).pk},
    "contributions:payment_list": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "contributions:payment_import": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "contributions:reconciliation_list": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "contributions:reconciliation_create": lambda w: {
        "year_pk": w.cycle.proposal.programme_year_id
    },
    "contributions:reconciliation_import_detail": lambda w: {"pk": _reconciliation_import(w).pk},
    "contributions:reconciliation_import_progress": lambda w: {"pk": _reconciliation_import(w).pk},
    "contributions:reconciliation_import_errors": lambda w: {
        "pk": _reconciliation_import(w).pk,
        "fmt": "csv",
    },
    "contributions:reconciliation_import_retry": lambda w: {"pk": _reconciliation_import(w).pk},
    "contributions:reconciliation_import_cancel": lambda w: {"pk": _reconciliation_import(w).pk},
    "contributions:reconciliation_detail": lambda w: {"pk": _reconciliation(w).pk},
    "ends:participant_end": lambda w: {"candidate_pk": w.cycle.decreed.pk},
    "ends:year_ends": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "ends:end_import_upload": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "ends:end_import_detail": lambda w: {"pk": _end_import(w).pk},
    "ends:end_import_progress": lambda w: {"pk": _end_import(w).pk},
    "ends:end_import_retry": lambda w: {"pk": _end_import(w).pk},
    "ends:end_import_cancel": lambda w: {"pk": _end_import(w).pk},
    "ends:end_import_apply": lambda w: {"pk": _end_import(w).pk},
    "ends:end_import_unmatched": lambda w: {"pk": _end_import(w).pk, "fmt": "csv"},
    "appeals:appeal_create": lambda w: {"person_pk": w.cycle.rejected.person_id},
    "appeals:appeal_detail": lambda w: {"pk": _appeal(w).pk},
    "appeals:appeal_answer": lambda w: {"pk": _appeal(w).pk},
    "appeals:year_list": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "supervision:year_detail": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "supervision:report_create": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "supervision:employer_detail": lambda w: {"pk": _sanction_case(w).report.employer_id},
    "supervision:employer_edit": lambda w: {"pk": _sanction_case(w).report.employer_id},
    "supervision:report_detail": lambda w: {"pk": _sanction_case(w).report_id},
    "supervision:case_open": lambda w: {"pk": _sanction_case(w).report_id},
    "supervision:case_detail": lambda w: {"pk": _sanction_case(w).pk},
    "supervision:step_bpjs": lambda w: {"pk": _sanction_case(w).pk},
    "supervision:step_letter": lambda w: {"pk": _sanction_case(w).pk},
    "people:person_record": lambda w: {"pk": w.cycle.rejected.person_id},
    "linkage:year_lists": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "linkage:list_upload": lambda w: {"year_pk": w.cycle.proposal.programme_year_id},
    "linkage:list_detail": lambda w: {"pk": _list_match(w).other_list_id},
    "linkage:list_progress": lambda w: {"pk": _list_match(w).other_list_id},
    "linkage:list_retry": lambda w: {"pk": _list_match(w).other_list_id},
    "linkage:list_cancel": lambda w: {"pk": _list_match(w).other_list_id},
    "linkage:match_decide": lambda w: {"pk": _list_match(w).pk},
    "contributions:reconciliation_decide": lambda w: {"pk": _reconciliation(w).pk},
    "contributions:reconciliation_close": lambda w: {"pk": _reconciliation(w).pk},
    "contributions:reconciliation_document": lambda w: {
        "pk": _reconciliation(w).pk,
        "document_pk": _reconciliation_document(w).pk,
    },
    "procedures:year_sops": lambda w: {"pk": w.cycle.proposal.programme_year_id},
    "procedures:sop_generate": lambda w: {"pk": w.cycle.proposal.programme_year_id},
    "procedures:sop_download": lambda w: {"pk": _sop_document(w).pk},
    "planning:simulation_detail": lambda w: {"pk": _simulation(w).pk},
    "planning:simulation_xlsx": lambda w: {"pk": _simulation(w).pk},
    "planning:simulation_chart_csv": lambda w: {"pk": _simulation(w).pk, "name": "kecamatan"},
    "planning:simulation_chart_xlsx": lambda w: {"pk": _simulation(w).pk, "name": "kecamatan"},
}


def _simulation(world: World) -> Any:
    """A budget simulation of the cycle's year (issue 14), run by the team's member."""
    from decimal import Decimal

    from payung.planning.models import Simulation
    from payung.planning.services import simulation_create

    year = world.cycle.proposal.programme_year
    return Simulation.objects.filter(programme_year=year).first() or simulation_create(
        programme_year=year,
        pagu=10_080_000,
        growth=Decimal(5),
        months=12,
        created_by=world.cycle.users["anggota_tim"],
    )


def _sop_document(world: World) -> Document:
    """A finished SOP of the cycle's year (procedures' own factory)."""
    from payung.procedures.tests.factories import sop_document_done

    year = world.cycle.proposal.programme_year
    return sop_document_done(programme_year=year, actor=world.cycle.users["operator_pendataan"])


def _fixed_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Document builders return fixed bytes (rendering is the documents app's tests')."""
    import importlib

    for module_name, functions in BUILDERS.items():
        module = importlib.import_module(module_name)
        for function, fmt in functions.items():
            monkeypatch.setattr(module, function, lambda *_a, _f=fmt, **_k: FIXED[_f])


def _semester_report(world: World) -> Any:
    """A semester report of the year (issue 14), its files not built (nothing commits)."""
    from payung.monitoring.models import SemesterReport
    from payung.monitoring.services import semester_report_create

    year = world.cycle.proposal.programme_year
    report = SemesterReport.objects.filter(programme_year=year).first()
    return report or semester_report_create(
        programme_year=year,
        half=1,
        recommendations="Rekomendasi uji.",
        actor=world.cycle.users["anggota_tim"],
    )


def _done_document(cycle: Cycle) -> Document:
    """A finished, non-confidential document with a file behind it (the berita acara PDF)."""
    document = Document.objects.filter(confidential=False).order_by("pk").first()
    assert document is not None, "the cycle requested no document"
    path = settings.MEDIA_ROOT / "uji-matriks" / f"dokumen-{document.pk}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FIXED["pdf"])
    Document.objects.filter(pk=document.pk).update(
        status="done", stored_path=str(path), sha256="0" * 64
    )
    document.refresh_from_db()
    return document


def _export_job(world: World) -> Any:
    """The auditor's finished background export of the audit trail, with a file behind it."""
    from payung.documents.models import ExportJob

    cached = world.cycle.extra.get("export_job")
    if cached is None or not ExportJob.objects.filter(pk=cached.pk).exists():
        path = settings.MEDIA_ROOT / "uji-matriks" / "ekspor.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK")
        world.cycle.extra["export_job"] = ExportJob.objects.create(
            kind="audit_entries",
            status="done",
            file_name="jejak-audit.xlsx",
            stored_path=str(path),
            row_count=1,
            audit_detail={"filters": {}, "rows": 1},
            created_by=world.cycle.users["auditor"],
        )
    return world.cycle.extra["export_job"]


def _registration_batch(world: World) -> Any:
    """The signed decree's participants in a BPJS registration batch (made again whenever a
    test's rollback took the last one away)."""
    from payung.enrollment.models import RegistrationBatch

    cached = world.cycle.extra.get("registration_batch")
    if cached is None or not RegistrationBatch.objects.filter(pk=cached.pk).exists():
        from payung.enrollment.services import registration_batch_create

        world.cycle.extra["registration_batch"] = registration_batch_create(
            programme_year=world.cycle.proposal.programme_year,
            actor=world.cycle.users["operator_kepesertaan"],
        )
    return world.cycle.extra["registration_batch"]


def _registration_answer(world: World) -> Any:
    """A checked BPJS answer awaiting its confirmer, uploaded by the petugas BPJS (no lines:
    applying it in a test changes nobody)."""
    from payung.enrollment.models import RegistrationAnswer

    cached = world.cycle.extra.get("registration_answer")
    if cached is None or not RegistrationAnswer.objects.filter(pk=cached.pk).exists():
        world.cycle.extra["registration_answer"] = RegistrationAnswer.objects.create(
            batch=_registration_batch(world),
            file_name="jawaban-bpjs.csv",
            sha256="2" * 64,
            size_bytes=10,
            status="done",
            stage=RegistrationAnswer.Stage.AWAITING,
            report={"accepted": 0, "refused": [], "differences": [], "unmatched": []},
            uploaded_by=world.cycle.users["petugas_bpjs"],
        )
    return world.cycle.extra["registration_answer"]


def _refused_answers(cycle: Cycle) -> Any:
    """A refused answer file of the first batch, with one row message (masked NIK only)."""
    from payung.verification.models import AnswerImport

    return AnswerImport.objects.create(
        batch=cycle.batch,
        file_name="jawaban.csv",
        sha256="1" * 64,
        size_bytes=10,
        status="failed",
        error_code="refused",
        errors=[{"row": 2, "column": "NIK", "message": "NIK 3601********0001 tidak dikenal"}],
        error_count=1,
        uploaded_by=cycle.users["verifikator"],
    )


def _duplicate_pair(world: World) -> Any:
    """A pending duplicate pair on the first two persons of the year's import, made once (the
    import page then shows it, masked, to every reader of the import)."""
    from payung.registry.models import DuplicatePair
    from payung.registry.tests.factories import DuplicatePairFactory

    cached = world.cycle.extra.get("duplicate_pair")
    if cached is None or not DuplicatePair.objects.filter(pk=cached.pk).exists():
        imp = world.cycle.proposal.screening_run.dtsen_import
        first, second = Person.objects.filter(dtsen_import=imp).order_by("row")[:2]
        world.cycle.extra["duplicate_pair"] = DuplicatePairFactory(
            duplicate_check__dtsen_import=imp, person_1=first, person_2=second
        )
    return world.cycle.extra["duplicate_pair"]


def _bill(world: World) -> Any:
    """The year's first contribution bill (no lines: the pages read totals), made once."""
    from payung.contributions.models import Bill

    year_id = world.cycle.proposal.programme_year_id
    bill = Bill.objects.filter(programme_year_id=year_id, number=1).first()
    if bill is None:
        import datetime

        bill = Bill.objects.create(
            programme_year_id=year_id,
            number=1,
            first_month=datetime.date(2026, 1, 1),
            last_month=datetime.date(2026, 1, 1),
            due_on=datetime.date(2026, 1, 15),
            policy_sha256="0" * 64,
            issued_by=world.cycle.users["bendahara"],
        )
    return bill


def _bill_letter(world: World) -> Document:
    """The bill's payment request letter, finished, with a file behind it."""
    from payung.documents.services import subject_label

    bill = _bill(world)
    found = Document.objects.filter(subject=subject_label(bill)).first()
    if found is not None:
        return found
    path = settings.MEDIA_ROOT / "uji-matriks" / f"surat-tagihan-{bill.pk}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FIXED["pdf"])
    return Document.objects.create(
        programme_year_id=bill.programme_year_id,
        subject=subject_label(bill),
        kind="permohonan_iuran",
        title="Surat Permohonan Pembayaran Iuran",
        format="pdf",
        builder="payung.contributions.documents.payment_request_pdf",
        file_name="permohonan-iuran.pdf",
        status="done",
        stored_path=str(path),
        sha256="0" * 64,
        created_by=world.cycle.users["bendahara"],
    )


def _payment(world: World) -> Any:
    """An SP2D on the first bill, recorded by the bendahara and awaiting confirmation."""
    from payung.contributions.models import Payment

    bill = _bill(world)
    found = Payment.objects.filter(bill=bill).first()
    if found is not None:
        return found
    import datetime

    return Payment.objects.create(
        bill=bill,
        sp2d_number="SP2D/0001/LS/2026",
        paid_on=datetime.date(2026, 1, 12),
        amount=1,
        recorded_by=world.cycle.users["bendahara"],
    )


def _reconciliation(world: World) -> Any:
    """An open reconciliation of January (no lines: the pages read figures)."""
    from payung.contributions.models import Reconciliation

    year_id = world.cycle.proposal.programme_year_id
    found = Reconciliation.objects.filter(programme_year_id=year_id).first()
    if found is not None:
        return found
    import datetime

    return Reconciliation.objects.create(
        programme_year_id=year_id,
        first_month=datetime.date(2026, 1, 1),
        last_month=datetime.date(2026, 1, 1),
        file_name="tagihan-bpjs.csv",
        sha256="3" * 64,
        created_by=world.cycle.users["bendahara"],
    )


def _list_match(world: World) -> Any:
    """Another funder's list, linked, with one pending match on the decreed person (the other
    row's NIK one digit off: never a fixture person's NIK)."""
    from payung.linkage.tests.factories import list_match_create

    return list_match_create(
        person=world.cycle.decreed.person, uploaded_by=world.cycle.users["operator_pendataan"]
    )


def _reconciliation_import(world: World) -> Any:
    """A failed upload of BPJS's invoice (its file no longer kept: retry is refused)."""
    from payung.contributions.models import ReconciliationImport

    year_id = world.cycle.proposal.programme_year_id
    found = ReconciliationImport.objects.filter(programme_year_id=year_id).first()
    if found is not None:
        return found
    import datetime

    return ReconciliationImport.objects.create(
        programme_year_id=year_id,
        first_month=datetime.date(2026, 1, 1),
        last_month=datetime.date(2026, 1, 1),
        file_name="tagihan-bpjs.csv",
        sha256="4" * 64,
        size_bytes=10,
        status="failed",
        error_code="refused",
        errors=["Baris 2, kolom BULAN: bulan harus ditulis TTTT-BB, misalnya 2026-01."],
        error_count=1,
        uploaded_by=world.cycle.users["bendahara"],
    )


def _end_import(world: World) -> Any:
    """A claims file read and not applied, uploaded by the petugas BPJS, with one row that
    matched nobody (so the unmatched download has a row)."""
    import datetime

    from payung.ends.models import EndImport, EndImportRow

    year_id = world.cycle.proposal.programme_year_id
    found = EndImport.objects.filter(programme_year_id=year_id).first()
    if found is not None:
        return found
    job = EndImport.objects.create(
        programme_year_id=year_id,
        kind=EndImport.Kind.CLAIMS,
        file_name="klaim-bpjs.csv",
        sha256="5" * 64,
        size_bytes=10,
        status="done",
        uploaded_by=world.cycle.users["petugas_bpjs"],
    )
    EndImportRow.objects.create(
        end_import=job,
        row=2,
        nik="9999999999999999",
        kpj="99999999999",
        event=EndImportRow.Event.KLAIM_JKK,
        event_date=datetime.date(2026, 1, 5),
        claim_status="DIBAYAR",
        amount_paid=1500000,
        outcome=EndImportRow.Outcome.TIDAK_COCOK,
    )
    return job


def _reconciliation_document(world: World) -> Document:
    """The reconciliation's berita acara, finished, with a file behind it."""
    from payung.documents.services import subject_label

    rec = _reconciliation(world)
    found = Document.objects.filter(subject=subject_label(rec)).first()
    if found is not None:
        return found
    path = settings.MEDIA_ROOT / "uji-matriks" / f"rekonsiliasi-{rec.pk}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FIXED["pdf"])
    return Document.objects.create(
        programme_year_id=rec.programme_year_id,
        subject=subject_label(rec),
        kind="berita_acara_rekonsiliasi",
        title="Berita Acara Rekonsiliasi Iuran",
        format="pdf",
        builder="payung.contributions.reconciliation.berita_acara_pdf",
        file_name="berita-acara-rekonsiliasi-2026-01.pdf",
        status="done",
        stored_path=str(path),
        sha256="0" * 64,
        created_by=world.cycle.users["bendahara"],
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as monkeypatch, django_db_blocker.unblock():
        _fixed_builders(monkeypatch)
        with transaction.atomic():
            cycle = cycle_build()
            clients: dict[str, Client] = {ANONYMOUS: Client()}
            for code in ROLE_CODES:
                client = Client()
                client.force_login(cycle.users[PERSONA[code]])
                clients[code] = client
            niks = frozenset(
                n
                for n in (
                    *Person.objects.values_list("nik", flat=True),
                    *Decision.objects.values_list("nik", flat=True),
                )
                if NIK_RE.fullmatch(n)
            )
            assert len(niks) > 100
            yield World(cycle, clients, niks, _done_document(cycle), _refused_answers(cycle))
            transaction.set_rollback(True)


#: Where a signed-in user may be sent instead of the page: the login and the account gate.
DETOURS = (
    "accounts:login",
    "accounts:otp_verify",
    "accounts:otp_enrol",
    "accounts:password_change",
)


def _is_login_redirect(response: Any) -> bool:
    if response.status_code != 302:
        return False
    return any(response["Location"].startswith(resolve_url(name)) for name in DETOURS)


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return ""  # a file download (XLSX, PDF): its audit is the services' tests' business
    if "html" not in response.get("Content-Type", "") and "text" not in response.get(
        "Content-Type", ""
    ):
        return ""
    return response.content.decode("utf-8", errors="replace")


def _request(world: World, client_name: str, method: str, url: str) -> Any:
    client = world.clients[client_name]
    if url == reverse("accounts:logout") and client_name != ANONYMOUS:
        # Logging out ends the shared client's session: use a client of its own.
        client = Client()
        client.force_login(world.cycle.users[PERSONA[client_name]])
    if method == "GET":
        return client.get(url)
    return client.post(url, {})


def _verdict(url_name: str, method: str, who: str, response: Any) -> str | None:
    """What is wrong with ``response``, or None."""
    allowed = access_roles(url_name=url_name, method=method)
    assert allowed is not None
    status = response.status_code
    if not allowed:
        if status == 405 or (who == ANONYMOUS and _is_login_redirect(response)):
            return None
        return f"{method} is not in the table: expected 405, got {status}"
    if who in allowed:
        public = ANONYMOUS in allowed
        if status in (401, 403, 404, 405) or (not public and _is_login_redirect(response)):
            return f"allowed, got {status}"
        if status >= 500:
            return f"server error {status}"
        return None
    if who == ANONYMOUS:
        return None if _is_login_redirect(response) else f"anonymous: expected login, got {status}"
    return None if status == 403 else f"refused role: expected 403, got {status}"


def test_every_url_pattern_is_named() -> None:
    """An unnamed pattern cannot be declared in the access table, so none may exist."""
    unnamed = [str(p.pattern) for name, p in url_patterns() if not name]
    assert not unnamed, f"URL patterns without a name: {unnamed}"


def test_the_table_names_only_mounted_urls_and_known_roles() -> None:
    stale = sorted(set(ACCESS) - set(URL_NAMES))
    assert not stale, f"access table entries for URLs that do not exist: {stale}"
    assert not access_unknown_roles()
    for name, entry in ACCESS.items():
        assert set(entry) <= set(METHODS), name


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_every_role_gets_exactly_what_the_access_table_says(
    url_name: str, world: World, db: None
) -> None:
    assert url_name in ACCESS, (
        f"URL {url_name!r} has no entry in payung.accounts.access.ACCESS: declare which roles "
        "may GET and POST it"
    )
    pattern = dict(url_patterns())[url_name]
    needs_kwargs = bool(pattern.pattern.converters)
    if needs_kwargs:
        assert url_name in KWARGS, f"URL {url_name!r} takes arguments: add it to KWARGS"
    url = reverse(url_name, kwargs=KWARGS[url_name](world) if needs_kwargs else None)
    problems = []
    for method in METHODS:
        for who in CLIENTS:
            sid = transaction.savepoint()
            try:
                response = _request(world, who, method, url)
                problem = _verdict(url_name, method, who, response)
                if problem:
                    problems.append(f"{method} {url} as {who}: {problem}")
                if who == ANONYMOUS:
                    continue
                may_unmask = world.cycle.users[PERSONA[who]].has_perm("screening.view_unmasked_nik")
                if may_unmask and url_name in FULL_NIK_PAGES:
                    continue
                leaked = set(NIK_RE.findall(_body(response))) & world.niks
                if leaked:
                    problems.append(f"{method} {url} as {who}: {len(leaked)} unmasked NIK(s)")
            finally:
                transaction.savepoint_rollback(sid)
    assert not problems, "\n".join(problems)


def test_a_confidential_annex_is_served_only_to_the_operator_kepesertaan(
    world: World, db: None
) -> None:
    """Object-level rule the URL table cannot express: the internal annex (full NIKs)."""
    document = Document.objects.filter(confidential=True).order_by("pk").first()
    assert document is not None
    url = reverse("documents:document_download", args=[document.pk])
    for who in ("operator_pendataan", "anggota_tim", "auditor"):
        assert world.clients[who].get(url).status_code == 403, who
    # Not rendered in this fixture: the allowed role is sent back with "not ready yet".
    assert world.clients["operator_kepesertaan"].get(url).status_code == 302


def _sanction_case(world: World) -> Any:
    """An employer, a visit and a sanction case of the fixture's year (written directly: the
    year's Pandeglang policy has the ladder off, so its pages say so and refuse every step)."""
    import datetime

    from payung.supervision.models import Employer, SanctionCase, SupervisionReport

    found = SanctionCase.objects.select_related("report").first()
    if found is not None:
        return found
    actor = world.cycle.users["operator_kepesertaan"]
    employer = Employer.objects.create(
        name="CV Uji Akses",
        address="Jl. Uji 1",
        village_code="3601012001",
        sector="Perdagangan",
        workers=10,
        created_by=actor,
    )
    report = SupervisionReport.objects.create(
        programme_year_id=world.cycle.proposal.programme_year_id,
        employer=employer,
        visited_on=datetime.date(2026, 2, 10),
        inspector="Pengawas Uji",
        workers_found=10,
        workers_unregistered=4,
        findings="4 pekerja belum didaftarkan.",
        recorded_by=actor,
    )
    return SanctionCase.objects.create(
        programme_year_id=report.programme_year_id,
        report=report,
        finding="4 pekerja belum didaftarkan",
        opened_by=actor,
    )


def _appeal(world: World) -> Any:
    """An open appeal of the candidate Disdukcapil rejected, recorded by the second operator
    pendataan (so the first may answer it)."""
    import datetime

    from payung.appeals.models import Appeal

    candidate = world.cycle.rejected
    found = Appeal.objects.filter(person_id=candidate.person_id).first()
    if found is not None:
        return found
    return Appeal.objects.create(
        programme_year_id=world.cycle.proposal.programme_year_id,
        person_id=candidate.person_id,
        candidate=candidate,
        refusal=Appeal.Refusal.REJECTED,
        received_on=datetime.date(2026, 3, 2),
        due_on=datetime.date(2026, 3, 16),
        channel=Appeal.Channel.LOKET,
        filed_by="Yang bersangkutan",
        grounds="Data kependudukan sudah diperbaiki di Disdukcapil.",
        recorded_by=world.cycle.users["operator_pendataan_2"],
    )
