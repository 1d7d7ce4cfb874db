"""Screening against Perbup Pandeglang 63/2025: each rule of Pasal 5 at its boundaries, the
data-quality codes that make a row invalid, the flags, the Pasal 7(2) priorities and the
Pasal 6(2) budget cut, with identical expectations on DuckDB and Polars.

All single-person cases live in one extract (distinct NIKs, one or a few rows per case) that
is screened once per backend: compiling the screening query costs about a second, so one
screening per backend keeps the suite fast while every case still gets its own test id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from payung.domain import nik as niklib
from payung.domain.policy import Policy
from payung.engine.backends import Backend
from payung.engine.quality import FLAG_CODES, INVALID_CODES
from payung.engine.screening import (
    DECISION_SCHEMA,
    ExtractHandover,
    ScreeningResult,
    _finished_in_turn,
    screen,
)
from payung.engine.tests.conftest import BACKENDS
from payung.engine.tests.factories import (
    AS_OF,
    VILLAGE,
    VULNERABLE_OCCUPATIONS,
    People,
    extract,
    nik_for,
)

#: Per person per year: (JKK Rp10.000 + JKM Rp6.800) x 12 months (Pasal 9 ayat (2)).
ANNUAL = 201_600

#: A real village of Kabupaten Lebak (3602), i.e. outside Pandeglang.
LEBAK_VILLAGE = "3602012002"


@dataclass(frozen=True)
class Case:
    """One scenario: its rows (1-based positions in the shared extract) and expectations."""

    id: str
    rows: tuple[int, ...]
    expect: tuple[dict[str, Any], ...]


PEOPLE = People()
ROWS: list[dict[str, Any]] = []
CASES: list[Case] = []


def P(**fields: Any) -> dict[str, Any]:
    return PEOPLE.person(**fields)


def case(case_id: str, *entries: tuple[dict[str, Any], dict[str, Any]]) -> None:
    positions = []
    for row, _ in entries:
        ROWS.append(row)
        positions.append(len(ROWS))
    CASES.append(Case(case_id, tuple(positions), tuple(expect for _, expect in entries)))


def eligible(**more: Any) -> dict[str, Any]:
    return {"status": "eligible", "reasons": None, "flags": None, "priorities": None, **more}


def ineligible(reasons: str, **more: Any) -> dict[str, Any]:
    return {"status": "ineligible", "reasons": reasons, "flags": None, **more}


def invalid(codes: str, **more: Any) -> dict[str, Any]:
    return {"status": "invalid", "reasons": codes, **more}


# --- Pasal 5 ayat (1): occupation -------------------------------------------------------

for _term, _category in VULNERABLE_OCCUPATIONS.items():
    case(f"5(1)-vulnerable-{_term}", (P(pekerjaan=_term), eligible(occupation_category=_category)))

for _raw, _category in [
    ("petani / pekebun", "petani"),
    ("  Buruh   Harian  Lepas ", "buruh_harian"),
    ("Nelayan/ Perikanan", "nelayan"),
    ("tukang ojek", "pengemudi_ojek"),
    ("Pedagang  Kaki Lima", "usaha_mikro"),
]:
    case(
        f"5(1)-normalised-{_raw.strip()}",
        (P(pekerjaan=_raw), eligible(occupation_category=_category)),
    )

for _term in [
    "PEGAWAI NEGERI SIPIL",
    "KARYAWAN SWASTA",
    "GURU",
    "PERANGKAT DESA",
    "KEPOLISIAN RI",
    "DOKTER",
    "karyawan swasta",
]:
    case(
        f"5(1)-regular-employment-{_term}",
        (P(pekerjaan=_term), ineligible("5(1)", occupation_category=None)),
    )

case(
    "5(1)-unknown-occupation-flagged",
    (P(pekerjaan="SERABUTAN"), ineligible("5(1)", flags="pekerjaan.unknown")),
)
case("5(1)-empty-occupation", (P(pekerjaan=None), {"status": "ineligible", "reasons": "5(1)"}))

# --- Pasal 5 ayat (2) huruf e: not working fails e and, through it, 5(1) ---------------

for _term in [
    "BELUM/TIDAK BEKERJA",
    "MENGURUS RUMAH TANGGA",
    "PELAJAR/MAHASISWA",
    "PENSIUNAN",
    "Belum / Tidak Bekerja",
    "mengurus  rumah tangga",
]:
    case(f"5(2)e-not-working-{_term}", (P(pekerjaan=_term), ineligible("5(1);5(2)e")))

# --- Pasal 5 ayat (2) huruf a: domicile is KODE_DESA, never the NIK --------------------

case("5(2)a-village-outside", (P(kode_desa=LEBAK_VILLAGE), ineligible("5(2)a")))
case(
    "5(2)a-dotted-village-inside",
    (P(kode_desa="36.01.01.2001"), eligible(kode_desa=VILLAGE)),
)
case(
    "5(2)a-dotted-village-outside",
    (P(kode_desa="36.02.01.2002"), ineligible("5(2)a", kode_desa=LEBAK_VILLAGE)),
)
case("5(2)a-moved-in-from-bogor", (P(district="320101"), eligible(kode_desa=VILLAGE)))
case("5(2)a-moved-in-from-lebak", (P(district="360201"), eligible(kode_desa=VILLAGE)))
case(
    "5(2)a-pandeglang-nik-living-in-lebak",
    (P(district="360101", kode_desa=LEBAK_VILLAGE), ineligible("5(2)a")),
)
case(
    "5(2)a-bogor-nik-living-in-bogor",
    (P(district="320101", kode_desa="3201011001"), ineligible("5(2)a")),
)
case(
    "flag-village-not-real",
    (P(kode_desa="3601019999"), eligible(flags="kode_desa.unknown")),
)

# --- Pasal 5 ayat (2) huruf b: completed years on the as-of date (2026-03-15) ----------

for _born, _age, _ok in [
    (date(2008, 3, 15), 18, True),  # 18th birthday on the as-of date counts
    (date(2008, 3, 16), 17, False),
    (date(1961, 3, 15), 65, False),  # 65th birthday on the as-of date: too old
    (date(1961, 3, 16), 64, True),  # 64 years and 364 days
    (date(1990, 1, 1), 36, True),
    (date(2010, 1, 1), 16, False),
    (date(1940, 1, 1), 86, False),
]:
    for _fmt in ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]:
        _text = _born.strftime(_fmt)
        case(
            f"5(2)b-born-{_text}",
            (
                P(birth=_born, tanggal_lahir=_text),
                eligible(age=_age, priorities="7(2)a" if _age >= 60 else None)
                if _ok
                else ineligible("5(2)b", age=_age),
            ),
        )

case(
    "5(2)b-time-of-day-ignored",
    (P(birth=date(2008, 3, 15), tanggal_lahir="2008-03-15 00:00:00"), eligible(age=18)),
)

# --- Pasal 5 ayat (2) huruf d: DESIL 1..4 ----------------------------------------------

for _desil, _value, _ok in [
    ("1", 1, True),
    ("4", 4, True),
    ("5", 5, False),
    ("10", 10, False),
    ("0", 0, False),
    (None, None, False),
    ("abc", None, False),
]:
    case(
        f"5(2)d-desil-{_desil}",
        (
            P(desil=_desil),
            eligible(desil=_value) if _ok else ineligible("5(2)d", desil=_value),
        ),
    )

# --- Pasal 5 ayat (2) huruf f: no contribution aid from APBN / APBD --------------------

for _aid in ["APBN", "APBD PROVINSI", "APBD", "apbd provinsi", "Apbn", "apbd"]:
    case(f"5(2)f-aid-{_aid}", (P(bantuan_iuran=_aid), ineligible("5(2)f")))
for _aid in [None, "TIDAK", "tidak"]:
    case(f"5(2)f-no-aid-{_aid}", (P(bantuan_iuran=_aid), eligible()))

# --- several failures at once, in policy order ------------------------------------------

case(
    "several-all-judged-rules",
    (
        P(
            pekerjaan="MENGURUS RUMAH TANGGA",
            kode_desa=LEBAK_VILLAGE,
            birth=date(2010, 1, 1),
            desil="7",
            bantuan_iuran="APBD PROVINSI",
        ),
        ineligible("5(1);5(2)a;5(2)b;5(2)d;5(2)e;5(2)f"),
    ),
)
case(
    "several-regular-employment-outside-old-rich-aided",
    (
        P(
            pekerjaan="GURU",
            kode_desa=LEBAK_VILLAGE,
            birth=date(1950, 5, 5),
            desil="9",
            bantuan_iuran="APBN",
        ),
        ineligible("5(1);5(2)a;5(2)b;5(2)d;5(2)f"),
    ),
)
case(
    "several-not-working-too-old-no-desil",
    (
        P(pekerjaan="PENSIUNAN", birth=date(1955, 1, 1), desil=None),
        ineligible("5(1);5(2)b;5(2)d;5(2)e"),
    ),
)
case(
    "several-age-and-aid",
    (P(birth=date(2009, 1, 1), bantuan_iuran="APBD"), ineligible("5(2)b;5(2)f")),
)

# --- invalid rows: not judged, data-quality codes instead -------------------------------

case(
    "invalid-nik-excel-scientific",
    (P(nik="3.60101E+15"), invalid("nik.excel_scientific", nik="3.60101E+15")),
)
case("invalid-nik-excel-decimal", (P(nik="3601011506800001.0"), invalid("nik.excel_decimal")))
case("invalid-nik-short", (P(nik="123"), invalid("nik.length", nik="123")))
case("invalid-nik-letter", (P(nik="36010115068O0001"), invalid("nik.non_digit")))
case("invalid-nik-province", (P(nik="9901011506800001"), invalid("nik.province")))
case("invalid-nik-serial", (P(nik="3601011506800000"), invalid("nik.serial")))
case("invalid-nik-month", (P(nik="3601011513800001"), invalid("nik.birth_month")))
case("invalid-nik-missing", (P(nik=None), invalid("nik.empty")))
case(
    "invalid-nik-numeric-cell",
    (P(nik="360101150680001", nik_numeric_cell=True), invalid("nik.numeric_cell")),
)
case("invalid-tanggal-lahir-missing", (P(tanggal_lahir=None), invalid("tanggal_lahir.missing")))
case(
    "invalid-tanggal-lahir-31-februari",
    (P(tanggal_lahir="31/02/1980"), invalid("tanggal_lahir.unparseable", age=None)),
)
case("invalid-tanggal-lahir-abc", (P(tanggal_lahir="abc"), invalid("tanggal_lahir.unparseable")))
case(
    "invalid-tanggal-lahir-month-13",
    (P(tanggal_lahir="1980-13-01"), invalid("tanggal_lahir.unparseable")),
)
case(
    "invalid-tanggal-lahir-future",
    (P(tanggal_lahir="2027-01-01"), invalid("tanggal_lahir.future")),
)
case("invalid-kode-desa-missing", (P(kode_desa=None), invalid("kode_desa.missing")))
case(
    "invalid-rules-not-judged",
    (P(tanggal_lahir=None, pekerjaan="GURU", desil="9"), invalid("tanggal_lahir.missing")),
)
case(
    "invalid-several-codes-in-order",
    (
        P(nik="1234", tanggal_lahir="abc", kode_desa=None),
        invalid("nik.length;tanggal_lahir.unparseable;kode_desa.missing"),
    ),
)

# --- duplicates: the first occurrence is judged, later ones are invalid -----------------

_first = P()
case(
    "duplicate-plain",
    (_first, eligible()),
    (P(nik=_first["nik"]), invalid("nik.duplicate", nik=_first["nik"])),
)
_first = P()
case(
    "duplicate-apostrophe-and-space",
    (_first, eligible()),
    (P(nik=" '" + _first["nik"]), invalid("nik.duplicate", nik=_first["nik"])),
)
_first = P()
_grouped = " ".join(_first["nik"][i : i + 4] for i in range(0, 16, 4))
case(
    "duplicate-grouped-digits",
    (_first, eligible()),
    (P(nik=_grouped), invalid("nik.duplicate", nik=_first["nik"])),
)
_first = P(pekerjaan="GURU")
case(
    "duplicate-first-ineligible-is-still-first",
    (_first, ineligible("5(1)")),
    (P(nik=_first["nik"]), invalid("nik.duplicate")),
    (P(nik=_first["nik"], pekerjaan="GURU"), invalid("nik.duplicate")),
)
_first = P()
case(
    "duplicate-apostrophe-first",
    (P(nik="'" + _first["nik"]), eligible(nik=_first["nik"])),
    (_first, invalid("nik.duplicate")),
)

# --- flags: decided by TANGGAL_LAHIR / JENIS_KELAMIN, shown for a second look ------------

case(
    "flag-birth-date-nik-older",
    (
        P(birth=date(1980, 6, 15), tanggal_lahir="2008-03-16"),
        ineligible("5(2)b", age=17, flags="nik.birth_date_mismatch"),
    ),
)
case(
    "flag-birth-date-nik-younger",
    (
        P(birth=date(2008, 3, 16), tanggal_lahir="15-06-1980"),
        eligible(age=45, flags="nik.birth_date_mismatch"),
    ),
)
case(
    "flag-sex-female-nik-male-record",
    (P(sex="P", jenis_kelamin="L"), eligible(flags="nik.sex_mismatch")),
)
case(
    "flag-sex-male-nik-female-record",
    (P(sex="L", jenis_kelamin="p"), eligible(flags="nik.sex_mismatch")),
)
case(
    "flag-both-nik-mismatches",
    (
        P(sex="P", birth=date(1985, 1, 2), jenis_kelamin="L", tanggal_lahir="1985-02-01"),
        eligible(age=41, flags="nik.birth_date_mismatch;nik.sex_mismatch"),
    ),
)
for _sex, _jk in [("P", "P"), ("P", "W"), ("P", "PEREMPUAN"), ("L", "LAKI-LAKI"), ("L", None)]:
    case(f"flag-none-sex-{_sex}-{_jk}", (P(sex=_sex, jenis_kelamin=_jk), eligible()))
case(
    "flag-unknown-occupation-and-village",
    (
        P(pekerjaan="SERABUTAN", kode_desa="3601019999"),
        ineligible("5(1)", flags="pekerjaan.unknown;kode_desa.unknown"),
    ),
)

# --- Pasal 7 ayat (2): priorities among the eligible ------------------------------------

for _born, _prio in [
    (date(1966, 3, 15), "7(2)a"),  # 60 on the as-of date
    (date(1966, 3, 16), None),  # 59
    (date(1961, 3, 16), "7(2)a"),  # 64
]:
    case(f"7(2)a-born-{_born}", (P(birth=_born), eligible(priorities=_prio)))

for _dis, _prio in [
    ("YA", "7(2)b"),
    ("TUNA NETRA", "7(2)b"),
    ("ya", "7(2)b"),
    ("TIDAK", None),
    ("tidak", None),
    (None, None),
    ("TIDAK ADA", None),
]:
    case(f"7(2)b-disabilitas-{_dis}", (P(disabilitas=_dis), eligible(priorities=_prio)))

for _status, _dependants, _prio in [
    ("KAWIN", "1", "7(2)c"),
    ("KAWIN", "3", "7(2)c"),
    ("CERAI MATI", "2", "7(2)c"),
    ("CERAI HIDUP", "1", "7(2)c"),
    ("KAWIN", "0", None),
    ("KAWIN", None, None),
    ("BELUM KAWIN", "3", None),
    ("belum kawin", "2", None),
]:
    case(
        f"7(2)c-{_status}-{_dependants}",
        (
            P(status_perkawinan=_status, jumlah_tanggungan=_dependants),
            eligible(priorities=_prio),
        ),
    )

case(
    "7(2)-all-three",
    (
        P(
            birth=date(1963, 1, 1),
            disabilitas="YA",
            status_perkawinan="KAWIN",
            jumlah_tanggungan="2",
        ),
        eligible(priorities="7(2)a;7(2)b;7(2)c", age=63),
    ),
)
case(
    "7(2)-ineligible-has-no-rank",
    (P(birth=date(1960, 1, 1), disabilitas="YA"), ineligible("5(2)b", priority_rank=None)),
)

EXTRACT = extract(ROWS)
CASE_IDS = [c.id for c in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS), "case ids must be unique"


def by_row(table: pa.Table) -> dict[int, dict[str, Any]]:
    return {d["row"]: d for d in table.to_pylist()}


@pytest.fixture(scope="module")
def screened(connections: dict[str, Backend], policy: Policy) -> dict[str, ScreeningResult]:
    """The shared extract screened once on every backend."""
    return {
        name: screen(EXTRACT, policy=policy, as_of=AS_OF, backend=backend)
        for name, backend in connections.items()
    }


#: Every expectation below holds, unchanged, on each backend.
on_backends = pytest.mark.parametrize("backend_name", BACKENDS)


@pytest.fixture
def result(backend_name: str, screened: dict[str, ScreeningResult]) -> ScreeningResult:
    return screened[backend_name]


@pytest.fixture(scope="module")
def decided(screened: dict[str, ScreeningResult]) -> dict[str, dict[int, dict[str, Any]]]:
    return {name: by_row(r.decisions) for name, r in screened.items()}


@pytest.fixture
def decisions(
    backend_name: str, decided: dict[str, dict[int, dict[str, Any]]]
) -> dict[int, dict[str, Any]]:
    return decided[backend_name]


@on_backends
@pytest.mark.parametrize("scenario", CASES, ids=CASE_IDS)
def test_case(decisions: dict[int, dict[str, Any]], scenario: Case) -> None:
    for position, expect in zip(scenario.rows, scenario.expect, strict=True):
        got = decisions[position]
        actual = {key: got[key] for key in expect}
        assert actual == expect, f"row {position}: {got}"


@on_backends
def test_decisions_shape(result: ScreeningResult) -> None:
    table = result.decisions
    assert table.schema == DECISION_SCHEMA
    assert table["row"].to_pylist() == list(range(1, len(ROWS) + 1))
    assert set(table["status"].to_pylist()) == {"eligible", "ineligible", "invalid"}
    assert result.quota is None


@on_backends
def test_ranks_only_for_eligible(decisions: dict[int, dict[str, Any]]) -> None:
    ranks = [d["priority_rank"] for d in decisions.values() if d["status"] == "eligible"]
    assert sorted(ranks) == list(range(1, len(ranks) + 1))
    assert all(d["priority_rank"] is None for d in decisions.values() if d["status"] != "eligible")
    assert all(d["priorities"] is None for d in decisions.values() if d["status"] != "eligible")


@on_backends
def test_reasons_use_known_codes_in_order(
    decisions: dict[int, dict[str, Any]], policy: Policy
) -> None:
    rule_order = [r.id for r in policy.judged_rules]
    for d in decisions.values():
        codes = d["reasons"].split(";") if d["reasons"] else []
        order = {"ineligible": rule_order, "invalid": list(INVALID_CODES)}.get(d["status"], [])
        assert bool(codes) == (d["status"] in {"ineligible", "invalid"}), d
        assert all(c in order for c in codes), d
        assert codes == sorted(codes, key=order.index), d
        flags = d["flags"].split(";") if d["flags"] else []
        assert flags == sorted(flags, key=list(FLAG_CODES).index), d


@on_backends
def test_counts_agree_with_decisions(result: ScreeningResult, policy: Policy) -> None:
    rows = result.decisions.to_pylist()
    counts = result.counts
    assert counts["rows"] == len(rows)
    for status, n in counts["by_status"].items():
        assert n == sum(1 for d in rows if d["status"] == status), status
    for rule_id, n in counts["by_rule"].items():
        failed = [d for d in rows if d["status"] == "ineligible"]
        assert n == sum(1 for d in failed if rule_id in d["reasons"].split(";")), rule_id
    invalid_rows = [d["reasons"].split(";") for d in rows if d["status"] == "invalid"]
    expected_codes = {c: sum(1 for r in invalid_rows if c in r) for c in INVALID_CODES}
    assert counts["by_invalid_code"] == {c: n for c, n in expected_codes.items() if n}
    for flag, n in counts["by_flag"].items():
        assert n == sum(1 for d in rows if d["flags"] and flag in d["flags"].split(";")), flag


def test_backends_agree(screened: dict[str, ScreeningResult]) -> None:
    tables = [r.decisions for r in screened.values()]
    for other in tables[1:]:
        assert other.equals(tables[0])
    assert all(r.counts == screened["duckdb"].counts for r in screened.values())


@pytest.mark.parametrize(("backend_name", "batch_rows"), [("duckdb", 1), ("polars", 7)])
def test_batches_decide_as_one_pass(
    connections: dict[str, Backend],
    policy: Policy,
    screened: dict[str, ScreeningResult],
    backend_name: str,
    batch_rows: int,
) -> None:
    """A province's extract is screened a batch of rows at a time to bound memory (issue
    16); the decision file must not depend on where the batches are cut. A NIK repeated in
    a later batch is still ``nik.duplicate`` there, and ranks run over every batch."""
    repeats = [
        d
        for d in screened["duckdb"].decisions.to_pylist()
        if "nik.duplicate" in (d["reasons"] or "")
    ]
    assert any(d["row"] // batch_rows for d in repeats), "a repeat must sit past the first batch"
    batched = screen(
        EXTRACT,
        policy=policy,
        as_of=AS_OF,
        backend=connections[backend_name],
        batch_rows=batch_rows,
    )
    assert batched.decisions.equals(screened[backend_name].decisions)
    assert batched.counts == screened[backend_name].counts


@pytest.mark.parametrize(("backend_name", "batch_rows"), [("duckdb", 1_000_000), ("polars", 7)])
def test_rows_out_of_order_are_decided_as_in_order(
    connections: dict[str, Backend],
    policy: Policy,
    screened: dict[str, ScreeningResult],
    backend_name: str,
    batch_rows: int,
) -> None:
    """Corrected rows screened again come in the order they were corrected, not by row
    number (the Disdukcapil answers, appeals); each still gets its own decision, NIK,
    category and village, and the file is in row order as always."""
    shuffled = EXTRACT.take(pa.array(list(reversed(range(EXTRACT.num_rows)))))
    result = screen(
        shuffled,
        policy=policy,
        as_of=AS_OF,
        backend=connections[backend_name],
        batch_rows=batch_rows,
    )
    assert result.decisions.equals(screened[backend_name].decisions)


def test_a_handed_over_extract_is_screened_and_let_go(
    duckdb_backend: Backend, policy: Policy, screened: dict[str, ScreeningResult]
) -> None:
    """``payung screen`` hands its extract over so a province's rows are freed once judged
    (issue 16); the decisions are those of the table itself, and nothing keeps the rows."""
    handover = ExtractHandover(EXTRACT)
    result = screen(handover, policy=policy, as_of=AS_OF, backend=duckdb_backend)
    assert result.decisions.equals(screened["duckdb"].decisions)
    with pytest.raises(RuntimeError, match="already taken"):
        handover.take()


# --- the budget cut (Pasal 6 ayat (2)) --------------------------------------------------

BUDGET_PEOPLE = People(start=5001)
#: Five eligible people whose rank follows from Pasal 7(2) alone, then two that are not.
BUDGET_ROWS = [
    BUDGET_PEOPLE.person(desil="3"),  # rank 4: no priority, desil 3
    BUDGET_PEOPLE.person(disabilitas="YA", desil="4"),  # rank 3: one priority
    BUDGET_PEOPLE.person(desil="4", pekerjaan="GURU"),  # ineligible
    BUDGET_PEOPLE.person(
        birth=date(1962, 1, 1), disabilitas="YA", status_perkawinan="KAWIN", jumlah_tanggungan="1"
    ),  # rank 1: three priorities
    BUDGET_PEOPLE.person(desil="4"),  # rank 5: no priority, desil 4
    BUDGET_PEOPLE.person(tanggal_lahir=None),  # invalid
    BUDGET_PEOPLE.person(disabilitas="YA", jumlah_tanggungan="2", desil="4"),  # rank 2
]
BUDGET_RANKS = {1: 4, 2: 3, 4: 1, 5: 5, 7: 2}


@on_backends
@pytest.mark.parametrize(
    ("budget", "months", "quota"),
    [
        (0, None, 0),
        (ANNUAL * 2, None, 2),
        (ANNUAL * 3 - 1, None, 2),
        (16_800 * 6 * 3, 6, 3),
        (ANNUAL * 1000, None, 1000),
    ],
)
def test_budget_selects_the_top_ranks(
    connections: dict[str, Backend],
    policy: Policy,
    backend_name: str,
    budget: int,
    months: int | None,
    quota: int,
) -> None:
    result = screen(
        extract(BUDGET_ROWS),
        policy=policy,
        as_of=AS_OF,
        backend=connections[backend_name],
        budget=budget,
        months=months,
    )
    assert result.quota == quota
    got = by_row(result.decisions)
    assert {row: got[row]["priority_rank"] for row in BUDGET_RANKS} == BUDGET_RANKS
    for row, rank in BUDGET_RANKS.items():
        assert got[row]["status"] == ("selected" if rank <= quota else "waitlisted"), row
    assert got[3]["status"] == "ineligible"
    assert got[6]["status"] == "invalid"
    assert result.counts["by_status"]["eligible"] == 0
    assert result.counts["by_status"]["selected"] == min(quota, len(BUDGET_RANKS))
    assert result.counts["by_status"]["waitlisted"] == len(BUDGET_RANKS) - min(
        quota, len(BUDGET_RANKS)
    )


def test_negative_budget_is_refused(duckdb_backend: Backend, policy: Policy) -> None:
    with pytest.raises(ValueError):
        screen(extract(BUDGET_ROWS), policy=policy, as_of=AS_OF, backend=duckdb_backend, budget=-1)


# --- the engine's NIK checks agree with domain.nik.parse --------------------------------


def engine_nik_codes(reasons: str | None) -> set[str]:
    codes = reasons.split(";") if reasons else []
    return {c for c in codes if c.startswith("nik.") and c != "nik.duplicate"}


def domain_nik_codes(raw: str | None, *, numeric_cell: bool = False) -> set[str]:
    result = niklib.parse(raw, as_of=AS_OF, numeric_cell=numeric_cell)
    return {p.code for p in result.problems}


def assert_nik_codes_agree(
    backend: Backend, policy: Policy, raws: list[tuple[str | None, bool]]
) -> None:
    """Screen one otherwise valid person per raw NIK; engine codes must equal parse()'s."""
    people = People(start=9001)
    rows = [people.person(nik=raw, nik_numeric_cell=numeric) for raw, numeric in raws]
    result = screen(extract(rows), policy=policy, as_of=AS_OF, backend=backend)
    got = by_row(result.decisions)
    mismatches = []
    for position, (raw, numeric) in enumerate(raws, start=1):
        engine = engine_nik_codes(got[position]["reasons"])
        domain = domain_nik_codes(raw, numeric_cell=numeric)
        if engine != domain:
            mismatches.append(
                f"{raw!r} (numeric_cell={numeric}): engine {sorted(engine)}"
                f" != domain.nik.parse {sorted(domain)}"
            )
    if mismatches:
        pytest.fail("engine and domain disagree on:\n" + "\n".join(mismatches), pytrace=False)


