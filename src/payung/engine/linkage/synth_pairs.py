"""Labelled synthetic list pairs: the ground truth against which linkage is measured.

No real list of another funder may leave its office, and a linkage model that is never
measured will refuse people it should not (a false match fails Pasal 5 ayat (2) huruf f)
or pay twice for people it misses. This module fabricates a regency's population with the
household structure of :mod:`payung.engine.synth` (a family card per household, NIKs that
encode region, birth date and sex), then two lists drawn from it:

- list A, a DTSEN-style extract: most of the population, nearly clean;
- list B, another funder's list typed by other hands: a share of A's people with the noise
  seen in practice (a NIK with a wrong or swapped digit, the digits Excel ate, no NIK at
  all; ``MUHAMAD``/``M.``, titles, a dropped middle name, ``NUR HASANAH``/``NURHASANAH``,
  Sundanese P/F, doubled letters, typos; day and month swapped, a day or a year off; a new
  village after a move; no family card number), and **hard non-matches**: spouses,
  siblings and twins of A's people on the same family card (a twin shares the birth date,
  the card and all but one NIK digit) and namesakes in other villages.

Every record carries its person id, so the truth is every (A row, B row) pair of one person;
:func:`synth_dupes` does the same for duplicates within one list. One seed always gives the
same lists (``numpy.random.default_rng(seed)``, draws in a fixed order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from payung.engine import synth as _synth

__all__ = ["LinkCase", "synth_dupes", "synth_pairs"]

#: Shares of the noise applied to list B's copies of A's people (each drawn independently).
NIK_NOISE: Final = {
    "typo": 0.08,  # one digit replaced
    "swap": 0.04,  # two neighbouring digits swapped
    "excel_zero": 0.04,  # a number cell: the 16th digit became 0
    "excel_sci": 0.02,  # "3.60101E+15"
    "dot_zero": 0.02,  # "3601....0001.0" (no digit lost)
    "missing": 0.06,
}
NAME_NOISE: Final = {
    "muhammad": 0.5,  # of the names that carry a Muhammad spelling
    "title": 0.05,
    "degree": 0.02,
    "drop_middle": 0.3,  # of three-word names
    "join": 0.04,
    "split": 0.5,  # of names with a splittable compound (NURHASANAH)
    "sundanese": 0.05,
    "double": 0.04,
    "typo": 0.04,
    "lower": 0.05,
}
DOB_NOISE: Final = {"swap": 0.04, "day": 0.04, "year": 0.03, "missing": 0.03}
VILLAGE_MOVED: Final = 0.08
SEX_MISSING: Final = 0.02
KK_PRESENT: Final = 0.6
TWIN_SHARE: Final = 0.02  # of households with a child
NAMESAKE_SHARE: Final = 0.02  # of people

_MUHAMMAD_SPELLINGS: Final = ("MUHAMMAD", "MUHAMAD", "MOHAMAD", "MOCH.", "MOH.", "M.", "MUH.")
_TITLES: Final = ("H.", "HJ.", "BPK", "IBU", "DRS.", "IR.", "H")
_DEGREES: Final = (", S.PD", ", S.AG", " S.PD.I", ", A.MD", ", SE")
_COMPOUNDS: Final = ("NURHASANAH", "NURHAYATI", "NURJANAH", "SITINUR", "NURAENI", "NURHALIZAH")
_FEMALE_FIRST: Final = (*_synth._FEMALE_FIRST, "NUR", "SITI")
_MALE_FIRST: Final = (*_synth._MALE_FIRST, "MUHAMMAD", "MUHAMAD", "MOHAMAD")


@dataclass(frozen=True)
class LinkCase:
    """One labelled case: the lists as text tables (their headers as a funder writes them)
    and the true pairs as 1-based data-row numbers (``a_row``, ``b_row``)."""

    a: pa.Table
    b: pa.Table
    truth: pa.Table
    hard_negatives: int


@dataclass
class _People:
    pid: np.ndarray
    hh: np.ndarray
    nik: np.ndarray
    kk: np.ndarray
    name: list[str]
    birth: np.ndarray
    female: np.ndarray
    village: np.ndarray  # index into _villages()
    role: np.ndarray

    def take(self, index: np.ndarray) -> _People:
        return _People(
            pid=self.pid[index],
            hh=self.hh[index],
            nik=self.nik[index],
            kk=self.kk[index],
            name=[self.name[i] for i in index],
            birth=self.birth[index],
            female=self.female[index],
            village=self.village[index],
            role=self.role[index],
        )


def _villages() -> tuple[str, ...]:
    return _synth._village_codes()[0]


def _population(rng: np.random.Generator, n: int, as_of: date) -> _People:
    """``n`` people in households, then twins and namesakes appended (hard non-matches)."""
    hh, pos, sizes = _synth._households(rng, n)
    role, age, female = _synth._people(rng, hh, pos, sizes)
    villages = _villages()
    village_h = rng.integers(0, len(villages), len(sizes))
    district_v = np.array([int(code[:6]) for code in villages], dtype=np.int64)
    birth = _synth._birth_dates(rng, age, as_of)
    nik = _synth._nik(rng, district_v[village_h][hh], np.zeros(n, bool), birth, female)
    kk = _synth._no_kk(rng, district_v[village_h], as_of)[hh]
    names = _names(rng, female)
    village = village_h[hh]

    # Twins: a child's copy with the same birth date and card, a NIK serial 5000 higher
    # (one digit apart, as consecutive serials are) and another first name.
    child = np.flatnonzero(role == _synth._CHILD)
    twins = child[rng.random(len(child)) < TWIN_SHARE * 2]
    twin_female = np.where(rng.random(len(twins)) < 0.5, female[twins], ~female[twins])
    twin_nik = nik[twins] + 5000
    # A twin of the other sex carries the other day block (+40 for women) in the NIK.
    day_shift = np.where(twin_female & ~female[twins], 40, 0) - np.where(
        ~twin_female & female[twins], 40, 0
    )
    twin_nik = twin_nik + day_shift * 10**8
    twin_names = [
        _other_first(rng, names[i], bool(f)) for i, f in zip(twins, twin_female, strict=True)
    ]

    # Namesakes: the same name and sex elsewhere, born in the same or a near year.
    base = np.arange(n)
    namesakes = base[rng.random(n) < NAMESAKE_SHARE]
    k = len(namesakes)
    ns_village = (village[namesakes] + 1 + rng.integers(0, len(villages) - 1, k)) % len(villages)
    ns_birth = birth[namesakes] + rng.integers(-700, 700, k)
    ns_female = female[namesakes]
    ns_hh = hh.max() + 1 + np.arange(k)
    ns_nik = _synth._nik(rng, district_v[ns_village], np.zeros(k, bool), ns_birth, ns_female)
    ns_nik = ns_nik + 7000  # serials apart from the base population's
    ns_kk = _synth._no_kk(rng, district_v[ns_village], as_of) + 9000

    total = n + len(twins) + k
    people = _People(
        pid=np.arange(total),
        hh=np.concatenate([hh, hh[twins], ns_hh]),
        nik=np.concatenate([nik, twin_nik, ns_nik]),
        kk=np.concatenate([kk, kk[twins], ns_kk]),
        name=[*names, *twin_names, *(names[i] for i in namesakes)],
        birth=np.concatenate([birth, birth[twins], ns_birth]),
        female=np.concatenate([female, twin_female, ns_female]),
        village=np.concatenate([village, village[twins], ns_village]),
        role=np.concatenate([role, role[twins], np.full(k, _synth._HEAD)]),
    )
    # Households in a random order, members together (an extract is sorted by card).
    key = rng.random(int(people.hh.max()) + 1)
    order = np.lexsort((people.pid, key[people.hh]))
    taken = people.take(order)
    taken.pid = np.arange(total)  # person id = position in the population
    return taken


def _names(rng: np.random.Generator, female: np.ndarray) -> list[str]:
    n = len(female)
    first = np.where(
        female,
        rng.integers(0, len(_FEMALE_FIRST), n),
        rng.integers(0, len(_MALE_FIRST), n),
    )
    middle = np.where(
        female,
        rng.integers(0, len(_FEMALE_FIRST), n),
        rng.integers(0, len(_MALE_FIRST), n),
    )
    second_f = rng.integers(0, len(_synth._FEMALE_SECOND), n)
    second_m = rng.integers(0, len(_synth._MALE_SECOND), n)
    words = np.searchsorted([0.08, 0.80], rng.random(n), side="right") + 1
    out: list[str] = []
    for i in range(n):
        firsts = _FEMALE_FIRST if female[i] else _MALE_FIRST
        second = (
            _synth._FEMALE_SECOND[second_f[i]] if female[i] else _synth._MALE_SECOND[second_m[i]]
        )
        parts = [firsts[first[i]]]
        if words[i] == 3 and firsts[middle[i]] != parts[0]:
            parts.append(firsts[middle[i]])
        if words[i] >= 2:
            parts.append(second)
        out.append(" ".join(parts))
    return out


def _other_first(rng: np.random.Generator, name: str, female: bool) -> str:
    firsts = _FEMALE_FIRST if female else _MALE_FIRST
    words = name.split(" ")
    while True:
        candidate = firsts[int(rng.integers(0, len(firsts)))]
        if candidate != words[0]:
            return " ".join([candidate, *words[1:]])


# --- noise -----------------------------------------------------------------------------------


def _nik_text(rng: np.random.Generator, nik: np.ndarray, *, scale: float) -> list[str | None]:
    """NIKs as a funder's list holds them, each kind of damage at ``NIK_NOISE`` x ``scale``."""
    kinds = list(NIK_NOISE)
    bounds = np.cumsum([NIK_NOISE[k] * scale for k in kinds])
    pick = np.searchsorted(bounds, rng.random(len(nik)), side="right")
    positions = rng.integers(0, 16, len(nik))
    digits = rng.integers(1, 10, len(nik))
    out: list[str | None] = []
    for value, kind, at, plus in zip(nik.tolist(), pick, positions, digits, strict=True):
        text = str(value)
        name = kinds[kind] if kind < len(kinds) else "clean"
        if name == "typo":
            text = text[:at] + str((int(text[at]) + plus) % 10) + text[at + 1 :]
        elif name == "swap":
            at = min(at, 14)
            if text[at] == text[at + 1]:
                at = (at + 1) % 15
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        elif name == "excel_zero":
            text = text[:15] + "0"
        elif name == "excel_sci":
            text = f"{text[0]}.{text[1:6].rstrip('0')}E+15".replace(".E", "E")
        elif name == "dot_zero":
            text = text + ".0"
        elif name == "missing":
            text = None  # type: ignore[assignment]
        out.append(text)
    return out


