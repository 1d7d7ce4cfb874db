"""A synthetic answer from Disdukcapil to a verification request, for the demo and tests.

Real answers are mostly SESUAI with a few of each other result; DATA BERBEDA rows correct a
name or a birth date in place (some corrections make the person too old for Pasal 5 ayat (2)
huruf b, which is what re-screening must catch); an extra row for a NIK that was never sent
shows how unmatched rows are reported. Seeded, so the same request and seed give the same
answer.
"""

from __future__ import annotations

import random
from pathlib import Path

import xlsxwriter

from payung.engine.exchange_files import csv_bytes, read_text_table

#: Share of each result other than SESUAI (the rest are SESUAI).
OTHER_RESULTS: tuple[tuple[str, float], ...] = (
    ("TIDAK DITEMUKAN", 0.02),
    ("MENINGGAL", 0.01),
    ("PINDAH", 0.02),
    ("DATA BERBEDA", 0.05),
)


#: The corrected birth date of half the DATA BERBEDA rows.
BORN_TOO_EARLY = "1950-03-01"


def _answer(rng: random.Random, index: int, total: int) -> str:
    # The first rows carry one of each other result when the batch is big enough, so even a
    # small demo batch shows every kind of answer.
    if total >= 10 and index < len(OTHER_RESULTS):
        return OTHER_RESULTS[index][0]
    roll = rng.random()
    for result, share in OTHER_RESULTS:
        if roll < share:
            return result
        roll -= share
    return "SESUAI"


def dukcapil_response_write(
    *, request: Path, out: Path, seed: int = 1, unmatched: int = 1
) -> tuple[Path, dict[str, int]]:
    """Read a request file, write the answer to ``out`` (.xlsx or .csv); return counts."""
    table = read_text_table(request)
    headers = table.headers
    at = {name: i for i, name in enumerate(headers)}
    for needed in ("NIK", "HASIL"):
        if needed not in at:
            raise ValueError(f"berkas permintaan tanpa kolom {needed}")
    rng = random.Random(seed)
    rows: list[list[str]] = []
    counts: dict[str, int] = {}
    order = list(range(len(table.rows)))
    rng.shuffle(order)
    chosen = {row: _answer(rng, k, len(order)) for k, row in enumerate(order)}
    for i, cells in enumerate(table.rows):
        cells = list(cells)
        result = chosen[i]
        cells[at["HASIL"]] = result
        if result == "DATA BERBEDA":
            if "TANGGAL_LAHIR" in at and rng.random() < 0.5:
                # Too old for 18-64 on any as-of date from 2015 on.
                cells[at["TANGGAL_LAHIR"]] = BORN_TOO_EARLY
                if "KETERANGAN" in at:
                    cells[at["KETERANGAN"]] = "Tanggal lahir sesuai akta kelahiran"
            elif "NAMA" in at:
                cells[at["NAMA"]] = cells[at["NAMA"]] + " BINTI SAHRONI"
                if "KETERANGAN" in at:
                    cells[at["KETERANGAN"]] = "Nama sesuai KTP-el"
        counts[result] = counts.get(result, 0) + 1
        rows.append(cells)
    for k in range(unmatched):
        extra = [""] * len(headers)
        extra[at["NIK"]] = f"3601019{rng.randrange(10**8, 10**9)}"
        extra[at["HASIL"]] = "SESUAI"
        if "NAMA" in at:
            extra[at["NAMA"]] = f"PENDUDUK TIDAK DIUSULKAN {k + 1}"
        rows.append(extra)
        counts["tidak_cocok"] = counts.get("tidak_cocok", 0) + 1
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        out.write_bytes(csv_bytes(headers, rows))
    elif out.suffix.lower() == ".xlsx":
        workbook = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False})
        sheet = workbook.add_worksheet("VERIFIKASI")
        sheet.write_row(0, 0, headers)
        for r, cells in enumerate(rows, start=1):
            for c, value in enumerate(cells):
                sheet.write_string(r, c, value)
        workbook.close()
    else:
        raise ValueError("berkas keluaran harus .xlsx atau .csv")
    return out, counts
