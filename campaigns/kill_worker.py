"""Kill campaign: SIGKILL a real ``payung worker`` at random points and check every job ends well.

Issue 17: a worker killed mid-import or mid-screening used to leave the job "Berjalan" for
ever. This campaign runs the real worker process (``payung worker``, i.e. django-tasks-db's
``db_worker`` with Payung's reaper) against a temporary SQLite database, keeps imports
(``payung synth`` extracts), screenings and document builds queued, kills the worker with
SIGKILL after a random delay, restarts it, and retries what the restarted worker reaped. At
the end every job must be DONE: never stuck (QUEUED/RUNNING), never failed for a reason
other than the dead worker, never partial or duplicated (persons per import = rows of its
file, decisions per run = persons of its import, a document's file matches its SHA-256).

    python -m campaigns.kill_worker [--kills 50] [--seed 1] [--rows 2000]

Prints kills, jobs, stuck, partial, seconds and exits 1 if any job is stuck, partial or
failed otherwise. Everything is synthetic; the temporary folder is removed unless --keep.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

#: Short enough that a campaign of 50 kills takes minutes; the worker's pid check (same
#: host) reaps at once anyway, the heartbeat covers workers on other hosts.
HEARTBEAT_SECONDS = "0.5"
STALE_SECONDS = "5"


@dataclass
class Tally:
    kills: int = 0
    kills_mid_job: int = 0
    reaped: int = 0
    retries: int = 0
    stuck: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    failed_otherwise: list[str] = field(default_factory=list)


def _setup_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # the campaign's own SQLite file, never a real database
    env.update(
        {
            "PAYUNG_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "payung.web.settings",
            "PAYUNG_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PAYUNG_JOB_HEARTBEAT_SECONDS": HEARTBEAT_SECONDS,
            "PAYUNG_JOB_STALE_SECONDS": STALE_SECONDS,
            "PAYUNG_DEBUG": "0",
        }
    )
    os.environ.clear()
    os.environ.update(env)
    return env


class Campaign:
    """The web side of the campaign: enqueues jobs through the services, checks the rows."""

    def __init__(self, *, data_dir: Path, rows: int, rng: random.Random) -> None:
        from payung.accounts.models import User
        from payung.accounts.services import demo_users_create
        from payung.programmes.services import programme_year_create

        self.data_dir, self.rows, self.rng = data_dir, rows, rng
        demo_users_create()
        self.operator = User.objects.get(username="dinsos.operator")
        self.approver = User.objects.get(username="dinsos.operator2")
        self.year = programme_year_create(
            created_by=self.operator,
            year=2026,
            policy_id="pandeglang-2025",
            as_of=date(2026, 1, 1),
            coverage_months=12,
            budgets={"apbd": 16_800 * 12 * max(10, rows // 10)},
        )
        self.file_rows: dict[int, int] = {}  # import pk -> data rows of its file
        self.files = 0
        self.proposal: Any = None

    # --- enqueue -----------------------------------------------------------------------

    def import_enqueue(self) -> None:
        from django.core.files import File

        from payung.engine.synth import synth_write
        from payung.registry.services import dtsen_import_create

        self.files += 1
        path = synth_write(
            rows=self.rows,
            seed=self.rng.randrange(1, 10**9),
            out=self.data_dir / "synth" / f"dtsen-{self.files}.csv",
        )
        with path.open("rb") as fh:
            imp = dtsen_import_create(
                programme_year=self.year,
                uploaded_file=File(fh, name=path.name),
                uploaded_by=self.operator,
            )
        self.file_rows[imp.pk] = self.rows

    def screening_enqueue(self) -> bool:
        from django.core.exceptions import ValidationError

        from payung.core.jobs import BUSY
        from payung.core.models import JobStatus
        from payung.registry.models import DtsenImport
        from payung.screening.models import ScreeningRun
        from payung.screening.services import screening_run_start

        busy = ScreeningRun.objects.filter(status__in=BUSY).values_list("dtsen_import_id")
        done = list(
            DtsenImport.objects.filter(status=JobStatus.DONE).exclude(pk__in=busy).order_by("pk")
        )
        if not done:
            return False
        chosen = self.rng.choice(done)
        try:
            screening_run_start(
                programme_year=self.year, dtsen_import=chosen, started_by=self.operator
            )
        except ValidationError as exc:
            if getattr(exc, "code", "") != "import_overlap_unconfirmed":
                raise
            # Synthetic extracts share people; the operator confirms the overlap first.
            from payung.registry.services import dtsen_import_overlap_confirm

            dtsen_import_overlap_confirm(dtsen_import=chosen, actor=self.operator)
            chosen.refresh_from_db()
            screening_run_start(
                programme_year=self.year, dtsen_import=chosen, started_by=self.operator
            )
        return True

    def documents_enqueue(self) -> bool:
        """Berita acara (DOCX and PDF) of a proposal made once from a finished run."""
        from payung.core.models import JobStatus
        from payung.participants.services import berita_acara_request, proposal_create
        from payung.screening.models import ScreeningRun

        if self.proposal is None:
            run = ScreeningRun.objects.filter(status=JobStatus.DONE).order_by("pk").first()
            if run is None:
                return False
            self.proposal = proposal_create(run=run, actor=self.operator, place="Pandeglang")
            return True  # proposal_create queues the draft berita acara itself
        berita_acara_request(proposal=self.proposal, actor=self.operator)
        return True

    def top_up(self) -> None:
        """Keep a few jobs of each kind waiting, so a kill lands mid-job most of the time."""
        from payung.core.jobs import BUSY
        from payung.documents.models import Document
        from payung.registry.models import DtsenImport
        from payung.screening.models import ScreeningRun

        if DtsenImport.objects.filter(status__in=BUSY).count() < 2:
            self.import_enqueue()
        if ScreeningRun.objects.filter(status__in=BUSY).count() < 1:
            self.screening_enqueue()
        if Document.objects.filter(status__in=BUSY).count() < 2:
            self.documents_enqueue()

    # --- after a kill ----------------------------------------------------------------------

    def retry_reaped(self, tally: Tally) -> None:
        """Retry, as the operator would, every job the worker reaped; others are failures."""
        from payung.core.jobs import DEAD_WORKER_REASON, job_models, job_retry
        from payung.core.models import JobStatus

        for model in job_models():
            for job in model.objects.filter(status=JobStatus.FAILED):
                label = f"{model._meta.model_name}#{job.pk}"
                if job.error_message != DEAD_WORKER_REASON:
                    if label not in tally.failed_otherwise:
                        tally.failed_otherwise.append(label)
                    continue
                self.check_empty(job, tally)
                job_retry(job=job, actor=self.operator)
                tally.retries += 1

    def check_empty(self, job: Any, tally: Tally) -> None:
        """A job killed mid-way left nothing: no persons, no decisions."""
        from payung.registry.models import DtsenImport, Household, Person
        from payung.screening.models import Decision, ScreeningRun

        label = f"{job._meta.model_name}#{job.pk}"
        if isinstance(job, DtsenImport):
            left = Person.objects.filter(dtsen_import_id=job.pk).count()
            left += Household.objects.filter(dtsen_import_id=job.pk).count()
        elif isinstance(job, ScreeningRun):
            left = Decision.objects.filter(run_id=job.pk).count()
        else:
            left = 0
        if left:
            tally.partial.append(f"{label}: {left} rows left by a killed attempt")

    # --- the end ------------------------------------------------------------------------------

    def check_final(self, tally: Tally) -> int:
        """Every job DONE and whole; returns how many jobs there were."""
        from payung.core.jobs import job_models
        from payung.core.models import JobStatus
        from payung.documents.models import Document
        from payung.registry.models import DtsenImport, Household, Person
        from payung.screening.models import Decision, ScreeningRun

        jobs = 0
        for model in job_models():
            for job in model.objects.all():
                jobs += 1
                label = f"{model._meta.model_name}#{job.pk}"
                if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
                    tally.stuck.append(label)
                elif job.status == JobStatus.FAILED and label not in tally.failed_otherwise:
                    tally.failed_otherwise.append(label)
        for imp in DtsenImport.objects.filter(status=JobStatus.DONE):
            persons = Person.objects.filter(dtsen_import_id=imp.pk).count()
            expected = self.file_rows.get(imp.pk)
            if persons != expected or imp.row_count != expected:
                tally.partial.append(f"import#{imp.pk}: {persons} persons, file {expected}")
            households = Household.objects.filter(dtsen_import_id=imp.pk).count()
            if households != imp.household_count:
                tally.partial.append(f"import#{imp.pk}: {households} households")
        for run in ScreeningRun.objects.filter(status=JobStatus.DONE):
            decisions = Decision.objects.filter(run_id=run.pk).count()
            persons = Person.objects.filter(dtsen_import_id=run.dtsen_import_id).count()
            if decisions != persons or sum(run.counts["by_status"].values()) != persons:
                tally.partial.append(f"run#{run.pk}: {decisions} decisions, {persons} persons")
        for document in Document.objects.filter(status=JobStatus.DONE):
            path = Path(document.stored_path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
            if digest != document.sha256:
                tally.partial.append(f"document#{document.pk}: file does not match SHA-256")
        return jobs


def _worker_start(env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "payung.cli", "worker", "--interval", "0.1"]
    command += ["--no-startup-delay", "--no-reload"]
    return subprocess.Popen(command, env=env, stdout=log, stderr=log)


def _busy_jobs() -> int:
    from payung.core.jobs import BUSY, job_models

    return sum(m.objects.filter(status__in=BUSY).count() for m in job_models())


def _done_jobs() -> int:
    from payung.core.jobs import job_models
    from payung.core.models import JobStatus

    return sum(m.objects.filter(status=JobStatus.DONE).count() for m in job_models())


def _wait_done(target: int, worker: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.poll() is None and _done_jobs() < target:
        time.sleep(0.1)


def _running_jobs() -> int:
    from payung.core.jobs import job_models
    from payung.core.models import JobStatus

    return sum(m.objects.filter(status=JobStatus.RUNNING).count() for m in job_models())


def _reaped_count() -> int:
    from payung.audit.models import AuditEntry

    return AuditEntry.objects.filter(action__endswith="_reap").count()


def campaign_run(
    *, kills: int, seed: int, rows: int, keep: bool = False, max_delay: float = 4.0
) -> tuple[Tally, int, float]:
    """Run the campaign; returns the tally, the number of jobs and the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    data_dir = Path(tempfile.mkdtemp(prefix="payung-kill-"))
    env = _setup_env(data_dir)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    campaign = Campaign(data_dir=data_dir, rows=rows, rng=rng)
    tally = Tally()
    log = (data_dir / "worker.log").open("ab")
    try:
        while tally.kills < kills:
            campaign.retry_reaped(tally)
            campaign.top_up()
            worker = _worker_start(env, log)
            # The new worker reaps, as it starts, every job the last one held when killed.
            _wait_reaped(tally)
            if rng.random() < 0.5:
                time.sleep(rng.uniform(0.2, max_delay))
            else:  # let a job finish first, so the campaign moves on to screenings, documents
                _wait_done(_done_jobs() + 1, worker)
                time.sleep(rng.uniform(0.0, 1.5))
            mid_job = _running_jobs() > 0
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            tally.kills += 1
            tally.kills_mid_job += int(mid_job)
        # Drain: one worker left alone until nothing is queued or running.
        worker = _worker_start(env, log)
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and worker.poll() is None:
                campaign.retry_reaped(tally)
                if _busy_jobs() == 0:
                    break
                time.sleep(0.5)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        tally.reaped = _reaped_count()
        jobs = campaign.check_final(tally)
    finally:
        log.close()
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data: {data_dir}")
    return tally, jobs, time.perf_counter() - started