def _name_text(rng: np.random.Generator, name: str, *, scale: float) -> str:
    """One name as another office typed it (several kinds of noise may combine)."""
    u = rng.random(12)
    words = name.split(" ")
    p = {k: v * scale for k, v in NAME_NOISE.items()}
    if words[0] in ("MUHAMMAD", "MUHAMAD", "MOHAMAD") and u[0] < NAME_NOISE["muhammad"]:
        words[0] = _MUHAMMAD_SPELLINGS[int(rng.integers(0, len(_MUHAMMAD_SPELLINGS)))]
    if len(words) == 3 and u[1] < NAME_NOISE["drop_middle"] * scale:
        words = [words[0], words[2]]
    compound = len(words) >= 2 and words[0] + words[1] in _COMPOUNDS
    if len(words) >= 2 and (u[2] < p["split"] * 2 if compound else u[3] < p["join"]):
        words = [words[0] + words[1], *words[2:]]
    text = " ".join(words)
    if u[4] < p["sundanese"]:
        text = text.replace("F", "P") if "F" in text else text.replace("P", "F", 1)
    if u[5] < p["double"]:
        for single, double in (("D", "DD"), ("L", "LL"), ("N", "NN"), ("M", "MM")):
            if single in text[1:]:
                at = text.index(single, 1)
                text = text[:at] + double + text[at + 1 :]
                break
    if u[6] < p["typo"] and len(text) > 4:
        at = int(rng.integers(1, len(text) - 1))
        if text[at] != " ":
            text = text[:at] + "AIUEO"[int(rng.integers(0, 5))] + text[at + 1 :]
    if u[7] < p["title"]:
        text = f"{_TITLES[int(rng.integers(0, len(_TITLES)))]} {text}"
    if u[8] < p["degree"]:
        text += _DEGREES[int(rng.integers(0, len(_DEGREES)))]
    if u[9] < p["lower"]:
        text = text.title() if u[10] < 0.5 else text.lower()
    return text


