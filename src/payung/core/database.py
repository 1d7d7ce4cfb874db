"""Upkeep of the embedded database: SQLite's write-ahead log folded back by the worker.

With ``journal_mode=WAL`` every commit appends pages to the log, and SQLite folds the log
into the database file itself in the commit that takes it past 1 000 pages (4 MiB): that
commit copies them and syncs the file to disk. A page view that happens to make that commit
waits 0.25 s for it on this machine (30 ms of it CPU), one request in a few hundred: the
slow tenth request of the header search in issue 16's page benchmark. ``payung worker``
folds the log every few seconds instead (``database_checkpoint``), so page views seldom
reach the threshold and never wait for another writer.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper


def database_checkpoint(*, connection: BaseDatabaseWrapper | None = None) -> bool:
    """Fold SQLite's write-ahead log into the database file; False on another database.

    A PASSIVE checkpoint: it copies what no reader still needs and waits for nobody, so
    page views and jobs go on while it runs; what it leaves is taken by the next round.
    """
    db = connection or default_connection
    if db.vendor != "sqlite":
        return False
    with db.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        cursor.fetchone()
    return True
