"""The new year's participants decree lists carried-over and new participants apart
(issue 12), read back from the DOCX; then the signed decree lets the carried-over continue."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from docx import Document as read_docx

from payung.decrees import services as decree_services
from payung.decrees.documents import decree_context
from payung.decrees.tests.factories import decree_sign, verify_all
from payung.documents.render import docx_render
from payung.participants.models import CandidateState
from payung.participants.services import proposal_approve
from payung.renewal import services
from payung.renewal.tests.factories import proposed, renewal_screened

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> tuple[list[str], list[list[str]]]:
    """Paragraph texts, and per table its rows' second cells (the names)."""
    doc = read_docx(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[row.cells[1].text for row in table.rows[1:]] for table in doc.tables]
    return paragraphs, tables


def test_decree_annex_has_carried_over_and_new_parts(personas: dict[str, Any]) -> None:
    renewal = renewal_screened(personas=personas)
    proposal = proposal_approve(
        proposal=proposed(renewal, personas=personas), actor=personas["operator_dinsos_2"]
    )
    verify_all(proposal, personas["verifikator_dukcapil"])
    draft = decree_services.decree_draft(
        programme_year=renewal.year, kind="peserta", actor=personas["operator_disnaker"]
    )
    context = decree_context(draft)
    carried_name = renewal.last[0].person.nama
    assert [r.nama for r in context.carried_over] == [carried_name]
    assert len(context.new_participants) == 4
    assert [r.no for r in context.new_participants] == [1, 2, 3, 4]

    paragraphs, tables = _docx_text(docx_render("keputusan-peserta", context))
    text = "\n".join(paragraphs)
    carried_at = text.index("A. PESERTA LANJUTAN DARI TAHUN 2026")
    new_at = text.index("B. PESERTA BARU")
    assert carried_at < new_at
    assert "Jumlah: 1 (satu) orang." in text and "Jumlah: 4 (empat) orang." in text
    name_tables = [
        t for t in tables if carried_name in t or any(r.nama in t for r in context.new_participants)
    ]
    assert name_tables[0] == [carried_name]
    assert name_tables[1] == [r.nama for r in context.new_participants]

    # Signed: the carried-over continue with their KPJ; the new wait for registration.
    decree_sign(
        draft,
        personas["operator_disnaker_2"],
        number="400.10/Kep.3-Huk/2027",
        on=timezone.localdate(),
    )
    assert (
        services.renewal_continuity_activate(
            programme_year=renewal.year, actor=personas["operator_disnaker"]
        )
        == 1
    )
    carried = proposal.candidates.get(carried_from__isnull=False)
    assert carried.state == CandidateState.ACTIVE
    assert carried.events.get(to_state="registered").evidence["decree_number"] == (
        "400.10/Kep.3-Huk/2027"
    )


def test_a_year_without_carry_over_keeps_one_list(personas: dict[str, Any]) -> None:
    from payung.documents.tests import factories as document_factories

    context = document_factories.decree_context()
    assert context.carried_from_year is None
    paragraphs, _tables = _docx_text(docx_render("keputusan-peserta", context))
    text = "\n".join(paragraphs)
    assert "PESERTA LANJUTAN" not in text and "PESERTA BARU" not in text
    assert "Jumlah peserta: 30 (tiga puluh) orang." in text
