"""The demo regency: everything ``payung demo`` builds, through the real services and queue.

Kept out of the CLI so the steps are the same functions the web pages call, and a test can
run the whole build on a small extract.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile

from payung.i18n import _

DEMO_POLICY = "pandeglang-2025"
DEMO_YEAR = 2026


#: The team of Pasal 10 ayat (3)-(4) for the demo year (synthetic names).
DEMO_TEAM: tuple[tuple[str, str, str, str], ...] = (
    ("pembina", "Bupati Pandeglang", "Pemerintah Kabupaten Pandeglang", "Bupati"),
    ("pengarah", "Sekretaris Daerah", "Sekretariat Daerah", "Sekretaris Daerah"),
    ("ketua", "Drs. Ahmad Sintetis, M.Si.", "Dinas Tenaga Kerja dan Transmigrasi", "Kepala Dinas"),
    ("sekretaris", "Siti Contoh, S.Sos.", "Dinas Sosial", "Kepala Bidang"),
    ("anggota", "Budi Percobaan, S.H.", "Bagian Hukum Setda", "Kepala Bagian Hukum"),
    ("anggota", "Dewi Rekaan, S.E.", "Inspektorat", "Inspektur Pembantu"),
    ("anggota", "Rudi Sampel, S.Kom.", "Dinas Kependudukan dan Pencatatan Sipil", "Kepala Bidang"),
    ("anggota", "Nina Ilustrasi, S.E.", "Badan Pengelola Keuangan Daerah", "Kepala Bidang"),
    ("anggota", "Joko Peraga, S.T.", "Bapperida", "Kepala Bidang"),
)

DEMO_DECREE_NUMBER = "400.10/Kep.{n}-Huk/{year}"


@dataclass(frozen=True)
class DemoResult:
    users: list[tuple[str, str, str]]
    year: Any
    quota: int
    counts: dict[str, Any]
    verification: dict[str, int] = field(default_factory=dict)
    decree_number: str = ""
    #: What happened after the decree: registration, replacements, bills, payments, cards.
    through_year: dict[str, int] = field(default_factory=dict)
    #: One sentence per stage after March (ends, replacements, appeals, next year), in order.
    later: list[str] = field(default_factory=list)


#: Tasks the build leaves to the worker that ``payung demo`` starts with the server: the
#: documents (decree annexes, berita acara, letters, reports, SOPs), exports, and each
#: import's search for duplicate persons (issue 13; it changes neither screening nor
#: proposal). Nothing in the build reads them and each page shows a queued one as still
#: being made, so the login page is served within a minute (issue 16 target 5) instead of
#: after every PDF and every linkage model.
DEFERRED_TASKS = (
    "payung.documents.tasks.document_generate",
    "payung.documents.tasks.export_generate",
    "payung.registry.tasks.duplicate_check_execute",
)


def _run_queue(*, documents: bool = False) -> None:
    """Work off the queued tasks with the real worker's task runner, then return.

    Imports, screenings and the other jobs the next step reads run here, in the order they
    were queued; the deferred tasks stay queued for the served worker unless ``documents``.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="payung-demo",
        excluded_queue_names=[],
    )
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        if not documents:
            ready = ready.exclude(task_path__in=DEFERRED_TASKS)
        with exclusive_transaction(ready.db):
            task_result = ready.get_locked()
            if task_result is not None:
                task_result.claim(worker.worker_id)
        if task_result is None:
            return
        worker.run_task(task_result)


def demo_extract_path(*, data_dir: Path) -> Path:
    """Where the demo writes its synthetic DTSEN extract of the regency."""
    return data_dir / "dtsen-pandeglang-sintetis.csv"


def demo_extract_start(*, data_dir: Path, rows: int, seed: int) -> Callable[[], Path]:
    """Start writing the demo's extract in a second process (``payung synth``, the same
    generator and seed, so the same bytes); the function returned waits for it.

    ``payung demo`` starts it before migrating: the extract needs no database, so it is
    written on the other core meanwhile (issue 16 target 5).
    """
    out = demo_extract_path(data_dir=data_dir)
    command = [sys.executable, "-m", "payung.cli", "synth", "--rows", str(rows)]
    command += ["--seed", str(seed), "--out", str(out), "--quiet"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)

    def written() -> Path:
        if proc.wait() != 0:
            raise RuntimeError("demo extract failed (payung synth)")
        return out

    return written


