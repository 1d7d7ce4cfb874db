"""Files holding personal data are owner-only: documents, uploads, the SQLite database."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.backends.sqlite3.base import DatabaseWrapper

from payung.core.models import JobStatus
from payung.documents import services
from payung.documents.models import Document
from payung.documents.storage import private_file_write, sqlite_files_protect
from payung.registry.tests.factories import ProgrammeYearFactory

CONTENT = b"%PDF-1.4\n% lampiran internal uji\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def internal_annex(document: Document) -> bytes:
    """Builder stand-in: what the internal annex builder would return."""
    return CONTENT


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """The umask most servers run with (022): without Payung's care, files come out 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    settings.DATA_DIR = folder
    return folder


@pytest.mark.django_db
def test_a_generated_internal_annex_is_0600_in_0700_folders(
    data_dir: Path, operator_disnaker: Any
) -> None:
    document = Document.objects.create(
        programme_year=ProgrammeYearFactory(),
        subject="decrees.decree:1",
        kind="lampiran_internal",
        title="Salinan internal dengan NIK lengkap",
        format=Document.Format.PDF,
        confidential=True,
        builder=f"{__name__}.internal_annex",
        file_name="keputusan-peserta-2026-1-internal.pdf",
        created_by=operator_disnaker,
    )
    document = services.document_generate(document=document)
    assert document.status == JobStatus.DONE
    stored = Path(document.stored_path)
    assert stored.read_bytes() == CONTENT
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700
    assert _mode(data_dir) == 0o700
    assert not [p for p in stored.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_rewritten_file_becomes_private_and_a_public_folder_is_closed(tmp_path: Path) -> None:
    folder = tmp_path / "dokumen"
    folder.mkdir(mode=0o755)
    path = folder / "lama.pdf"
    path.write_bytes(b"old")
    path.chmod(0o644)
    private_file_write(path=path, content=b"new")
    assert path.read_bytes() == b"new"
    assert _mode(path) == 0o600
    assert _mode(folder) == 0o700


def test_uploads_kept_by_django_storage_are_0600_under_0700(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("impor/ekstrak.csv", ContentFile(b"NIK;NAMA\n"))
    assert _mode(Path(storage.path(name))) == 0o600
    assert _mode(Path(storage.path(name)).parent) == 0o700


def _sqlite_settings(name: Path) -> dict[str, Any]:
    return {
        "NAME": str(name),
        "ENGINE": "django.db.backends.sqlite3",
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }


def test_a_new_sqlite_database_and_its_wal_files_are_0600_in_a_0700_data_dir(
    data_dir: Path, django_db_blocker: Any
) -> None:
    """The database Payung (or ``payung demo``) creates on its first connection."""
    database = data_dir / "payung.sqlite3"
    wrapper = DatabaseWrapper(_sqlite_settings(database), alias="payung_mode_test")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE orang (nik TEXT)")
            cursor.execute("INSERT INTO orang VALUES ('3601000000000000')")
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        assert all(p.exists() for p in files)
        assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert _mode(data_dir) == 0o700
    finally:
        wrapper.close()


def test_an_existing_world_readable_database_is_closed_on_connection(
    data_dir: Path, django_db_blocker: Any
) -> None:
    database = data_dir / "payung.sqlite3"
    with sqlite3.connect(database) as raw:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE orang (nik TEXT)")
    database.chmod(0o644)
    wrapper = DatabaseWrapper(_sqlite_settings(database), alias="payung_mode_test")
    try:
        with django_db_blocker.unblock():
            wrapper.ensure_connection()
        assert _mode(database) == 0o600
    finally:
        wrapper.close()


def test_a_database_outside_the_data_dir_leaves_its_folder_alone(
    data_dir: Path, tmp_path: Path
) -> None:
    """DATABASE_URL may point anywhere; only the file itself is Payung's to close."""
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir(mode=0o755)
    database = elsewhere / "payung.sqlite3"
    sqlite3.connect(database).close()
    database.chmod(0o644)
    assert sqlite_files_protect(database=str(database)) == [database]
    assert _mode(database) == 0o600
    assert _mode(elsewhere) == 0o755
    assert sqlite_files_protect(database=":memory:") == []
