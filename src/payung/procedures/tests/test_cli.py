"""``payung sop``: every agency's SOP written to a folder, from a policy or a year."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from payung.cli import main
from payung.procedures.workflow import AGENCIES


def test_sop_from_a_policy_writes_docx_and_pdf_per_agency(tmp_path: Any, capsys: Any) -> None:
    out = tmp_path / "sop"
    assert main(["sop", "--policy", "pekalongan-2025", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 * len(AGENCIES)
    pdf = next(out.glob("sop-disnakertrans-*.pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "KABUPATEN PEKALONGAN" in text
    assert "16 berkas SOP ditulis" in capsys.readouterr().out


def test_sop_needs_a_year_or_a_policy(tmp_path: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["sop", "--out", str(tmp_path)])
    assert exc.value.code == 2


@pytest.mark.django_db
def test_sop_of_an_unknown_year_is_a_usage_error(tmp_path: Any, capsys: Any) -> None:
    assert main(["sop", "--year", "999999", "--out", str(tmp_path)]) == 2
    assert "tahun program 999999 tidak ditemukan" in capsys.readouterr().err