def documents_waiting() -> int:
    """How many documents the build left queued for the worker (printed by ``payung demo``)."""
    from payung.core.models import JobStatus
    from payung.documents.models import Document

    return Document.objects.filter(status=JobStatus.QUEUED).count()


def demo_build(
    *,
    data_dir: Path,
    rows: int,
    seed: int,
    budget: int,
    as_of: date,
    say: Callable[[str], None],
    passwords: Mapping[str, Any] | None = None,
    extract_written: Callable[[], Path] | None = None,
) -> DemoResult:
    """Users, the 2026 programme year, an imported and screened synthetic extract.

    ``passwords`` are the users' passwords already hashed (accounts.services.
    demo_passwords_draw) and ``extract_written`` waits for the extract being written
    (demo_extract_start): ``payung demo`` starts both while migrating; made here otherwise.
    """
    from payung.accounts.models import User
    from payung.accounts.services import demo_users_create
    from payung.core.models import JobStatus
    from payung.engine import synth_write
    from payung.programmes.services import programme_year_create
    from payung.registry.services import dtsen_import_create
    from payung.screening.services import screening_run_start

    say(_("2/20 Membuat pengguna untuk setiap peran..."))
    users = demo_users_create(passwords=passwords)
    operator = User.objects.get(username="dinsos.operator")

    say(_("3/20 Membuat tahun program {year} Kabupaten Pandeglang...").format(year=DEMO_YEAR))
    year = programme_year_create(
        created_by=operator,
        year=DEMO_YEAR,
        policy_id=DEMO_POLICY,
        as_of=as_of,
        coverage_months=12,
        budgets={"apbd": budget},
    )

    say(_("4/20 Membuat dan mengimpor ekstrak DTSEN sintetis ({rows} baris)...").format(rows=rows))
    extract = (
        extract_written()
        if extract_written is not None
        else synth_write(rows=rows, seed=seed, out=demo_extract_path(data_dir=data_dir))
    )
    with extract.open("rb") as fh:
        imp = dtsen_import_create(
            programme_year=year, uploaded_file=File(fh, name=extract.name), uploaded_by=operator
        )
    _run_queue()
    imp.refresh_from_db()
    if imp.status != JobStatus.DONE:
        raise RuntimeError(f"demo import failed: {imp.error_message}")

    say(_("5/20 Menyaring menurut Perbup Pandeglang 63/2025..."))
    run = screening_run_start(programme_year=year, dtsen_import=imp, started_by=operator)
    _run_queue()
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise RuntimeError(f"demo screening failed: {run.error_message}")
    verification, number = demo_decree(run=run, data_dir=data_dir, seed=seed, say=say)
    through_year = demo_through_year(year=year, data_dir=data_dir, seed=seed, say=say)
    from payung.appeals.demo import demo_appeals
    from payung.ends.demo import demo_ends
    from payung.procedures.demo import demo_sops as _demo_sops
    from payung.renewal.demo import demo_renewal

    later: list[str] = []
    say(_("12/20 Akhir kepesertaan: klaim BPJS, data kematian dan pindah Disdukcapil..."))
    through_year.update(demo_ends(year=year, data_dir=data_dir, say=later.append))
    say(_("13/20 Pengganti dari sisa pagu: verifikasi, keputusan perubahan, pendaftaran..."))
    through_year.update(
        demo_replacements(year=year, data_dir=data_dir, seed=seed, say=later.append)
    )
    from payung.monitoring.demo import demo_semester_report

    say(_("14/20 Laporan semester I kepada Bupati (Pasal 12 ayat (3))..."))
    through_year.update(demo_semester_report(year=year, say=later.append))
    say(_("15/20 Sanggahan: pemeriksaan ulang dan surat jawaban..."))
    through_year.update(
        demo_appeals(year=year, data_dir=data_dir, say=later.append, run_queue=_run_queue)
    )
    say(_("16/20 Tahun program {year} dengan lanjutan peserta...").format(year=DEMO_YEAR + 1))
    through_year.update(
        demo_renewal(
            year=year, data_dir=data_dir, seed=seed, say=later.append, run_queue=_run_queue
        )
    )
    say(_("17/20 SOP setiap perangkat daerah dari alur kerja (DOCX dan PDF)..."))
    through_year.update(_demo_sops(year=year, say=later.append, run_queue=_run_queue))
    from payung.planning.demo import demo_simulation

    say(
        _("18/20 Simulasi anggaran {year} menuju cakupan penuh (Pasal 6 ayat (2))...").format(
            year=DEMO_YEAR + 1
        )
    )
    through_year.update(demo_simulation(year=year, data_dir=data_dir, say=later.append))
    from payung.screening.demo_pekalongan import demo_pekalongan

    say(
        _("19/20 Kebijakan kedua: Kabupaten Pekalongan {year}, ekstrak 33.26...").format(
            year=DEMO_YEAR
        )
    )
    through_year.update(
        demo_pekalongan(
            year_number=DEMO_YEAR,
            as_of=as_of,
            data_dir=data_dir,
            seed=seed,
            say=later.append,
            run_queue=_run_queue,
        )
    )
    from payung.supervision.demo import demo_supervision

    say(_("20/20 Pengawasan pemberi kerja dan sanksi PP 86/2013 (Pasal 12 ayat (1))..."))
    through_year.update(demo_supervision(year=year, say=later.append, run_queue=_run_queue))
    return DemoResult(
        users=users,
        year=year,
        quota=run.quota or 0,
        counts=run.counts,
        verification=verification,
        decree_number=number,
        through_year=through_year,
        later=later,
    )


