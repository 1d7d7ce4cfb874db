"""The amending decree as people receive it: rendered by the background task from the
stored lists, read back with python-docx, LibreOffice (DOCX to text) and pdftotext."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest

from payung.decrees import services
from payung.decrees.models import Decree
from payung.decrees.tests.factories import FIRST_NUMBER
from payung.decrees.tests.test_amending_participants import (  # noqa: F401
    DRAFTED_ON,
    changed,
    year,
)
from payung.decrees.tests.test_documents import _documents, docx_text, flat, pdf_text
from payung.domain import nik as nik_domain
from payung.participants.models import Proposal

pytestmark = pytest.mark.django_db


def _pdf_cells(path: Path) -> str:
    """pdftotext in reading order (no layout): a table cell wrapped over lines stays whole."""
    return flat(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=120
        ).stdout
    )


def _docx_paragraphs(path: Path) -> str:
    """Body paragraphs and every table cell (the dictums and annexes are tables)."""
    document = docx.Document(io.BytesIO(path.read_bytes()))
    lines = [p.text for p in document.paragraphs]

    def cells(tables: Any) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    return flat("\n".join(lines))


def test_the_amending_decree_lists_additions_and_removals_with_reasons(
    changed: tuple[Proposal, Decree],  # noqa: F811
    operator_disnaker: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    proposal, _first = changed
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.decree_amendment_draft(
            programme_year=proposal.programme_year, actor=operator_disnaker, on=DRAFTED_ON
        )
    docs = _documents(f"decrees.decree:{draft.pk}")
    people = {c.rank: c for c in proposal.candidates.select_related("person")}

    decree = _docx_paragraphs(Path(docs[("keputusan", "docx")].stored_path))
    assert "RANCANGAN" in decree
    assert f"PERUBAHAN ATAS KEPUTUSAN BUPATI PANDEGLANG NOMOR {FIRST_NUMBER}" in decree
    assert "Menimbang" in decree and "Mengingat" in decree and "MEMUTUSKAN" in decree
    assert "menambahkan 2 (dua) orang Peserta" in decree
    assert "mengeluarkan 2 (dua) orang Peserta" in decree
    assert "semula 5 (lima) orang menjadi 5 (lima) orang" in decree
    # The first amendment changes the first decree: it is named once, not as "last amended".
    assert "terakhir diubah" not in decree
    assert "mulai bulan Juli 2026" in decree
    assert "Rp201.600 (dua ratus satu ribu enam ratus rupiah)" in decree
    assert "LAMPIRAN I: PESERTA YANG DITAMBAHKAN" in decree
    assert "LAMPIRAN II: PESERTA YANG DIKELUARKAN" in decree
    for rank in (6, 7, 1, 3):
        assert people[rank].person.nama in decree
        assert nik_domain.mask(people[rank].nik) in decree
        assert people[rank].nik not in decree
    assert "Pengganti dari daftar tunggu, terverifikasi Disdukcapil" in decree
    assert "Pendaftaran ditolak BPJS Ketenagakerjaan" in decree
    assert "Meninggal dunia" in decree
    # Those who stay are not in either annex.
    assert people[2].person.nama not in decree

    internal = _docx_paragraphs(Path(docs[("lampiran_internal", "docx")].stored_path))
    assert people[1].nik in internal and people[6].nik in internal

    # As a reader sees it: LibreOffice's text, and the PDF annexes through pdftotext.
    text = flat(docx_text(Path(docs[("keputusan", "docx")].stored_path), tmp_path))
    assert "KEPUTUSAN BUPATI PANDEGLANG" in text
    assert people[6].person.nama in text and "Meninggal dunia" in text
    published = _pdf_cells(Path(docs[("lampiran", "pdf")].stored_path))
    assert "LAMPIRAN II: PESERTA YANG DIKELUARKAN" in published
    assert people[3].person.nama in published and nik_domain.mask(people[3].nik) in published
    assert people[3].nik not in published
    assert "Meninggal dunia" in published
    assert "setelah perubahan 5 (lima) orang" in flat(
        pdf_text(Path(docs[("lampiran", "pdf")].stored_path))
    )
    internal_pdf = flat(pdf_text(Path(docs[("lampiran_internal", "pdf")].stored_path)))
    assert people[3].nik in internal_pdf
    assert docs[("lampiran_internal", "pdf")].confidential
