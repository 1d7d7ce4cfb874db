"""Issue 15: documents that depend on a policy print its unconfirmed assumptions, so the
legal division sees what is still to confirm (and a fully sourced policy prints nothing)."""

from __future__ import annotations

import dataclasses

import pytest

from payung.documents.render import pdf_html
from payung.documents.tests import factories
from payung.domain.policy import policy_assumption_lines, policy_get

HEADING = "ketentuan kebijakan yang masih berupa asumsi"


@pytest.mark.parametrize(
    ("template", "build"),
    [
        ("berita-acara", factories.berita_acara_context),
        ("lampiran-peserta", factories.decree_context),
    ],
)
def test_the_assumptions_of_pekalongan_are_printed(template: str, build) -> None:
    lines = policy_assumption_lines(policy_get("pekalongan-2025"))
    context = dataclasses.replace(build(), policy_assumptions=lines)
    html = pdf_html(template, context)
    assert HEADING in html
    assert f"{len(lines)} butir" in html
    assert "rules.rentan: Notulen butir 3" in html


@pytest.mark.parametrize(
    ("template", "build"),
    [
        ("berita-acara", factories.berita_acara_context),
        ("lampiran-peserta", factories.decree_context),
    ],
)
def test_no_assumptions_no_note(template: str, build) -> None:
    assert HEADING not in pdf_html(template, build())