def _dob_text(rng: np.random.Generator, birth: np.ndarray, *, scale: float) -> list[str | None]:
    kinds = list(DOB_NOISE)
    bounds = np.cumsum([DOB_NOISE[k] * scale for k in kinds])
    pick = np.searchsorted(bounds, rng.random(len(birth)), side="right")
    formats = rng.integers(0, 3, len(birth))
    shifts = rng.choice(np.array([-1, 1]), len(birth))
    out: list[str | None] = []
    for day64, kind, fmt, shift in zip(birth, pick, formats, shifts, strict=True):
        d = day64.astype(object)
        name = kinds[kind] if kind < len(kinds) else "clean"
        if name == "swap" and d.day <= 12 and d.day != d.month:
            d = date(d.year, d.day, d.month)
        elif name == "day":
            d = (day64 + int(shift)).astype(object)
        elif name == "year":
            try:
                d = date(d.year + int(shift), d.month, d.day)
            except ValueError:
                d = date(d.year + int(shift), d.month, 28)
        elif name == "missing":
            out.append(None)
            continue
        if fmt == 0:
            out.append(d.isoformat())
        elif fmt == 1:
            out.append(f"{d.day:02d}-{d.month:02d}-{d.year}")
        else:
            out.append(f"{d.day:02d}/{d.month:02d}/{d.year}")
    return out


