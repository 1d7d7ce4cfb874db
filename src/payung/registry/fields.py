"""The rules a person's identity field must meet, whichever way it enters Payung.

The DTSEN import and Disdukcapil's corrections (an answer file's cells, the verifier's page)
write the same Person columns, which the same engine screens, so they answer to one rule set
kept here: a column's longest value as the models store it, no control or invisible
characters, and for the fields the engine parses a value it can read (a birth date in a
format ``engine.quality.birth_date_parts`` reads, a 16-digit KK, a 10-digit village code,
L or P). The import refuses over-long values with ``field_max_lengths``; a correction must
pass ``field_check`` whole.

Problems are coded values (``FieldProblem``); ``field_problem_text`` words them in
Indonesian without ever repeating the value, because the value is personal data and the
messages end up in pages, downloads and the audit trail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from django.utils.translation import gettext as _

from payung.domain.calendar import birth_date_read

#: Longest ALAMAT: Person stores it as unbounded text, but no address of the regency needs
#: more, and without a bound one cell can carry megabytes into every page and document.
ALAMAT_MAX_LENGTH: Final = 300

#: Control characters and invisible format characters (zero-width, bidirectional overrides,
#: BOM), as code-point ranges. Tabs and line breaks are not among them: they are whitespace,
#: folded to one space.
_CONTROL_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (0x0, 0x8),
    (0xB, 0xC),
    (0xE, 0x1F),
    (0x7F, 0x9F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0xFEFF, 0xFEFF),
)
_CONTROL: Final = re.compile(
    "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _CONTROL_RANGES) + "]"
)
#: The same characters in the RE2 syntax Arrow's compute functions take, so a whole imported
#: column is checked at once.
CONTROL_RE2: Final = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in _CONTROL_RANGES) + "]"


#: Spellings of JENIS_KELAMIN accepted in a correction, and the code each stands for
#: (W, wanita, counts as P as the engine reads it).
SEX_CODES: Final[Mapping[str, str]] = {
    "L": "L",
    "LAKI-LAKI": "L",
    "LAKI LAKI": "L",
    "P": "P",
    "PEREMPUAN": "P",
    "W": "P",
    "WANITA": "P",
}


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One broken rule: ``code`` is stable (``too_long``, ``control``, ``no_kk``,
    ``tanggal_lahir``, ``jenis_kelamin``, ``kode_desa``); ``params`` never hold the value."""

    field: str
    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldResult:
    """The value as it is stored (spacing folded, codes in their canonical form) and what is
    wrong with it; ``value`` is only meaningful when ``problems`` is empty."""

    value: str
    problems: tuple[FieldProblem, ...] = ()


@cache
def field_max_lengths() -> dict[str, int]:
    """Longest text each person column takes, from the models (PostgreSQL enforces these).

    The DTSEN import refuses a file with a longer value, naming column and rows; a
    correction is refused the same way. A column in both Person and Household takes the
    smaller of the two.
    """
    from payung.engine import CANONICAL
    from payung.registry.models import Household, Person

    limits = {
        name: Person._meta.get_field(name).max_length
        for name in CANONICAL
        if Person._meta.get_field(name).max_length
    }
    for name in ("no_kk", "kode_desa"):
        limits[name] = min(limits[name], Household._meta.get_field(name).max_length or 10**9)
    limits["alamat"] = ALAMAT_MAX_LENGTH
    return {name: int(limit) for name, limit in limits.items() if limit}


def _words(value: str) -> str:
    return " ".join(value.split())


def field_check(*, name: str, value: str) -> FieldResult:
    """Check one field's value against every rule that applies to it; all problems at once.

    ``value`` is what arrived (a cell, a form field). The stored form folds runs of
    whitespace to one space and writes codes canonically (KK and village code as digits,
    the birth date as YYYY-MM-DD, sex as L/P), so the same data typed two ways compares equal.
    """
    folded = _words(value)
    problems: list[FieldProblem] = []
    limit = field_max_lengths().get(name)
    if limit is not None and len(folded) > limit:
        problems.append(FieldProblem(name, "too_long", {"limit": str(limit)}))
    if _CONTROL.search(value):
        problems.append(FieldProblem(name, "control"))
    if problems:
        return FieldResult(value=folded, problems=tuple(problems))
    stored, problem = _shape(name, folded)
    return FieldResult(value=stored, problems=(problem,) if problem else ())


def _shape(name: str, folded: str) -> tuple[str, FieldProblem | None]:
    """The canonical form of a field the engine parses, or the problem that prevents it."""
    if name == "no_kk":
        digits = folded.replace(" ", "")
        ok = re.fullmatch(r"[0-9]{16}", digits) is not None
        return digits, None if ok else FieldProblem(name, "no_kk")
    if name == "kode_desa":
        digits = folded.replace(" ", "").replace(".", "")
        ok = re.fullmatch(r"[0-9]{10}", digits) is not None
        return digits, None if ok else FieldProblem(name, "kode_desa")
    if name == "tanggal_lahir":
        read = birth_date_read(folded)
        if read is None:
            return folded, FieldProblem(name, "tanggal_lahir")
        return read.isoformat(), None
    if name == "jenis_kelamin":
        code = SEX_CODES.get(folded.upper())
        if code is None:
            return folded, FieldProblem(name, "jenis_kelamin")
        return code, None
    return folded, None


def field_same(*, name: str, before: str, after: str) -> bool:
    """Whether two values of a field mean the same (compared in their stored form), so a
    value sent and returned unchanged, however it is spelled, is never a correction."""
    first, second = field_check(name=name, value=before), field_check(name=name, value=after)
    if first.problems or second.problems:
        return _words(before) == _words(after)
    return first.value == second.value


def field_problem_text(problem: FieldProblem) -> str:
    """The problem in Indonesian, without the value (the caller names row and column)."""
    if problem.code == "too_long":
        return _("Isi lebih dari %(limit)s karakter.") % {"limit": problem.params.get("limit", "")}
    texts = {
        "control": _("Isi berisi karakter kendali atau karakter tak terlihat; ketik ulang isinya."),
        "no_kk": _("Nomor KK harus 16 angka."),
        "kode_desa": _("Kode desa harus 10 angka (titik boleh, misalnya 36.01.01.2001)."),
        "tanggal_lahir": _(
            "Tanggal lahir harus tanggal yang benar dengan format YYYY-MM-DD (tahun 1900 "
            "atau sesudahnya)."
        ),
        "jenis_kelamin": _("Jenis kelamin harus L atau P."),
    }
    return texts.get(problem.code, _("Isi tidak sah."))
