"""The Indonesian name normaliser: one spelling per name before names are compared.

Lists of the same people typed by different offices (DTSEN, BPJS, a village's APBDes list)
disagree on how a name is written far more than on who the person is: titles and honorifics
come and go (``H.``, ``HJ.``, ``DRS.``, ``BPK``, ``IBU``, ``S.PD``), *Muhammad* is written a
dozen ways (``MUHAMMAD``, ``MUHAMAD``, ``MOH.``, ``M.``), Sundanese speakers write ``P`` for
``F`` (``SAEPUL``/``SAEFUL``), the old spelling survives (``SOEKARNO``, ``DJAJA``), letters
are doubled or not (``JAMALUDDIN``), and compound names are split or joined (``NUR
HASANAH``/``NURHASANAH``). Comparing raw strings would count each of these as a different
person, and a person missed on the other funder's list is paid for twice (Pasal 5 ayat (2)
huruf f).

:func:`name_normalise` works on whole Arrow arrays with pyarrow's vectorised string kernels
(a million names in about a second); :func:`name_key` applies the very same code to one name,
for tests and for showing an operator what was compared. The result has the words separated
by single spaces; the comparison joins them where the spacing must not matter.
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["HONORIFICS", "MUHAMMAD_VARIANTS", "name_join", "name_key", "name_normalise"]

#: Titles and honorifics written before a name (religious, academic, forms of address).
HONORIFICS: Final[tuple[str, ...]] = (
    "H", "HJ", "HAJI", "HAJAH", "HAJJAH", "KH", "KYAI", "KIAI", "UST", "USTAD", "USTADZ",
    "USTADZAH", "DRS", "DRA", "DR", "IR", "PROF", "BPK", "BAPAK", "PAK", "IBU", "BU", "NY",
    "NYONYA", "SDR", "SDRI", "SAUDARA", "SAUDARI", "TN", "TUAN", "NONA", "NN", "ALM",
    "ALMH", "ALMARHUM", "ALMARHUMAH", "RADEN", "RD", "RR", "RA",
)  # fmt: skip

#: Academic degrees written after a name, with or without their dots (``S.PD`` = ``SPD``).
DEGREES: Final[tuple[str, ...]] = (
    "SPD", "SPDI", "SAG", "SE", "SH", "SHI", "SKOM", "SSOS", "SIP", "ST", "SKM", "SKEP",
    "SSI", "SPSI", "SSTP", "SP", "SPT", "STP", "SFARM", "SHUT", "SIKOM", "SIP", "MPD", "MPDI",
    "MAG", "MM", "MSI", "MH", "MT", "MKES", "MKOM", "AMD", "AMDKEB", "AMDKEP", "AMA", "AMKEP",
    "AMKEB", "BA", "BSC", "LC", "MA",
)  # fmt: skip

#: Every spelling of *Muhammad* seen on Indonesian ID cards, and its abbreviations; all
#: become the single token ``M`` (the shortest, so ``M. ROHMAT`` and ``MUHAMAD ROHMAT`` agree).
MUHAMMAD_VARIANTS: Final[tuple[str, ...]] = (
    "MUHAMMAD", "MUHAMAD", "MUHAMMED", "MUHAMED", "MUHAMMADH", "MOHAMMAD", "MOHAMAD",
    "MOHAMMED", "MOHAMED", "MOCHAMMAD", "MOCHAMAD", "MOCHAMED", "MUCHAMMAD", "MUCHAMAD",
    "MUHHAMMAD", "MUHAMAT", "MUHAMMAT", "MOHAMAT", "MUHAMAD", "MHMD", "MUHD", "MUH", "MOH",
    "MOCH", "MUCH", "MHD", "MD", "MOHD", "MUHAM", "MUHA", "MUHAMMMAD", "MUHAMAAD", "M",
)  # fmt: skip

#: Old (pre-1972) and Sundanese spellings -> one form, applied in this order after the
#: titles are gone. Sundanese has no F, V or Z of its own (``SAEPUL``, ``PITRI``,
#: ``JAENAL``); ``AI``/``AE``/``E`` alternate (``ZAINAL``/``ZAENAL``); ``KH``/``CH``/``H``
#: alternate in Arabic names (``KHOERUNNISA``/``HOERUNNISA``); ``SY``/``S`` (``SYAMSUL``).
_SPELLING: Final[tuple[tuple[str, str], ...]] = (
    ("OE", "U"),
    ("DJ", "J"),
    ("TJ", "C"),
    ("SJ", "S"),
    ("SY", "S"),
    ("CH", "H"),
    ("KH", "H"),
    ("PH", "F"),
    ("TH", "T"),
    ("DH", "D"),
    ("DZ", "J"),
    ("F", "P"),
    ("V", "P"),
    ("Z", "J"),
    ("Q", "K"),
    ("X", "KS"),
    ("AI", "E"),
    ("AE", "E"),
    ("EI", "E"),
    ("AU", "O"),
    ("IY", "I"),
    ("UW", "U"),
)


_DOUBLED: Final = "ABCDEGHIJKLMNOPRSTUWY"
_ANY_DOUBLE: Final = "|".join(letter * 2 for letter in _DOUBLED)


def _alternation(words: tuple[str, ...]) -> str:
    # Longest first, so ``HJ`` is tried before ``H`` and ``MUHAMMAD`` before ``M``.
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


#: A run of titles at the start: ``DRS. H. ``, ``HJ.``, ``BPK `` (each with a dot or a space).
_PREFIX: Final = rf"^(?:(?:{_alternation(HONORIFICS)})(?:\.\s*|\s+))+"
#: Degrees after a comma (``ASEP, S.PD``) or trailing degree words (``ASEP SPD``), dotted
#: forms first flattened by removing dots between single letters.
_SUFFIX: Final = rf"(?:\s+(?:{_alternation(DEGREES)}))+$"
_DOTTED_SUFFIX: Final = r"(?:\s+[A-Z]{1,2}\.(?:[A-Z]{1,4}\.?)*)+$"
_MUHAMMAD: Final = rf"(^| )(?:{_alternation(MUHAMMAD_VARIANTS)})( |$)"


def name_normalise(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Normalise every name of ``values``; null or name-less cells become null.

    The steps, in order: upper case; everything after a comma dropped (degrees:
    ``SITI, S.PD``); titles at the start dropped (``HJ. SITI``), then degree words at the
    end; apostrophes dropped (``MA'RUF``); every other non-letter becomes a space; each
    spelling of *Muhammad* becomes ``M``; old and Sundanese spellings unified; doubled
    letters single (``JAMALUDDIN``); spaces collapsed.
    """
    chunked = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    if chunked.type != pa.string():
        chunked = chunked.cast(pa.string())
    # Names repeat (a regency has far fewer spellings than people): work on each once.
    encoded = pc.dictionary_encode(chunked).combine_chunks()
    normalised = _normalise_distinct(encoded.dictionary)
    return pa.chunked_array([normalised.take(encoded.indices)], pa.string())


