"""The parts of a screening done in Arrow around the backend's query (issue 16): the per-row
text tests found before the table is loaded, and the reported code lists built from integer
masks after it. Each must give exactly what the Ibis expressions they replace gave, on every
backend, because decision files are compared byte for byte (Pasal 5, Pasal 7 ayat (2))."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.domain.policy import Policy
from payung.engine.backends import Backend
from payung.engine.columns import CANONICAL
from payung.engine.expr import code_mask, join_codes, mask_count, mask_text
from payung.engine.quality import FORMULA_PREFIX, formula_check_arrow, nik_plain_arrow
from payung.engine.readers import COMMAND_LINE_LIMITS
from payung.engine.screening import backend_input, screen
from payung.engine.tests.conftest import BACKENDS
from payung.engine.tests.factories import AS_OF, People, extract
from payung.engine.upload_guard import EXTRACT_LIMITS

CODES = ("a.one", "b.two", "c.three", "d.four")

#: The plain NIK as a regular expression: what ``nik_plain_arrow`` must answer.
NIK_PLAIN = "^[0-9]{16}$"


def formula_check(t: ir.Table) -> ir.Table:
    """``q_cell_formula`` as a backend expression: what ``formula_check_arrow`` must answer."""
    flags = [
        t[name].startswith(FORMULA_PREFIX).fill_null(False)
        for name in CANONICAL
        if name in t.columns
    ]
    return t.mutate(q_cell_formula=ibis.or_(*flags) if flags else ibis.literal(False))


_NIK_CELLS = st.one_of(
    st.text(alphabet="0123456789", min_size=14, max_size=18),
    st.text(alphabet="0123456789 .,'eE+x\u0663\uff13", min_size=1, max_size=18),
    st.text(max_size=17),
    st.none(),
)


@pytest.mark.parametrize("name", BACKENDS)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(_NIK_CELLS, min_size=1, max_size=25))
def test_nik_plain_in_arrow_is_the_regex_on_every_backend(
    connections: dict[str, Backend], name: str, cells: list[str | None]
) -> None:
    """Sixteen ASCII digits and nothing else, as ``^[0-9]{16}$``: Arabic-Indic or full-width
    digits, 15 or 17 digits, a letter or a NULL are not plain."""
    table = connections[name].load(pa.table({"nik": pa.array(cells, pa.string())}), name="p")
    by_regex = table.select(p=table.nik.re_search(NIK_PLAIN).fill_null(False)).to_pyarrow()
    in_arrow = nik_plain_arrow(pa.chunked_array([pa.array(cells, pa.string())]))
    assert in_arrow.to_pylist() == by_regex["p"].to_pylist()


def test_nik_plain_in_arrow_examples() -> None:
    cells = [
        "3601011506800001",
        "360101150680001",
        "\u0663601011506800001",
        None,
        "3601011506800001 ",
    ]
    assert nik_plain_arrow(pa.chunked_array([pa.array(cells)])).to_pylist() == [
        True,
        False,
        False,
        False,
        False,
    ]


_FORMULA_CELLS = st.one_of(st.none(), st.sampled_from(["=A1", "= 1", "x=1", "", "'=1"]), st.text())


@pytest.mark.parametrize("name", BACKENDS)
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_FORMULA_CELLS, min_size=3, max_size=3), min_size=1, max_size=15))
def test_formula_check_in_arrow_is_the_expression_on_every_backend(
    connections: dict[str, Backend], name: str, rows: list[list[str | None]]
) -> None:
    """A canonical cell starting with ``=`` marks the row (``cell.formula``), found alike."""
    names = ["nik", "nama", "alamat"]
    arrow = pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})
    loaded = connections[name].load(arrow, name="f")
    expected = formula_check(loaded).select("q_cell_formula").to_pyarrow()["q_cell_formula"]
    assert formula_check_arrow(arrow).to_pylist() == expected.to_pylist()


def test_backend_input_drops_only_what_no_rule_reads() -> None:
    people = People()
    table = extract([people.person(nama="=HYPERLINK(1)"), people.person()])
    loaded = backend_input(table)
    assert {"nama", "alamat", "no_kk"}.isdisjoint(loaded.column_names)
    assert set(loaded.column_names) >= set(CANONICAL) - {"nama", "alamat", "no_kk"}
    assert loaded["q_cell_formula"].to_pylist() == [True, False]
    assert loaded["nik_plain"].to_pylist() == [True, True]


@pytest.mark.parametrize("name", BACKENDS)
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(st.booleans() | st.none(), min_size=4, max_size=4), max_size=20))
def test_code_masks_read_as_the_joined_codes(
    connections: dict[str, Backend], name: str, rows: list[list[bool | None]]
) -> None:
    """A mask turned into text is the ``;``-joined codes whose condition holds, in order,
    and NULL when none holds: the bytes ``join_codes`` gives in the backend."""
    if not rows:
        rows = [[None, None, None, None]]
    columns = {f"c{i}": pa.array([r[i] for r in rows], pa.bool_()) for i in range(4)}
    t = connections[name].load(pa.table(columns), name="m")
    conditions = [t[f"c{i}"] for i in range(4)]
    got = t.select(
        mask=code_mask(conditions),
        text=join_codes(list(zip(conditions, CODES, strict=True))),
    ).to_pyarrow()
    assert mask_text(got["mask"], CODES).to_pylist() == got["text"].to_pylist()
    counts = [sum(bool(v) for v in r) for r in rows]
    assert mask_count(got["mask"]).to_pylist() == counts


def test_mask_text_examples() -> None:
    masks = pa.chunked_array([pa.array([0, 1, 5, 15, 5], pa.int64())])
    assert mask_text(masks, CODES).to_pylist() == [
        None,
        "a.one",
        "a.one;c.three",
        "a.one;b.two;c.three;d.four",
        "a.one;c.three",
    ]
    assert mask_count(masks).to_pylist() == [0, 1, 2, 4, 2]


def test_screening_a_formula_row_without_names_in_the_backend(
    duckdb_backend: Backend, policy: Policy
) -> None:
    """A formula in NAMA (a column the backend never receives) still makes the row invalid."""
    people = People()
    table = extract([people.person(nama="=CONCAT(A1)"), people.person()])
    decisions = screen(table, policy=policy, as_of=AS_OF, backend=duckdb_backend).decisions
    assert decisions["status"].to_pylist() == ["invalid", "eligible"]
    assert decisions["reasons"].to_pylist() == ["cell.formula", None]


def test_the_command_line_reads_more_rows_than_an_upload_may_hold() -> None:
    """``payung screen`` reads the operator's own file: a province's extract of tens of
    millions of rows is not refused at an upload's 5 million (issue 16); the other bounds of
    an upload (line length, columns, workbook sizes) still hold."""
    assert COMMAND_LINE_LIMITS.max_rows >= 100_000_000 > EXTRACT_LIMITS.max_rows
    assert replace(COMMAND_LINE_LIMITS, max_rows=EXTRACT_LIMITS.max_rows) == EXTRACT_LIMITS


def test_payung_screen_applies_the_command_line_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command reads with ``COMMAND_LINE_LIMITS``, not the upload bound: lowered here to
    two rows, a three-row file is refused with the reader's message."""
    import payung.engine
    from payung import cli
    from payung.engine import readers

    people = People()
    path = tmp_path / "dtsen.csv"
    pacsv.write_csv(extract([people.person() for _ in range(3)]).drop_columns(["row"]), path)

    def limit(rows: int) -> None:
        lowered = replace(EXTRACT_LIMITS, max_rows=rows)
        monkeypatch.setattr(readers, "COMMAND_LINE_LIMITS", lowered)
        monkeypatch.setattr(payung.engine, "COMMAND_LINE_LIMITS", lowered)

    limit(2)
    argv = ["screen", str(path), "--policy", "pandeglang-2025", "--as-of", "2026-03-15"]
    assert cli.main([*argv, "--out", str(tmp_path / "a"), "--quiet"]) != 0
    assert "lebih dari 2 baris" in capsys.readouterr().err
    limit(3)
    assert cli.main([*argv, "--out", str(tmp_path / "b"), "--quiet"]) == 0
    assert (tmp_path / "b" / "decisions.csv").exists()
