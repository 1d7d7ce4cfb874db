"""Long PDFs through Typst: a 100 000-row annex in parts of bounded memory, one page count.

Issue 16 (target 3): WeasyPrint lays a table out at 3-7 ms a row, so a regency-sized annex
took minutes; Typst lays out about ten times faster but holds every laid-out cell until the
end of a compilation (~70 KiB a row), so one compilation of 100 000 rows would need ~7 GiB.
The list is therefore typeset in parts of ``PART_ROWS`` rows, each in its own short-lived
process (its memory returns to the system when it exits):

1. a part is compiled from the template (``templates/documents/<name>.typ``) with the
   document's fields (``konteks.json``) and its rows (``baris.json``); the first part prints
   the heading, the last the totals and signature;
2. a part that is not the last reports (metadata ``<sisa>``) its last page and the first row
   on it; that page is dropped and the next part starts on that row, so every kept page is
   full and the table runs on without a gap;
3. ``halaman.typ`` places the kept pages of every part in order and writes "Halaman X dari Y"
   and the DRAF/RANCANGAN mark on each, knowing Y only now.

Data reach Typst only as JSON files read by the template, never spliced into Typst markup:
a name with ``#``, ``[``, ``$`` or ``\\`` is text, not code. Typst reads files only under the
part's own temporary folder (the templates are copied there), reads no system font (only
Liberation, the metric twin of Times New Roman the WeasyPrint PDFs use, and Typst's own), and
a template that imports a package (``@preview/...``, fetched from the network) is refused.
The PDF's creation date is the document's own date (none for a draft): same data, same bytes.

A table row of automatic height is laid out twice by Typst (once to measure it, once to place
it): about half of a part's work. Payung therefore measures every printed cell itself with the
table's font (``cell_widths``: the width it needs on one line and on two) and appends these
widths to each row; ``list-table`` gives a row whose cells all fit its height outright, and
keeps the automatic height for any other row. Same pages, same bytes (tested), about half of
a part's time.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

TEMPLATE_DIR: Final = Path(__file__).resolve().parent / "templates" / "documents"
#: Rows per part: Typst holds ~130 KiB a row while a part is laid out (~330 MiB a part).
PART_ROWS: Final = 2500
#: The first part, which alone cannot run beside another (no part's start is known before it
#: ends), holds this share of a part: the other core waits less.
FIRST_PART_SHARE: Final = 0.4
#: Parts compiled at once (the next one on a guess, see ``_Parts``): one per core of the
#: 2-core machine the issue measures on; two parts and this process stay under 1 GiB.
WORKERS: Final = 2
#: Up to this many rows a document is typeset in the calling process (Typst keeps a few
#: compilations' caches: fine for a letter-sized list, not for a worker after a long annex).
IN_PROCESS_ROWS: Final = 500
#: Liberation Serif: what the WeasyPrint PDFs print "Times New Roman" with on Debian.
FONT_DIRS: Final = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
#: The regular face the table cells are printed in (``fonts`` in dokumen.typ).
CELL_FONT: Final = "LiberationSerif-Regular.ttf"
#: Characters whose line-break rules ``cell_widths`` knows: letters, digits, a space between
#: words (a break), and marks that never allow a break next to them. A cell with any other
#: character (a hyphen or a slash allow a break) keeps the automatic height.
_PLAIN: Final = re.compile(r"(?:[^\W_]|[.,*])+(?: (?:[^\W_]|[.,*])+)*|")
#: A text every template measures with its own font: when Typst's width differs from ours,
#: the template was given another font and ignores the widths (``list-table``).
CALIBRATION: Final = "Hamparan Cikoneng 3601********0042 Kadubelang"
ASSEMBLY: Final = "halaman"
_PACKAGE_IMPORT: Final = re.compile(r"""["']@[a-z]""")


class TypesetError(Exception):
    """Typst refused a template or its data; the message is Typst's, naming the line."""


