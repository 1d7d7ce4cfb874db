"""The decree annex as printed (issue 9, defect 2; Typst since issue 16): long occupations
stay inside their cell, and the signature never stands alone on the last page.

Read back from the PDF with ``pdftotext -bbox`` (every word with its box, in points): the
test knows nothing of the CSS, only where the column headers are and where words land.
"""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from payung.documents import typeset
from payung.documents.render import pdf_render
from payung.documents.tests import factories

#: Occupations as DTSEN writes them; the second has a 17-letter word wider than the column.
LONG_JOBS = ("PEMBUDIDAYA IKAN", "TEKNISI KETENAGALISTRIKAN")
#: Cell padding of the data tables (dokumen.typ, ``inset``): a header word starts this far
#: right of its column's left border.
PADDING_PT = 3.0
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def _context(rows: int) -> factories.DecreeContext:
    context = factories.decree_context(count=rows, draft=False)
    annex = [
        dataclasses.replace(r, pekerjaan=LONG_JOBS[r.no % 2]) if r.no % 3 == 0 else r
        for r in context.annex
    ]
    return dataclasses.replace(context, annex=annex)


def _words(pdf: bytes, folder: Path, stem: str) -> list[list[tuple]]:
    """Each page's words as (xMin, yMin, xMax, yMax, text)."""
    path = folder / f"{stem}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout.decode("utf-8")
    return [
        [(*map(float, m.groups()[:4]), html.unescape(m.group(5))) for m in _WORD.finditer(page)]
        for page in _PAGE.findall(out)
    ]


def _data_rows(page: list[tuple]) -> list[float]:
    """The y of every data row on a page: the lines holding a masked NIK."""
    return sorted({w[1] for w in page if re.fullmatch(r"3601\*+\d{4}", w[4])})


def _has_signature(page: list[tuple]) -> bool:
    text = " ".join(w[4] for w in page)
    return "Ditetapkan di" in text and "RADEN DEWI SETIANI" in text


@pytest.fixture
def edited_templates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[str, str, str], None]:
    """Render from a copy of the Typst templates with one passage replaced."""
    folder = tmp_path / "templates"
    shutil.copytree(typeset.TEMPLATE_DIR, folder)
    monkeypatch.setattr(typeset, "TEMPLATE_DIR", folder)

    def edit(name: str, old: str, new: str) -> None:
        path = folder / name
        source = path.read_text(encoding="utf-8")
        assert old in source, f"{old!r} is no longer in {name}"
        path.write_text(source.replace(old, new), encoding="utf-8")

    return edit


#: How the annex keeps its last row with the closing block, and the same without it.
KEEP = (
    "list-table(columns, headers, aligns, mine, row-cells, ends: ends, after: if ends { after },"
    "\n    fit: k.fit, printed: printed, wrapped: wrapped)"
)
NO_KEEP = (
    "list-table(columns, headers, aligns, mine, row-cells, fit: k.fit, printed: printed,"
    " wrapped: wrapped); if ends { after }"
)


def _rows_per_page(tmp_path: Path) -> tuple[int, int]:
    """How many rows the first and a following page hold (single-line rows)."""
    pages = _words(
        pdf_render("lampiran-peserta", factories.decree_context(count=200, draft=False)),
        tmp_path,
        "probe",
    )
    return len(_data_rows(pages[0])), len(_data_rows(pages[1]))


def test_the_signature_is_never_alone_on_the_last_page(
    tmp_path: Path, edited_templates: Callable[[str, str, str], None]
) -> None:
    first, other = _rows_per_page(tmp_path)
    # Row counts that fill the second page to its last line, or nearly: without the rule,
    # the closing block (totals, note, signature) lands alone on a third page.
    counts = [first + other - k for k in range(0, 3)]
    shipped = {
        n: _words(
            pdf_render("lampiran-peserta", factories.decree_context(count=n, draft=False)),
            tmp_path,
            f"s{n}",
        )
        for n in counts
    }
    for n, pages in shipped.items():
        last = pages[-1]
        assert _has_signature(last), n
        assert _data_rows(last), f"{n} rows: the last page must hold a participant's row"
        assert sum(len(_data_rows(page)) for page in pages) == n  # each row once

    edited_templates("lampiran-peserta.typ", KEEP, NO_KEEP)
    alone = 0
    for n in counts:
        pages = _words(
            pdf_render("lampiran-peserta", factories.decree_context(count=n, draft=False)),
            tmp_path,
            f"u{n}",
        )
        alone += _has_signature(pages[-1]) and not _data_rows(pages[-1])
    assert alone, "the check must see the defect the rule prevents"


def _crossings(pages: list[list[tuple]]) -> tuple[int, list[str]]:
    """Words of the Pekerjaan column looked at, and those crossing into the next column."""
    checked, crossing = 0, []
    for page in pages:
        headers = {w[4]: w for w in page if w[4] in ("Pekerjaan", "Desa/Kelurahan")}
        if len(headers) < 2:
            continue
        left = headers["Pekerjaan"][0] - PADDING_PT
        border = headers["Desa/Kelurahan"][0] - PADDING_PT
        rows = set(_data_rows(page))
        for x_min, y_min, x_max, _y_max, text in page:
            on_a_row_line = any(abs(y_min - y) < 20 for y in rows)
            if on_a_row_line and left <= x_min < border and y_min > headers["Pekerjaan"][1]:
                checked += 1
                if x_max > border:
                    crossing.append(text)
    return checked, crossing


def test_a_long_occupation_stays_inside_its_cell(tmp_path: Path) -> None:
    """Every word of the Pekerjaan column ends left of the Desa/Kelurahan column's border,
    which lies one cell padding left of that column's header word."""
    pages = _words(pdf_render("lampiran-peserta", _context(24)), tmp_path, "jobs")
    checked, crossing = _crossings(pages)
    assert checked > 24  # every row's occupation (and the wrapped parts) was looked at
    assert crossing == []
    # Only a word too wide for its cell is broken: the others read back whole.
    words = [w[4] for page in pages for w in page]
    assert "PEMBUDIDAYA" in words and "KETENAGALISTRIKAN" not in words


def test_the_check_sees_an_overflow(
    tmp_path: Path, edited_templates: Callable[[str, str, str], None]
) -> None:
    """The bounding-box check is not blind: without the break chances a long word runs over."""
    edited_templates("dokumen.typ", "if s.len() <= 12 or", "if true or")
    pages = _words(pdf_render("lampiran-peserta", _context(12)), tmp_path, "old")
    _checked, crossing = _crossings(pages)
    assert "KETENAGALISTRIKAN" in crossing


def test_six_digit_numbers_stay_in_the_no_column(tmp_path: Path) -> None:
    """A regency-sized annex numbers its rows up to 100 000: the No column widens for them."""
    context = factories.decree_context(count=6, draft=False)
    annex = [dataclasses.replace(r, no=99_997 + i) for i, r in enumerate(context.annex)]
    pages = _words(
        pdf_render("lampiran-peserta", dataclasses.replace(context, annex=annex)), tmp_path, "wide"
    )
    page = pages[0]
    nama = next(w for w in page if w[4] == "Nama")
    border = nama[0] - PADDING_PT
    numbers = [w for w in page if re.fullmatch(r"\d{5,6}", w[4])]
    assert [w[4] for w in numbers] == [str(99_997 + i) for i in range(6)]
    assert all(w[2] <= border for w in numbers)
