"""The demo regency: everything ``payung demo`` builds, through the real services and queue.

Kept out of the CLI so the steps are the same functions the web pages call, and a test can
run the whole build on a small extract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management import call_command

from payung.i18n import _

DEMO_POLICY = "pandeglang-2025"
DEMO_YEAR = 2026


@dataclass(frozen=True)
class DemoResult:
    users: list[tuple[str, str, str]]
    year: Any
    quota: int
    counts: dict[str, Any]


def _run_queue() -> None:
    """Work off every queued task with the real worker, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.2", verbosity=0)


def demo_build(
    *, data_dir: Path, rows: int, seed: int, budget: int, as_of: date, say: Callable[[str], None]
) -> DemoResult:
    """Users, the 2026 programme year, an imported and screened synthetic extract."""
    from payung.accounts.models import User
    from payung.accounts.services import demo_users_create
    from payung.engine.synth import synth_write
    from payung.registry.models import JobStatus
    from payung.registry.services import dtsen_import_create, programme_year_create
    from payung.screening.services import screening_run_start

    say(_("2/5 Membuat pengguna untuk setiap peran..."))
    users = demo_users_create()
    operator = User.objects.get(username="dinsos.operator")

    say(_("3/5 Membuat tahun program {year} Kabupaten Pandeglang...").format(year=DEMO_YEAR))
    year = programme_year_create(
        created_by=operator,
        year=DEMO_YEAR,
        policy_id=DEMO_POLICY,
        as_of=as_of,
        coverage_months=12,
        budgets={"apbd": budget},
    )

    say(_("4/5 Membuat dan mengimpor ekstrak DTSEN sintetis ({rows} baris)...").format(rows=rows))
    extract = synth_write(rows=rows, seed=seed, out=data_dir / "dtsen-pandeglang-sintetis.csv")
    with extract.open("rb") as fh:
        imp = dtsen_import_create(
            programme_year=year, uploaded_file=File(fh, name=extract.name), uploaded_by=operator
        )
    _run_queue()
    imp.refresh_from_db()
    if imp.status != JobStatus.DONE:
        raise RuntimeError(f"demo import failed: {imp.error_message}")

    say(_("5/5 Menyaring menurut Perbup Pandeglang 63/2025..."))
    run = screening_run_start(programme_year=year, dtsen_import=imp, started_by=operator)
    _run_queue()
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise RuntimeError(f"demo screening failed: {run.error_message}")
    return DemoResult(users=users, year=year, quota=run.quota or 0, counts=run.counts)
