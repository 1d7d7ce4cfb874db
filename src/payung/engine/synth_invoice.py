"""A synthetic invoice from BPJS Ketenagakerjaan for a roster, to rehearse the reconciliation.

BPJS determines the contributions (Pasal 8 ayat (3)) and the regency pays on that
determination (Pasal 9 ayat (1)), so its invoice is what Payung's bill is checked against. The
synthetic one bills exactly what the roster owes, then departs from it in a few rows of each
kind the reconciliation must catch (``payung.engine.reconcile``):

* ``selisih``: a month billed at the halved BPU rate of PP 50/2025, which does not apply to
  APBD-paid participants;
* ``hanya_bpjs``: a month billed after a participant's cover ended (an end BPJS has not
  processed);
* ``hanya_payung``: a participant BPJS does not bill at all (a replacement it has not
  recorded).

Deterministic per seed: the same roster and seed give the same file, byte for byte.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

import xlsxwriter

from payung.domain.policy import Contribution
from payung.engine.billing import Coverage, bill_compute, month_add, month_range
from payung.engine.contribution_files import RosterRow, atomic_write, roster_read
from payung.engine.exchange_files import csv_bytes

HEADERS: Final = ("KPJ", "NIK", "NAMA", "BULAN", "IURAN_JKK", "IURAN_JKM")
#: Rows departing from the bill, per category, at most.
FEW: Final = 3
#: The workbook's creation time, fixed so that a seed gives the same bytes.
_EPOCH: Final = datetime(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One line as BPJS writes it."""

    kpj: str
    nik: str
    nama: str
    month: date
    jkk: int
    jkm: int

    def cells(self) -> list[str]:
        month = f"{self.month.year:04d}-{self.month.month:02d}"
        return [self.kpj, self.nik, self.nama, month, str(self.jkk), str(self.jkm)]


def bpjs_invoice_build(
    *,
    roster: Sequence[RosterRow],
    first: date,
    last: date,
    contribution: Contribution,
    seed: int = 1,
) -> tuple[list[InvoiceLine], dict[str, int]]:
    """BPJS's invoice lines for ``roster`` over the months ``first``..``last``, sorted by (KPJ,
    month), and how many rows depart from the bill per category (``selisih``,
    ``hanya_bpjs`` lines; ``hanya_payung`` participants left out)."""
    months = month_range(first, last)
    lines = bill_compute(
        coverages=[Coverage(r.nik, r.start, r.end) for r in roster],
        first=first,
        last=last,
        contribution=contribution,
    )
    person = {r.nik: r for r in roster}
    rng = random.Random(seed)
    niks = sorted({line.key for line in lines})
    shuffled = niks[:]
    rng.shuffle(shuffled)

    # A participant BPJS misses: all their months are on Payung's side only.
    missed = set(shuffled[:FEW]) if len(shuffled) > 3 * FEW else set(shuffled[:1])
    # A month billed after the cover ended, for participants whose cover ends before ``last``.
    last_end: dict[str, date] = {}
    for r in roster:
        if r.end is None:
            last_end[r.nik] = date.max
        elif last_end.get(r.nik, date.min) < r.end:
            last_end[r.nik] = r.end
    ended = [
        nik for nik in shuffled if nik not in missed and last_end.get(nik, date.max) < months[-1]
    ][:FEW]
    extra = [
        (nik, month_add(last_end[nik], 1))
        for nik in ended
        if months[0] <= month_add(last_end[nik], 1) <= months[-1]
    ]
    # A month at the halved BPU rate (PP 50/2025), wrongly applied to an APBD participant.
    candidates = [line for line in lines if line.key not in missed]
    different = set(rng.sample(range(len(candidates)), min(FEW, len(candidates))))

    out: list[InvoiceLine] = []
    for index, line in enumerate(candidates):
        r = person[line.key]
        jkk, jkm = line.jkk, line.jkm
        if index in different:
            jkk, jkm = jkk // 2, jkm // 2
        out.append(InvoiceLine(r.kpj, r.nik, r.nama, line.month, jkk, jkm))
    for nik, month in extra:
        r = person[nik]
        rates = contribution.rates_on(month)
        out.append(InvoiceLine(r.kpj, r.nik, r.nama, month, rates["JKK"], rates["JKM"]))
    out.sort(key=lambda x: (x.kpj, x.month))
    counts = {
        "lines": len(out),
        "selisih": len(different),
        "hanya_bpjs": len(extra),
        "hanya_payung": len(missed),
    }
    return out, counts


def bpjs_invoice_write(
    *,
    roster: Path,
    first: date,
    last: date,
    contribution: Contribution,
    out: Path,
    seed: int = 1,
    mapping: Path | None = None,
) -> tuple[Path, dict[str, int]]:
    """Read a roster (as ``payung contributions bill`` does), write BPJS's synthetic invoice to
    ``out`` (.csv: ``;`` with BOM as Excel opens it; .xlsx: every cell text); return the path
    and the counts of ``bpjs_invoice_build``. Raises ``ContributionFileError`` for a bad roster
    and ``ValueError`` for another suffix."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError("berkas keluaran harus .xlsx atau .csv")
    rows = roster_read(roster, mapping=mapping)
    lines, counts = bpjs_invoice_build(
        roster=rows, first=first, last=last, contribution=contribution, seed=seed
    )
    if suffix == ".csv":
        data = csv_bytes(HEADERS, (line.cells() for line in lines))
        atomic_write(out, lambda tmp: tmp.write_bytes(data))
    else:

        def write(tmp: Path) -> None:
            workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False})
            workbook.set_properties({"created": _EPOCH})  # byte-identical per seed
            sheet = workbook.add_worksheet("TAGIHAN")
            sheet.write_row(0, 0, HEADERS)
            for r, line in enumerate(lines, start=1):
                for c, value in enumerate(line.cells()):
                    sheet.write_string(r, c, value)
            workbook.close()

        atomic_write(out, write)
    return out, counts