def demo_decree(
    *, run: Any, data_dir: Path, seed: int, say: Callable[[str], None]
) -> tuple[dict[str, int], str]:
    """Proposal, berita acara, Disdukcapil's verification, and the signed decree.

    Each step is the service a page calls, by the role that does it: two operators pendataan
    (four eyes on the proposal), the verifier answering with a synthetic file each round
    until replacements run out, two operators kepesertaan (four eyes on the decree). The
    documents are queued; the background worker of ``payung demo`` makes them.
    """
    from payung.accounts.models import User
    from payung.decrees.services import decree_draft, decree_record_signed, team_member_add
    from payung.participants.models import CandidateState
    from payung.participants.services import proposal_approve, proposal_create

    users = {u.username: u for u in User.objects.all()}
    operator, operator2 = users["dinsos.operator"], users["dinsos.operator2"]
    verifier = users["dukcapil.verifikator"]
    drafter, recorder = users["disnaker.kepesertaan"], users["disnaker.kepesertaan2"]
    year = run.programme_year

    say(_("6/20 Menyusun tim, usulan calon peserta dan berita acara..."))
    for position, name, agency, jabatan in DEMO_TEAM:
        team_member_add(
            programme_year=year,
            actor=drafter,
            position=position,
            name=name,
            agency=agency,
            jabatan=jabatan,
        )
    proposal = proposal_create(run=run, actor=operator, place="Pandeglang")
    proposal = proposal_approve(proposal=proposal, actor=operator2)
    say(
        _(
            "   Mencocokkan daftar peserta BPU yang dibayar APBD provinsi "
            "(Pasal 5 ayat (2) huruf f)..."
        )
    )
    totals_links = demo_other_list(
        proposal=proposal, operator=operator, decider=operator2, data_dir=data_dir, seed=seed
    )

    say(_("7/20 Verifikasi dan validasi Disdukcapil (berkas keluar, jawaban sintetis masuk)..."))
    totals = verification_rounds(
        proposal=proposal, operator=operator, verifier=verifier, data_dir=data_dir, seed=seed
    )

    say(_("8/20 Rancangan keputusan, dan keputusan Bupati yang ditandatangani..."))
    draft = decree_draft(programme_year=year, kind="peserta", actor=drafter)
    decree_draft(programme_year=year, kind="daftar_nama", actor=drafter)
    decree_draft(programme_year=year, kind="tim", actor=drafter)
    number = DEMO_DECREE_NUMBER.format(n=draft.pk, year=year.year)
    with ContentFile(_demo_scan(number), name="sk-bupati-ditandatangani.pdf") as scan:
        decree_record_signed(
            decree=draft,
            actor=recorder,
            number=number,
            signed_on=date(year.year, 1, 15),
            signer_name="BUPATI PANDEGLANG (DEMO)",
            scan=scan,
        )
    totals["ditetapkan"] = proposal.candidates.filter(state=CandidateState.DECREED).count()
    totals.update(totals_links)
    return totals, number


#: Strangers on the demo's province list: people of Lebak (region 3602), nobody of the extract.
_STRANGER_FIRST = (
    "ASEP",
    "DEDE",
    "UJANG",
    "SITI",
    "NENG",
    "IWAN",
    "YANTI",
    "ENTIS",
    "RINA",
    "OJAK",
)
_STRANGER_LAST = ("SUNARYA", "HIDAYAT", "RAHMAWATI", "SETIAWAN", "NURHASANAH", "KURNIA", "SAEPUDIN")


