"""Regenerate ``src/payung/domain/data/wilayah.csv.gz`` from the shared region-code CSV.

The packaged file must be reproducible: anyone can check that it is exactly the shared,
licensed source and nothing else. So the CSV bytes are compressed unchanged, with a zero
gzip timestamp and no file name in the header, which makes the output byte-identical on
every run (for a given zlib). The rows are checked first so a truncated or edited source
fails here rather than at a regency's first lookup.

Usage: ``python scripts/build_wilayah.py [SOURCE_CSV]``
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "wilayah" / "wilayah.csv"
DATA_DIR = ROOT / "src" / "payung" / "domain" / "data"
TARGET = DATA_DIR / "wilayah.csv.gz"
LICENCE = "LICENSE.cahyadsn-wilayah.txt"

HEADER = ["kode", "nama", "level", "parent"]
CODE = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")
LEVEL_BY_SEGMENTS = {1: "provinsi", 2: "kabkota", 3: "kecamatan", 4: "desakel"}
# Kepmendagri 2025 totals; a different count means the source is not the expected edition.
EXPECTED = {"provinsi": 38, "kabkota": 514, "kecamatan": 7285, "desakel": 83762}


def check(data: bytes) -> Counter[str]:
    """Validate every row's shape and the per-level totals; return the totals."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    if next(reader) != HEADER:
        raise SystemExit(f"unexpected header, want {HEADER}")
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    for line, row in enumerate(reader, start=2):
        if len(row) != 4:
            raise SystemExit(f"line {line}: expected 4 fields, got {row!r}")
        code, name, level, parent = row
        if not CODE.fullmatch(code) or not name.strip():
            raise SystemExit(f"line {line}: malformed row {row!r}")
        segments = code.split(".")
        if level != LEVEL_BY_SEGMENTS[len(segments)]:
            raise SystemExit(f"line {line}: level {level!r} does not match code {code!r}")
        if parent != ".".join(segments[:-1]) or (parent and parent not in seen):
            raise SystemExit(f"line {line}: parent {parent!r} missing or listed after child")
        if code in seen:
            raise SystemExit(f"line {line}: duplicate code {code!r}")
        seen.add(code)
        counts[level] += 1
    if dict(counts) != EXPECTED:
        raise SystemExit(f"unexpected totals {dict(counts)}, want {EXPECTED}")
    return counts


def main(argv: list[str]) -> int:
    """Check the source, write the deterministic .gz and copy the licence beside it."""
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    data = source.read_bytes()
    counts = check(data)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    licence = source.with_name(LICENCE)
    if licence.exists():
        shutil.copyfile(licence, DATA_DIR / LICENCE)
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size:,} bytes, {dict(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
