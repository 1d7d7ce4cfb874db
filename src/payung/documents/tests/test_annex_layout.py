"""The decree annex as printed (issue 9, defect 2): long occupations stay inside their cell,
and the signature never stands alone on the last page.

Read back from the PDF with ``pdftotext -bbox`` (every word with its box, in points): the
test knows nothing of the CSS, only where the column headers are and where words land.
"""

from __future__ import annotations

import dataclasses
import html
import re
import subprocess
from pathlib import Path

import pytest
from weasyprint import HTML

from payung.documents.render import pdf_html
from payung.documents.tests import factories

#: Occupations as DTSEN writes them; the second has a 17-letter word wider than the column.
LONG_JOBS = ("PEMBUDIDAYA IKAN", "TEKNISI KETENAGALISTRIKAN")
#: Rows whose last page, without keeping the closing block with the list, held only the
#: totals and the signature (20-26 and 49-61 did, rendering 20-75 rows; the test re-proves it).
ROWS = 24
#: Cell padding of ``table.data`` (base_document.html): a header word starts this far right
#: of its column's left border.
PADDING_PT = 3.0
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def _context(rows: int = ROWS) -> factories.DecreeContext:
    context = factories.decree_context(count=rows, draft=False)
    annex = [
        dataclasses.replace(r, pekerjaan=LONG_JOBS[r.no % 2]) if r.no % 3 == 0 else r
        for r in context.annex
    ]
    return dataclasses.replace(context, annex=annex)


def _pages(page_html: str, folder: Path, stem: str) -> list[list[tuple[float, ...]]]:
    """Each page's words as (xMin, yMin, xMax, yMax, text)."""
    pdf = folder / f"{stem}.pdf"
    pdf.write_bytes(HTML(string=page_html).write_pdf())
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
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


@pytest.fixture(scope="module")
def annex(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    folder = tmp_path_factory.mktemp("annex")
    page_html = pdf_html("lampiran-peserta", _context())
    assert 'class="keep-with-list"' in page_html
    return {
        "shipped": _pages(page_html, folder, "shipped"),
        # The same annex without the rule that keeps the closing block with the list.
        "unkept": _pages(page_html.replace('class="keep-with-list"', ""), folder, "unkept"),
    }


def test_the_signature_is_never_alone_on_the_last_page(annex: dict[str, list]) -> None:
    unkept, shipped = annex["unkept"], annex["shipped"]
    # The row count is one that shows the defect: without the rule, the last page holds the
    # signature and no participant.
    assert _has_signature(unkept[-1]) and not _data_rows(unkept[-1])

    last = shipped[-1]
    assert _has_signature(last)
    assert _data_rows(last), "the last page must hold at least one participant's row"
    assert len(shipped) == len(unkept)  # rows move to the last page, no page is added
    # Every participant is still printed exactly once.
    assert sum(len(_data_rows(page)) for page in shipped) == ROWS


def test_a_long_occupation_stays_inside_its_cell(annex: dict[str, list]) -> None:
    """Every word of the Pekerjaan column ends left of the Desa/Kelurahan column's border,
    which lies one cell padding left of that column's header word."""
    checked = 0
    for page in annex["shipped"]:
        headers = {w[4]: w for w in page if w[4] in ("Pekerjaan", "Desa/Kelurahan")}
        if len(headers) < 2:
            continue
        left = headers["Pekerjaan"][0] - PADDING_PT
        border = headers["Desa/Kelurahan"][0] - PADDING_PT
        rows = set(_data_rows(page))
        for x_min, y_min, x_max, _y_max, text in page:
            on_a_row_line = any(abs(y_min - y) < 20 for y in rows)
            if on_a_row_line and left <= x_min < border and y_min > headers["Pekerjaan"][1]:
                assert x_max <= border, f"{text!r} crosses into the next cell"
                checked += 1
    assert checked > ROWS  # every row's occupation (and the wrapped parts) was looked at


def test_the_check_sees_an_overflow(tmp_path: Path) -> None:
    """The bounding-box check is not blind: the old layout (no wrapping) fails it."""
    page_html = pdf_html("lampiran-peserta", _context(12))
    rule = "table.data td, table.data th { overflow-wrap: break-word; }"
    assert rule in page_html and "td.job { hyphens: auto; }" in page_html
    unwrapped = page_html.replace(rule, "").replace("td.job { hyphens: auto; }", "")
    page = _pages(unwrapped, tmp_path, "old")[0]
    headers = {w[4]: w for w in page if w[4] in ("Pekerjaan", "Desa/Kelurahan")}
    border = headers["Desa/Kelurahan"][0] - PADDING_PT
    crossing = [w[4] for w in page if w[0] < border < w[2]]
    assert "KETENAGALISTRIKAN" in crossing
