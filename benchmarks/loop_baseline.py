"""The same screening written the obvious way: a ``csv`` loop in plain Python.

Why it exists: it is the program a careful engineer would write without Payung's engine,
so it is the yardstick for the claim that the engine is worth its machinery (the
``loop / screen`` ratio in ``benchmarks.screen``). Written as a second, independent reading
of the regulation it also cross-checks the engine: the benchmark compares the status of
every row with ``payung screen``'s decisions.csv.

It uses the domain layer only (``payung.domain.nik.parse`` for the NIK, the policy object
for occupations and rule parameters), never Ibis or Arrow, and reads, judges, ranks and
writes row by row. Ranking uses Python's sort over the policy's keys; the flags columns of
the real output (Disdukcapil hints that never change a status) are left out.

Usage: ``python -m benchmarks.loop_baseline INPUT.csv OUTPUT.csv --policy pandeglang-2025
--as-of 2026-01-01 [--budget RUPIAH]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

from payung.domain.nik import parse as nik_parse
from payung.domain.policy import Policy, normalize_term, policy_get
from payung.engine.columns import ALIASES, header_key

#: Data-quality codes in the order ``payung screen`` reports them. A copy of
#: ``payung.engine.quality.INVALID_CODES``: importing that module would import Ibis, and
#: this loop is meant to be plain Python. The benchmark's reasons comparison shows drift.
INVALID_ORDER: Final[tuple[str, ...]] = (
    "nik.empty",
    "nik.excel_scientific",
    "nik.excel_decimal",
    "nik.numeric_cell",
    "nik.non_digit",
    "nik.length",
    "nik.province",
    "nik.regency",
    "nik.district",
    "nik.birth_day",
    "nik.birth_month",
    "nik.birth_date",
    "nik.serial",
    "nik.duplicate",
    "tanggal_lahir.missing",
    "tanggal_lahir.unparseable",
    "tanggal_lahir.future",
    "kode_desa.missing",
)

#: Modulus of the seeded NIK hash, as in ``payung.engine.expr`` (largest 31-bit prime).
HASH_MODULUS: Final = 2_147_483_647

_ISO: Final = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY: Final = re.compile(r"([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})")
_TIME_OF_DAY: Final = re.compile(r"[ T][0-9:.]+$")
_SMALL_INT: Final = re.compile(r"[0-9]{1,9}")

OUTPUT_COLUMNS: Final[tuple[str, ...]] = (
    "row",
    "nik",
    "status",
    "reasons",
    "priority_rank",
    "priorities",
    "age",
    "desil",
    "occupation_category",
    "kode_desa",
)


def hash_params(seed: int) -> tuple[int, int]:
    """Multiplier and offset of the tie-break hash; ``payung.engine.expr.hash_params`` again.

    Repeated rather than imported for the same reason as ``INVALID_ORDER``.
    """
    digest = hashlib.sha256(f"payung-rank:{seed}".encode()).digest()
    a = int.from_bytes(digest[:8], "big") % (HASH_MODULUS - 1) + 1
    b = int.from_bytes(digest[8:16], "big") % HASH_MODULUS
    return a, b


def _collapsed_upper(value: str | None) -> str | None:
    """Upper case, whitespace runs folded to one space; None when nothing is left."""
    if value is None:
        return None
    return " ".join(value.split()).upper() or None


def _cell_upper(cells: list[str | None], index: int | None) -> str | None:
    """``_collapsed_upper`` of an optional column (None when the file lacks the column)."""
    return None if index is None else _collapsed_upper(cells[index])


def _small_int(value: str | None) -> int | None:
    """An integer of 1-9 digits, else None: how the engine reads DESIL and dependants."""
    if value is None or not _SMALL_INT.fullmatch(value):
        return None
    return int(value)


def _birth_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY; None if not a date."""
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.fullmatch(text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    if year < 1900:
        return None
    try:
        date(year, month, day)
    except ValueError:
        return None
    return year, month, day


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Canonical column -> index, by the same header aliases the real reader accepts."""
    alias_index = {
        header_key(alias): name for name, aliases in ALIASES.items() for alias in aliases
    }
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        name = alias_index.get(header_key(title))
        if name is not None and name not in found:
            found[name] = index
    missing = [
        c for c in ("nik", "tanggal_lahir", "pekerjaan", "desil", "kode_desa") if c not in found
    ]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    return found


def _delimiter(path: Path) -> str:
    """The delimiter the header uses most, like the real reader's sniffing."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    return max((",", ";", "\t"), key=first.count)


def screen_loop(
    source: Path, out: Path, *, policy: Policy, as_of: date, budget: int | None
) -> dict[str, int]:
    """Screen ``source`` into ``out`` row by row; return counts by status.

    One pass reads and judges every row (keeping the output rows in a list, since the
    ranking needs every eligible person before anyone can be selected), then a sort ranks
    the eligible and the budget cut turns them into selected / waitlisted.
    """
    occupations = policy.occupations
    categories = occupations.normalized_terms
    not_working = {normalize_term(v) for v in occupations.not_working}
    judged = [(rule.id, rule.kind, rule) for rule in policy.judged_rules]
    for _rid, kind, _rule in judged:
        if kind not in ("occupation", "working", "domicile", "age", "decile", "other_aid"):
            raise ValueError(f"rule kind {kind!r} is not implemented by the loop")
    # Priorities with their value lists upper-cased once, not once per row.
    priorities: list[tuple[str, str, Any, frozenset[str]]] = []
    for prio in policy.priorities:
        if prio.kind == "disability":
            values = frozenset(v.upper() for v in prio.params.none_values)
        elif prio.kind == "family_dependants":
            values = frozenset(v.upper() for v in prio.params.single_values)
        elif prio.kind == "age_at_least":
            values = frozenset()
        else:
            raise ValueError(f"priority kind {prio.kind!r} is not implemented by the loop")
        priorities.append((prio.id, prio.kind, prio.params, values))
    as_of_key = as_of.year * 10000 + as_of.month * 100 + as_of.day
    hash_a, hash_b = hash_params(policy.ranking.seed)
    by_kind = {kind: rule for _rid, kind, rule in judged}
    excluded_aid = {s.upper() for s in by_kind["other_aid"].params.excluded_sources}
    region = by_kind["domicile"].params.region

    seen_niks: set[str] = set()
    records: list[list[Any]] = []
    eligible: list[tuple[int, int, int, int, str, int]] = []
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=_delimiter(source))
        index = _columns(next(reader))
        width = max(index.values()) + 1
        i_nik, i_birth = index["nik"], index["tanggal_lahir"]
        i_job, i_desil, i_village = index["pekerjaan"], index["desil"], index["kode_desa"]
        i_aid = index.get("bantuan_iuran")
        i_disability = index.get("disabilitas")
        i_marital = index.get("status_perkawinan")
        i_dependants = index.get("jumlah_tanggungan")

        def priorities_met(cells: list[str | None], age: int | None) -> list[str]:
            """Pasal 7 ayat (2): ids of the priorities an eligible person meets, in order."""
            met: list[str] = []
            for prio_id, kind, prio_params, values in priorities:
                if kind == "age_at_least":
                    ok = age is not None and age >= prio_params.age
                elif kind == "disability":
                    value = _cell_upper(cells, i_disability)
                    ok = value is not None and value not in values
                else:  # family_dependants
                    status = _cell_upper(cells, i_marital)
                    dependants = (
                        _small_int(cells[i_dependants]) if i_dependants is not None else None
                    )
                    ok = (
                        status is not None
                        and status not in values
                        and dependants is not None
                        and dependants >= prio_params.min_dependants
                    )
                if ok:
                    met.append(prio_id)
            return met

        row_number = 0
        for raw in reader:
            row_number += 1
            cells: list[str | None] = [(c.strip() or None) for c in raw]
            if not any(cells):
                continue  # a wholly empty line: nothing to screen, the row number still counts
            if len(cells) < width:
                cells.extend([None] * (width - len(cells)))

            # Data quality: NIK, duplicates, birth date, village.
            codes: set[str] = set()
            nik_raw = cells[i_nik]
            checked = nik_parse(nik_raw, as_of=as_of)
            codes.update(problem.code for problem in checked.problems)
            nik = checked.cleaned or None
            if nik is not None:
                if nik in seen_niks:
                    codes.add("nik.duplicate")
                else:
                    seen_niks.add(nik)
            birth_text = cells[i_birth]
            birth: tuple[int, int, int] | None = None
            if birth_text is None:
                codes.add("tanggal_lahir.missing")
            else:
                birth = _birth_date(_TIME_OF_DAY.sub("", birth_text))
                if birth is None:
                    codes.add("tanggal_lahir.unparseable")
                elif birth[0] * 10000 + birth[1] * 100 + birth[2] > as_of_key:
                    codes.add("tanggal_lahir.future")
            village_raw = cells[i_village]
            village = None
            if village_raw is None:
                codes.add("kode_desa.missing")
            else:
                village = village_raw.replace(".", "").replace(" ", "").replace("\t", "")

            age: int | None = None
            if birth is not None:
                year, month, day = birth
                age = as_of.year - year - ((month, day) > (as_of.month, as_of.day))
            job = normalize_term(cells[i_job]) if cells[i_job] is not None else None
            category = categories.get(job) if job is not None else None
            desil = _small_int(cells[i_desil])
            output_nik = nik or nik_raw

            status, reasons, met_text = "invalid", None, None
            if codes:
                reasons = ";".join(code for code in INVALID_ORDER if code in codes)
            else:
                aid = _cell_upper(cells, i_aid)
                # Pasal 5: every rule the person fails, in policy order.
                failed: list[str] = []
                for rule_id, kind, rule in judged:
                    if kind == "occupation":
                        fails = category is None
                    elif kind == "working":
                        fails = job in not_working
                    elif kind == "domicile":
                        fails = village is None or village[: len(region)] != region
                    elif kind == "age":
                        low, high = rule.params.min_age, rule.params.max_age
                        fails = age is None or not low <= age <= high
                    elif kind == "decile":
                        low, high = rule.params.min_desil, rule.params.max_desil
                        fails = desil is None or not low <= desil <= high
                    else:  # other_aid
                        fails = aid in excluded_aid
                    if fails:
                        failed.append(rule_id)
                if failed:
                    status, reasons = "ineligible", ";".join(failed)
                else:
                    status = "eligible"
                    met = priorities_met(cells, age)
                    met_text = ";".join(met) or None
                    assert birth is not None and desil is not None and nik is not None
                    birth_key = birth[0] * 10000 + birth[1] * 100 + birth[2]
                    nik_hash = ((int(nik) % HASH_MODULUS) * hash_a + hash_b) % HASH_MODULUS
                    eligible.append((-len(met), desil, birth_key, nik_hash, nik, len(records)))
            records.append(
                [
                    row_number,
                    output_nik,
                    status,
                    reasons,
                    None,
                    met_text,
                    age,
                    desil,
                    category,
                    village,
                ]
            )

    # Ranking (Pasal 7 ayat (2)) and the budget cut (Pasal 6 ayat (2)).
    eligible.sort()
    quota = policy.quota(budget) if budget is not None else None
    for rank, key in enumerate(eligible, start=1):
        record = records[key[-1]]
        record[4] = rank
        if quota is not None:
            record[2] = "selected" if rank <= quota else "waitlisted"

    counts: dict[str, int] = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for record in records:
            counts[record[2]] = counts.get(record[2], 0) + 1
            writer.writerow(["" if value is None else value for value in record])
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Command line for the benchmark, which runs the loop as its own measured process."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loop_baseline")
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--policy", default="pandeglang-2025")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 1, 1))
    parser.add_argument("--budget", type=int)
    args = parser.parse_args(argv)
    screen_loop(
        args.input,
        args.output,
        policy=policy_get(args.policy),
        as_of=args.as_of,
        budget=args.budget,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