def _valid_nik(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31)))
    return nik_for(born, draw(st.sampled_from("LP")), serial=draw(st.integers(1, 9999)))


@st.composite
def near_valid_niks(draw: st.DrawFn) -> str:
    """A valid NIK with one position replaced by another digit (or left as it is)."""
    nik = _valid_nik(draw)
    position = draw(st.integers(0, len(nik) - 1))
    return nik[:position] + draw(st.sampled_from("0123456789")) + nik[position + 1 :]


@st.composite
def edited_niks(draw: st.DrawFn) -> str:
    """A near-valid NIK with a character of the NIK-like alphabet inserted, deleted or
    replaced: a damaged NIK may also carry a wrong date or region part."""
    nik = draw(near_valid_niks())
    position = draw(st.integers(0, len(nik) - 1))
    char = draw(st.sampled_from("0123456789 '.E+"))
    edit = draw(st.sampled_from(["insert", "delete", "replace"]))
    if edit == "insert":
        return nik[:position] + char + nik[position:]
    if edit == "delete":
        return nik[:position] + nik[position + 1 :]
    return nik[:position] + char + nik[position + 1 :]


NIK_LIKE = st.one_of(
    st.text(alphabet="0123456789 '.E+", max_size=20),
    st.from_regex(r"\+?[0-9]{1,2}([.,][0-9]{1,6})?[eE]\+?[0-9]{1,2}", fullmatch=True),
    st.from_regex(r"[0-9]{15,17}[.,]0{1,2}", fullmatch=True),
    near_valid_niks(),
    edited_niks(),
)


