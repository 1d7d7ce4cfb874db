"""Upload fuzz campaign: hundreds of malformed files per upload kind, read as users upload them.

Issue 17: every kind in the upload registry (``payung.core.uploads``) must end each read
accepted, or refused with coded Indonesian messages that name the user's file: 0 crashes,
0 partial writes, 100 % coded messages, and bounded time and memory. For each kind this
generates N files from a few valid synthetic samples (``--seed`` makes them reproducible):
truncated, bit-flipped, binary garbage, wrong encodings (UTF-16 with and without BOM, NULs,
broken UTF-8) and delimiters, duplicated, missing or garbage headers, header only, ragged and
unterminated rows, giant fields and lines, too many rows, formula cells, zip bombs and
whitespace-padded sheets, XML bombs (billion laughs in the sheet or sharedStrings), files of
another type, and for PDFs truncated, encrypted, page-less and deflate-bombed documents.

    python -m campaigns.fuzz_uploads [--per-kind 200] [--seed 1] [--kinds dtsen,...]

Each kind runs in its own worker process (so its peak RSS is its own, and a hang or a crash
of a native parser is caught): a file taking longer than ``--timeout`` seconds is a crash.
Prints per kind: files, accepted, refused, crashes, coded messages, partial writes, max
seconds, max RSS; exits 1 on any crash, uncoded message or partial write. A crash is any
exception other than a coded refusal. A partial write is a file left behind in the reader's
folder, or the upload itself changed. Coded: every refusal has a known code and a message
with no library English, naming the user's file whenever the code's wording has a file.
Everything is synthetic.
"""

from __future__ import annotations

import argparse
import csv
import io
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

#: The user's name for every generated upload: messages must say it, never the stored path.
SHOWN_STEM = "unggahan-uji"

#: Library words that must never reach a person (defect 6's examples and their kin).
ENGLISH = (
    "invalid",
    "Invalid",
    "EOCD",
    "worksheet",
    "File not found",
    "new-line",
    "Error",
    "error:",
    "Traceback",
    "expected",
    "codec",
    "field larger",
    "line contains",
    "PdfRead",
)


@dataclass
class FileResult:
    index: int
    mutation: str
    seconds: float
    accepted: bool = False
    crash: str = ""
    uncoded: str = ""
    partial: str = ""
    codes: tuple[str, ...] = ()


@dataclass
class KindTally:
    kind: str
    files: int = 0
    accepted: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)
    coded: int = 0
    uncoded: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    max_seconds: float = 0.0
    max_rss_mb: float = 0.0
    baseline_rss_mb: float = 0.0
    slowest: str = ""
    codes: dict[str, int] = field(default_factory=dict)

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.seconds >= self.max_seconds:
            self.max_seconds = result.seconds
            self.slowest = f"#{result.index} {result.mutation}"
        if result.crash:
            self.crashes.append(f"#{result.index} {result.mutation}: {result.crash}")
            return
        if result.partial:
            self.partial.append(f"#{result.index} {result.mutation}: {result.partial}")
        if result.accepted:
            self.accepted += 1
            return
        self.refused += 1
        if result.uncoded:
            self.uncoded.append(f"#{result.index} {result.mutation}: {result.uncoded}")
        else:
            self.coded += 1
        for code in result.codes:
            self.codes[code] = self.codes.get(code, 0) + 1


# --------------------------------------------------------------------------------------------
# Valid samples per kind
# --------------------------------------------------------------------------------------------


