"""``payung audit``, ``payung backup`` and ``payung restore`` as an operator meets them: the
installed console script in a subprocess, a real SQLite file, the key in the environment.

The tampering here is done the way an attacker with a copy of the database file would: with
``sqlite3`` straight on the file, while Payung is not running.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PAYUNG = str(Path(sys.executable).with_name("payung"))
KEY = "kunci-audit-uji-" + "x" * 32
DB = "payung.sqlite3"


def payung(
    *args: str | Path, data: Path, key: str = KEY, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PAYUNG_DATA_DIR": str(data)}
    env["PAYUNG_AUDIT_KEY"] = key
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [PAYUNG, *map(str, args)], capture_output=True, text=True, timeout=300, env=env
    )


def entries_add(data: Path, n: int, **kwargs: str) -> None:
    code = (
        "from payung.audit.services import audit_entry_create\n"
        f"for i in range({n}):\n"
        "    audit_entry_create(actor=None, action='langkah', detail={'i': i})\n"
    )
    proc = payung("manage", "shell", "-c", code, data=data, **kwargs)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database per module; each test works on its own copy."""
    data = tmp_path_factory.mktemp("template")
    proc = payung("manage", "migrate", "--skip-checks", "--verbosity", "0", data=data)
    assert proc.returncode == 0, proc.stderr
    return data / DB


@pytest.fixture
def data(migrated: Path, tmp_path: Path) -> Path:
    """A data directory with 20 entries, an anchor (entry 21) in ``jangkar.json`` beside it,
    and 5 entries after the anchor."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(migrated, folder / DB)
    entries_add(folder, 20)
    proc = payung("audit", "anchor", "--out", tmp_path / "jangkar.json", data=folder)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"Jangkar ditulis ke {tmp_path / 'jangkar.json'}: 21 entri")
    entries_add(folder, 5)
    return folder


def test_a_clean_trail_verifies_with_its_anchor(data: Path) -> None:
    proc = payung("audit", "verify", "--anchor", data.parent / "jangkar.json", data=data)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "Rantai utuh: 26 entri diperiksa."
    assert "cocok: 21 entri sampai entri #21 tidak berubah." in proc.stdout


def test_deleting_the_last_entries_is_caught_by_the_anchor(data: Path) -> None:
    with sqlite3.connect(data / DB) as db:
        db.execute("DELETE FROM audit_auditentry WHERE id >= 18")

    plain = payung("audit", "verify", data=data)
    anchored = payung("audit", "verify", "--anchor", data.parent / "jangkar.json", data=data)

    assert plain.returncode == 0  # nothing left points at what was deleted...
    assert plain.stdout.strip() == "Rantai utuh: 17 entri diperiksa."
    assert anchored.returncode == 1  # ...but the Inspektorat's anchor does
    assert "rantai kini hanya berisi 17 entri, padahal sudah 21 entri" in anchored.stderr


def test_an_edited_actor_id_is_caught_by_the_chain(data: Path) -> None:
    with sqlite3.connect(data / DB) as db:
        db.execute("UPDATE audit_auditentry SET actor_id = 1 WHERE id = 7")

    proc = payung("audit", "verify", data=data)

    assert proc.returncode == 1
    assert proc.stderr.startswith("Rantai rusak mulai entri #7:")
    assert proc.stdout == ""


def test_a_wrong_key_is_named(data: Path) -> None:
    proc = payung(
        "audit", "verify", "--anchor", data.parent / "jangkar.json", data=data, key="z" * 40
    )

    assert proc.returncode == 1
    assert "PAYUNG_AUDIT_KEY" in proc.stderr
    assert "dibuat dengan kunci audit lain" in proc.stderr


def test_backup_then_restore_to_a_new_database_keeps_the_trail_and_its_anchor(
    data: Path, tmp_path: Path
) -> None:
    """The campaign: an online backup of a trail with an anchor, restored into a fresh data
    directory, verifies there with the same key and still matches the Inspektorat's anchor."""
    backup = tmp_path / "cadangan-2026-12-01.sqlite3"

    made = payung("backup", "--out", backup, data=data)
    again = payung("backup", "--out", backup, data=data)
    restored_dir = tmp_path / "pulih"
    restored = payung("restore", backup, data=restored_dir)
    verified = payung(
        "audit", "verify", "--anchor", data.parent / "jangkar.json", data=restored_dir
    )
    twice = payung("restore", backup, data=restored_dir)

    assert made.returncode == 0, made.stderr
    assert "26 entri audit" in made.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert (again.returncode, "sudah ada" in again.stderr) == (2, True)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.splitlines() == [
        f"Cadangan dipulihkan ke {restored_dir / DB} (26 entri audit).",
        "Rantai utuh: 26 entri diperiksa.",
    ]
    assert stat.S_IMODE((restored_dir / DB).stat().st_mode) == 0o600
    assert verified.returncode == 0, verified.stderr
    assert "cocok: 21 entri" in verified.stdout
    assert (twice.returncode, "sudah ada" in twice.stderr) == (2, True)


def test_a_restore_without_the_key_does_not_verify(data: Path, tmp_path: Path) -> None:
    """The key is not in the backup: whoever restores without it cannot vouch for the trail
    (and whoever steals a backup cannot forge entries in it)."""
    backup = tmp_path / "cadangan.sqlite3"
    assert payung("backup", "--out", backup, data=data).returncode == 0

    proc = payung("restore", backup, data=tmp_path / "pulih", key="z" * 40)

    assert proc.returncode == 1
    assert "Rantai rusak mulai entri #1:" in proc.stderr


def test_restore_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "bukan.sqlite3"
    junk.write_bytes(b"bukan basis data " * 100)

    proc = payung("restore", junk, data=tmp_path / "pulih")

    assert proc.returncode == 2
    assert "bukan basis data Payung" in proc.stderr
    assert not (tmp_path / "pulih" / DB).exists()


def test_an_anchor_option_without_a_file_is_refused_in_indonesian(tmp_path: Path) -> None:
    proc = payung("audit", "verify", "--anchor", data=tmp_path)

    assert proc.returncode == 2
    assert "payung: kesalahan: --anchor membutuhkan sedikitnya satu nilai" in proc.stderr
