"""``payung worker``: django-tasks-db's ``db_worker`` that also reaps jobs of dead workers.

A worker killed mid-job leaves the job and its task record RUNNING; the next worker to start
(and every running worker, every few seconds) marks such jobs failed with an Indonesian
reason so the operator can retry them (``payung.core.jobs``). The worker id starts with
``host:pid`` so a task record can be traced to a process and judged alive or dead.
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.db import DatabaseError, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from payung.core.jobs import jobs_reap_dead, stale_after, worker_identity

logger = logging.getLogger(__name__)


def _reap_quietly() -> None:
    try:
        jobs_reap_dead()
    except DatabaseError as exc:  # busy database: the next round tries again
        logger.warning("reaping dead jobs skipped: %s", type(exc).__name__)
    finally:
        connection.close()


class _Reaper(threading.Thread):
    def __init__(self, interval: float) -> None:
        super().__init__(name="payung-job-reaper", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            _reap_quietly()


class Command(DbWorkerCommand):
    help = "Run Payung's background worker (db_worker that recovers jobs of dead workers)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=f"{worker_identity()}:{get_random_string(8)}")

    def handle(self, *args: Any, **options: Any) -> None:
        _reap_quietly()
        reaper = _Reaper(interval=max(1.0, min(30.0, stale_after().total_seconds() / 4)))
        reaper.start()
        try:
            super().handle(*args, **options)
        finally:
            reaper.stopped.set()