# Each example screens a whole list of NIKs: compiling the query costs ~1 s, rows are free.
# No shrinking: every screening is a second, and the failure message already names each
# disagreeing NIK.
@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(raws=st.lists(NIK_LIKE, min_size=1, max_size=40, unique_by=niklib.clean))
@example(raws=["3601011506800001", "3.60101E+15", "123", "'3601011506800002", ""])
def test_engine_nik_codes_match_domain_parse(
    duckdb_backend: Backend, policy: Policy, raws: list[str]
) -> None:
    assert_nik_codes_agree(duckdb_backend, policy, [(raw, False) for raw in raws])


def test_engine_nik_codes_match_domain_parse_for_known_inputs(
    duckdb_backend: Backend, policy: Policy
) -> None:
    """Inputs pinned from the property above, one per kind of NIK damage."""
    assert_nik_codes_agree(
        duckdb_backend,
        policy,
        [
            (raw, False)
            for raw in [
                "3601011506800001",
                " '3601014506800002",
                "3.60101E+15",
                "3,60101e15",
                "+3.60101E+15",  # a sign, as Excel writes it in some locales
                "3.60101E-15",
                "3601\u200b011506800012",  # zero-width space, copied from a web page
                "3601\u2009011506800013",  # thin space
                "3601011506800003.0",
                "360101150680000",
                "36010115068000044",
                "36010115O6800005",
                "9901011506800006",
                "3600011506800007",
                "3601001506800008",
                "3601017206800009",
                "3601011513800010",
                "3601013002800011",
                "3601011506800000",
                "36010115138000.1",  # 16 characters, a non-digit and a month 13
                "36000115068000.1",  # 16 characters, a non-digit and regency 00
                "3601.11506800000",  # 16 characters, a non-digit and serial 0000
            ]
        ],
    )