def demo_other_list(
    *, proposal: Any, operator: Any, decider: Any, data_dir: Path, seed: int
) -> dict[str, int]:
    """The province's list of BPU participants it pays for, typed by its own hands, linked
    against the year's extract (Pasal 5 ayat (2) huruf f); a second operator confirms one
    match, rejects one with a reason, and leaves the rest for a visitor to decide.

    The list holds three proposed candidates retyped (a NIK digit off, the name in mixed
    case, the birth date day-month-year), two waiting ones as in the extract, and strangers.
    """
    import csv
    import random

    from payung.linkage.services import list_match_decide, other_list_create, other_list_execute
    from payung.participants.models import CandidateState
    from payung.registry.models import PairDecision

    rng = random.Random(seed)
    proposed = list(
        proposal.candidates.filter(state=CandidateState.PROPOSED)
        .select_related("person")
        .order_by("rank")[5:20:5]
    )
    waiting = list(
        proposal.candidates.filter(state=CandidateState.WAITLISTED)
        .select_related("person")
        .order_by("rank")[10:12]
    )
    rows = []
    for candidate in proposed:
        p = candidate.person
        nik = p.nik[:-2] + str((int(p.nik[-2]) + 1) % 10) + p.nik[-1]
        born = p.tanggal_lahir
        if len(born) == 10 and born[4] == "-":
            born = f"{born[8:10]}-{born[5:7]}-{born[0:4]}"
        rows.append([nik, p.nama.title().replace("Muhammad", "Muhamad"), born, p.kode_desa])
    rows += [
        [c.person.nik, c.person.nama, c.person.tanggal_lahir, c.person.kode_desa] for c in waiting
    ]
    for _i in range(40):
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        rows.append(
            [
                f"360201{day:02d}{month:02d}{rng.randint(60, 99)}{rng.randint(1, 40):04d}",
                f"{rng.choice(_STRANGER_FIRST)} {rng.choice(_STRANGER_LAST)}",
                f"19{rng.randint(60, 99)}-{month:02d}-{day:02d}",
                f"360201{rng.randint(2001, 2012)}",
            ]
        )
    path = data_dir / "bpu-apbd-provinsi-banten.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["NIK_PESERTA", "NAMA_PESERTA", "TGL_LAHIR", "KODE_DESA"])
        writer.writerows(rows)
    with path.open("rb") as fh:
        job = other_list_create(
            programme_year=proposal.programme_year,
            source_name="Peserta BPU yang iurannya dibayar APBD Provinsi Banten",
            funder="apbd_provinsi",
            list_date=date(proposal.programme_year.year, 1, 5),
            uploaded=File(fh, name=path.name),
            actor=operator,
        )
    # As with Disdukcapil's answers: this job's service here, the queue is the worker's.
    other_list_execute(other_list=job)
    job.refresh_from_db()
    matches = {m.person_id: m for m in job.matches.all()}
    decided = 0
    if proposed and proposed[0].person_id in matches:
        list_match_decide(
            match=matches[proposed[0].person_id],
            decision=PairDecision.CONFIRMED,
            note="",
            actor=decider,
        )
        decided += 1
    if len(proposed) > 1 and proposed[1].person_id in matches:
        list_match_decide(
            match=matches[proposed[1].person_id],
            decision=PairDecision.REJECTED,
            note="Orang lain dengan nama dan tanggal lahir serupa; dicek dengan KTP di desa.",
            actor=decider,
        )
        decided += 1
    return {"daftar_lain_cocok": len(matches), "daftar_lain_diputuskan": decided}


