"""Backing up and restoring Payung's database, so the audit trail survives the machine.

SQLite (the embedded set-up) is copied with SQLite's online backup API, which takes a
consistent snapshot while the web server and the worker keep running; PostgreSQL with
``pg_dump -Fc`` and ``pg_restore``. Backups hold personal data (NIKs, names): files are written
readable by their owner only, never overwrite an existing file, and appear under their final
name only once complete. The audit key is *not* in a backup (it is outside the database on
purpose); keep it apart, with the Inspektorat, or a restored trail cannot be verified.
See docs/backup.md for the schedule and the commands.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from payung.audit.models import AuditEntry

_TABLE = AuditEntry._meta.db_table


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message is Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    # Audit entries in the copy: SQLite reads them back from the copy itself; PostgreSQL
    # counts them in the database just dumped (pg_restore --list has checked the archive).
    entries: int


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


@contextlib.contextmanager
def _private_tmp(final: Path) -> Iterator[Path]:
    """A 0600 file beside ``final``, linked into place only if the body succeeds.

    ``os.link`` refuses to replace an existing file, so two backups started at once to one
    name cannot overwrite each other, and a crash leaves no half-written file under the
    final name.
    """
    if final.exists():
        raise BackupError(_("Berkas %(path)s sudah ada; pilih nama lain.") % {"path": final})
    if not final.parent.is_dir():
        raise BackupError(_("Folder %(path)s tidak ada.") % {"path": final.parent})
    tmp = final.with_name(f".{final.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        os.chmod(tmp, 0o600)
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, final)
        except FileExistsError:
            raise BackupError(
                _("Berkas %(path)s sudah ada; pilih nama lain.") % {"path": final}
            ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _sqlite_entries(conn: sqlite3.Connection) -> int:
    problem = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if problem != "ok":
        raise BackupError(_("Salinan basis data rusak (integrity_check gagal)."))
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {_TABLE}").fetchone()[0])
    except sqlite3.DatabaseError:
        raise BackupError(_("Berkas ini bukan basis data Payung.")) from None


def database_backup(*, out: Path) -> BackupResult:
    """Copy the live database to ``out`` (SQLite: a database file; PostgreSQL: a pg_dump
    custom-format archive), then read the copy back to count its audit entries."""
    if connection.vendor == "postgresql":
        return _pg_backup(out=out)
    if connection.vendor != "sqlite":
        raise BackupError(_("Basis data %(v)s belum didukung.") % {"v": connection.vendor})
    if connection.in_atomic_block:
        # SQLite refuses to copy a database its own connection is writing to, and Python's
        # backup() then retries forever: fail loudly instead of hanging.
        raise RuntimeError("database_backup must run outside a transaction")
    with _private_tmp(out) as tmp:
        connection.ensure_connection()
        dest = sqlite3.connect(tmp)
        try:
            # One step (pages=-1): a single consistent snapshot, taken while the web server
            # and the worker go on writing (WAL lets them).
            connection.connection.backup(dest)
            # A self-contained file: no -wal/-shm companions to forget when copying it on.
            dest.execute("PRAGMA journal_mode=DELETE")
            entries = _sqlite_entries(dest)
        finally:
            dest.close()
    return BackupResult(path=out, size=out.stat().st_size, entries=entries)


def database_restore(*, source: Path) -> BackupResult:
    """Restore a backup into the configured database, which must not exist yet (SQLite) or
    be empty (PostgreSQL): a restore never overwrites a database that may hold newer data."""
    if not source.is_file():
        raise BackupError(_("Berkas %(path)s tidak ditemukan.") % {"path": source})
    if connection.vendor == "postgresql":
        return _pg_restore(source=source)
    target = _sqlite_path()
    leftovers = [p for p in (target, Path(f"{target}-wal")) if p.exists()]
    if leftovers:
        raise BackupError(
            _(
                "Basis data tujuan %(path)s sudah ada. Pindahkan dulu (dengan server dan "
                "pekerja dihentikan) atau pakai PAYUNG_DATA_DIR yang baru."
            )
            % {"path": target}
        )
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _sqlite_entries(src)
        with _private_tmp(target) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                src.backup(dest)
                entries = _sqlite_entries(dest)
            finally:
                dest.close()
    except sqlite3.DatabaseError:
        raise BackupError(_("Berkas ini bukan basis data Payung.")) from None
    finally:
        src.close()
    return BackupResult(path=target, size=target.stat().st_size, entries=entries)


# --- PostgreSQL: pg_dump / pg_restore ------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq settings from Django's, passed in the environment so the password never
    appears on a command line (where ``ps`` would show it)."""
    db: dict[str, Any] = connection.settings_dict
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s tidak ditemukan; pasang klien PostgreSQL (paket postgresql-client).")
            % {"tool": name}
        )
    return path


def _pg_run(argv: list[str]) -> None:
    proc = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        # pg_dump/pg_restore messages name objects, not row values: safe to show.
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        raise BackupError(_("%(tool)s gagal: %(why)s") % {"tool": Path(argv[0]).name, "why": last})


def _pg_entries() -> int:
    return AuditEntry.objects.count()


def _pg_backup(*, out: Path) -> BackupResult:
    tool = _pg_tool("pg_dump")
    with _private_tmp(out) as tmp:
        _pg_run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}"])
        _pg_run([_pg_tool("pg_restore"), "--list", str(tmp)])  # the archive reads back
    return BackupResult(path=out, size=out.stat().st_size, entries=_pg_entries())


def _pg_restore(*, source: Path) -> BackupResult:
    tool = _pg_tool("pg_restore")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        if cursor.fetchone()[0]:
            raise BackupError(
                _(
                    "Basis data tujuan %(name)s tidak kosong; pulihkan ke basis data baru "
                    "(createdb) lalu arahkan DATABASE_URL ke sana."
                )
                % {"name": connection.settings_dict["NAME"]}
            )
    _pg_run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )
    target = Path(str(connection.settings_dict["NAME"]))
    return BackupResult(path=target, size=source.stat().st_size, entries=_pg_entries())