@pytest.mark.parametrize("name", BACKENDS)
def test_nik_length_counts_characters_on_every_backend(
    connections: dict[str, Backend], policy: Policy, name: str
) -> None:
    """Full-width and Arabic-Indic digits are one character each, as ``domain.nik.parse``
    counts them: such a NIK of 16 characters has a non-digit, not a wrong length. Polars
    once counted bytes and reported ``nik.length`` where DuckDB did not (issue 16)."""
    valid = nik_for(date(1980, 6, 15), "L", serial=81)
    raws = [
        "\uff13\uff16" + valid[2:],  # full-width 3 and 6
        "\u0663" + valid[1:],  # Arabic-Indic 3
        valid[:15] + "\uff11",
        "\uff13\uff16" + valid[2:15],  # 15 characters: too short after all
        valid[:8] + "\u00e9" + valid[9:],  # a two-byte letter
    ]
    assert_nik_codes_agree(connections[name], policy, [(raw, False) for raw in raws])
    assert "nik.length" in domain_nik_codes(raws[3])
    assert "nik.length" not in domain_nik_codes(raws[0])


def test_engine_nik_codes_match_domain_parse_for_excel_cells(
    duckdb_backend: Backend, policy: Policy
) -> None:
    """Excel damage is the only problem reported, and a numeric cell is its root cause."""
    valid = nik_for(date(1980, 6, 15), "L", serial=77)
    assert_nik_codes_agree(
        duckdb_backend,
        policy,
        [
            (valid[:15], True),
            (valid, True),
            ("3601011506800078.0", False),
            ("3,60101E+15", False),
            ("3.60101e15", False),
            ("3.60101E+15", True),
            ("3601011506800079.0", True),
        ],
    )


