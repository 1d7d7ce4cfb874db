"""Indonesian region codes (kode wilayah Kepmendagri): lookup, hierarchy and village kind.

DTSEN rows carry a village code, and everything regional in Payung (which regency pays,
which districts a report groups by, where the synthetic generator places people) hangs off
that code. The full national table ships gzip-compressed in ``data/wilayah.csv.gz`` so any of
the 514 regencies can run Payung without fetching anything; see ``data/SOURCE.md``.

The table is read once, lazily, on the first lookup: importing this module stays cheap for
code paths (CLI help, policy checks) that never touch regions.

Codes are handled digits-only internally ("3601012001") because that is how DTSEN exports
and database columns hold them; the dotted form ("36.01.01.2001") is only for display.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

#: Digits per hierarchy level: province 2, regency/city 2, district 2, village 4.
_SEGMENTS: Final[tuple[int, ...]] = (2, 2, 2, 4)
#: Total code length at each level, so a length alone tells the level.
_LEVEL_BY_LENGTH: Final[dict[int, str]] = {
    2: "provinsi",
    4: "kabkota",
    6: "kecamatan",
    10: "desakel",
}
LEVELS: Final[tuple[str, ...]] = tuple(_LEVEL_BY_LENGTH.values())

_DIGITS: Final = re.compile(r"[0-9]+")
_DATA_FILE: Final = "wilayah.csv.gz"


@dataclass(frozen=True, slots=True)
class Region:
    """One row of the Kepmendagri table; codes are digits only so they compare as stored."""

    code: str
    name: str
    level: str
    parent: str | None

    @property
    def dotted(self) -> str:
        """The code as printed in decrees and on forms, e.g. ``36.01.01.2001``."""
        return dotted_code(self.code)


def normalize(code: str) -> str:
    """Return ``code`` as digits only, accepting the dotted form people type or paste.

    Only the format is checked, not whether the region exists, so callers can normalise a
    whole column cheaply before joining it to the table.

    Raises:
        ValueError: if anything other than ASCII digits remains after removing dots
            and surrounding whitespace.
    """
    digits = code.strip().replace(".", "")
    if not _DIGITS.fullmatch(digits):
        raise ValueError(f"not a region code: {code!r}")
    return digits


def dotted_code(code: str) -> str:
    """Format a code with dots between levels (``3601012001`` -> ``36.01.01.2001``)."""
    digits = normalize(code)
    parts: list[str] = []
    start = 0
    for width in _SEGMENTS:
        if start >= len(digits):
            break
        parts.append(digits[start : start + width])
        start += width
    return ".".join(parts)


def kecamatan_code(code: str) -> str:
    """The district (kecamatan) part of a village code, dots or no dots; '' when not a code.

    Callers used to slice ``code[:6]`` of what was typed, so ``36.01.20.2014`` gave ``36.01.``
    and pages named the regency instead of the district: slice only after normalising.
    """
    digits = _normalize_or_none(code)
    return digits[:6] if digits is not None and len(digits) >= 6 else ""


def _normalize_or_none(code: str) -> str | None:
    """Normalise, mapping malformed input to None: a bad code is 'unknown', not a crash."""
    try:
        return normalize(code)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _Table:
    """The loaded table plus a parent -> children index, built together and never mutated."""

    regions: dict[str, Region]
    children: dict[str, tuple[Region, ...]]


@cache
def _table() -> _Table:
    """Read and index the packaged CSV on first use (about 90k rows, a fraction of a second)."""
    raw = resources.files("payung.domain").joinpath("data", _DATA_FILE).read_bytes()
    reader = csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8"), newline=""))
    if next(reader) != ["kode", "nama", "level", "parent"]:
        raise RuntimeError(f"{_DATA_FILE}: unexpected header; rebuild with build_wilayah.py")
    regions: dict[str, Region] = {}
    grouped: dict[str, list[Region]] = {}
    levels = {level: level for level in LEVELS}
    for dotted_kode, name, level, dotted_parent in reader:
        code = dotted_kode.replace(".", "")
        # Reuse the parent's own key string so 90k rows do not each hold a parent copy;
        # the CSV lists every parent before its children.
        parent = regions[dotted_parent.replace(".", "")].code if dotted_parent else None
        region = Region(code=code, name=name, level=levels[level], parent=parent)
        regions[code] = region
        if parent is not None:
            grouped.setdefault(parent, []).append(region)
    children = {key: tuple(sorted(kids, key=_code)) for key, kids in grouped.items()}
    return _Table(regions=regions, children=children)


def _code(region: Region) -> str:
    """Sort key: codes are fixed-width per level, so string order is numeric order."""
    return region.code


def lookup(code: str) -> Region | None:
    """Find a region by dotted or undotted code; None if malformed or not in the table."""
    digits = _normalize_or_none(code)
    if digits is None:
        return None
    return _table().regions.get(digits)


def children(code: str) -> list[Region]:
    """Direct children (regencies of a province, districts of a regency, ...), by code.

    Unknown codes and villages have none; the list is a fresh copy the caller may mutate.
    """
    digits = _normalize_or_none(code)
    if digits is None:
        return []
    return list(_table().children.get(digits, ()))


def ancestors(code: str) -> list[Region]:
    """The chain above a region, province first, excluding the region itself.

    Useful to print a full address ("Banten > Kabupaten Pandeglang > Sumur") from the
    village code alone. Unknown codes return an empty list.
    """
    region = lookup(code)
    chain: list[Region] = []
    regions = _table().regions
    while region is not None and region.parent is not None:
        region = regions[region.parent]
        chain.append(region)
    chain.reverse()
    return chain


def is_within(code: str, parent_code: str) -> bool:
    """Whether ``code`` lies inside ``parent_code`` (or is it), by code prefix alone.

    Kepmendagri codes nest by construction, so a prefix test answers "is this village in
    our regency?" for a whole DTSEN extract without touching the table. Both codes must
    have a level's length (2, 4, 6 or 10 digits); otherwise, e.g. ``"360"``, a prefix would
    cut through a segment, so the answer is False rather than a misleading True.
    """
    digits = _normalize_or_none(code)
    prefix = _normalize_or_none(parent_code)
    if digits is None or prefix is None:
        return False
    if len(digits) not in _LEVEL_BY_LENGTH or len(prefix) not in _LEVEL_BY_LENGTH:
        return False
    return digits.startswith(prefix)


def village_kind(code: str) -> str | None:
    """``"kelurahan"`` or ``"desa"`` from a village code's 4-digit tail (1xxx / 2xxx).

    The distinction matters because kelurahan are administrative units of the regency while
    desa have their own budget (Dana Desa), which changes who can co-fund contributions.
    Read from the code's shape only, so it also works for codes newer than the table.
    Returns None for anything that is not a 10-digit village code, and for the few
    3xxx codes (desa adat in Papua), which are neither and need a human decision.
    """
    digits = _normalize_or_none(code)
    if digits is None or len(digits) != 10:
        return None
    return {"1": "kelurahan", "2": "desa"}.get(digits[6])


def villages(regency_code: str) -> list[Region]:
    """Every desa/kelurahan in a regency or city, by code (the synthetic generator's frame).

    Raises:
        ValueError: if ``regency_code`` is not a known regency/city; a typo in a deployment's
            configuration should stop the run, not yield an empty population.
    """
    regency = lookup(regency_code)
    if regency is None or regency.level != "kabkota":
        raise ValueError(f"not a known regency/city code: {regency_code!r}")
    table = _table()
    return [
        village
        for district in table.children.get(regency.code, ())
        for village in table.children.get(district.code, ())
    ]


def village_codes(regency_code: str) -> list[str]:
    """The codes of :func:`villages` (same order, same ValueError), without the whole table.

    A screening needs only its own regency's village codes, to flag a KODE_DESA that is no
    village of the regency (Pasal 5 ayat (2) huruf a); parsing all 90k rows into ``Region``
    objects for that cost a one-shot ``payung screen`` 0.6 CPU s (issue 16). Only the lines
    under the regency's dotted prefix are parsed here; an already loaded table is reused.
    """
    if _table.cache_info().currsize:
        return [village.code for village in villages(regency_code)]
    digits = _normalize_or_none(regency_code)
    if digits is None or len(digits) != 4:
        raise ValueError(f"not a known regency/city code: {regency_code!r}")
    prefix = dotted_code(digits)
    raw = resources.files("payung.domain").joinpath("data", _DATA_FILE).read_bytes()
    lines = [
        line
        for line in gzip.decompress(raw).decode("utf-8").splitlines()
        if line.startswith(prefix + ",") or line.startswith(prefix + ".")
    ]
    found = False
    codes: list[str] = []
    for dotted_kode, _name, level, _parent in csv.reader(lines):
        if dotted_kode == prefix:
            found = level == "kabkota"
        elif level == "desakel":
            codes.append(dotted_kode.replace(".", ""))
    if not found:
        raise ValueError(f"not a known regency/city code: {regency_code!r}")
    return sorted(codes)


def regions(level: str | None = None) -> list[Region]:
    """All regions, optionally of one level, by code (e.g. a regency picker in a form).

    Raises:
        ValueError: for a level name outside :data:`LEVELS`.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
    everything = _table().regions.values()
    return sorted(
        (region for region in everything if level is None or region.level == level),
        key=_code,
    )