def _records(
    rng: np.random.Generator,
    people: _People,
    *,
    scale: float,
    sex_column: bool,
    kk_share: float,
) -> pa.Table:
    """A list's rows for ``people`` with noise at ``scale`` (0 = clean)."""
    n = len(people.pid)
    villages = _villages()
    moved = rng.random(n) < VILLAGE_MOVED * scale
    near = rng.random(n) < 0.5
    new_village = np.where(
        near,
        _same_district_neighbour(people.village, villages),
        (people.village + 1 + rng.integers(0, len(villages) - 1, n)) % len(villages),
    )
    village = np.where(moved, new_village, people.village)
    niks = _nik_text(rng, people.nik, scale=scale)
    dobs = _dob_text(rng, people.birth, scale=scale)
    clean_dobs = _dob_text(rng, people.birth, scale=0)
    # A row with neither a whole NIK nor a birth date cannot be linked by anyone; funders'
    # lists that lose one keep the other.
    dobs = [
        clean if dob is None and (nik is None or "E" in nik) else dob
        for nik, dob, clean in zip(niks, dobs, clean_dobs, strict=True)
    ]
    columns: dict[str, list[str | None]] = {
        "NIK": niks,
        "NAMA": [_name_text(rng, name, scale=scale) for name in people.name],
        "TANGGAL_LAHIR": dobs,
        "KODE_DESA": [villages[v] for v in village],
    }
    if sex_column:
        missing = rng.random(n) < SEX_MISSING * scale
        columns["JENIS_KELAMIN"] = [
            None if m else ("P" if f else "L") for m, f in zip(missing, people.female, strict=True)
        ]
    if kk_share > 0:
        present = rng.random(n) < kk_share
        columns["NO_KK"] = [
            str(kk) if p else None for kk, p in zip(people.kk.tolist(), present, strict=True)
        ]
    return pa.table({key: pa.array(values, pa.string()) for key, values in columns.items()})


def _same_district_neighbour(village: np.ndarray, villages: tuple[str, ...]) -> np.ndarray:
    """The next village of the same kecamatan (itself when it is the only one)."""
    district = np.array([code[:6] for code in villages])
    nxt = np.arange(len(villages)) + 1
    nxt[-1] = 0
    same = district[nxt] == district
    target = np.where(same, nxt, np.arange(len(villages)))
    return target[village]