@on_backends
def test_valid_nik_rows_carry_the_cleaned_nik(
    decisions: dict[int, dict[str, Any]],
) -> None:
    for position, row in enumerate(ROWS, start=1):
        raw = row["nik"]
        parsed = niklib.parse(raw, as_of=AS_OF) if raw is not None else None
        if parsed is not None and parsed.ok:
            assert decisions[position]["nik"] == parsed.cleaned


# --- batches finished in turn (``_finished_in_turn``) -------------------------------------


def _numbered(count: int, *, fail_at: int | None = None) -> Iterator[pa.Table]:
    """``count`` one-row tables numbered 0, 1, …; making number ``fail_at`` fails."""
    for number in range(count):
        if number == fail_at:
            raise RuntimeError(f"query failed on batch {number}")
        yield pa.table({"n": [number]})


def _doubled(part: pa.Table, *, fail_at: int | None = None) -> pa.Table:
    number = part["n"][0].as_py()
    if number == fail_at:
        raise ValueError(f"finish failed on batch {number}")
    return pa.table({"n": [number * 2]})


def test_batches_finished_in_turn_come_back_in_their_order() -> None:
    finished = _finished_in_turn(_numbered(5), _doubled)
    assert [part["n"][0].as_py() for part in finished] == [0, 2, 4, 6, 8]


def test_a_batch_that_fails_to_finish_is_reported_before_a_later_failure() -> None:
    """Finishing batch 1 fails while batch 2 is being made, and making batch 2 fails too:
    batch 1's error is the one reported, as when each batch was finished before the next
    was made (the later one is kept as its cause)."""
    with pytest.raises(ValueError, match="batch 1") as raised:
        _finished_in_turn(_numbered(4, fail_at=2), lambda part: _doubled(part, fail_at=1))
    assert isinstance(raised.value.__cause__, RuntimeError)


@pytest.mark.parametrize(
    ("make_fails", "finish_fails", "error"),
    [
        (None, 2, ValueError),
        (2, None, RuntimeError),
        (0, None, RuntimeError),
        (None, 3, ValueError),
    ],
)
def test_a_single_failure_among_batches_is_reported(
    make_fails: int | None, finish_fails: int | None, error: type[Exception]
) -> None:
    with pytest.raises(error, match="batch"):
        _finished_in_turn(
            _numbered(4, fail_at=make_fails), lambda part: _doubled(part, fail_at=finish_fails)
        )
