"""The PDFs as a reader sees them: typeset by Typst, read back with ``pdftotext``.

Each PDF is rendered once per module;
the long annex spans several pages so the footer and the repeated table header can be
checked page by page.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from payung.documents.contexts import BeritaAcaraContext, DecreeContext
from payung.documents.render import pdf_render
from payung.documents.tests import factories

DOCUMENTS: dict[str, tuple[str, BeritaAcaraContext | DecreeContext]] = {
    "berita-acara": ("berita-acara", factories.berita_acara_context(status="DRAF")),
    "lampiran-rancangan": ("lampiran-peserta", factories.decree_context(count=150)),
    "lampiran-internal": (
        "lampiran-peserta",
        factories.decree_context(count=30, draft=False, masked=False),
    ),
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each document's text, one string per page (pdftotext ends pages with a form feed)."""
    folder = tmp_path_factory.mktemp("pdf")
    out: dict[str, list[str]] = {}
    for stem, (template, context) in DOCUMENTS.items():
        path = folder / f"{stem}.pdf"
        data = pdf_render(template, context)
        assert data.startswith(b"%PDF-")
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout.decode("utf-8")
        out[stem] = [page for page in text.split("\f") if page.strip()]
    return out


def test_every_page_has_its_number(pages: dict[str, list[str]]) -> None:
    for stem, document in pages.items():
        total = len(document)
        for number, page in enumerate(document, start=1):
            assert f"Halaman {number} dari {total}" in flat(page), (stem, number)


def test_berita_acara(pages: dict[str, list[str]]) -> None:
    context = DOCUMENTS["berita-acara"][1]
    assert isinstance(context, BeritaAcaraContext)
    text = flat("\n".join(pages["berita-acara"]))
    assert "BERITA ACARA HASIL PENDATAAN PEKERJA RENTAN" in text
    assert "Pada hari ini Selasa, 24 November 2026 bertempat di Pandeglang" in text
    assert "sebesar Rp1.008.000.000 (satu miliar delapan juta rupiah)" in text
    assert "sebanyak 5.000 (lima ribu) orang" in text
    assert "Rp201.600" in text
    for member in context.team:
        assert member.name in text
    for row in context.candidates:
        assert row.nama in text
        assert row.nik in text
        assert factories.full_nik(row.no - 1) not in text
    assert "pindah domisili ke luar daerah" in text
    # Not yet approved: marked on every page.
    for page in pages["berita-acara"]:
        assert "DRAF" in page


def test_annex_draft(pages: dict[str, list[str]]) -> None:
    context = DOCUMENTS["lampiran-rancangan"][1]
    assert isinstance(context, DecreeContext)
    document = pages["lampiran-rancangan"]
    assert len(document) >= 3
    text = flat("\n".join(document))
    assert "LAMPIRAN KEPUTUSAN BUPATI PANDEGLANG" in text
    assert "NOMOR : ........................" in text
    assert "DAFTAR PESERTA JAMINAN SOSIAL KETENAGAKERJAAN BAGI PEKERJA RENTAN" in text
    assert "Jumlah peserta: 150 (seratus lima puluh) orang" in text
    assert "Rp30.240.000 (tiga puluh juta dua ratus empat puluh ribu rupiah)" in text
    for row in context.annex:
        assert re.search(rf"\b{row.no}\s+{re.escape(row.nama)}\s+{re.escape(row.nik)}\b", text)
        assert factories.full_nik(row.no - 1) not in text
    assert "ditampilkan sebagian" in text
    for page in document:
        assert "RANCANGAN" in page
        # The table header is repeated on every page the table runs over.
        assert re.search(r"No\s+Nama\s+NIK\s+Pekerjaan", page)


def test_annex_signed_internal_copy(pages: dict[str, list[str]]) -> None:
    context = DOCUMENTS["lampiran-internal"][1]
    assert isinstance(context, DecreeContext)
    text = flat("\n".join(pages["lampiran-internal"]))
    assert "RANCANGAN" not in text
    assert "NOMOR : 100.3.3.2/Kep.412-Huk/2026" in text
    assert "TANGGAL : 2 Desember 2026" in text
    assert "Rp6.048.000 (enam juta empat puluh delapan ribu rupiah)" in text
    for row in context.annex:
        assert factories.full_nik(row.no - 1) in text
    assert "ditampilkan sebagian" not in text
    assert "BUPATI PANDEGLANG, RADEN DEWI SETIANI" in text
