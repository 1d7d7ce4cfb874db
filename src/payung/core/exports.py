"""Formula neutralisation: text cells a spreadsheet shows as text, and back.

Officers open exports in Excel, and a cell that starts with ``=``, ``+``, ``-`` or ``@`` is a
formula there: a name typed as ``=HYPERLINK(...)`` into DTSEN would run on the reader's
machine (CSV/formula injection, design §6). Every export (the decision list, Disdukcapil's
request file, error reports) neutralises its text cells here, and a file that comes back
(Disdukcapil's answer) is restored here, so the two directions cannot drift apart.
"""

from __future__ import annotations

from typing import Final

__all__ = ["FORMULA_PREFIXES", "neutralise", "unneutralise"]

#: What makes a spreadsheet treat text as a formula (or a DDE payload): OWASP's list.
FORMULA_PREFIXES: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text as a spreadsheet must show it: a leading formula character gets an apostrophe."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def unneutralise(text: str) -> str:
    """The text ``neutralise`` was given, for a file that comes back (Disdukcapil's answer):
    the apostrophe it added is ours, not the data's, so a value that went out and came back
    unchanged reads as it was. Only an apostrophe before a formula character is removed."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text
