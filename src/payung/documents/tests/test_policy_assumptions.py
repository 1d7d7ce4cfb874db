"""Issue 15: documents that depend on a policy print its unconfirmed assumptions, so the
legal division sees what is still to confirm (and a fully sourced policy prints nothing)."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from payung.documents.render import pdf_render
from payung.documents.tests import factories
from payung.domain.policy import policy_assumption_lines, policy_get

HEADING = "ketentuan kebijakan yang masih berupa asumsi"


def pdf_text(template: str, context, folder: Path) -> str:
    """The PDF's text as a reader copies it, lines joined."""
    path = folder / f"{template}.pdf"
    path.write_bytes(pdf_render(template, context))
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return " ".join(out.split())


@pytest.mark.parametrize(
    ("template", "build"),
    [
        ("berita-acara", factories.berita_acara_context),
        ("lampiran-peserta", factories.decree_context),
    ],
)
def test_the_assumptions_of_pekalongan_are_printed(template: str, build, tmp_path: Path) -> None:
    lines = policy_assumption_lines(policy_get("pekalongan-2025"))
    context = dataclasses.replace(build(), policy_assumptions=lines)
    html = pdf_text(template, context, tmp_path)
    assert HEADING in html
    assert f"{len(lines)} butir" in html
    assert "Kriteria Pasal 1 (definisi Pekerja Rentan): Notulen butir 3" in html
    assert "rules." not in html


@pytest.mark.parametrize(
    ("template", "build"),
    [
        ("berita-acara", factories.berita_acara_context),
        ("lampiran-peserta", factories.decree_context),
    ],
)
def test_no_assumptions_no_note(template: str, build, tmp_path: Path) -> None:
    assert HEADING not in pdf_text(template, build(), tmp_path)


@pytest.mark.parametrize(
    ("template", "build"),
    [
        ("berita-acara", factories.berita_acara_context),
        ("keputusan-peserta", factories.decree_context),
        ("keputusan-daftar-nama", factories.decree_context),
    ],
)
def test_the_word_files_print_the_same_note(template: str, build) -> None:
    """The DOCX the secretary edits carries the note too, numbered, and none without
    assumptions (read back with python-docx)."""
    from payung.documents.render import docx_render
    from payung.documents.tests.test_render import docx_text

    lines = policy_assumption_lines(policy_get("pekalongan-2025"))
    text = docx_text(docx_render(template, dataclasses.replace(build(), policy_assumptions=lines)))
    assert f"{HEADING} (belum dikonfirmasi Bagian Hukum" in text
    assert f"{len(lines)} butir" in text
    assert f"1. {lines[0]}" in text and f"{len(lines)}. {lines[-1]}" in text
    assert "{%" not in text and "{{" not in text
    assert HEADING not in docx_text(docx_render(template, build()))
