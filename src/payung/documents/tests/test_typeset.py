"""Long lists typeset by Typst in parts (issue 16): the parts join into one document whose
table runs on without a gap or a repeated row, with the header on every page, one page count
("Halaman X dari Y"), the signature with the last rows, masked NIKs, the same bytes for the
same data, and names printed as text whatever characters they hold.

``PART_ROWS`` is lowered so that a few hundred rows make several parts (each part a child
process, as for a 100 000-row annex); read back with ``pdftotext``.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from payung.documents import typeset
from payung.documents.render import DocumentTemplateError, pdf_render
from payung.documents.tests import factories

ROW = re.compile(r"^\s*(\d+)\s+(\S.*?)\s{2,}(3601\S+)", re.M)


def pages_of(pdf: bytes, folder: Path, stem: str = "doc") -> list[str]:
    path = folder / f"{stem}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout.decode("utf-8")
    return [page for page in text.split("\f") if page.strip()]


def numbers(page: str) -> list[int]:
    return [int(m.group(1)) for m in ROW.finditer(page)]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(typeset, "PART_ROWS", 150)
    return 150


def test_an_annex_in_parts_reads_as_one_document(small_parts: int, tmp_path: Path) -> None:
    context = factories.decree_context(count=520, draft=False)
    pages = pages_of(pdf_render("lampiran-peserta", context), tmp_path)
    total = len(pages)
    assert total >= 6
    seen = [n for page in pages for n in numbers(page)]
    assert seen == list(range(1, 521))  # every row once, in order, across 4 parts
    full = len(numbers(pages[1]))
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {total}" in page
        assert re.search(r"No\s+Nama\s+NIK\s+Pekerjaan", page), number
        if 1 < number < total:
            assert len(numbers(page)) == full, f"page {number} is not full: a gap between parts"
    text = "\n".join(pages)
    assert text.count("LAMPIRAN KEPUTUSAN BUPATI PANDEGLANG") == 1
    assert "Jumlah peserta: 520 (lima ratus dua puluh) orang" in " ".join(text.split())
    assert numbers(pages[-1]) and "RADEN DEWI SETIANI" in pages[-1]
    assert "Ditetapkan di" not in "\n".join(pages[:-1])
    for row in context.annex:
        assert factories.full_nik(row.no - 1) not in text
    assert text.count("3601********") == 520


def test_same_data_same_bytes_dated_by_the_document(small_parts: int, tmp_path: Path) -> None:
    context = factories.decree_context(count=200, draft=False)
    first = pdf_render("lampiran-peserta", context)
    assert first == pdf_render("lampiran-peserta", context)
    path = tmp_path / "a.pdf"
    path.write_bytes(first)
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, env={"TZ": "UTC"}
    ).stdout
    assert re.search(r"CreationDate:\s+\w+ Dec\s+2 00:00:00 2026", info), info
    draft = factories.decree_context(count=3)
    path.write_bytes(pdf_render("lampiran-peserta", draft))
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, env={"TZ": "UTC"}
    ).stdout
    assert "CreationDate" not in info  # a draft has no date of its own: none is written


ODD_NAMES = [
    "#set page(a)",
    "Siti [Nur] \\",
    "$x^2$ 'Dede'",
    '"Ujang" <Euis>',
    "@ref // * _ `",
    "#{ panic() } ]",
]


def test_names_are_text_never_typst_code(tmp_path: Path) -> None:
    context = factories.decree_context(count=len(ODD_NAMES), draft=False)
    annex = [
        dataclasses.replace(r, nama=name) for r, name in zip(context.annex, ODD_NAMES, strict=True)
    ]
    context = dataclasses.replace(context, annex=annex, place="Pandeglang #pagebreak()")
    text = "\n".join(pages_of(pdf_render("lampiran-peserta", context), tmp_path))
    flat = " ".join(text.split())
    for name in ODD_NAMES:
        assert " ".join(name.split()) in flat, name
    assert "Ditetapkan di Pandeglang #pagebreak()" in flat


def test_carried_over_and_new_lists_across_parts(small_parts: int, tmp_path: Path) -> None:
    context = factories.decree_context(count=260, draft=False)
    carried, new = context.annex[:170], context.annex[170:]
    renumbered = [dataclasses.replace(r, no=i) for i, r in enumerate(new, start=1)]
    context = dataclasses.replace(
        context, carried_from_year=2025, carried_over=carried, new_participants=renumbered
    )
    pages = pages_of(pdf_render("lampiran-peserta", context), tmp_path)
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert flat.index("A. PESERTA LANJUTAN DARI TAHUN 2025") < flat.index("B. PESERTA BARU")
    assert "Jumlah: 170 (seratus tujuh puluh) orang." in flat
    assert "Jumlah: 90 (sembilan puluh) orang." in flat
    assert "Jumlah peserta: 260 (dua ratus enam puluh) orang" in flat
    seen = [n for page in pages for n in numbers(page)]
    assert seen == [*range(1, 171), *range(1, 91)]


def test_berita_acara_in_parts(small_parts: int, tmp_path: Path) -> None:
    context = factories.berita_acara_context(count=400, status="")
    pages = pages_of(pdf_render("berita-acara", context), tmp_path)
    seen = [n for page in pages for n in numbers(page)]
    assert seen == list(range(1, 401))
    flat = " ".join("\n".join(pages).split())
    assert "Pada hari ini Selasa, 24 November 2026 bertempat di Pandeglang" in flat
    assert "Jumlah calon peserta: 400 (empat ratus) orang." in " ".join(pages[-1].split())
    assert "DRAF" not in flat
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page


def test_a_template_importing_a_package_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A Typst package is fetched from the internet: a template must not import one."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for path in typeset.TEMPLATE_DIR.glob("*.typ"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (folder / "dokumen.typ").open("a", encoding="utf-8") as out:
        out.write('\n#import "@preview/tablex:0.0.8": tablex\n')
    monkeypatch.setattr(typeset, "TEMPLATE_DIR", folder)
    with pytest.raises(DocumentTemplateError, match="paket Typst"):
        pdf_render("lampiran-peserta", factories.decree_context(count=2))


def test_a_broken_template_names_itself(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for path in typeset.TEMPLATE_DIR.glob("*.typ"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    source = (folder / "lampiran-peserta.typ").read_text(encoding="utf-8")
    (folder / "lampiran-peserta.typ").write_text(
        source.replace("k.annex_title", "k.judul_lampiran", 1)
    )
    monkeypatch.setattr(typeset, "TEMPLATE_DIR", folder)
    with pytest.raises(DocumentTemplateError, match="lampiran-peserta") as caught:
        pdf_render("lampiran-peserta", factories.decree_context(count=2))
    assert "judul_lampiran" in str(caught.value)
