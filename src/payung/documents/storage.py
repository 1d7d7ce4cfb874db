"""Files on disk that hold personal data: written readable by Payung's own user only.

The data directory holds the SQLite database, the uploaded DTSEN extracts, the generated
documents (the internal annex lists every participant's full NIK) and the signed scans. On a
shared server anything world-readable (0644) is readable by every local account and every
other service, so files are written 0600 and their folders 0700, whatever the process umask.
The modes are Django's own upload settings (``FILE_UPLOAD_PERMISSIONS``,
``FILE_UPLOAD_DIRECTORY_PERMISSIONS``), so uploads kept by Django's storage and files written
here obey one setting.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

#: Suffixes SQLite adds to the database's name for its write-ahead log and shared memory.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _file_mode() -> int:
    return settings.FILE_UPLOAD_PERMISSIONS or 0o600


def _dir_mode() -> int:
    return settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o700


def private_dir_ensure(*, path: Path) -> Path:
    """Create ``path`` (and parents) and make it private (0700); return it.

    ``mkdir(mode=...)`` is masked by the umask and leaves an existing folder as it was, so the
    mode is set explicitly each time: a folder created world-readable by an older version is
    closed on the next write.
    """
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(_dir_mode())
    return path


def private_file_write(*, path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` readable by the owner only (0600), atomically.

    A temporary file in the same folder is created 0600 from the start (never briefly
    world-readable), then renamed over ``path``: a reader sees the old file or the whole new
    one, never half a document.
    """
    private_dir_ensure(path=path.parent)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), _file_mode())
            out.write(content)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def data_dir_protect() -> None:
    """Close the data directory itself (0700): its listing names documents and uploads."""
    private_dir_ensure(path=Path(settings.DATA_DIR))


def sqlite_files_protect(*, database: str) -> list[Path]:
    """Make an SQLite database and its companions 0600, and the data directory 0700.

    SQLite creates the database with the process umask (0644 usually) and gives its -wal and
    -shm files the database's mode, so closing the database also closes what SQLite writes
    next. The folder is only changed when it is Payung's data directory: a database placed
    elsewhere by ``DATABASE_URL`` must not make, say, /tmp private. Returns the files changed.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return []
    db_path = Path(database)
    if not db_path.is_file():
        return []
    changed = []
    for suffix in SQLITE_COMPANIONS:
        candidate = Path(f"{db_path}{suffix}")
        try:
            if candidate.is_file() and (candidate.stat().st_mode & 0o777) != _file_mode():
                candidate.chmod(_file_mode())
                changed.append(candidate)
        except OSError as exc:  # not the owner: say so once, without the path's contents
            logger.warning("cannot restrict %s: %s", candidate.name, type(exc).__name__)
    if db_path.resolve().parent == Path(settings.DATA_DIR).resolve():
        data_dir_protect()
    return changed


def sqlite_connection_protect(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: protect the SQLite files each time one is opened.

    Runs at every new connection (SQLite connections are not reused), which also catches the
    very first one, when Django or ``payung demo`` has just created the database file.
    """
    if connection.vendor != "sqlite":
        return
    sqlite_files_protect(database=str(connection.settings_dict.get("NAME") or ""))
