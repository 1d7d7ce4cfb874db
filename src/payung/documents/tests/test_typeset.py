"""Long lists typeset by Typst in parts (issue 16): the parts join into one document whose
table runs on without a gap or a repeated row, with the header on every page, one page count
("Halaman X dari Y"), the signature with the last rows, masked NIKs, the same bytes for the
same data, and names printed as text whatever characters they hold.

``PART_ROWS`` is lowered so that a few hundred rows make several parts (each part a child
process, as for a 100 000-row annex); read back with ``pdftotext``.
"""

from __future__ import annotations

import dataclasses
import json
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


# Names, occupations and villages of every length around a column's width: one line, two
# lines, three, a word wider than its cell, a hyphen and a slash (breaks Payung does not
# model), a character Liberation Serif lacks (another font), an apostrophe.
LONG_NAMES = [
    "Siti",
    "Siti Nurhasanah",
    "Siti Nurhasanah Rahmawati",
    "Raden Ajeng Siti Nurhasanah Rahmawati Kusumadewi",
    "Muhammad Abdurrahman Wahid",
    "Abdurrahmansyahputra",
    "Nur'aini",
    "Dede-Kurniasih",
    "李 Siti",
    "Jajang Abdul Rohman",
]
LONG_JOBS = [
    "Petani",
    "Buruh Harian Lepas",
    "Petani/Pekebun",
    "Mengurus Rumah Tangga",
    "Pedagang Keliling Sayur Mayur dan Buah-buahan",
    "Nelayan Tangkap",
]
LONG_PLACES = ["Karangtanjung", "Mandalawangi", "Sindangresmi Kidul", "Cikoneng", "Pagelaran"]


