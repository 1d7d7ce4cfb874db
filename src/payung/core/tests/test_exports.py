"""Formula neutralisation for exports, and its reversal for files that come back."""

from __future__ import annotations

import pytest

from payung.core.exports import neutralise, unneutralise


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+62812", "-1", "@SUM(A1)", "\tx", "\rx"]
)
def test_a_cell_that_would_be_a_formula_gets_an_apostrophe_and_comes_back(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("text", ["Siti Aminah", "3601012001", "'biasa", ""])
def test_plain_text_is_left_alone_both_ways(text: str) -> None:
    assert neutralise(text) == text
    assert unneutralise(text) == text


def test_only_our_apostrophe_is_removed() -> None:
    assert unneutralise("'=1") == "=1"
    assert unneutralise("''=1") == "''=1"
