"""``payung worker``: django-tasks-db's ``db_worker`` that also reaps jobs of dead workers.

A worker killed mid-job leaves the job and its task record RUNNING; the next worker to start
(and every running worker, every few seconds) marks such jobs failed with an Indonesian
reason so the operator can retry them (``payung.core.jobs``). The worker id starts with
``host:pid`` so a task record can be traced to a process and judged alive or dead.

On SQLite it also folds the write-ahead log into the database every few seconds
(``payung.core.database``), so no page view pays for that (issue 16).
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from payung.core.database import database_checkpoint
from payung.core.jobs import jobs_reap_dead, stale_after, worker_identity

logger = logging.getLogger(__name__)


def _quietly(what: str, chore: Callable[[], object]) -> None:
    """One round of a chore beside the worker, on the chore's own connection, closed after.

    A busy database skips the round (the next one tries again) instead of stopping the worker.
    """
    try:
        chore()
    except DatabaseError as exc:
        logger.warning("%s skipped: %s", what, type(exc).__name__)
    finally:
        connection.close()


def _reap_quietly() -> None:
    _quietly("reaping dead jobs", jobs_reap_dead)


def _checkpoint_quietly() -> None:
    _quietly("database checkpoint", database_checkpoint)


#: Seconds between two folds of SQLite's write-ahead log (``payung.core.database``).
CHECKPOINT_SECONDS = 5.0


class _Chore(threading.Thread):
    """Runs ``chore`` every ``interval`` seconds beside the worker, on its own connection."""

    def __init__(self, name: str, interval: float, chore: Callable[[], None]) -> None:
        super().__init__(name=name, daemon=True)
        self.interval = interval
        self.chore = chore
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.chore()


class Command(DbWorkerCommand):
    help = "Run Payung's background worker (db_worker that recovers jobs of dead workers)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=f"{worker_identity()}:{get_random_string(8)}")

    def handle(self, *args: Any, **options: Any) -> None:
        _reap_quietly()
        chores = [
            _Chore(
                "payung-job-reaper",
                max(1.0, min(30.0, stale_after().total_seconds() / 4)),
                _reap_quietly,
            )
        ]
        if connection.vendor == "sqlite":
            chores.append(_Chore("payung-checkpoint", CHECKPOINT_SECONDS, _checkpoint_quietly))
        for chore in chores:
            chore.start()
        try:
            super().handle(*args, **options)
        finally:
            for chore in chores:
                chore.stopped.set()
