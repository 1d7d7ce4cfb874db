"""An uploaded extract names every person of the regency: it is kept owner-only (0600/0700)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from payung.programmes.models import ProgrammeYear
from payung.registry.models import DtsenImport

pytestmark = pytest.mark.django_db


def test_a_stored_extract_is_0600_in_0700_folders(
    year: ProgrammeYear,
    synth_csv: Path,
    import_file: Callable[..., DtsenImport],
    settings: Any,
) -> None:
    previous = os.umask(0o022)  # what most servers run with: files would come out 0644
    try:
        imp = import_file(year, synth_csv)
    finally:
        os.umask(previous)
    stored = Path(settings.MEDIA_ROOT) / imp.stored_path
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(settings.MEDIA_ROOT).stat().st_mode) == 0o700