def _csv(headers: list[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(headers: list[str], rows: list[list[str]], formulas: dict[tuple[int, int], str]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("DATA")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    for (r, c), formula in formulas.items():
        sheet.write_formula(r, c, formula)
    workbook.close()
    return buffer.getvalue()


def _dtsen_table(rng: random.Random) -> tuple[list[str], list[list[str]]]:
    from payung.engine.synth import synth_table

    table = synth_table(rows=rng.randint(5, 40), seed=rng.randint(0, 10_000))
    headers = [name for name in table.column_names if name.lower() != "row"]
    columns = [table.column(name).to_pylist() for name in headers]
    rows = [["" if v is None else str(v) for v in values] for values in zip(*columns, strict=True)]
    return headers, rows


def _answer_table(rng: random.Random) -> tuple[list[str], list[list[str]]]:
    from payung.verification.exchange import HEADERS

    headers, rows = _dtsen_table(rng)
    index = {name: i for i, name in enumerate(headers)}
    answers = ["SESUAI", "TIDAK DITEMUKAN", "MENINGGAL", "PINDAH"]
    out = []
    for n, row in enumerate(rows, start=1):
        cells = [str(n)]
        for name in HEADERS[1:-2]:
            cells.append(row[index[name]] if name in index else "")
        cells += [rng.choice(answers), ""]
        out.append(cells)
    return list(HEADERS), out


def _pdf(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------------------------

Sample = tuple[list[str], list[list[str]]]
Mutation = Callable[[random.Random, Sample, str], tuple[str, bytes]]


def _m_valid(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    return suffix, _encode(s, suffix)


def _encode(s: Sample, suffix: str, formulas: dict[tuple[int, int], str] | None = None) -> bytes:
    headers, rows = s
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(headers, rows, formulas or {})
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({h: [r[i] for r in rows] for i, h in enumerate(dict.fromkeys(headers))})
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        return buffer.getvalue()
    return _csv(headers, rows, ";" if suffix == ".txt" else ",")


def _m_truncate(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    data = _encode(s, suffix)
    return suffix, data[: rng.randint(0, max(1, len(data) - 1))]


def _m_bitflip(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    data = bytearray(_encode(s, suffix))
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return suffix, bytes(data)


def _m_garbage(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    return suffix, rng.randbytes(rng.choice([1, 17, 512, 65_536, 1 << 20]))


def _m_empty(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    return suffix, rng.choice([b"", b"\xef\xbb\xbf", b"\r\n", b" \n\n", b"\x00"])


def _m_utf16(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    text = _csv(*s).decode("utf-8")
    return ".csv", text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]))


def _m_bad_bytes(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    data = bytearray(_csv(*s))
    for _ in range(rng.randint(1, 30)):
        data.insert(rng.randrange(len(data)), rng.choice([0x00, 0x81, 0xC3, 0xFF, 0x8D, 0x1A]))
    return ".csv", bytes(data)


def _m_delimiter(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    delimiter = rng.choice(["|", "\t", ";", ":", " "])
    data = _csv(headers, rows, delimiter if delimiter != " " else ",")
    if rng.random() < 0.5:  # mixed: the header one way, the body another
        data = _csv(headers, [], ",") + _csv(
            rows[0], rows[1:], delimiter if delimiter != " " else ";"
        )
    return ".csv", data


def _m_duplicate_headers(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    headers = list(headers)
    i = rng.randrange(len(headers))
    headers[rng.randrange(len(headers))] = headers[i]
    return suffix, _encode((headers, rows), suffix)


def _m_missing_header(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    if rng.random() < 0.5:  # no header row at all: the first row of people is "the header"
        return suffix, _encode((rows[0], rows[1:] or [rows[0]]), suffix)
    drop = rng.randrange(len(headers))
    return suffix, _encode(
        (
            [h for i, h in enumerate(headers) if i != drop],
            [[c for i, c in enumerate(r) if i != drop] for r in rows],
        ),
        suffix,
    )


def _m_garbage_headers(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    alphabet = "ÀÉÑ漢字\u200b\u202e\ufeff\x07\x1b%$#'\"=+-@ \t"
    garbage = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in headers]
    return suffix, _encode((garbage, rows), suffix)


def _m_header_only(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    return suffix, _encode((s[0], []), suffix)


def _m_ragged(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    rows = [list(r) for r in rows]
    for _ in range(rng.randint(1, 5)):
        row = rows[rng.randrange(len(rows))]
        if rng.random() < 0.5:
            row.extend(["x"] * rng.randint(1, 5))
        else:
            del row[rng.randrange(len(row)) :]
    data = _csv(headers, rows)
    if rng.random() < 0.4:
        data += b'3601,"unterminated\n' * rng.randint(1, 3)
    return ".csv", data


def _m_giant_field(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    rows = [list(r) for r in rows]
    size = rng.choice([200_000, 2_000_000, 5_000_000])
    filler = rng.choice(["A", "x\n", " ", "漢"])
    rows[0][rng.randrange(len(rows[0]))] = filler * (size // len(filler.encode()))
    return suffix, _encode((headers, rows), suffix)


def _m_many_rows(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    count = rng.choice([150_000, 400_000])
    blank = "," * (len(headers) - 1) + "\r\n"
    body = rows[0]
    data = (
        _csv(headers, [body])
        + (",".join(body) + "\r\n" if rng.random() < 0.5 else blank).encode() * count
    )
    return ".csv", data


def _m_formula(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    formulas = {
        (rng.randint(1, len(rows)), rng.randrange(len(headers))): rng.choice(
            ['=CONCAT("A","B")', "=1+1", "=A2", '=HYPERLINK("http://x","y")', "=SUM(A1:A9)"]
        )
        for _ in range(rng.randint(1, 4))
    }
    if suffix == ".csv" or rng.random() < 0.3:
        rows = [list(r) for r in rows]
        rows[0][rng.randrange(len(headers))] = "=cmd|' /C calc'!A0"
        return ".csv", _csv(headers, rows)
    return ".xlsx", _encode(s, ".xlsx", formulas)


def _zip(parts: dict[str, bytes], *, level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook_parts(s: Sample) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(_xlsx(s[0], s[1], {}))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _m_zip_bomb(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    parts = _workbook_parts(s)
    sheet = "xl/worksheets/sheet1.xml"
    how = rng.choice(["padding", "rows", "extra_part", "nested"])
    if how == "padding":  # a gigabyte-ish of whitespace inside the sheet (defect 5)
        body = parts[sheet]
        at = body.index(b"</sheetData>")
        parts[sheet] = body[:at] + b" " * (rng.choice([64, 256]) << 20) + body[at:]
    elif how == "rows":  # a million empty rows: tiny file, huge sheet
        body = parts[sheet]
        at = body.index(b"</sheetData>")
        rows = b"".join(b'<row r="%d"/>' % r for r in range(len(s[1]) + 2, 1_000_000))
        parts[sheet] = body[:at] + rows + body[at:]
    elif how == "extra_part":
        parts["xl/media/image1.bin"] = b"\x00" * (300 << 20)
    else:
        parts["xl/embeddings/inner.zip"] = _zip({"a.xml": b"<a>" + b" " * (100 << 20) + b"</a>"})
    return ".xlsx", _zip(parts)


def _m_xml_bomb(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    parts = _workbook_parts(s)
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, rng.randint(5, 10)))
    doctype = f'<!DOCTYPE r [<!ENTITY l0 "lol">{levels}]>'.encode()
    target = rng.choice(["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
    body = parts.get(target) or b'<?xml version="1.0"?><sst><si><t>x</t></si></sst>'
    head_end = body.index(b"?>") + 2 if body.startswith(b"<?xml") else 0
    parts[target] = body[:head_end] + doctype + body[head_end:].replace(b"<t>", b"<t>&l5;", 1)
    return ".xlsx", _zip(parts)


_OTHER_TYPES: tuple[tuple[str, Callable[[Sample], bytes]], ...] = (
    ("pdf", lambda s: _pdf()),
    ("html", lambda s: b"<html><body><table><tr><td>NIK</td></tr></table></body></html>"),
    ("xlsx", lambda s: _xlsx(s[0], s[1], {})),
    ("csv", lambda s: _csv(*s)),
    ("png", lambda s: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("ole", lambda s: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
    ("gzip", lambda s: b"\x1f\x8b\x08\x00" + b"\x00" * 32),
    ("docx", lambda s: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})),
)


def _m_other_type(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    _name, make = rng.choice(_OTHER_TYPES)
    return suffix, make(s)


def _m_whitespace_rows(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    headers, rows = s
    data = _csv(headers, rows[:1]) + b" " * rng.choice([1 << 20, 8 << 20]) + b"\r\n"
    return ".csv", data


# PDF-only mutations --------------------------------------------------------------------------


def _m_pdf_truncated(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    data = _pdf(rng.randint(1, 3))
    return ".pdf", data[: rng.randint(5, len(data) - 1)]


def _m_pdf_header_garbage(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    return ".pdf", b"%PDF-1." + str(rng.randint(0, 9)).encode() + b"\n" + rng.randbytes(
        rng.randint(0, 4096)
    )


def _m_pdf_encrypted(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt(user_password="rahasia", owner_password="pemilik", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return ".pdf", buffer.getvalue()


def _m_pdf_no_pages(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    return ".pdf", (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _m_pdf_bomb(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    import zlib

    stream = zlib.compress(b"0" * (rng.choice([50, 200]) << 20), 9)
    head = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>endobj\n"
    )
    length = str(len(stream)).encode()
    body = b"4 0 obj<</Length " + length + b"/Filter/FlateDecode>>stream\n" + stream
    return ".pdf", head + body + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _m_pdf_loop(rng: random.Random, s: Sample, suffix: str) -> tuple[str, bytes]:
    return ".pdf", (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


TABULAR: tuple[tuple[str, Mutation], ...] = (
    ("valid", _m_valid),
    ("truncate", _m_truncate),
    ("bitflip", _m_bitflip),
    ("garbage", _m_garbage),
    ("empty", _m_empty),
    ("utf16", _m_utf16),
    ("bad_bytes", _m_bad_bytes),
    ("delimiter", _m_delimiter),
    ("duplicate_headers", _m_duplicate_headers),
    ("missing_header", _m_missing_header),
    ("garbage_headers", _m_garbage_headers),
    ("header_only", _m_header_only),
    ("ragged", _m_ragged),
    ("giant_field", _m_giant_field),
    ("many_rows", _m_many_rows),
    ("formula", _m_formula),
    ("zip_bomb", _m_zip_bomb),
    ("xml_bomb", _m_xml_bomb),
    ("other_type", _m_other_type),
    ("whitespace_rows", _m_whitespace_rows),
)

PDF: tuple[tuple[str, Mutation], ...] = (
    ("valid", lambda rng, s, suffix: (".pdf", _pdf(rng.randint(1, 3)))),
    ("truncate", _m_pdf_truncated),
    ("bitflip", lambda rng, s, suffix: _m_bitflip_bytes(rng, _pdf())),
    ("garbage", _m_garbage),
    ("empty", _m_empty),
    ("header_garbage", _m_pdf_header_garbage),
    ("encrypted", _m_pdf_encrypted),
    ("no_pages", _m_pdf_no_pages),
    ("deflate_bomb", _m_pdf_bomb),
    ("page_loop", _m_pdf_loop),
    ("other_type", _m_other_type),
    ("xlsx_zip_bomb", _m_zip_bomb),
)


def _m_bitflip_bytes(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
    return ".pdf", bytes(flipped)


def _mutations(kind: str) -> tuple[tuple[str, Mutation], ...]:
    return PDF if kind == "signed_scan" else TABULAR


def files_for(kind: str, *, count: int, seed: int) -> Iterator[tuple[int, str, str, bytes]]:
    """(index, mutation, name, bytes) for ``count`` files; each file depends on (seed, index)
    only, so a worker restarted mid-way regenerates exactly the files it has not read."""
    from payung.core.uploads import upload_kind_get

    suffixes = upload_kind_get(kind).suffixes
    mutations = _mutations(kind)
    for index in range(count):
        yield (
            index,
            *file_for(kind, index=index, seed=seed, suffixes=suffixes, mutations=mutations),
        )


def file_for(
    kind: str,
    *,
    index: int,
    seed: int,
    suffixes: tuple[str, ...],
    mutations: tuple[tuple[str, Mutation], ...],
) -> tuple[str, str, bytes]:
    rng = random.Random(f"{seed}:{kind}:{index}")
    label, mutate = mutations[index % len(mutations)]
    sample = _answer_table(rng) if kind == "dukcapil_answer" else _dtsen_table(rng)
    suffix = rng.choice([s for s in suffixes if s != ".parquet"] or list(suffixes))
    if kind == "dtsen" and label == "valid" and rng.random() < 0.3:
        suffix = ".parquet"
    made_suffix, data = mutate(rng, sample, suffix)
    # Now and then a right content under a wrong suffix: the suffix the kind expects.
    if made_suffix not in suffixes:
        made_suffix = rng.choice(suffixes)
    return label, f"{SHOWN_STEM}-{index}{made_suffix}", data


# --------------------------------------------------------------------------------------------
# Reading one file, as the app does
# --------------------------------------------------------------------------------------------


def _setup_django() -> None:
    import logging

    # pypdf logs every repair it makes of a broken file; the outcome is what is judged.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings_test")
    import django

    django.setup()


def _known_codes() -> set[str]:
    from payung.engine.read_errors import MESSAGES

    return set(MESSAGES) | {
        "rows.invalid",
        "scan_empty",
        "scan_too_large",
        "scan_not_pdf",
        "scan_unreadable",
        "scan_encrypted",
        "scan_no_pages",
    }


def read_one(kind: str, index: int, label: str, name: str, data: bytes, folder: Path) -> FileResult:
    """Read one upload as the app would and judge the outcome."""
    from payung.core.uploads import upload_kind_get, upload_read
    from payung.engine.read_errors import MESSAGES

    work = folder / f"f{index}"
    work.mkdir()
    stored = work / ("7f3a9c" + Path(name).suffix)  # stored under a content-hash-like name
    stored.write_bytes(data)
    started = time.perf_counter()
    result = FileResult(index=index, mutation=label, seconds=0.0)
    try:
        outcome = upload_read(kind=upload_kind_get(kind), path=stored, name=name)
        messages = list(outcome.messages)
        codes = list(outcome.codes)
        if outcome.accepted:
            more = _content(kind, outcome.result, stored)
            if more:
                codes, messages = ["rows.invalid"] * len(more), more
        result.accepted = not messages
        result.codes = tuple(codes)
        known = _known_codes()
        for code, message in zip(codes, messages, strict=True):
            if code not in known:
                result.uncoded = f"unknown code {code!r}"
            elif not message.strip() or any(word in message for word in ENGLISH):
                result.uncoded = f"{code}: not plain Indonesian: {message[:120]!r}"
            elif code in MESSAGES and "{file}" in MESSAGES[code] and name not in message:
                result.uncoded = f"{code}: does not name {name!r}"
            elif "7f3a9c" in message or str(folder) in message:
                result.uncoded = f"{code}: names the stored path"
    except Exception as exc:  # the campaign's subject: anything uncaught is a crash
        frames = traceback.extract_tb(exc.__traceback__)
        where = next(
            (
                f"{Path(f.filename).name}:{f.lineno}"
                for f in reversed(frames)
                if "payung" in f.filename
            ),
            "?",
        )
        result.crash = f"{type(exc).__name__} at {where}"
    result.seconds = time.perf_counter() - started
    left = sorted(p.name for p in work.iterdir() if p != stored)
    if left:
        result.partial = f"left behind: {left[:3]}"
    elif stored.read_bytes() != data:
        result.partial = "the upload was changed"
    stored.unlink()
    work.rmdir()
    return result


#: One embedded DuckDB per process, opened on first use (connecting costs seconds).
_BACKEND: Any = None


def _content(kind: str, table: Any, stored: Path) -> list[str]:
    """The kind's content rules where they need more than the file: answers against a batch,
    an extract through screening (where formula cells and odd values meet the rules)."""
    if kind == "dukcapil_answer":
        from payung.verification.exchange import FileExchange, RequestRow

        rows = [
            RequestRow(no=i, fields={"nik": r[1] if len(r) > 1 else ""})
            for i, r in enumerate(table.rows[:20], start=1)
        ]
        parsed = FileExchange().answers(rows, stored)
        return list(parsed.errors)
    if kind == "bpjs_registration_answer":
        from payung.enrollment.exchange import AnswerRules, RequestRow
        from payung.enrollment.exchange import FileExchange as RegistrationFiles

        sent = [
            RequestRow(no=i, values={"nik": r[0] if r else ""})
            for i, r in enumerate(table.rows[:20], start=1)
        ]
        rules = AnswerRules(year=2026, pks_cover_start=None)
        return list(RegistrationFiles().answer(sent, stored, rules=rules, mapping={}).errors)
    if kind == "dtsen":
        from payung.domain.policy import policy_get
        from payung.engine.backends import connect
        from payung.engine.screening import screen

        with connect("duckdb") as backend:
            screen(
                table, policy=policy_get("pandeglang-2025"), as_of=date(2026, 1, 1), backend=backend
            )
    return []


# --------------------------------------------------------------------------------------------
# Workers and the report
# --------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    """This process's peak resident memory in MB: VmHWM, which a new program starts afresh
    (``ru_maxrss`` would start at the high-water mark of the parent that generated the
    zip bombs, see benchmarks/README.md)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(kind: str, files: list[tuple[int, str, str, str]], queue: Any) -> None:
    """Read the files (generated by the parent, so generating a zip bomb costs the worker
    nothing) and report each; the RSS before the first file is the baseline."""
    _setup_django()
    import payung.core.uploads
    import payung.engine.screening  # noqa: F401

    queue.put(("baseline", _rss_mb()))
    with tempfile.TemporaryDirectory(prefix="payung-fuzz-") as folder:
        for index, label, name, source in files:
            data = Path(source).read_bytes()
            queue.put(("start", index, label))
            result = read_one(kind, index, label, name, data, Path(folder))
            del data
            queue.put(("done", result))
    queue.put(("rss", _rss_mb()))


def run_kind(kind: str, *, count: int, seed: int, timeout: float) -> KindTally:
    """All files of one kind through worker processes; a dead or hung worker is a crash."""
    tally = KindTally(kind=kind)
    context = mp.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="payung-fuzz-in-") as inputs:
        files: list[tuple[int, str, str, str]] = []
        for index, label, name, data in files_for(kind, count=count, seed=seed):
            source = Path(inputs) / f"{index:05d}"
            source.write_bytes(data)
            files.append((index, label, name, str(source)))
        pending = files
        while pending:
            queue = context.Queue()
            process = context.Process(target=_worker, args=(kind, pending, queue))
            process.start()
            current: tuple[int, str] | None = None
            done: set[int] = set()
            last = time.monotonic()
            while True:
                try:
                    message = queue.get(timeout=1.0)
                except Exception:  # queue.Empty: check the worker is alive and on time
                    message = None
                if message is None:
                    alive = process.is_alive()
                    if alive and time.monotonic() - last < timeout:
                        continue
                    process.kill()
                    process.join()
                    what = "timeout" if alive else f"worker died (exit {process.exitcode})"
                    index, label = current if current is not None else (-1, "?")
                    tally.add(FileResult(index=index, mutation=label, seconds=timeout, crash=what))
                    done.add(index)
                    pending = [f for f in pending if f[0] not in done and f[0] > index]
                    break
                last = time.monotonic()
                if message[0] == "baseline":
                    tally.baseline_rss_mb = max(tally.baseline_rss_mb, message[1])
                elif message[0] == "start":
                    current = (message[1], message[2])
                elif message[0] == "done":
                    tally.add(message[1])
                    done.add(message[1].index)
                    current = None
                elif message[0] == "rss":
                    tally.max_rss_mb = max(tally.max_rss_mb, message[1])
                    process.join()
                    pending = []
                    break
    return tally


def run_inline(kind: str, *, count: int, seed: int) -> KindTally:
    """The same files read in this process (the pytest sample: Django is already set up)."""
    from payung.core.uploads import upload_kind_get

    tally = KindTally(kind=kind)
    suffixes = upload_kind_get(kind).suffixes
    with tempfile.TemporaryDirectory(prefix="payung-fuzz-") as folder:
        for index in range(count):
            label, name, data = file_for(
                kind, index=index, seed=seed, suffixes=suffixes, mutations=_mutations(kind)
            )
            tally.add(read_one(kind, index, label, name, data, Path(folder)))
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m campaigns.fuzz_uploads", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--per-kind", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default="", help="comma-separated kind ids (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)

    _setup_django()
    from payung.core.uploads import upload_kinds

    kinds = [k.id for k in upload_kinds()]
    if args.kinds:
        kinds = [k for k in kinds if k in args.kinds.split(",")]
    header = (
        f"{'kind':<16} {'files':>6} {'accepted':>8} {'refused':>8} {'crashes':>8} "
        f"{'coded':>9} {'partial':>8} {'max s':>7} {'max RSS MB':>10} {'base MB':>7}  slowest"
    )
    print(header)
    failed = False
    for kind in kinds:
        tally = run_kind(kind, count=args.per_kind, seed=args.seed, timeout=args.timeout)
        coded = f"{tally.coded}/{tally.refused}"
        print(
            f"{kind:<16} {tally.files:>6} {tally.accepted:>8} {tally.refused:>8} "
            f"{len(tally.crashes):>8} {coded:>9} {len(tally.partial):>8} "
            f"{tally.max_seconds:>7.2f} {tally.max_rss_mb:>10.0f} {tally.baseline_rss_mb:>7.0f}"
            f"  {tally.slowest}",
            flush=True,
        )
        for line in tally.crashes + tally.uncoded + tally.partial:
            print(f"    {line}", file=sys.stderr)
        failed = failed or bool(tally.crashes or tally.uncoded or tally.partial)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
