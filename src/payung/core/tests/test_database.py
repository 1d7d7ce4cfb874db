"""The worker folds SQLite's write-ahead log into the database (issue 16): no page view pays
for the checkpoint SQLite would otherwise make in the commit that takes the log past 4 MiB."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from payung.core.database import database_checkpoint
from payung.core.management.commands import job_worker


@pytest.mark.django_db
def test_a_checkpoint_folds_the_log_into_the_database_file(tmp_path: Path) -> None:
    """On a database file in WAL mode (the settings' ``init_command``), the log's pages
    are all copied back, so the next commits start the log again from its beginning."""
    if connection.vendor != "sqlite":
        assert database_checkpoint() is False
        return
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings = {**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")}
    db = DatabaseWrapper(settings, alias="checkpoint-test")
    try:
        with db.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            cursor.execute("CREATE TABLE t (v BLOB)")
            for _ in range(20):
                cursor.execute("INSERT INTO t VALUES (zeroblob(4000))")
        assert database_checkpoint(connection=db) is True
        with db.cursor() as cursor:
            # (busy, pages in the log, pages folded): nothing left to fold.
            busy, logged, folded = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and logged == folded and logged > 20
        assert (tmp_path / "wal.sqlite3").stat().st_size > 20 * 4000
    finally:
        db.close()


def test_the_worker_folds_the_log_every_few_seconds_on_sqlite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``payung worker`` runs the checkpoint beside the reaper, on SQLite only, and a busy
    database skips a round instead of stopping the worker."""
    from django.db import OperationalError

    calls: list[str] = []

    def busy() -> bool:
        calls.append("checkpoint")
        raise OperationalError("database is locked")

    monkeypatch.setattr(job_worker, "database_checkpoint", busy)
    job_worker._checkpoint_quietly()
    assert calls == ["checkpoint"]
    assert 0 < job_worker.CHECKPOINT_SECONDS <= 10
