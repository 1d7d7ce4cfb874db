"""The PostgreSQL half of the backup campaign: ``payung backup`` (pg_dump -Fc) and ``payung
restore`` (pg_restore) into a new database, where the trail verifies against its anchor.

Runs only where the tests run on PostgreSQL (CI sets DATABASE_URL) and pg_dump is installed;
the SQLite half runs everywhere (test_cli_audit.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import OperationalError, connection

from payung.audit.services import audit_anchor_create, audit_entry_create

PAYUNG = str(Path(sys.executable).with_name("payung"))
KEY = "kunci-audit-pg-" + "y" * 32

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
    reason="needs the tests on PostgreSQL (DATABASE_URL) and pg_dump; SQLite: test_cli_audit",
)


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def payung(*args: str | Path, database: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PAYUNG_DATA_DIR": str(data),
        "PAYUNG_AUDIT_KEY": KEY,
        "DATABASE_URL": _url(database),
    }
    return subprocess.run(
        [PAYUNG, *map(str, args)], capture_output=True, text=True, timeout=300, env=env
    )


def _drop(name: str) -> None:
    """Drop without FORCE: FORCE must be allowed to signal every session on the database,
    and an autovacuum worker woken by the restore is not the test role's to signal (CI's
    role has no pg_signal_backend). A plain DROP stops autovacuum itself and waits up to
    five seconds for other sessions; the subprocesses have exited, so retry a few times."""
    for attempt in range(10):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except OperationalError:
            if attempt == 9:
                raise
            time.sleep(1)


@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_keep_the_trail_and_its_anchor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYUNG_AUDIT_KEY", KEY)
    for i in range(20):
        audit_entry_create(actor=None, action="langkah", detail={"i": i})
    anchor_file = tmp_path / "jangkar.json"
    anchor_file.write_text(audit_anchor_create().text(), encoding="utf-8")
    audit_entry_create(actor=None, action="sesudah")
    source = connection.settings_dict["NAME"]
    restored = f"{source}_pulih_{secrets.token_hex(3)}"
    dump = tmp_path / "cadangan.dump"

    made = payung("backup", "--out", dump, database=source, data=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "22 entri audit" in made.stdout
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        back = payung("restore", dump, database=restored, data=tmp_path)
        verified = payung(
            "audit", "verify", "--anchor", anchor_file, database=restored, data=tmp_path
        )
        twice = payung("restore", dump, database=restored, data=tmp_path)
    finally:
        _drop(restored)

    assert back.returncode == 0, back.stderr
    assert back.stdout.splitlines()[-1] == "Rantai utuh: 22 entri diperiksa."
    assert verified.returncode == 0, verified.stderr
    assert "cocok: 21 entri sampai entri #21 tidak berubah." in verified.stdout
    assert twice.returncode == 2
    assert "tidak kosong" in twice.stderr