@dataclass(frozen=True)
class Section:
    """A run of the list with its own heading and total (issue 12: carried-over, new)."""

    kind: str  # "semua" (one list), "lanjutan", "baru"
    rows: Sequence[Sequence[Any]]  # each row's printed cells, after (section index, no)


def typst_template(name: str) -> Path | None:
    """``templates/documents/<name>.typ`` when that document is typeset by Typst."""
    path = TEMPLATE_DIR / f"{name}.typ"
    return path if path.is_file() else None


def font_dirs() -> list[str]:
    """The first Liberation folder present (Debian's fonts-liberation2, else fonts-liberation);
    without one Typst falls back to its own Libertinus Serif."""
    return [str(path) for path in FONT_DIRS if path.is_dir()][:1]


@functools.cache
def _advances() -> tuple[dict[str, float], float] | None:
    """Advance width of every character of the cell font, in em; None without the font."""
    for folder in font_dirs():
        path = Path(folder) / CELL_FONT
        if path.is_file():
            from fontTools.ttLib import TTFont

            font = TTFont(path, lazy=True)
            upem = font["head"].unitsPerEm
            metrics = font["hmtx"].metrics
            cmap = font.getBestCmap()
            widths = {chr(code): metrics[glyph][0] / upem for code, glyph in cmap.items()}
            return widths, widths[" "]
    return None


def text_width(text: str) -> float | None:
    """Width of ``text`` on one line in em of the cell font (no kerning: Liberation Serif's
    pairs narrow a line, so the sum is the safe side), None for a character it lacks."""
    known = _advances()
    if known is None:
        return None
    try:
        return sum(map(known[0].__getitem__, text))
    except KeyError:
        return None


@functools.cache
def _even_digits() -> bool:
    known = _advances()
    return known is not None and len({known[0].get(d) for d in "0123456789"}) == 1


def cell_widths(value: Any) -> list[float] | None:
    """``[one line, two lines]``: the narrowest cell (em) that holds ``value`` on one line, and
    on two lines broken at a space (Typst breaks a ragged cell at the last space that fits:
    two lines are enough exactly when some split leaves both halves no wider). None when the
    value holds a character whose breaks Payung does not model: that row keeps its automatic
    height."""
    text = "" if value is None else str(value)
    if not _PLAIN.fullmatch(text):
        return None
    one = text_width(text)
    if one is None:
        return None
    two, left, space = one, 0.0, _advances()[1]  # type: ignore[index]
    words = text.split(" ")
    for index, word in enumerate(words[:-1]):
        left += text_width(word) + (space if index else 0.0)  # type: ignore[operator]
        two = min(two, max(left, one - left - space))
    return [round(one, 4), round(two, 4)]


def _with_widths(row: list[Any], cache: dict[Any, list[float] | None]) -> list[Any]:
    """``row`` with, appended, the widths of its printed cells (after place and section); a
    number is measured once per count of digits (Liberation's digits are equally wide)."""
    widths = []
    for value in row[2:]:
        key = -len(str(value)) if type(value) is int and _even_digits() else value
        if key not in cache:
            cache[key] = cell_widths(value)
        widths.append(cache[key])
    return [*row, widths]


def _copy_templates(folder: Path) -> None:
    for path in TEMPLATE_DIR.glob("*.typ"):
        source = path.read_text(encoding="utf-8")
        if _PACKAGE_IMPORT.search(source):
            raise TypesetError(
                f"Templat {path.name} memakai paket Typst (@...): paket diunduh dari internet "
                "dan tidak diizinkan; salin fungsinya ke dokumen.typ."
            )
        shutil.copyfile(path, folder / path.name)


