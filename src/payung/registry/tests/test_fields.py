"""One rule set for a person's fields, however they enter (registry/fields.py): the DTSEN
import's limits are the corrections' limits, and a birth date is read as the engine reads it."""

from __future__ import annotations

from datetime import date

import ibis
import pytest

from payung.engine import quality
from payung.registry import services
from payung.registry.fields import (
    ALAMAT_MAX_LENGTH,
    birth_date_read,
    field_check,
    field_max_lengths,
    field_same,
)
from payung.registry.models import Person

SAMPLES = (
    "1990-08-15",
    "1990-8-5",
    "15-08-1990",
    "15/08/1990",
    "5/8/1990",
    "1990-08-15 00:00:00",
    "1990-08-15T00:00:00",
    " 1990-08-15 ",
    "1990-02-29",
    "2000-02-29",
    "1899-12-31",
    "31-02-1980",
    "1980-13-01",
    "15.08.1990",
    "19900815",
    "",
    "kemarin",
    "15-08-90",
)


def test_the_import_and_the_corrections_share_one_length_limit() -> None:
    limits = field_max_lengths()
    assert services._max_lengths() == limits
    assert limits["nama"] == Person._meta.get_field("nama").max_length == 200
    assert limits["alamat"] == ALAMAT_MAX_LENGTH
    problems = field_check(name="nama", value="A" * 201).problems
    assert [p.code for p in problems] == ["too_long"]
    assert field_check(name="nama", value="A" * 200).problems == ()


def test_a_birth_date_is_read_exactly_as_the_engine_reads_it() -> None:
    table = ibis.memtable({"tanggal_lahir": list(SAMPLES)})
    parsed = quality.birth_facts(table, table.tanggal_lahir)
    rows = ibis.duckdb.connect().to_pyarrow(parsed.select("tanggal_lahir", "by", "bm", "bd"))
    engine = {
        r["tanggal_lahir"]: None if r["by"] is None else date(r["by"], r["bm"], r["bd"])
        for r in rows.to_pylist()
    }
    assert sum(v is not None for v in engine.values()) == 9
    assert {s: birth_date_read(s) for s in SAMPLES} == engine


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("kode_desa", "3601012001", "36.01.01.2001"),
        ("tanggal_lahir", "1990-08-15", "15/08/1990"),
        ("jenis_kelamin", "P", "perempuan"),
        ("no_kk", "3601011234560001", "3601 0112 3456 0001"),
        ("nama", "SITI  AMINAH", " SITI AMINAH"),
    ],
)
def test_the_same_data_spelled_two_ways_is_the_same(name: str, before: str, after: str) -> None:
    assert field_same(name=name, before=before, after=after)


def test_control_and_invisible_characters_are_refused_but_line_breaks_fold() -> None:
    for value in ("SITI\x00", "SITI\x1b[2J", "SITI\u200bAMINAH", "\u202eSITI", "SITI\x7f"):
        assert [p.code for p in field_check(name="nama", value=value).problems] == ["control"]
    assert field_check(name="alamat", value="JL. MAWAR\r\nRT 01").value == "JL. MAWAR RT 01"
