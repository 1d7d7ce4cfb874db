"""The demo regency: everything ``payung demo`` builds, through the real services and queue.

Kept out of the CLI so the steps are the same functions the web pages call, and a test can
run the whole build on a small extract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.management import call_command

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


def _run_queue() -> None:
    """Work off every queued task with the real worker, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.2", verbosity=0)


def demo_build(
    *, data_dir: Path, rows: int, seed: int, budget: int, as_of: date, say: Callable[[str], None]
) -> DemoResult:
    """Users, the 2026 programme year, an imported and screened synthetic extract."""
    from payung.accounts.models import User
    from payung.accounts.services import demo_users_create
    from payung.core.models import JobStatus
    from payung.engine import synth_write
    from payung.programmes.services import programme_year_create
    from payung.registry.services import dtsen_import_create
    from payung.screening.services import screening_run_start

    say(_("2/8 Membuat pengguna untuk setiap peran..."))
    users = demo_users_create()
    operator = User.objects.get(username="dinsos.operator")

    say(_("3/8 Membuat tahun program {year} Kabupaten Pandeglang...").format(year=DEMO_YEAR))
    year = programme_year_create(
        created_by=operator,
        year=DEMO_YEAR,
        policy_id=DEMO_POLICY,
        as_of=as_of,
        coverage_months=12,
        budgets={"apbd": budget},
    )

    say(_("4/8 Membuat dan mengimpor ekstrak DTSEN sintetis ({rows} baris)...").format(rows=rows))
    extract = synth_write(rows=rows, seed=seed, out=data_dir / "dtsen-pandeglang-sintetis.csv")
    with extract.open("rb") as fh:
        imp = dtsen_import_create(
            programme_year=year, uploaded_file=File(fh, name=extract.name), uploaded_by=operator
        )
    _run_queue()
    imp.refresh_from_db()
    if imp.status != JobStatus.DONE:
        raise RuntimeError(f"demo import failed: {imp.error_message}")

    say(_("5/8 Menyaring menurut Perbup Pandeglang 63/2025..."))
    run = screening_run_start(programme_year=year, dtsen_import=imp, started_by=operator)
    _run_queue()
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise RuntimeError(f"demo screening failed: {run.error_message}")
    verification, number = demo_decree(run=run, data_dir=data_dir, seed=seed, say=say)
    return DemoResult(
        users=users,
        year=year,
        quota=run.quota or 0,
        counts=run.counts,
        verification=verification,
        decree_number=number,
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
    from payung.core.models import JobStatus
    from payung.decrees.services import decree_draft, decree_record_signed, team_member_add
    from payung.engine import dukcapil_response_write
    from payung.participants.models import CandidateState
    from payung.participants.services import proposal_approve, proposal_create
    from payung.verification.services import (
        answer_import_create,
        answer_import_execute,
        batch_create,
        batch_request_file,
    )

    users = {u.username: u for u in User.objects.all()}
    operator, operator2 = users["dinsos.operator"], users["dinsos.operator2"]
    verifier = users["dukcapil.verifikator"]
    drafter, recorder = users["disnaker.kepesertaan"], users["disnaker.kepesertaan2"]
    year = run.programme_year

    say(_("6/8 Menyusun tim, usulan calon peserta dan berita acara..."))
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

    say(_("7/8 Verifikasi dan validasi Disdukcapil (berkas keluar, jawaban sintetis masuk)..."))
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

    say(_("8/8 Rancangan keputusan, dan keputusan Bupati yang ditandatangani..."))
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
    return totals, number


def _demo_scan(number: str) -> bytes:
    """A one-page PDF standing in for the scan of the signed decree."""
    import weasyprint

    html = (
        "<h1>SALINAN DEMO</h1><p>Keputusan Bupati Pandeglang Nomor "
        f"{number}</p><p>Dokumen ini dibuat oleh payung demo; bukan dokumen resmi.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()
