"""The "Tugas Anda" line every stage returns (issue 9)."""

from __future__ import annotations

from typing import Any

import pytest

from payung.core.worklist import Task, task_sort


def test_tasks_sort_the_urgent_first_and_keep_the_stage_order_otherwise() -> None:
    first = Task(text="Unggah ekstrak", url="/a/")
    late = Task(text="Tagihan lewat jatuh tempo", url="/b/", level="error")
    second = Task(text="Jawab tahap", url="/c/", count=1250, level="warning")
    third = Task(text="Serahkan kartu", url="/d/")
    assert task_sort([first, late, second, third]) == [late, second, first, third]


def test_a_count_is_printed_as_every_page_prints_numbers() -> None:
    assert Task(text="x", url="/", count=48210).count_text == "48.210"
    assert Task(text="x", url="/").count_text == ""


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        Task(text="x", url="/", level="urgent")


def test_a_memoised_figure_is_recounted_only_when_its_version_changes() -> None:
    from payung.core.worklist import worklist_memo

    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert worklist_memo(key="uji-memo", version=("2026-12-02", 7), compute=compute) == 1
    assert worklist_memo(key="uji-memo", version=("2026-12-02", 7), compute=compute) == 1
    assert worklist_memo(key="uji-memo", version=("2026-12-02", 8), compute=compute) == 2
    assert len(calls) == 2


SHARED_PROBE = """
import json, sys
import django
django.setup()
from payung.core.worklist import worklist_memo

def compute(value):
    def run():
        print("computed", file=sys.stderr)
        return value
    return run

value = int(sys.argv[1])
shared = worklist_memo(key="uji-bersama", version=(7,), compute=compute(value), shared=True)
own = worklist_memo(key="uji-sendiri", version=(7,), compute=compute(value))
print(json.dumps({"shared": shared, "own": own}))
"""


def test_a_shared_figure_is_counted_once_for_every_worker_process(tmp_path: Any) -> None:
    """Issue 16: with production settings a figure kept with ``shared=True`` by one process
    (a gunicorn worker) is read by the next instead of counted again, from owner-only files;
    a figure kept without it stays in its own process and leaves nothing on disk."""
    import json
    import os
    import secrets
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "payung.web.settings",
        "PAYUNG_DATA_DIR": str(tmp_path),
        "PAYUNG_SECRET_KEY": secrets.token_urlsafe(60),
        "PAYUNG_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DATABASE_URL", None)

    def worker(value: int) -> tuple[dict[str, int], str]:
        done = subprocess.run(
            [sys.executable, "-c", SHARED_PROBE, str(value)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr

    first, first_log = worker(41)
    second, second_log = worker(99)

    assert first == {"shared": 41, "own": 41}
    assert first_log.count("computed") == 2
    assert second == {"shared": 41, "own": 99}
    assert second_log.count("computed") == 1
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert len(files) == 1
    assert files[0].stat().st_mode & 0o077 == 0
