"""Property test of the birth-date parser every extract's TANGGAL_LAHIR goes through (issue
17): for any text, ``quality.birth_facts`` finds the date a person reading the cell would
find (YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY, a real date from 1900, a time part ignored), or
none, on every backend alike, and never fails the query."""

from __future__ import annotations

import re
from datetime import date

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.engine.backends import Backend
from payung.engine.quality import birth_facts
from payung.engine.tests.conftest import BACKENDS

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY = re.compile(r"([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})")


def reference(cell: str | None) -> date | None:
    """The rule of docs/decisions.md (``tanggal_lahir.unparseable``), in plain Python."""
    if cell is None:
        return None
    text = re.sub(r"[ T][0-9:.]+$", "", cell.strip())
    if (match := _ISO.fullmatch(text)) is not None:
        y, m, d = (int(g) for g in match.groups())
    elif (match := _DMY.fullmatch(text)) is not None:
        d, m, y = (int(g) for g in match.groups())
    else:
        return None
    try:
        found = date(y, m, d)
    except ValueError:
        return None
    return found if found.year >= 1900 else None


@st.composite
def _formatted(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=date(1850, 1, 1), max_value=date(2100, 12, 31)))
    style = draw(st.sampled_from(["{y:04d}-{m:02d}-{d:02d}", "{d}-{m}-{y}", "{d:02d}/{m:02d}/{y}"]))
    text = style.format(y=day.year, m=day.month, d=day.day)
    return text + draw(st.sampled_from(["", " 00:00:00", "T10:30", " ", "x"]))


_CELLS = st.one_of(
    _formatted(),
    st.text(alphabet="0123456789-/ .T:", max_size=20),
    st.text(max_size=12),
    st.none(),
)


def _parsed(backend: Backend, cells: list[str | None]) -> list[date | None]:
    table = backend.load(pa.table({"raw": pa.array(cells, pa.string())}), name="birth_props")
    facts = birth_facts(table, table.raw).select("by", "bm", "bd").to_pyarrow().to_pylist()
    return [
        date(row["by"], row["bm"], row["bd"]) if row["by"] is not None else None for row in facts
    ]


@pytest.mark.parametrize("name", BACKENDS)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(_CELLS, min_size=1, max_size=30))
def test_birth_date_parser_matches_the_written_rule(
    connections: dict[str, Backend], name: str, cells: list[str | None]
) -> None:
    assert _parsed(connections[name], cells) == [reference(cell) for cell in cells]
