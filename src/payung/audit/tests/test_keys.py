"""The audit key comes from outside the database: the environment, else a private file."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from payung.audit import keys


@pytest.fixture
def data_dir(tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(keys.ENV_VAR, raising=False)
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_the_environment_wins(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.ENV_VAR, "x" * 40)

    assert keys.audit_key_get() == b"x" * 40
    assert not (data_dir / "audit_key").exists()


def test_without_the_environment_a_key_file_is_made_once_readable_by_its_owner_only(
    data_dir: Path,
) -> None:
    first = keys.audit_key_get()
    second = keys.audit_key_get()

    path = data_dir / "audit_key"
    assert first == second
    assert len(first) >= keys.MIN_LENGTH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == ["audit_key"]  # no temporary file left


def test_processes_starting_together_agree_on_one_key(data_dir: Path) -> None:
    """The web server and the worker start side by side on a new data directory; if each
    kept its own key, half the trail would fail verification."""
    found: list[bytes] = []
    start = threading.Barrier(8)

    def read() -> None:
        start.wait()
        found.append(keys.audit_key_get())

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(set(found)) == 1
    assert found[0] == (data_dir / "audit_key").read_text(encoding="ascii").strip().encode()


def test_a_short_key_is_refused_without_showing_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(keys.ENV_VAR, "pendek-sekali")

    with pytest.raises(ImproperlyConfigured) as refused:
        keys.audit_key_get()

    assert "pendek-sekali" not in str(refused.value)
    assert keys.ENV_VAR in str(refused.value)