def synth_pairs(
    *,
    rows_a: int,
    rows_b: int,
    seed: int,
    match_share: float = 0.4,
    noise: float = 1.0,
    b_sex_column: bool = True,
    as_of: date = date(2026, 1, 1),
) -> LinkCase:
    """List A (``rows_a`` rows) and list B (``rows_b`` rows, ``match_share`` of them A's
    people with noise x ``noise``; the rest other people, relatives and namesakes of A's
    people first). ``b_sex_column=False`` gives a list without JENIS_KELAMIN, as BPJS rosters
    often are, so sex must come from the NIK."""
    if rows_a < 1 or rows_b < 1:
        raise ValueError("rows_a and rows_b must be >= 1")
    rng = np.random.default_rng(seed)
    population = _population(rng, int((rows_a + rows_b) * 1.25) + 20, as_of)
    total = len(population.pid)
    in_a = np.zeros(total, bool)
    in_a[rng.choice(total, rows_a, replace=False)] = True
    a_index = np.flatnonzero(in_a)  # household order, as an extract is sorted

    n_match = min(round(rows_b * match_share), rows_a)
    matched = rng.choice(a_index, n_match, replace=False)
    # Hard non-matches first: people outside A whose household or name is in A.
    a_households = np.zeros(int(population.hh.max()) + 1, bool)
    a_households[population.hh[in_a]] = True
    outside = np.flatnonzero(~in_a)
    related = outside[a_households[population.hh[outside]]]
    others = outside[~a_households[population.hh[outside]]]
    n_other = rows_b - n_match
    take_related = min(len(related), n_other // 2)
    chosen_related = rng.choice(related, take_related, replace=False)
    rest = rng.choice(others, min(len(others), n_other - take_related), replace=False)
    b_index = np.concatenate([matched, chosen_related, rest])
    b_index = b_index[rng.permutation(len(b_index))]

    a_people = population.take(a_index)
    b_people = population.take(b_index)
    a = _records(rng, a_people, scale=0.1, sex_column=True, kk_share=1.0)
    b = _records(rng, b_people, scale=noise, sex_column=b_sex_column, kk_share=KK_PRESENT)
    # DTSEN-style headers for A; a BPJS-style roster's for B.
    b = b.rename_columns(
        [{"NAMA": "NAMA_PESERTA", "TANGGAL_LAHIR": "TGL_LAHIR"}.get(c, c) for c in b.column_names]
    )
    truth = _truth(a_people.pid, b_people.pid)
    hard = _count_family_pairs(a_people, b_people)
    return LinkCase(a=a, b=b, truth=truth, hard_negatives=hard)


def synth_dupes(
    *, rows: int, seed: int, duplicate_share: float = 0.03, noise: float = 1.0
) -> LinkCase:
    """One list of ``rows`` rows where ``duplicate_share`` of the people appear twice (the
    second time typed again, possibly under another NIK). ``b`` is the same table as ``a``;
    ``truth`` holds each duplicate pair once, lower row first."""
    rng = np.random.default_rng(seed)
    n_dup = round(rows * duplicate_share)
    population = _population(rng, rows - n_dup + 10, date(2026, 1, 1))
    base = np.arange(rows - n_dup)
    again = rng.choice(base, n_dup, replace=False)
    people = population.take(base)
    first = _records(rng, people, scale=0.1, sex_column=True, kk_share=1.0)
    second = _records(rng, population.take(again), scale=noise, sex_column=True, kk_share=1.0)
    table = pa.concat_tables([first, second])
    order = rng.permutation(rows)
    table = table.take(pa.array(order))
    pids = np.concatenate([people.pid, population.pid[again]])[order]
    truth = _truth(pids, pids)
    truth = truth.filter(pc.less(truth["a_row"], truth["b_row"]))
    return LinkCase(a=table, b=table, truth=truth, hard_negatives=0)


def _truth(a_pid: np.ndarray, b_pid: np.ndarray) -> pa.Table:
    """Every (a_row, b_row) of one person, 1-based, sorted."""
    a = pa.table({"pid": a_pid, "a_row": np.arange(1, len(a_pid) + 1)})
    b = pa.table({"pid": b_pid, "b_row": np.arange(1, len(b_pid) + 1)})
    joined = a.join(b, "pid", join_type="inner").select(["a_row", "b_row"])
    return joined.sort_by([("a_row", "ascending"), ("b_row", "ascending")])


def _count_family_pairs(a: _People, b: _People) -> int:
    """Pairs (A row, B row) of two different people on one family card: the pairs a model
    that merged relatives would get wrong."""
    ta = pa.table({"kk": a.kk, "pa": a.pid})
    tb = pa.table({"kk": b.kk, "pb": b.pid})
    joined = ta.join(tb, "kk", join_type="inner")
    return int(pc.sum(pc.not_equal(joined["pa"], joined["pb"])).as_py() or 0)
