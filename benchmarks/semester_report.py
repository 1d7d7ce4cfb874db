"""Semester report benchmark (issue 14): the report to the Regent for a year of 100 000
participants, target ≤ 10 s (PDF and DOCX, figures included).

Builds, in a throw-away SQLite database (or the one ``DATABASE_URL`` names: point it at a
throw-away database, the schema is migrated from zero), a 2026 programme year with N
participants spread over every village of Kabupaten Pandeglang, each with a screening
decision and a coverage period (about 3 % ended during the year), the bills of January to
June (one line per participant and covered month) with their payments, and a few hundred
JKK/JKM claims. Then it times what the background worker does for one report version:
the figures (every ``monitoring.selectors`` function, counted once and kept on the version),
``semester_report_pdf`` and ``semester_report_docx``; then the figures of a second version
in the same process (the contribution figures cached).

    .venv/bin/python -m benchmarks.semester_report --participants 100000 [--json OUT]

``scripts/bench report`` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

TARGET_S = 10.0
BATCH = 5_000


def _timed(label: str, func: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    cpu = time.process_time()
    value = func()
    wall = time.perf_counter() - started
    print(f"{label}: {wall:.2f} s ({time.process_time() - cpu:.2f} CPU s)", flush=True)
    return value, wall


def _build(n: int) -> Any:
    from django.db import transaction

    from payung.accounts.services import agency_get_or_create, user_create
    from payung.contributions.models import Bill, BillLine, Payment
    from payung.core.models import JobStatus
    from payung.domain import wilayah
    from payung.ends.models import Claim, EndImport
    from payung.participants.models import Candidate, CandidateState, CoveragePeriod, EndReason
    from payung.participants.tests.factories import (
        JKK,
        JKM,
        CooperationAgreementFactory,
        ProposalFactory,
    )
    from payung.programmes.models import BudgetLine, ProgrammeYear
    from payung.programmes.services import programme_year_create
    from payung.programmes.tests.factories import COST_PER_PERSON
    from payung.registry.models import DtsenImport, Person
    from payung.screening.models import Decision
    from payung.screening.tests.factories import DecisionFactory, ScreeningRunFactory

    user = user_create(
        username="bench.tim",
        password="bench-pass-123!",
        role="anggota_tim",
        agency=agency_get_or_create(kind="bapperida", name="Bapperida"),
    )
    year = programme_year_create(
        created_by=user,
        year=2026,
        policy_id="pandeglang-2025",
        as_of=date(2026, 1, 1),
        coverage_months=12,
        budgets={"apbd": n * COST_PER_PERSON},
    )
    ProgrammeYear.objects.filter(pk=year.pk).update(status=ProgrammeYear.Status.ACTIVE)
    CooperationAgreementFactory(programme_year=year)
    budget_line = BudgetLine.objects.get(programme_year=year)
    villages = [v.code for kec in wilayah.children("3601") for v in wilayah.children(kec.code)]
    run = ScreeningRunFactory(
        programme_year=year,
        counts={
            "rows": n * 2,
            "by_status": {"selected": n, "waitlisted": n // 2, "ineligible": n // 2, "invalid": 0},
            "by_rule": {},
            "by_invalid_code": {},
            "by_flag": {},
        },
    )
    imp = DtsenImport.objects.get(pk=run.dtsen_import_id)
    DtsenImport.objects.filter(pk=imp.pk).update(row_count=n * 2, status=JobStatus.DONE)
    proposal = ProposalFactory(programme_year=year, quota=n, budget=n * COST_PER_PERSON)
    proposal.screening_run = run
    proposal.save(update_fields=["screening_run"])
    template = DecisionFactory(run=run)
    person_fields = {
        f.attname: getattr(template.person, f.attname)
        for f in Person._meta.concrete_fields
        if f.attname not in ("id",)
    }
    decision_fields = {
        f.attname: getattr(template, f.attname)
        for f in Decision._meta.concrete_fields
        if f.attname not in ("id",)
    }
    occupations = ["petani", "nelayan", "buruh_harian", "pedagang_kecil", "ojek"]
    months = [date(2026, m, 1) for m in range(1, 7)]
    with transaction.atomic():
        for lo in range(0, n, BATCH):
            hi = min(n, lo + BATCH)
            people = []
            for i in range(lo, hi):
                desa = villages[i % len(villages)]
                people.append(
                    Person(
                        **{
                            **person_fields,
                            "row": i + 2,
                            "nik": f"{desa[:6]}{(i % 28) + 1:02d}0190{i % 10_000:04d}",
                            "nama": f"PESERTA UJI {i}",
                            "kode_desa": desa,
                            "jenis_kelamin": "L" if i % 2 else "P",
                        }
                    )
                )
            Person.objects.bulk_create(people, batch_size=BATCH)
            decisions = [
                Decision(
                    **{
                        **decision_fields,
                        "person_id": p.pk,
                        "row": p.row,
                        "nik": p.nik,
                        "priority_rank": p.row,
                        "age": 20 + p.row % 40,
                        "desil": 1 + p.row % 4,
                        "occupation_category": occupations[p.row % len(occupations)],
                        "kode_desa": p.kode_desa,
                        "kode_kecamatan": p.kode_desa[:6],
                    }
                )
                for p in people
            ]
            Decision.objects.bulk_create(decisions, batch_size=BATCH)
            candidates = [
                Candidate(
                    proposal=proposal,
                    person_id=p.pk,
                    decision_id=d.pk,
                    rank=p.row - 1,
                    nik=p.nik,
                    kpj=f"26{p.row:09d}",
                    state=CandidateState.ENDED if p.row % 33 == 0 else CandidateState.ACTIVE,
                )
                for p, d in zip(people, decisions, strict=True)
            ]
            Candidate.objects.bulk_create(candidates, batch_size=BATCH)
            CoveragePeriod.objects.bulk_create(
                [
                    CoveragePeriod(
                        candidate_id=c.pk,
                        start=date(2026, 1, 1),
                        end=date(2026, 4, 30) if c.state == CandidateState.ENDED else None,
                        end_reason=EndReason.MENINGGAL if c.state == CandidateState.ENDED else "",
                    )
                    for c in candidates
                ],
                batch_size=BATCH,
            )
        ids = list(Candidate.objects.filter(proposal=proposal).values_list("pk", "state"))
        for number, month in enumerate(months, start=1):
            covered = [
                pk for pk, state in ids if state == CandidateState.ACTIVE or month.month <= 4
            ]
            bill = Bill.objects.create(
                programme_year=year,
                number=number,
                first_month=month,
                last_month=month,
                due_on=month.replace(day=15),
                participant_count=len(covered),
                total=len(covered) * (JKK + JKM),
                policy_sha256="0" * 64,
                issued_by=user,
            )
            BillLine.objects.bulk_create(
                [
                    BillLine(
                        bill=bill,
                        candidate_id=pk,
                        month=month,
                        budget_line=budget_line,
                        jkk=JKK,
                        jkm=JKM,
                    )
                    for pk in covered
                ],
                batch_size=BATCH,
            )
            if number <= 5:
                Payment.objects.create(
                    bill=bill,
                    sp2d_number=f"SP2D-BENCH-{number}",
                    paid_on=month.replace(day=12),
                    amount=bill.total,
                    status=Payment.Status.CONFIRMED,
                    recorded_by=user,
                    confirmed_by=user,
                )
        claims_import = EndImport.objects.create(
            programme_year=year,
            kind=EndImport.Kind.CLAIMS,
            file_name="klaim.csv",
            sha256="1" * 64,
            size_bytes=1,
            status=JobStatus.DONE,
            uploaded_by=user,
        )
        Claim.objects.bulk_create(
            [
                Claim(
                    candidate_id=pk,
                    kpj=f"26{pk:09d}",
                    claim_type=Claim.Type.JKM if i % 5 == 0 else Claim.Type.JKK,
                    event_date=date(2026, 1 + i % 6, 10),
                    amount_paid=42_000_000 if i % 5 == 0 else 1_500_000,
                    status=Claim.Status.DIBAYAR,
                    end_import=claims_import,
                    row=i + 2,
                )
                for i, (pk, _state) in enumerate(ids[: max(1, n // 250)])
            ],
            batch_size=BATCH,
        )
    return year, user


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="payung-bench-report-"))
    os.environ.setdefault("PAYUNG_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    os.environ.setdefault("PAYUNG_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from payung.documents.models import Document
    from payung.monitoring import documents as report_documents
    from payung.monitoring.services import semester_report_create

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor}, participants: {args.participants:,}", flush=True)
    (year, user), build_s = _timed("building the year", lambda: _build(args.participants))
    report = semester_report_create(
        programme_year=year, half=1, recommendations="Rekomendasi uji.", actor=user
    )
    pdf_doc = Document.objects.get(pk=report.pdf_document_id)
    docx_doc = Document.objects.get(pk=report.docx_document_id)
    _data, figures_s = _timed(
        "figures (monitoring.selectors, cold: nothing cached)",
        lambda: report_documents.semester_report_figures(report),
    )
    pdf, pdf_s = _timed(
        "semester_report_pdf (kept figures, 3 charts, WeasyPrint)",
        lambda: report_documents.semester_report_pdf(pdf_doc),
    )
    docx, docx_s = _timed(
        "semester_report_docx (kept figures, docxtpl)",
        lambda: report_documents.semester_report_docx(docx_doc),
    )
    # A second version in the same worker process: the contribution figures are cached.
    again = semester_report_create(
        programme_year=year, half=1, recommendations="Rekomendasi kedua.", actor=user
    )
    _data, warm_s = _timed(
        "figures of a second version (same process, cache warm)",
        lambda: report_documents.semester_report_figures(again),
    )
    total = figures_s + pdf_s + docx_s
    context = report_documents.semester_report_context(report, charts=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    verdict = "met" if total <= TARGET_S else "missed"
    print(
        f"report (PDF + DOCX) for {context.active} active participants: {total:.2f} s, "
        f"target ≤ {TARGET_S:.0f} s: {verdict}; PDF {len(pdf):,} bytes, DOCX {len(docx):,} "
        f"bytes, peak RSS {peak} MiB",
        flush=True,
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "participants": args.participants,
                    "build_s": round(build_s, 2),
                    "figures_s": round(figures_s, 2),
                    "figures_warm_s": round(warm_s, 2),
                    "pdf_s": round(pdf_s, 2),
                    "docx_s": round(docx_s, 2),
                    "total_s": round(total, 2),
                    "target_s": TARGET_S,
                    "peak_rss_mib": peak,
                },
                indent=2,
            )
        )
    return 0 if total <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