def verification_rounds(
    *, proposal: Any, operator: Any, verifier: Any, data_dir: Path, seed: int
) -> dict[str, int]:
    """Disdukcapil's rounds, a synthetic answer file each, until nobody proposed is left
    unanswered (every rejection pulls the next from the waiting list into a new round)."""
    from payung.core.models import JobStatus
    from payung.engine import dukcapil_response_write
    from payung.participants.models import CandidateState
    from payung.verification.services import (
        answer_import_create,
        answer_import_execute,
        batch_create,
        batch_request_file,
    )

    folder = data_dir / "verifikasi"
    folder.mkdir(exist_ok=True)
    totals: dict[str, int] = {"tahap": 0, "tidak_cocok": 0}
    while proposal.candidates.filter(state=CandidateState.PROPOSED).exists():
        batch = batch_create(proposal=proposal, actor=operator)
        request = batch_request_file(batch=batch, fmt="xlsx", actor=verifier)
        request_path = folder / request.filename
        request_path.write_bytes(request.content)
        answer_path, _counts = dukcapil_response_write(
            request=request_path,
            out=folder / f"jawaban-tahap-{batch.number}.xlsx",
            seed=seed + batch.number,
            unmatched=1 if batch.number == 1 else 0,
        )
        with answer_path.open("rb") as fh:
            job = answer_import_create(
                batch=batch, uploaded=File(fh, name=answer_path.name), actor=verifier
            )
        # The page queues the file as a background job; the demo runs that job's service
        # here, and not the whole queue: the documents queued before it are the served
        # worker's (the queued task finds the job done and returns).
        answer_import_execute(answer_import=job)
        job.refresh_from_db()
        if job.status != JobStatus.DONE:
            raise RuntimeError(f"demo answer file failed: {job.error_message}")
        report = job.report
        totals["tahap"] += 1
        totals["tidak_cocok"] += len(report["unmatched"])
        for answer, n in report["applied"].items():
            totals[answer] = totals.get(answer, 0) + n
    return totals


#: The demo's cooperation agreement with the BPJS branch (Pasal 6 ayat (4)-(5), 9 ayat (3)).
DEMO_PKS_NUMBER = "560/PKS.01-Disnakertrans/2025"
DEMO_BRANCH = "BPJS Ketenagakerjaan Kantor Cabang Pandeglang"
DEMO_SP2D = "36.01/04.0/{n:06d}/LS/2.07.0.00.0.00.01.0000/M/{month}/{year}"
DEMO_ACCOUNT = "5.1.02.01.01.0052"
#: How many of the first batch's cards the demo hands over (one by one, two in three).
DEMO_CARDS_HANDED = 300


