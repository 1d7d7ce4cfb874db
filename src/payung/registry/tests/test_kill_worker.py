"""The kill campaign in small: a real ``payung worker`` SIGKILLed mid-job, three times.

``python -m campaigns.kill_worker`` (50 kills and more) is the campaign itself; this runs it
with three kills on every test run, so dead-worker recovery is exercised by killing a real
process, not only by leases made up in ``test_jobs.py``. It uses its own temporary SQLite
database and worker processes, never the test database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def test_jobs_of_a_killed_worker_end_done_after_retry_never_stuck_or_partial() -> None:
    assert (REPO / "campaigns" / "kill_worker.py").is_file()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "campaigns.kill_worker", "--kills", "3", "--seed", "3"]
    result = subprocess.run(
        [*command, "--rows", "1500", "--max-delay", "3"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    counts = dict(re.findall(r"(\w+)=([\d.]+)", summary))
    assert int(counts["kills"]) >= 3
    assert int(counts["jobs"]) >= 1
    assert counts["stuck"] == counts["partial"] == counts["failed_otherwise"] == "0"
