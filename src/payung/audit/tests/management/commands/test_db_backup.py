"""``payung manage db_backup``: a consistent, private copy of the live SQLite database."""

from __future__ import annotations

import sqlite3
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from payung.audit.models import AuditEntry
from payung.audit.services import audit_entry_create

pytestmark = [
    # Outside a test transaction, as the command runs: SQLite cannot copy a database its own
    # connection is in the middle of writing.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the PostgreSQL path (pg_dump) is tested in test_backup_postgresql.py",
    ),
]


def backup(out: Path) -> tuple[int, str, str]:
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("db_backup", "--out", str(out), stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        return int(exit_.code or 0), stdout.getvalue(), stderr.getvalue()
    return 0, stdout.getvalue(), stderr.getvalue()


def test_the_copy_holds_the_trail_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    for i in range(7):
        audit_entry_create(actor=None, action="step", detail={"i": i})
    out = tmp_path / "cadangan.sqlite3"

    code, stdout, _ = backup(out)

    assert code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with sqlite3.connect(out) as copy:
        rows = copy.execute("SELECT id, hash FROM audit_auditentry ORDER BY id").fetchall()
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert rows == list(AuditEntry.objects.order_by("id").values_list("id", "hash"))
    assert "7 entri audit" in stdout
    assert [p.name for p in tmp_path.iterdir()] == ["cadangan.sqlite3"]


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "cadangan.sqlite3"
    out.write_bytes(b"lama")

    code, _, stderr = backup(out)

    assert code == 2
    assert "sudah ada" in stderr
    assert out.read_bytes() == b"lama"


def test_inside_a_transaction_it_refuses_instead_of_hanging(tmp_path: Path) -> None:
    from django.db import transaction

    from payung.audit.backup import database_backup

    with pytest.raises(RuntimeError), transaction.atomic():
        database_backup(out=tmp_path / "cadangan.sqlite3")

    assert not list(tmp_path.iterdir())