def demo_through_year(
    *, year: Any, data_dir: Path, seed: int, say: Callable[[str], None]
) -> dict[str, int]:
    """From the signed decree through the first quarter, in the order it happens.

    Pasal 8: the PKS, the first registration batch with BPJS's (synthetic) answer, uploaded
    by the petugas BPJS and applied by the second operator kepesertaan; BPJS's refusals
    leave the year and their places go down the waiting list. Pasal 9: January is billed.
    The replacements are verified by Disdukcapil, fixed by an amending decree in February
    and registered with cover from mid-February, after February was billed; a participant
    dies on 10 March; the March bill therefore carries February's correction lines. Two SP2D
    payments (February's partial), a reconciliation with BPJS's synthetic invoice in which
    every difference is decided, and cards of the first batch partly handed over.
    """
    from payung.accounts.models import User
    from payung.contributions.payments import payment_confirm, payment_record
    from payung.contributions.services import bill_issue
    from payung.decrees.services import decree_amendment_draft, decree_record_signed
    from payung.participants.models import Candidate, CandidateState, EndReason
    from payung.participants.services import participant_end
    from payung.programmes.services import cooperation_agreement_record

    users = {u.username: u for u in User.objects.all()}
    drafter, recorder = users["disnaker.kepesertaan"], users["disnaker.kepesertaan2"]
    bendahara, bendahara2 = users["disnaker.bendahara"], users["disnaker.bendahara2"]
    y = year.year
    proposal = year.proposal
    totals: dict[str, int] = {}

    say(_("9/20 Perjanjian kerja sama dan pendaftaran peserta ke BPJS Ketenagakerjaan..."))
    cooperation_agreement_record(
        programme_year=year,
        actor=drafter,
        number=DEMO_PKS_NUMBER,
        signed_on=date(y - 1, 12, 20),
        branch_office=DEMO_BRANCH,
        period_start=date(y, 1, 1),
        period_end=date(y, 12, 31),
        coverage_start=date(y, 1, 1),
        billing_period="bulanan",
    )
    first_batch = _demo_register(year=year, data_dir=data_dir, seed=seed, start=None, totals=totals)
    bills = [
        bill_issue(
            programme_year=year,
            first_month=date(y, 1, 1),
            last_month=date(y, 1, 1),
            actor=bendahara,
        )
    ]

    totals["pengganti"] = proposal.candidates.filter(state=CandidateState.PROPOSED).count()
    say(_("10/20 Pengganti peserta yang ditolak BPJS: verifikasi, keputusan perubahan..."))
    if totals["pengganti"]:
        verification_rounds(
            proposal=proposal,
            operator=users["dinsos.operator"],
            verifier=users["dukcapil.verifikator"],
            data_dir=data_dir,
            seed=seed + 100,
        )
        draft = decree_amendment_draft(programme_year=year, actor=drafter, on=date(y, 1, 28))
        number = DEMO_DECREE_NUMBER.format(n=draft.pk, year=y)
        with ContentFile(_demo_scan(number), name="sk-perubahan-ditandatangani.pdf") as scan:
            decree_record_signed(
                decree=draft,
                actor=recorder,
                number=number,
                signed_on=date(y, 2, 10),
                signer_name="BUPATI PANDEGLANG (DEMO)",
                scan=scan,
            )
        totals["keputusan_perubahan"] = 1
    # February is billed before BPJS records the replacements (cover from 16 February).
    bills.append(
        bill_issue(
            programme_year=year,
            first_month=date(y, 2, 1),
            last_month=date(y, 2, 1),
            actor=bendahara,
        )
    )
    if totals["pengganti"]:
        _demo_register(year=year, data_dir=data_dir, seed=seed, start=date(y, 2, 16), totals=totals)
    totals["kartu_diserahkan"] = _demo_cards(batch=first_batch, actor=users["bpjs.petugas"])

    say(_("11/20 Iuran Januari-Maret: tagihan, SP2D, dan rekonsiliasi dengan tagihan BPJS..."))
    deceased = (
        Candidate.objects.filter(proposal=proposal, state=CandidateState.ACTIVE)
        .order_by("rank")
        .first()
    )
    if deceased is not None:
        participant_end(
            candidate=deceased,
            actor=drafter,
            on=date(y, 3, 10),
            reason_code=EndReason.MENINGGAL,
            reason=_("Meninggal dunia; dilaporkan keluarga dengan akta kematian."),
            evidence={"sumber": "laporan keluarga (demo)"},
        )
        totals["meninggal"] = 1
    bills.append(
        bill_issue(
            programme_year=year,
            first_month=date(y, 3, 1),
            last_month=date(y, 3, 1),
            actor=bendahara,
        )
    )
    apbd = year.budget_lines.get(source="apbd")
    january = payment_record(
        bill=bills[0],
        sp2d_number=DEMO_SP2D.format(n=101, month=1, year=y),
        paid_on=date(y, 1, 12),
        amount=bills[0].total,
        actor=bendahara,
        account_code=DEMO_ACCOUNT,
        budget_line=apbd,
        note=_("Iuran JKK dan JKM pekerja rentan bulan Januari"),
    )
    payment_confirm(payment=january, actor=bendahara2)
    part = bills[1].total - bills[1].total // 4
    february = payment_record(
        bill=bills[1],
        sp2d_number=DEMO_SP2D.format(n=187, month=2, year=y),
        paid_on=date(y, 2, 13),
        amount=part,
        actor=bendahara,
        account_code=DEMO_ACCOUNT,
        budget_line=apbd,
        note=_("Iuran JKK dan JKM pekerja rentan bulan Februari (sebagian)"),
        explanation=_(
            "Kas daerah belum mencukupi seluruh tagihan; sisanya dibayar sesudah pergeseran "
            "anggaran."
        ),
        remainder_due_on=date(y, 3, 15),
    )
    payment_confirm(payment=february, actor=bendahara2)
    totals["sp2d"] = 2
    totals.update(_demo_reconcile(year=year, data_dir=data_dir, seed=seed, actor=bendahara))
    totals["tagihan"] = len(bills)
    totals["aktif"] = proposal.candidates.filter(state=CandidateState.ACTIVE).count()
    return totals


