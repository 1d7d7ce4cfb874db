"""A regency that ran the previous release keeps its data when it upgrades.

``data/release-0.1.0-demo.sqlite3.gz`` is the database ``payung demo --rows 400`` made with
release 0.1.0 (commit 8b7acc9: screening, proposal, Disdukcapil verification, the signed decree),
and ``release-0.1.0-demo.audit_key`` the key its audit trail was chained with; both synthetic.
Upgrading is what an operator does: ``payung manage migrate`` on that file. Everything the old
release recorded must still be there and still read the same, and the audit chain must still
verify, since a migration that rewrote an audited row would break it.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PAYUNG = str(Path(sys.executable).with_name("payung"))
DATA = Path(__file__).with_name("data")


def _counts(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        return {
            "states": sorted(
                conn.execute(
                    "select state, count(*) from participants_candidate group by state"
                ).fetchall()
            ),
            "decisions": conn.execute(
                "select count(*) from participants_candidate where decision_id is not null"
            ).fetchone()[0],
            "decrees": conn.execute(
                "select number, participant_count, total_cost from decrees_decree order by id"
            ).fetchall(),
            "persons": conn.execute("select count(*) from registry_person").fetchone()[0],
            "audit": conn.execute("select count(*) from audit_auditentry").fetchone()[0],
            "events": conn.execute("select count(*) from participants_candidateevent").fetchone()[
                0
            ],
        }


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("payung-0.1.0")
    db = folder / "payung.sqlite3"
    with gzip.open(DATA / "release-0.1.0-demo.sqlite3.gz") as src, db.open("wb") as out:
        shutil.copyfileobj(src, out)
    shutil.copy(DATA / "release-0.1.0-demo.audit_key", folder / "audit_key")
    (folder / "audit_key").chmod(0o600)
    env = {"PATH": "/usr/bin:/bin", "PAYUNG_DATA_DIR": str(folder)}
    before = _counts(db)

    def payung(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PAYUNG, *args], capture_output=True, text=True, env=env, timeout=600)

    migrate = payung("manage", "migrate", "--verbosity", "0")
    return {
        "db": db,
        "before": before,
        "migrate": migrate,
        "check": payung("manage", "migrate", "--check"),
        "verify": payung("audit", "verify"),
    }


def test_migrate_applies_every_new_migration_to_the_old_database(upgraded: dict) -> None:
    assert upgraded["migrate"].returncode == 0, upgraded["migrate"].stderr
    # Nothing left unapplied: the old file is now the current schema.
    assert upgraded["check"].returncode == 0, upgraded["check"].stdout + upgraded["check"].stderr


def test_everything_recorded_before_the_upgrade_is_still_there(upgraded: dict) -> None:
    after = _counts(upgraded["db"])
    before = upgraded["before"]
    assert before["states"] == [("decreed", 43), ("rejected", 10)]
    assert after == before


def test_old_proposals_read_as_screening_proposals(upgraded: dict) -> None:
    """The new ``origin`` column is filled for rows that existed before it."""
    with sqlite3.connect(upgraded["db"]) as conn:
        origins = conn.execute("select origin, count(*) from participants_proposal group by 1")
        assert origins.fetchall() == [("screening", 1)]


def test_audit_chain_still_verifies_after_the_upgrade(upgraded: dict) -> None:
    verify = upgraded["verify"]
    assert verify.returncode == 0, verify.stdout + verify.stderr
