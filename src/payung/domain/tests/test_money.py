"""Rupiah formatting, terbilang and parsing: fixed examples plus round-trip properties."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from payung.domain.money import (
    MAX_TERBILANG,
    ensure_rupiah,
    rupiah,
    terbilang,
    terbilang_rupiah,
)

amounts = st.integers(min_value=-MAX_TERBILANG, max_value=MAX_TERBILANG)
non_negative = st.integers(min_value=0, max_value=MAX_TERBILANG)

_UNITS = {
    w: i
    for i, w in enumerate(
        ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
    )
}
_SCALE = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "triliun": 10**12, "kuadriliun": 10**15}


def words_to_int(text: str) -> int:
    """Independent reader of terbilang output, so the property test checks the meaning.

    Scales appear largest first, so each scale word closes the group read since the last.
    """
    tokens = text.split()
    sign = 1
    if tokens[:1] == ["minus"]:
        sign, tokens = -1, tokens[1:]
    total = group = small = 0
    for token in tokens:
        if token in _UNITS:
            small += _UNITS[token]
        elif token == "sepuluh":
            small += 10
        elif token == "sebelas":
            small += 11
        elif token == "belas":
            small += 10
        elif token == "puluh":
            small *= 10
        elif token == "seratus":
            group += 100
        elif token == "ratus":
            group, small = group + small * 100, 0
        elif token == "seribu":
            total += 1000
        elif token in _SCALE:
            total, group, small = total + (group + small) * _SCALE[token], 0, 0
        else:
            raise AssertionError(f"unexpected word {token!r} in {text!r}")
    return sign * (total + group + small)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (16800, "Rp16.800"),
        (0, "Rp0"),
        (-5000, "-Rp5.000"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (1234567890, "Rp1.234.567.890"),
    ],
)
def test_rupiah(amount: int, text: str) -> None:
    assert rupiah(amount) == text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (16800, "enam belas ribu delapan ratus"),
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (1000, "seribu"),
        (1100, "seribu seratus"),
        (1001, "seribu satu"),
        (11_000, "sebelas ribu"),
        (21_000, "dua puluh satu ribu"),
        (101_000, "seratus satu ribu"),
        (100_000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (1_000_000_000, "satu miliar"),
        (2_016_000_000, "dua miliar enam belas juta"),
        (1_000_000_000_000, "satu triliun"),
        (
            999_999_999_999_999,
            "sembilan ratus sembilan puluh sembilan triliun "
            "sembilan ratus sembilan puluh sembilan miliar "
            "sembilan ratus sembilan puluh sembilan juta "
            "sembilan ratus sembilan puluh sembilan ribu "
            "sembilan ratus sembilan puluh sembilan",
        ),
        (-16800, "minus enam belas ribu delapan ratus"),
        (-1000, "minus seribu"),
    ],
)
def test_terbilang(amount: int, words: str) -> None:
    assert terbilang(amount) == words


def test_terbilang_rupiah() -> None:
    assert terbilang_rupiah(16800) == "enam belas ribu delapan ratus rupiah"
    assert terbilang_rupiah(0) == "nol rupiah"


def test_terbilang_beyond_range() -> None:
    assert terbilang(MAX_TERBILANG).startswith("sembilan ratus sembilan puluh sembilan kuadriliun")
    with pytest.raises(ValueError):
        terbilang(MAX_TERBILANG + 1)
    with pytest.raises(ValueError):
        terbilang(-MAX_TERBILANG - 1)


@pytest.mark.parametrize("bad", [16800.0, 0.0, True, False, Decimal("16800"), "16800", None])
def test_formatters_reject_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        rupiah(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        terbilang(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        terbilang_rupiah(bad)  # type: ignore[arg-type]


@given(non_negative)
def test_rupiah_round_trips_digits(n: int) -> None:
    text = rupiah(n)
    assert text.startswith("Rp")
    assert text.removeprefix("Rp").replace(".", "") == str(n)


@given(amounts)
def test_rupiah_negative_is_sign_plus_positive(n: int) -> None:
    assert rupiah(-abs(n)) == ("-" if n else "") + rupiah(abs(n))


@given(amounts)
def test_terbilang_means_the_number(n: int) -> None:
    assert words_to_int(terbilang(n)) == n


@given(amounts)
@example(101_000)  # "seratus satu ribu": the fused "seratus" precedes "satu ribu"
@example(21_000)
def test_terbilang_uses_se_forms(n: int) -> None:
    """Indonesian says seratus/seribu, never "satu ratus" or a group reading "satu ribu".

    "satu ribu" is only right inside a larger thousands group ("dua puluh satu ribu",
    "seratus satu ribu"); "satu juta" and higher scales are always correct.
    """
    tokens = terbilang(n).split()
    assert "satu ratus" not in " ".join(tokens)
    for i, pair in enumerate(pairwise(tokens)):
        if pair == ("satu", "ribu"):
            assert i > 0 and tokens[i - 1].endswith(("puluh", "ratus")), tokens


@given(amounts)
def test_terbilang_shape(n: int) -> None:
    words = terbilang(n)
    assert words == words.strip().lower()
    assert "  " not in words
    assert ("nol" in words.split()) == (n == 0)


@given(amounts)
def test_ensure_rupiah_reads_rupiah_output(n: int) -> None:
    assert ensure_rupiah(rupiah(n)) == n
    assert ensure_rupiah(n) == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp16.800", 16800),
        ("16.800,00", 16800),
        ("1.000.000", 1_000_000),
        ("16800", 16800),
        ("Rp 16.800,00", 16800),
        ("Rp. 16.800", 16800),
        ("RP16.800,-", 16800),
        ("  Rp16.800\n", 16800),
        ("Rp\u00a016.800", 16800),
        ("-Rp5.000", -5000),
        ("0", 0),
        ("Rp0", 0),
    ],
)
def test_ensure_rupiah_parses(text: str, expected: int) -> None:
    assert ensure_rupiah(text) == expected


@pytest.mark.parametrize("value", [16800, 0, -5000])
def test_ensure_rupiah_accepts_int(value: int) -> None:
    assert ensure_rupiah(value) == value


@pytest.mark.parametrize(
    "bad",
    [
        "16.8",
        "16,8",
        "16,800",
        "16.800,50",
        "1.000.00",
        "1000.000.",
        "Rp",
        "",
        "enam belas ribu",
        "16 800",
        "Rp16.800 rupiah",
        "١٦٨٠٠",
        16.8,
        16800.0,
        True,
        False,
        Decimal("16800"),
        None,
        b"16800",
        [16800],
    ],
)
def test_ensure_rupiah_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        ensure_rupiah(bad)


def test_ensure_rupiah_messages_are_indonesian() -> None:
    with pytest.raises(ValueError, match="Format rupiah tidak dikenali"):
        ensure_rupiah("16.8")
    with pytest.raises(ValueError, match="bukan pecahan"):
        ensure_rupiah(16.8)
    with pytest.raises(ValueError, match="boolean"):
        ensure_rupiah(True)