def demo_replacements(
    *, year: Any, data_dir: Path, seed: int, say: Callable[[str], None]
) -> dict[str, int]:
    """The places freed by the ends, refilled on 1 May as far as the remaining pagu pays for
    May to December (Pasal 6 ayat (2)): the operator pendataan proposes from the waiting
    list in rank order (each re-checked), Disdukcapil verifies them, the Regent signs the
    amending decree in May, and BPJS registers them with cover from 1 June.
    """
    from django.core.exceptions import ValidationError

    from payung.accounts.models import User
    from payung.decrees.services import decree_amendment_draft, decree_record_signed
    from payung.participants.models import CandidateState
    from payung.participants.replacements import replacements_propose

    users = {u.username: u for u in User.objects.all()}
    y = year.year
    proposal = year.proposal
    try:
        result = replacements_propose(
            programme_year=year, actor=users["dinsos.operator"], today=date(y, 5, 1)
        )
    except ValidationError as refused:
        say(_("Pengganti dari sisa pagu: tidak ada ({why})").format(why=" ".join(refused.messages)))
        return {}
    totals: dict[str, int] = {
        "pengganti_sisa_pagu": len(result.proposed),
        "pengganti_ditolak_periksa_ulang": len(result.refused),
    }
    if result.proposed:
        verification_rounds(
            proposal=proposal,
            operator=users["dinsos.operator"],
            verifier=users["dukcapil.verifikator"],
            data_dir=data_dir,
            seed=seed + 200,
        )
        drafter, recorder = users["disnaker.kepesertaan"], users["disnaker.kepesertaan2"]
        draft = decree_amendment_draft(programme_year=year, actor=drafter, on=date(y, 5, 8))
        number = DEMO_DECREE_NUMBER.format(n=draft.pk, year=y)
        with ContentFile(_demo_scan(number), name="sk-perubahan-mei-ditandatangani.pdf") as scan:
            decree_record_signed(
                decree=draft,
                actor=recorder,
                number=number,
                signed_on=date(y, 5, 15),
                signer_name="BUPATI PANDEGLANG (DEMO)",
                scan=scan,
            )
        registered: dict[str, int] = {}
        _demo_register(
            year=year, data_dir=data_dir, seed=seed + 200, start=date(y, 6, 1), totals=registered
        )
        totals["pengganti_sisa_pagu_terdaftar"] = proposal.candidates.filter(
            pk__in=result.proposed,
            state__in=[CandidateState.REGISTERED, CandidateState.ACTIVE],
        ).count()
    say(
        _(
            "Pengganti dari sisa pagu (1 Mei, {months} bulan tersisa): {n} diusulkan, "
            "{refused} ditolak saat diperiksa ulang, keputusan perubahan ditandatangani, "
            "{registered} terdaftar di BPJS."
        ).format(
            months=result.figures.months_left,
            n=totals["pengganti_sisa_pagu"],
            refused=totals["pengganti_ditolak_periksa_ulang"],
            registered=totals.get("pengganti_sisa_pagu_terdaftar", 0),
        )
    )
    return totals


def _demo_register(
    *, year: Any, data_dir: Path, seed: int, start: date | None, totals: dict[str, int]
) -> Any:
    """One registration batch: the file out, BPJS's synthetic answer in, checked, applied by
    a second person; cover starts on ``start`` (None: the PKS's)."""
    from django.utils import timezone

    from payung.accounts.models import User
    from payung.engine import bpjs_response_write
    from payung.enrollment.models import RegistrationAnswer
    from payung.enrollment.services import (
        registration_activate_due,
        registration_answer_apply,
        registration_answer_check,
        registration_answer_create,
        registration_batch_create,
        registration_request_file,
    )

    users = {u.username: u for u in User.objects.all()}
    folder = data_dir / "pendaftaran"
    folder.mkdir(exist_ok=True)
    batch = registration_batch_create(programme_year=year, actor=users["disnaker.kepesertaan"])
    request = registration_request_file(
        batch=batch, fmt="xlsx", actor=users["disnaker.kepesertaan"]
    )
    request_path = folder / request.filename
    request_path.write_bytes(request.content)
    answer_path, counts = bpjs_response_write(
        request=request_path,
        out=folder / f"jawaban-bpjs-tahap-{batch.number}.xlsx",
        today=start or date(year.year, 1, 1),
        seed=seed + batch.number,
        start=start,
    )
    with answer_path.open("rb") as fh:
        answer = registration_answer_create(
            batch=batch, uploaded=File(fh, name=answer_path.name), actor=users["bpjs.petugas"]
        )
    # The page queues the check; the demo runs the job's service here (see demo_decree).
    registration_answer_check(answer=answer)
    answer.refresh_from_db()
    if answer.stage != RegistrationAnswer.Stage.AWAITING:
        raise RuntimeError(f"demo BPJS answer refused: {answer.error_message or answer.errors[:3]}")
    registration_answer_apply(answer=answer, actor=users["disnaker.kepesertaan2"])
    registration_activate_due(today=timezone.localdate())
    for key, n in counts.items():
        totals[key] = totals.get(key, 0) + n
    return batch