def _normalise_distinct(text: pa.Array) -> pa.Array:
    text = pc.utf8_upper(text)
    text = pc.replace_substring_regex(text, pattern=r",.*$", replacement="")
    text = pc.replace_substring_regex(text, pattern=r"['`’‘]", replacement="")
    text = pc.utf8_trim_whitespace(text)
    text = pc.replace_substring_regex(text, pattern=_PREFIX, replacement="")
    # Dotted degrees at the end (S.PD.I, A.MD.KEB, S.E.), then undotted degree words.
    text = pc.replace_substring_regex(text, pattern=_DOTTED_SUFFIX, replacement="")
    text = pc.replace_substring_regex(text, pattern=r"[^A-Z]+", replacement=" ")
    text = pc.utf8_trim_whitespace(text)
    text = pc.replace_substring_regex(text, pattern=_SUFFIX, replacement="")
    # Twice: ``M M ASEP`` (two abbreviations in a row) shares the space between them.
    text = pc.replace_substring_regex(text, pattern=_MUHAMMAD, replacement=r"\1M\2")
    text = pc.replace_substring_regex(text, pattern=_MUHAMMAD, replacement=r"\1M\2")
    for old, new in _SPELLING:
        text = pc.replace_substring(text, pattern=old, replacement=new)
    text = _collapse_doubles(text)
    text = pc.utf8_trim_whitespace(text)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def name_join(normalised: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Normalised names with the spaces removed, the spelling rules applied again across the
    old spaces and doubled letters collapsed: ``NUR HASANAH``, ``NURHASANAH`` and
    ``NURRHASANAH`` are one key, and so are ``ENOK HODIJAH`` and ``ENOKHODIJAH``."""
    chunked = (
        normalised if isinstance(normalised, pa.ChunkedArray) else pa.chunked_array([normalised])
    )
    encoded = pc.dictionary_encode(chunked).combine_chunks()
    text = pc.replace_substring(encoded.dictionary, pattern=" ", replacement="")
    # Joining makes new letter pairs (ENOK HODIJAH -> ENOKHODIJAH): spell them the same way.
    for old, new in _SPELLING:
        text = pc.replace_substring(text, pattern=old, replacement=new)
    text = _collapse_doubles(text)
    return pa.chunked_array([text.take(encoded.indices)], pa.string())


def _collapse_doubles(text: pa.Array) -> pa.Array:
    """``JAMALUDDIN`` -> ``JAMALUDIN``. RE2 has no back-references, so each doubled letter is
    replaced in turn (twice, for tripled ones), on the names that have one only."""
    doubled = pc.fill_null(pc.match_substring_regex(text, pattern=_ANY_DOUBLE), False)
    if not pc.any(doubled).as_py():
        return text
    subset = text.filter(doubled)
    for letter in _DOUBLED:
        subset = pc.replace_substring(subset, pattern=letter * 2, replacement=letter)
        subset = pc.replace_substring(subset, pattern=letter * 2, replacement=letter)
    return pc.replace_with_mask(text, doubled, subset)


def name_key(name: str | None) -> str | None:
    """:func:`name_normalise` for one name (the same code path), None when nothing is left."""
    return name_normalise(pa.array([name], pa.string()))[0].as_py()
