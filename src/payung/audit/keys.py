"""The audit key: the secret that MACs the trail, kept outside the database on purpose.

Whoever can write to the database (a DBA, a restored backup, an SQL injection) must not be
able to forge entries, so the key is never stored in it. Production passes it in the
environment (``PAYUNG_AUDIT_KEY``, from the regency's secret store); a laptop or the demo gets
one generated once into ``audit_key`` in the data directory, readable by its owner only.
Losing the key does not lose the trail, but the trail can then no longer be verified: keep a
copy of the key with the Inspektorat, apart from the database backups (docs/backup.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENV_VAR: Final[str] = "PAYUNG_AUDIT_KEY"
FILE_NAME: Final[str] = "audit_key"
MIN_LENGTH: Final[int] = 32


def audit_key_path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def audit_key_get() -> bytes:
    """The key as bytes: from ``PAYUNG_AUDIT_KEY``, else from (or into) the key file.

    Read on every call rather than cached, so a worker and the web server started before and
    after a key rotation never disagree silently within one process's lifetime.
    """
    if (value := os.environ.get(ENV_VAR)) is not None:
        return _checked(value.strip(), source=ENV_VAR)
    path = audit_key_path()
    if not path.exists():
        _key_file_create(path)
    return _checked(path.read_text(encoding="ascii").strip(), source=str(path))


def _checked(value: str, *, source: str) -> bytes:
    if len(value) < MIN_LENGTH:
        # No part of the key in the message: only where it came from and the rule.
        raise ImproperlyConfigured(
            f"The audit key from {source} is shorter than {MIN_LENGTH} characters."
        )
    return value.encode("utf-8")


def _key_file_create(path: Path) -> None:
    """Write a new key without ever exposing a half-written or world-readable file.

    The key goes to a private temporary file that is then hard-linked into place: the link
    fails if another process (the worker starting beside the web server) got there first, and
    then both use the winner's key instead of each keeping its own.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