def _demo_cards(*, batch: Any, actor: Any) -> int:
    """BPJS hands over the first batch's cards; some reach the person (Pasal 8 ayat (4)), the
    rest stay on the list of the undistributed. Dated today: a card cannot be
    received before its batch was made, and the demo makes its batches today."""
    from django.utils import timezone

    from payung.enrollment.cards import cards_deliver, cards_receive_batch
    from payung.enrollment.models import Card

    today = timezone.localdate()
    cards_receive_batch(batch=batch, actor=actor, received_on=today)
    cards = Card.objects.filter(candidate__registration_items__batch=batch).select_related(
        "candidate"
    )
    # The first 300 in rank order are handed over, two in three (one round by the villages,
    # one by the kecamatan); the rest wait.
    first = [card.candidate for card in cards.order_by("candidate__rank")[:DEMO_CARDS_HANDED]]
    delivered = 0
    for offset, channel in enumerate(("desa", "kecamatan")):
        delivered += cards_deliver(
            candidates=first[offset::3],
            actor=actor,
            delivered_on=today,
            channel=channel,
            delivered_by="Petugas Demo",
        )
    return delivered


def _demo_reconcile(*, year: Any, data_dir: Path, seed: int, actor: Any) -> dict[str, int]:
    """BPJS's synthetic invoice for January-March, reconciled; each difference decided."""
    import csv

    from payung.contributions.models import ReconciliationLine
    from payung.contributions.reconciliation import reconciliation_close, reconciliation_decide
    from payung.contributions.reconciliation_imports import (
        reconciliation_import_create,
        reconciliation_import_execute,
    )
    from payung.core.models import JobStatus
    from payung.engine import bpjs_invoice_write
    from payung.participants.models import CoveragePeriod
    from payung.programmes.selectors import programme_year_policy

    y = year.year
    folder = data_dir / "iuran"
    folder.mkdir(exist_ok=True)
    roster = folder / "daftar-peserta.csv"
    periods = (
        CoveragePeriod.objects.filter(candidate__proposal__programme_year=year)
        .select_related("candidate__person")
        .order_by("candidate__rank", "start")
    )
    with roster.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["NIK", "KPJ", "NAMA", "TANGGAL_MULAI", "TANGGAL_BERAKHIR"])
        for p in periods:
            writer.writerow(
                [
                    p.candidate.nik,
                    p.candidate.kpj,
                    p.candidate.person.nama,
                    p.start.isoformat(),
                    p.end.isoformat() if p.end else "",
                ]
            )
    roster.chmod(0o600)
    invoice, _counts = bpjs_invoice_write(
        roster=roster,
        first=date(y, 1, 1),
        last=date(y, 3, 1),
        contribution=programme_year_policy(programme_year=year).contribution,
        out=folder / "tagihan-bpjs-januari-maret.xlsx",
        seed=seed,
    )
    with invoice.open("rb") as fh:
        job = reconciliation_import_create(
            programme_year=year,
            first_month=date(y, 1, 1),
            last_month=date(y, 3, 1),
            uploaded=File(fh, name=invoice.name),
            actor=actor,
        )
    # The page queues the invoice as a background job; the demo runs that job's service here
    # (the queued task later finds the job done and returns), as for Disdukcapil's answers.
    reconciliation_import_execute(reconciliation_import=job)
    job.refresh_from_db()
    if job.status != JobStatus.DONE or job.reconciliation is None:
        raise RuntimeError(f"demo BPJS invoice failed: {job.error_message}")
    rec = job.reconciliation
    decisions = {
        ReconciliationLine.Category.SELISIH: _("Selisih tarif: minta koreksi tagihan BPJS"),
        ReconciliationLine.Category.HANYA_BPJS: _(
            "BPJS belum memproses pemberhentian: ajukan koreksi"
        ),
        ReconciliationLine.Category.HANYA_PAYUNG: _("Peserta pengganti belum tercatat di BPJS"),
    }
    for category, text in decisions.items():
        if rec.lines.filter(category=category).exists():
            reconciliation_decide(reconciliation=rec, decision=text, actor=actor, category=category)
    reconciliation_close(reconciliation=rec, actor=actor)
    return {f"rekonsiliasi_{k}": v["count"] for k, v in rec.summary.items()}


def _demo_scan(number: str) -> bytes:
    """A one-page PDF standing in for the scan of the signed decree."""
    import weasyprint

    html = (
        "<h1>SALINAN DEMO</h1><p>Keputusan Bupati Pandeglang Nomor "
        f"{number}</p><p>Dokumen ini dibuat oleh payung demo; bukan dokumen resmi.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()