def _wait_reaped(tally: Tally, timeout: float = 60.0) -> None:
    """Until no job is RUNNING under a dead worker: the restarted worker reaps at start."""
    from payung.core.jobs import job_models, worker_alive
    from payung.core.models import JobStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        orphans = [
            job
            for model in job_models()
            for job in model.objects.filter(status=JobStatus.RUNNING)
            if job.lease and worker_alive(job.lease) is False
        ]
        if not orphans:
            return
        time.sleep(0.1)
    tally.stuck.extend(f"{j._meta.model_name}#{j.pk} (not reaped)" for j in orphans)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m campaigns.kill_worker")
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--max-delay", type=float, default=4.0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    tally, jobs, seconds = campaign_run(
        kills=args.kills, seed=args.seed, rows=args.rows, keep=args.keep, max_delay=args.max_delay
    )
    print(
        f"kills={tally.kills} mid_job={tally.kills_mid_job} jobs={jobs} reaped={tally.reaped} "
        f"retries={tally.retries} stuck={len(tally.stuck)} partial={len(tally.partial)} "
        f"failed_otherwise={len(tally.failed_otherwise)} seconds={seconds:.1f}"
    )
    for label in (*tally.stuck, *tally.partial, *tally.failed_otherwise):
        print(f"  {label}")
    return 1 if tally.stuck or tally.partial or tally.failed_otherwise else 0


if __name__ == "__main__":
    raise SystemExit(main())
