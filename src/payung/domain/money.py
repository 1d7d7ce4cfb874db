"""Rupiah amounts: display, words (terbilang) and strict parsing of typed input.

Money in Payung is always a whole number of rupiah held in an ``int``. Contributions,
budgets and benefits are set in whole rupiah by regulation, so a float could only add
rounding error and a Decimal would only invite fractions; both are refused at every entry
point rather than silently rounded.

Words follow the style of decrees (Keputusan Bupati): "seratus"/"seribu" for a leading one,
"satu juta" and above, lower case, e.g. ``16800`` -> "enam belas ribu delapan ratus".
"""

from __future__ import annotations

import re
from typing import Final

_DIGITS: Final[tuple[str, ...]] = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)
#: Powers of a thousand, smallest first; index 0 is the units group.
_SCALES: Final[tuple[str, ...]] = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun")
#: Largest magnitude terbilang() can name: 999 kuadriliun 999 ... (10**18 - 1).
MAX_TERBILANG: Final[int] = 1000 ** len(_SCALES) - 1

_RUPIAH_TEXT: Final = re.compile(
    r"""
    (?P<sign>-)?\s*
    (?:rp\.?\s*)?                      # optional currency mark: Rp, Rp., RP
    (?P<number>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)   # 16.800 (grouped) or 16800 (plain)
    (?:,00|,-)?                        # decree style ",00" or receipt style ",-"
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _require_int(amount: object, func: str) -> int:
    """Let only true ints through; bool is an int subclass but never an amount of money."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"{func}() needs an int number of rupiah, got {type(amount).__name__}")
    return amount


def rupiah(amount: int) -> str:
    """Format for display with Indonesian thousand dots: ``16800`` -> ``"Rp16.800"``.

    No space after "Rp" and no ",00": the compact form used in Payung's reports and forms.
    Negative amounts (refunds, corrections) put the sign first: ``"-Rp5.000"``.

    Raises:
        TypeError: for float, bool, Decimal or anything else that is not an int.
    """
    value = _require_int(amount, "rupiah")
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{abs(value):,}".replace(",", ".")


def _below_thousand(n: int) -> list[str]:
    """Words for 1..999; the "se-" forms (sepuluh, sebelas, seratus) are fixed words."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_DIGITS[hundreds], "ratus"]
    tens, units = divmod(rest, 10)
    if tens == 1:
        if units == 0:
            words.append("sepuluh")
        elif units == 1:
            words.append("sebelas")
        else:
            words += [_DIGITS[units], "belas"]
    else:
        if tens > 1:
            words += [_DIGITS[tens], "puluh"]
        if units:
            words.append(_DIGITS[units])
    return words


def terbilang(amount: int) -> str:
    """Spell an amount in Indonesian words, as decrees write sums next to the figures.

    ``1000`` is "seribu" but ``1_000_000`` is "satu juta": only the thousands group takes
    the "se-" prefix. Negative amounts read "minus ...".

    Raises:
        TypeError: for float, bool, Decimal or anything else that is not an int.
        ValueError: beyond ±(10**18 - 1), which has no common Indonesian name.
    """
    value = _require_int(amount, "terbilang")
    if value == 0:
        return "nol"
    if abs(value) > MAX_TERBILANG:
        raise ValueError(f"terbilang() supports up to {MAX_TERBILANG:,} in magnitude")
    groups: list[int] = []
    rest = abs(value)
    while rest:
        rest, group = divmod(rest, 1000)
        groups.append(group)
    words: list[str] = ["minus"] if value < 0 else []
    for power in range(len(groups) - 1, -1, -1):
        group = groups[power]
        if group == 0:
            continue
        if power == 1 and group == 1:
            words.append("seribu")
            continue
        words += _below_thousand(group)
        if power:
            words.append(_SCALES[power])
    return " ".join(words)


def terbilang_rupiah(amount: int) -> str:
    """Words followed by "rupiah", as in "enam belas ribu delapan ratus rupiah"."""
    return f"{terbilang(amount)} rupiah"


def ensure_rupiah(value: object) -> int:
    """Turn typed or imported input into an int number of rupiah, or explain why not.

    Accepts an int (not bool) as is, or text such as "16800", "16.800", "Rp16.800",
    "Rp 16.800,00", "Rp16.800,-" or "-Rp5.000" (so ``ensure_rupiah(rupiah(n)) == n``).
    Dots must be real thousand groups: "16.8" is refused because it may mean 16,8 or a
    mistyped 16.800, and guessing a sum of money is worse than asking. Messages are in
    Indonesian because they are shown to the regency officers who typed the value.

    Raises:
        ValueError: for floats, Decimals, bools, other types and unparseable text.
    """
    if isinstance(value, bool):
        raise ValueError("Nilai uang tidak boleh berupa ya/tidak (boolean).")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise ValueError(
            f"Nilai uang harus bilangan bulat rupiah, bukan pecahan/desimal: {value!r}."
        )
    if not isinstance(value, str):
        raise ValueError(
            f"Nilai uang harus berupa bilangan bulat rupiah atau teks, "
            f"bukan {type(value).__name__}: {value!r}."
        )
    match = _RUPIAH_TEXT.fullmatch(value.strip())
    if match is None:
        raise ValueError(
            f"Format rupiah tidak dikenali: {value!r}. "
            "Contoh yang benar: 16800, 16.800, Rp16.800, atau Rp16.800,00."
        )
    number = int(match["number"].replace(".", ""))
    return -number if match["sign"] else number
