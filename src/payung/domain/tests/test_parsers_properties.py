"""Property tests of the parsers every upload reaches: the NIK and the policy file (issue 17).

Whatever text a cell or a file holds, the parser answers with a value or with its coded
problems, never with an unexpected exception: an exception here would be a crash of the
import that met the cell.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.domain import nik
from payung.domain.policy import Policy, PolicyError, policy_load, policy_parse, shipped_ids

#: Every code ``nik.parse`` may report (docs/decisions.md).
NIK_CODES = {
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
}

_NIKISH = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 .,eE+-'\u00a0\u200b٣", max_size=24),
    st.from_regex(r"\A[0-9]{16}\Z"),
)


@settings(max_examples=400)
@given(raw=_NIKISH, numeric=st.booleans(), year=st.integers(2000, 2100))
def test_nik_parse_answers_any_text_with_parts_or_coded_problems(
    raw: str, numeric: bool, year: int
) -> None:
    result = nik.parse(raw, as_of=date(year, 1, 1), numeric_cell=numeric)
    assert (result.parts is None) == bool(result.problems)
    assert {p.code for p in result.problems} <= NIK_CODES
    assert result.cleaned == nik.clean(raw)
    if result.parts is not None:
        assert result.parts.nik == result.cleaned and len(result.cleaned) == nik.NIK_LENGTH
        assert result.parts.birth_date.year <= year


@given(raw=st.one_of(st.none(), st.integers(), st.floats(allow_nan=True, allow_infinity=True)))
def test_nik_parse_answers_any_spreadsheet_number(raw: int | float | None) -> None:
    result = nik.parse(raw)
    assert result.parts is None
    assert {p.code for p in result.problems} <= {"nik.empty", "nik.numeric_cell"}


@given(raw=st.text(max_size=40))
def test_nik_mask_never_shows_the_birth_date(raw: str) -> None:
    masked = nik.mask(raw)
    assert len(masked) == len(raw)
    if len(raw) == nik.NIK_LENGTH:
        assert masked[4:12] == "*" * 8


# --- policy files --------------------------------------------------------------------------


def _shipped_text() -> str:
    from importlib import resources

    name = f"{shipped_ids()[0]}.yaml"
    return (resources.files("payung") / "policies" / name).read_text(encoding="utf-8")


SHIPPED = _shipped_text()
SHIPPED_LINES = SHIPPED.splitlines(keepends=True)


def _answers(text: str) -> None:
    try:
        assert isinstance(policy_parse(text, source="uji.yaml"), Policy)
    except PolicyError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.code.startswith("policy.")
            assert problem.describe("uji.yaml")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_policy_parse_answers_any_text(text: str) -> None:
    _answers(text)


@settings(max_examples=150, deadline=None)
@given(
    drop=st.lists(st.integers(0, len(SHIPPED_LINES) - 1), max_size=3),
    at=st.integers(0, len(SHIPPED_LINES) - 1),
    insert=st.sampled_from(
        ["", "  x: 1\n", "- -\n", "min_age: -5\n", "monthly: 1.5\n", "&a [*a]\n", "\t\n", ": :\n"]
    ),
)
def test_policy_parse_answers_a_damaged_shipped_policy(
    drop: list[int], at: int, insert: str
) -> None:
    lines = [line for i, line in enumerate(SHIPPED_LINES) if i not in set(drop)]
    lines.insert(min(at, len(lines)), insert)
    _answers("".join(lines))


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe" + "id: x\n".encode("utf-16-le"), b"id: \x81\x8d\n", b"\x00\x00\x00"],
)
def test_policy_load_answers_a_file_that_is_not_utf8(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kebijakan.yaml"
    path.write_bytes(content)
    with pytest.raises(PolicyError):
        policy_load(path)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=200))
def test_policy_load_answers_any_bytes(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kebijakan.yaml"
    path.write_bytes(content)
    with contextlib.suppress(PolicyError):
        policy_load(path)
