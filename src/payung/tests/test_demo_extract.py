"""The demo's extract written by a second process while migrate runs (issue 16 target 5)
is the very file the build would otherwise write itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from payung.demo import demo_extract_path, demo_extract_start
from payung.engine import synth_write


def test_extract_from_the_second_process_is_byte_identical(tmp_path: Path) -> None:
    written = demo_extract_start(data_dir=tmp_path / "demo", rows=400, seed=7)
    here = synth_write(rows=400, seed=7, out=tmp_path / "here.csv")

    path = written()

    assert path == demo_extract_path(data_dir=tmp_path / "demo")
    assert path.read_bytes() == here.read_bytes()


def test_a_failed_extract_stops_the_build(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")

    written = demo_extract_start(data_dir=blocked, rows=10, seed=1)

    with pytest.raises(RuntimeError, match="payung synth"):
        written()