def _compile(folder: Path, main: str, inputs: dict[str, str], timestamp: date | None) -> bytes:
    """One Typst compilation in this process; returns the PDF."""
    import datetime as dt

    import typst

    stamp = dt.datetime.combine(timestamp or date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
    try:
        return typst.compile(  # type: ignore[return-value]
            str(folder / main),
            root=str(folder),
            font_paths=font_dirs(),
            ignore_system_fonts=True,
            sys_inputs=inputs,
            timestamp=stamp,
        )
    except typst.TypstError as exc:
        raise TypesetError(str(exc)) from exc


def part_compile(
    folder: Path, template: str, *, first: bool, last: bool, name: str = "bagian"
) -> dict[str, Any]:
    """Compile one part (in the child process) from ``<name>.json``, writing ``<name>.pdf``;
    return, for a part that is not the last, its last listed page and the first row on it."""
    import typst

    inputs = {"awal": "1" if first else "0", "akhir": "1" if last else "0"}
    compiler = typst.Compiler(
        str(folder / f"{template}.typ"),
        root=str(folder),
        font_paths=font_dirs(),
        ignore_system_fonts=True,
        sys_inputs=inputs | {"baris": f"{name}.json"},
    )
    try:
        pdf = compiler.compile(timestamp=0)
        carry = None if last else json.loads(compiler.query("<sisa>", field="value", one=True))
    except typst.TypstError as exc:
        raise TypesetError(str(exc)) from exc
    (folder / f"{name}.pdf").write_bytes(pdf)  # type: ignore[arg-type]
    return {"carry": carry}


class _Parts:
    """The parts of one document, each compiled in a child process, ``WORKERS`` at a time.

    A part's start is the first row of the previous part's last page, known only when that
    part is done; while it runs, the part after it is started on a guess (the previous
    advance repeated: pages of single-line rows hold the same number of rows; after the first
    part, whose headings make its advance no guide, the pattern of rows its pages held,
    ``_advance_guess``). A right guess keeps both cores busy; a wrong one is stopped and the
    part started again where it must.
    """

    def __init__(self, folder: Path, template: str, flat: list[list[Any]], size: int) -> None:
        self.folder, self.template, self.flat, self.size = folder, template, flat, size
        self.running: dict[int, subprocess.Popen[str]] = {}
        self.widths: dict[Any, list[float] | None] = {}

    def start(self, at: int) -> None:
        if at in self.running or at >= len(self.flat) or len(self.running) >= WORKERS:
            return
        size = self.size if at else max(1, int(self.size * FIRST_PART_SHARE))
        end = min(at + size, len(self.flat))
        name = f"bagian-{at}"
        rows = [_with_widths(row, self.widths) for row in self.flat[at:end]]
        (self.folder / f"{name}.json").write_text(
            json.dumps(rows, ensure_ascii=False), encoding="utf-8"
        )
        command = [sys.executable, "-m", "payung.documents.typeset", str(self.folder)]
        command += [self.template, "1" if at == 0 else "0", "1" if end == len(self.flat) else "0"]
        self.running[at] = subprocess.Popen(
            [*command, name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def result(self, at: int) -> dict[str, Any]:
        self.start(at)
        process = self.running.pop(at)
        out, err = process.communicate()
        if process.returncode != 0:
            raise TypesetError(err.strip().splitlines()[-1] if err.strip() else "Typst")
        return json.loads(out)

    def stop_others(self, keep: int) -> None:
        """Stop the guesses that turned out wrong (our own children only)."""
        for at in [at for at in self.running if at != keep]:
            process = self.running.pop(at)
            process.kill()
            process.communicate()

    def close(self) -> None:
        self.stop_others(keep=-1)


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _advance_guess(carry: dict[str, Any], size: int) -> int:
    """After the first part (its headings make its advance no guide): how far a part of
    ``size`` rows will advance. The rows its full pages held (``starts``: the first row of each
    page; the first page holds the headings) repeat in a pattern (single-line rows: the same
    count; a two-line row every fifth: 47, 48, 47, ...); the pattern is carried on from the
    last page. 0 (no guess) when no pattern shows."""
    starts = carry.get("starts") or []
    held = [b - a for a, b in itertools.pairwise(starts[1:])]
    period = next((p for p in range(1, len(held) // 2 + 1) if held[p:] == held[:-p]), None)
    if not period or any(n <= 0 for n in held):
        return 0
    advance, index = 0, len(held)
    while True:
        rows = held[index - period]
        held.append(rows)
        if advance + rows > size - 1:
            return advance
        advance, index = advance + rows, index + 1


def _parts_compile(runner: _Parts, parts: list[dict[str, Any]]) -> None:
    """Compile the parts in order, each from the first row of its predecessor's last page,
    appending ``{file, pages}`` (the pages kept) to ``parts``."""
    start, advance = 0, 0
    try:
        while True:
            result = runner.result(start)
            name = f"bagian-{start}.pdf"
            if result["carry"] is None:  # the last part: every page is kept
                parts.append({"file": name, "pages": _pdf_pages(runner.folder / name)})
                return
            carry = result["carry"]
            if carry["first"] <= start:
                raise TypesetError(f"bagian mulai baris {start} tidak maju")
            parts.append({"file": name, "pages": carry["page"] - 1})
            advance = carry["first"] - start if start else _advance_guess(carry, runner.size)
            start = carry["first"]
            runner.stop_others(keep=start)
            runner.start(start)
            if advance:
                runner.start(start + advance)  # the guess for the part after this one
    finally:
        runner.close()


def typeset(
    *,
    template: str,
    fields: dict[str, Any],
    sections: Sequence[Section],
    title: str,
    mark: str,
    day: date | None,
    part_rows: int | None = None,
    in_process: bool = False,
) -> bytes:
    """The PDF of ``template`` with ``fields`` (konteks.json) and the list in ``sections``.

    ``in_process`` compiles a document of up to ``IN_PROCESS_ROWS`` rows in this process; a
    longer one always uses parts in child processes.
    """
    part_rows = part_rows or PART_ROWS
    flat: list[list[Any]] = []
    meta = []
    for index, section in enumerate(sections):
        start = len(flat)
        flat.extend([len(flat), index, *row] for row in section.rows)
        meta.append(
            {"kind": section.kind, "start": start, "end": len(flat), "count": len(section.rows)}
        )
    widest = max((len(str(row[2])) for row in flat), default=1)  # digits of the largest "no"
    konteks = {**fields, "sections": meta, "row_count": len(flat), "no_digits": widest}
    width = text_width(CALIBRATION)
    konteks["fit"] = None if width is None else {"text": CALIBRATION, "width": round(width, 4)}
    with tempfile.TemporaryDirectory(prefix="payung-typst-") as temp:
        folder = Path(temp)
        _copy_templates(folder)
        (folder / "konteks.json").write_text(
            json.dumps(konteks, ensure_ascii=False), encoding="utf-8"
        )
        parts: list[dict[str, Any]] = []
        if in_process and len(flat) <= min(part_rows, IN_PROCESS_ROWS):  # no child needed
            rows = [_with_widths(row, {}) for row in flat]
            (folder / "bagian-0.json").write_text(json.dumps(rows), encoding="utf-8")
            part_compile(folder, template, first=True, last=True, name="bagian-0")
            parts.append({"file": "bagian-0.pdf", "pages": _pdf_pages(folder / "bagian-0.pdf")})
        else:
            _parts_compile(_Parts(folder, template, flat, part_rows), parts)
        (folder / f"{ASSEMBLY}.json").write_text(
            json.dumps(
                {
                    "title": title,
                    "mark": mark,
                    "date": [day.year, day.month, day.day] if day else None,
                    "parts": parts,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        return _compile(folder, f"{ASSEMBLY}.typ", {}, day)


def main(argv: list[str]) -> int:
    """Child process: ``python -m payung.documents.typeset FOLDER TEMPLATE FIRST LAST NAME``."""
    folder, template, first, last, name = argv
    try:
        result = part_compile(
            Path(folder), template, first=first == "1", last=last == "1", name=name
        )
    except TypesetError as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