def _varied(rows: list) -> list:
    return [
        dataclasses.replace(
            r,
            nama=LONG_NAMES[i % len(LONG_NAMES)] + ("" if i % 7 else " Saepudin"),
            pekerjaan=LONG_JOBS[i % len(LONG_JOBS)],
            desa=LONG_PLACES[i % len(LONG_PLACES)],
            kecamatan=LONG_PLACES[(i // 3) % len(LONG_PLACES)],
        )
        for i, r in enumerate(rows)
    ]


def test_rows_given_their_height_print_as_rows_of_auto_height(
    small_parts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: Payung measures each cell and gives a row that fits its height outright (half
    of Typst's work); the pages must be exactly those of rows laid out at auto height."""
    ba = factories.berita_acara_context(count=330, status="")
    ba = dataclasses.replace(ba, candidates=_varied(ba.candidates))
    annex = factories.decree_context(count=330, draft=False)
    annex = dataclasses.replace(annex, annex=_varied(annex.annex))
    fitted = [pdf_render("berita-acara", ba), pdf_render("lampiran-peserta", annex)]
    monkeypatch.setattr(typeset, "_advances", lambda: None)  # no font to measure with
    assert typeset.cell_widths("Petani") is None
    assert [pdf_render("berita-acara", ba), pdf_render("lampiran-peserta", annex)] == fitted


def test_cell_widths_one_and_two_lines() -> None:
    petani = typeset.cell_widths("Petani")
    assert petani is not None and petani[0] == petani[1] > 2  # one word: no second line
    buruh, two = typeset.cell_widths("Buruh Harian Lepas"), typeset.text_width("Harian Lepas")
    assert buruh is not None and two is not None
    assert buruh[0] > buruh[1] == pytest.approx(two, abs=1e-3)  # widest half of the best split
    assert typeset.cell_widths(None) == [0, 0] == typeset.cell_widths("")
    assert typeset.cell_widths(12345) == typeset.cell_widths("98765")
    for other in ("Petani/Pekebun", "Dede-Kurniasih", "a  b", " a", "李", "Nur'aini"):
        assert typeset.cell_widths(other) is None, other  # the row keeps its auto height


def _heights(
    folder: Path, rows: list, fit: object, columns: str = "(20%, 25%)", wrapped: str = "auto"
) -> object:
    import typst

    for path in typeset.TEMPLATE_DIR.glob("*.typ"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "data.json").write_text(json.dumps({"rows": rows, "fit": fit}), encoding="utf-8")
    (folder / "probe.typ").write_text(
        '#import "dokumen.typ": *\n#show: dokumen\n#let d = json("data.json")\n'
        f"#context [#let hs = row-heights({columns}, d.rows, d.fit, (0, 1), wrapped: {wrapped})\n"
        "#let n(h) = if h == auto { 0 } else { calc.round(h / 1pt, digits: 2) }\n"
        "#metadata(if hs == auto { 0 } else { hs.map(n) })<h>]\n",
        encoding="utf-8",
    )
    found = typst.query(
        str(folder / "probe.typ"),
        "<h>",
        field="value",
        one=True,
        root=str(folder),
        font_paths=typeset.font_dirs(),
        ignore_system_fonts=True,
    )
    return json.loads(found)


def test_the_template_gives_one_or_two_lines_and_auto_otherwise(tmp_path: Path) -> None:
    """``row-heights`` in dokumen.typ: one line, two lines, auto (a cell with no widths, a cell
    that needs three lines, a font other than the one measured with)."""
    texts = [
        "Siti",
        "Siti Nurhasanah Rahmawati Kusumadewi",
        "Petani/Pekebun",
        " ".join(["Siti"] * 40),
    ]
    rows = [
        [i, 0, i + 1, t, [typeset.cell_widths(i + 1), typeset.cell_widths(t)]]
        for i, t in enumerate(texts)
    ]
    width = typeset.text_width(typeset.CALIBRATION)
    fit = {"text": typeset.CALIBRATION, "width": width}
    one, two, none, three = _heights(tmp_path, rows, fit)
    assert none == 0 and three == 0  # auto
    assert 10 < one < two < 2 * one
    assert _heights(tmp_path, rows, fit | {"width": width * 1.1}) == 0  # another font: auto
    assert _heights(tmp_path, rows, fit, columns="(20%, 1fr)") == 0  # width unknown: auto
    assert _heights(tmp_path, rows[:1], None) == 0  # Payung found no font to measure with


def test_a_word_wider_than_its_column_keeps_one_line_where_nothing_wraps(tmp_path: Path) -> None:
    """A masked NIK is a hair wider than the NIK column of the berita acara and the annex; Typst
    breaks it nowhere, so the row is one line high, unless the column wraps long words."""
    nik = "3601*********0874"
    widths = typeset.cell_widths(nik)
    assert widths is not None and widths[0] == widths[1]  # no space: no second line
    rows = [[0, 0, 1, nik, [typeset.cell_widths(1), widths]]]
    fit = {"text": typeset.CALIBRATION, "width": typeset.text_width(typeset.CALIBRATION)}
    narrow = "(20%, 80pt)"  # less room than the NIK needs (85 pt)
    assert _heights(tmp_path, rows, fit, columns=narrow, wrapped="()")[0] > 10  # one line
    assert _heights(tmp_path, rows, fit, columns=narrow, wrapped="(1,)") == [0]  # wraps: auto
    assert _heights(tmp_path, rows, fit, columns=narrow) == [0]  # not said: auto


def test_a_text_past_the_sure_room_is_measured_by_typst(tmp_path: Path) -> None:
    """Payung's widths leave kerning out, so within 3 % of a column's room a text may still fit
    one line: Typst measures it (one line here, as an auto row would have it), instead of the
    row being given two lines (the annex printed such a row twice as high)."""
    name = "Nining Kurniasih"  # 6.97 em; the Nama column of the annex holds 7.11 em
    rows = [[0, 0, 1, name, [typeset.cell_widths(1), typeset.cell_widths(name)]]]
    fit = {"text": typeset.CALIBRATION, "width": typeset.text_width(typeset.CALIBRATION)}
    [height] = _heights(tmp_path, rows, fit, columns="(8%, 17%)")
    [single] = _heights(tmp_path, [[0, 0, 1, "Siti", rows[0][4][:1] * 2]], fit, "(8%, 17%)")
    assert height == single > 10


def test_the_part_after_the_next_is_guessed_from_the_first_parts_pages() -> None:
    """After the first part (headings on its first page) the part after the next one starts on
    a guess, so both run at once: the rows its full pages held, in their repeating pattern."""
    alternating = {"starts": [0, 42, 89, 137, 184, 232, 279, 327], "first": 327}
    assert typeset._advance_guess(alternating, 2500) == 26 * 95  # 52 pages of 47 and 48 rows
    even = {"starts": [0, 53, *(53 + 66 * i for i in range(1, 30))]}
    assert typeset._advance_guess(even, 2500) == 37 * 66  # the 38th page is the carried one
    assert typeset._advance_guess({"starts": [0, 42, 89]}, 2500) == 0  # no pattern seen twice
    assert typeset._advance_guess({"page": 3, "first": 89}, 2500) == 0
