"""A synthetic answer from BPJS Ketenagakerjaan to a registration request, for the demo and
tests (Pasal 8 ayat (3): BPJS records the participants and fixes their contributions).

Real answers are mostly DITERIMA with an 11-digit KPJ (card number) and the cover start the
PKS fixed (else the first of the next month, or the day BPJS recorded an amending decree's
additions), a few DITOLAK with the reasons branches give;
one extra row for a NIK that was never sent shows how unmatched rows are reported. With
``collision`` one accepted row repeats another's KPJ, which must refuse the whole file.
Seeded, so the same request, seed and day give the same bytes.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path
from typing import Final

import xlsxwriter

from payung.engine.billing import month_add
from payung.engine.exchange_files import csv_bytes, read_text_table

HEADERS: Final = ("NIK", "NAMA", "STATUS", "KPJ", "TANGGAL_MULAI", "IURAN", "ALASAN")
REFUSAL_SHARE: Final = 0.02
REASONS: Final = (
    "NIK tidak terdaftar di Dukcapil",
    "Sudah terdaftar sebagai peserta aktif segmen lain",
    "Data tidak lengkap",
)
#: JKM is a flat Rp6.800; JKK is 1 % of the declared income (Rp10.000 for Rp1.000.000).
JKM_MONTHLY: Final = 6_800
JKK_SHARE: Final = 0.01
_FIXED_TIME: Final = datetime(2000, 1, 1)


def _contribution(income: str) -> str:
    digits = "".join(ch for ch in income if ch.isdigit())
    if not digits:
        return ""
    return str(int(int(digits) * JKK_SHARE) + JKM_MONTHLY)


def bpjs_response_write(
    *,
    request: Path,
    out: Path,
    today: date,
    seed: int = 1,
    collision: bool = False,
    start: date | None = None,
) -> tuple[Path, dict[str, int]]:
    """Read a registration request (XLSX/CSV), write BPJS's answer to ``out`` (.xlsx or
    .csv); return counts. ``today`` gives the cover start when the request has none.

    ``start``, when given, is every accepted row's TANGGAL_MULAI whatever the request says:
    replacements of an amending decree are sent without a date and covered from when BPJS
    records them (Pasal 8 ayat (3)), e.g. 16 February in the demo."""
    out = Path(out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise ValueError("berkas jawaban harus berakhiran .csv atau .xlsx")
    table = read_text_table(Path(request))
    at = {name: i for i, name in enumerate(table.headers)}
    if "NIK" not in at:
        raise ValueError("berkas permintaan tanpa kolom NIK; unduh berkas pendaftaran dari Payung")
    rng = random.Random(seed)
    n = len(table.rows)
    refused_count = round(n * REFUSAL_SHARE) if n >= 10 else 0
    refused = set(rng.sample(range(n), refused_count)) if refused_count else set()
    kpjs = rng.sample(range(10**10, 10**11), n + 1)
    default_start = month_add(today, 1).strftime("%d-%m-%Y")
    fixed_start = start.strftime("%d-%m-%Y") if start is not None else ""
    rows: list[list[str]] = []
    counts = {"diterima": 0, "ditolak": 0, "tidak_cocok": 0}
    for i, cells in enumerate(table.rows):
        nik = cells[at["NIK"]]
        name = cells[at["NAMA"]] if "NAMA" in at else ""
        if i in refused:
            rows.append([nik, name, "DITOLAK", "", "", "", rng.choice(REASONS)])
            counts["ditolak"] += 1
            continue
        sent = cells[at["TANGGAL_MULAI"]] if "TANGGAL_MULAI" in at else ""
        income = cells[at["PENGHASILAN"]] if "PENGHASILAN" in at else ""
        cover = fixed_start or sent or default_start
        rows.append([nik, name, "DITERIMA", str(kpjs[i]), cover, _contribution(income), ""])
        counts["diterima"] += 1
    if collision:
        accepted = [r for r in rows if r[2] == "DITERIMA"]
        if len(accepted) < 2:
            raise ValueError("--collision membutuhkan paling sedikit dua baris diterima")
        accepted[-1][3] = accepted[0][3]
        counts["kpj_ganda"] = 1
    # Dated like the others, so only its NIK (not a date) makes it a row for nobody sent.
    stranger = f"3601{rng.randrange(10**11, 10**12)}"
    dated = next((r[4] for r in rows if r[2] == "DITERIMA"), fixed_start or default_start)
    rows.append([stranger, "PESERTA TIDAK DIKIRIM", "DITERIMA", str(kpjs[n]), dated, "", ""])
    counts["tidak_cocok"] += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        out.write_bytes(csv_bytes(HEADERS, rows))
    else:
        workbook = xlsxwriter.Workbook(
            str(out), {"strings_to_numbers": False, "strings_to_formulas": False}
        )
        workbook.set_properties({"created": _FIXED_TIME})
        sheet = workbook.add_worksheet("JAWABAN")
        sheet.write_row(0, 0, HEADERS)
        for r, cells in enumerate(rows, start=1):
            for c, value in enumerate(cells):
                sheet.write_string(r, c, value)
        workbook.close()
    return out, counts
