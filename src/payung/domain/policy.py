"""A regency's regulation as a validated model, loaded from a versioned YAML policy file.

Why data and not code: every regency writes its own Perbup, and each differs in bounds,
occupations, priorities and rates. Keeping the rules in a file (one per regulation version)
lets a regency run Payung by writing YAML its legal division can read, while every decision
still names the article it applied. A broken file is refused on load with the file, the line
and the field, so nobody screens a population with a half-understood regulation.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class PolicyError(Exception):
    """A policy file that cannot be used; ``problems`` lists every fault found, with lines."""

    def __init__(self, source: str, problems: list[PolicyProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("; ".join(p.describe(source) for p in problems))


class PolicyProblem(BaseModel):
    """One fault in a policy file: where (field path and line) and what."""

    model_config = ConfigDict(frozen=True)

    code: str
    location: str = ""
    line: int | None = None
    detail: str = ""

    def describe(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        field_part = f" [{self.location}]" if self.location else ""
        return f"{where}{field_part}: {self.detail or self.code}"


def normalize_term(term: str) -> str:
    """Normalise an occupation as KTP/DTSEN write it: upper case, one space, none around '/'.

    The engine applies the same normalisation as an expression (engine/expr.py); a test keeps
    the two in step.
    """
    text = re.sub(r"\s+", " ", term.replace("\u00a0", " ")).strip().upper()
    return re.sub(r" ?/ ?", "/", text)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(_Strict):
    code: Annotated[str, Field(pattern=r"^\d{2}(\d{2})?$")]
    name: str


class _Citable(_Strict):
    """Anything people are shown as a reason: its id, the article and an Indonesian sentence."""

    id: Annotated[str, Field(min_length=1)]
    article: Annotated[str, Field(min_length=1)]
    sentence: Annotated[str, Field(min_length=1)]


class OccupationRule(_Citable):
    kind: Literal["occupation"]


class WorkingRule(_Citable):
    kind: Literal["working"]


class DomicileParams(_Strict):
    region: Annotated[str, Field(pattern=r"^\d{2}(\d{2})?$")]


class DomicileRule(_Citable):
    kind: Literal["domicile"]
    params: DomicileParams


class AgeParams(_Strict):
    min_age: Annotated[int, Field(ge=0, le=130)]
    max_age: Annotated[int, Field(ge=0, le=130)]

    @model_validator(mode="after")
    def _ordered(self) -> AgeParams:
        if self.min_age > self.max_age:
            raise ValueError("min_age lebih besar dari max_age")
        return self


class AgeRule(_Citable):
    kind: Literal["age"]
    params: AgeParams


class DeemedParams(_Strict):
    deemed_by: str


class DeemedRule(_Citable):
    """A criterion with no field of its own, taken as shown by another rule (documented)."""

    kind: Literal["deemed"]
    params: DeemedParams


class DecileParams(_Strict):
    min_desil: Annotated[int, Field(ge=1, le=10)]
    max_desil: Annotated[int, Field(ge=1, le=10)]


class DecileRule(_Citable):
    kind: Literal["decile"]
    params: DecileParams


class OtherAidParams(_Strict):
    excluded_sources: Annotated[list[str], Field(min_length=1)]


class OtherAidRule(_Citable):
    kind: Literal["other_aid"]
    params: OtherAidParams


Rule = Annotated[
    OccupationRule | WorkingRule | DomicileRule | AgeRule | DeemedRule | DecileRule | OtherAidRule,
    Field(discriminator="kind"),
]


class OccupationCategory(_Strict):
    letter: str
    label: str


class Occupations(_Strict):
    categories: dict[str, OccupationCategory]
    terms: dict[str, str]
    not_working: list[str] = []
    regular_employment: list[str] = []

    @model_validator(mode="after")
    def _terms_known(self) -> Occupations:
        unknown = sorted({c for c in self.terms.values() if c not in self.categories})
        if unknown:
            raise ValueError(f"kategori tidak dikenal pada terms: {', '.join(unknown)}")
        return self

    @cached_property
    def normalized_terms(self) -> dict[str, str]:
        """Term (normalised) -> category key, as the engine matches them."""
        return {normalize_term(k): v for k, v in self.terms.items()}


class AgeAtLeastParams(_Strict):
    age: Annotated[int, Field(ge=0, le=130)]


class AgeAtLeastPriority(_Citable):
    kind: Literal["age_at_least"]
    params: AgeAtLeastParams


class DisabilityParams(_Strict):
    none_values: list[str] = []


class DisabilityPriority(_Citable):
    kind: Literal["disability"]
    params: DisabilityParams


class FamilyParams(_Strict):
    single_values: list[str]
    min_dependants: Annotated[int, Field(ge=0)]


class FamilyPriority(_Citable):
    kind: Literal["family_dependants"]
    params: FamilyParams


Priority = Annotated[
    AgeAtLeastPriority | DisabilityPriority | FamilyPriority, Field(discriminator="kind")
]

RankKey = Literal["priority_count", "desil", "birth_date", "nik_hash", "nik"]


class Ranking(_Strict):
    order: list[RankKey]
    seed: int

    @field_validator("order")
    @classmethod
    def _ends_total(cls, order: list[RankKey]) -> list[RankKey]:
        # NIK is unique among judged rows, so ending on it makes the order total and the
        # ranking reproducible whatever order the rows arrived in.
        if not order or order[-1] != "nik":
            raise ValueError("urutan peringkat harus diakhiri 'nik' agar hasil selalu sama")
        return order


class ContributionComponent(_Strict):
    code: str
    name: str
    monthly: Annotated[int, Field(gt=0, strict=True)]


class Contribution(_Strict):
    article: str
    components: Annotated[list[ContributionComponent], Field(min_length=1)]
    billing_period: str

    @property
    def monthly_total(self) -> int:
        """Rupiah per participant per month (Pasal 9 ayat (2): JKK + JKM)."""
        return sum(c.monthly for c in self.components)


class DecreeSpec(_Strict):
    """A decree the regency issues in the yearly cycle, and who signs it.

    Pasal 7 ayat (4) fixes participants by a decree of the Regent; Pasal 10 ayat (2) huruf d
    has the team draft one of the head of Disnakertrans as well, and Pasal 10 ayat (5) sets
    up the team by decree. Which of these a regency issues differs between regulations, so
    the list is data. ``title`` may contain ``{year}``.
    """

    id: Annotated[str, Field(pattern=r"^[a-z][a-z_]*$")]
    article: Annotated[str, Field(min_length=1)]
    template: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    issuer: Annotated[str, Field(min_length=1)]
    signer_title: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    subject: Literal["participants", "team"]
    establishes_participants: bool = False


class Policy(_Strict):
    """One version of one regency's regulation."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: str
    title: str
    short_title: str
    region: Region
    effective_date: date
    legal_bases: list[str] = []
    rules: Annotated[list[Rule], Field(min_length=1)]
    occupations: Occupations
    priorities: list[Priority] = []
    ranking: Ranking
    contribution: Contribution
    coverage_months: Annotated[int, Field(ge=1, le=12)]
    budget_article: str
    decrees: list[DecreeSpec] = []

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        ids = [r.id for r in self.rules] + [p.id for p in self.priorities]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"id aturan ganda: {', '.join(dupes)}")
        decree_ids = [d.id for d in self.decrees]
        if len(set(decree_ids)) != len(decree_ids):
            raise ValueError("id keputusan ganda")
        if sum(d.establishes_participants for d in self.decrees) > 1:
            raise ValueError("hanya satu keputusan yang boleh menetapkan peserta")
        for d in self.decrees:
            if d.establishes_participants and d.subject != "participants":
                raise ValueError(
                    f"keputusan {d.id} menetapkan peserta tetapi subjeknya bukan peserta"
                )
        rule_ids = {r.id for r in self.rules}
        for rule in self.rules:
            if isinstance(rule, DeemedRule) and rule.params.deemed_by not in rule_ids:
                raise ValueError(
                    f"aturan {rule.id} merujuk aturan tidak dikenal {rule.params.deemed_by}"
                )
        return self

    def decree(self, decree_id: str) -> DecreeSpec:
        """The decree spec with this id (KeyError if the policy issues none such)."""
        for spec in self.decrees:
            if spec.id == decree_id:
                return spec
        raise KeyError(decree_id)

    def rule(self, rule_id: str) -> Any:
        """The rule or priority with this id (KeyError if none)."""
        for item in [*self.rules, *self.priorities]:
            if item.id == rule_id:
                return item
        raise KeyError(rule_id)

    @property
    def judged_rules(self) -> list[Any]:
        """Rules that can fail a person: all but the deemed ones, in file order."""
        return [r for r in self.rules if not isinstance(r, DeemedRule)]

    def annual_cost_per_person(self, months: int | None = None) -> int:
        """Rupiah one participant costs for the coverage months (Pasal 9 ayat (2))."""
        if months is None:
            months = self.coverage_months
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
            raise ValueError("jumlah bulan kepesertaan harus 1 sampai 12")
        return self.contribution.monthly_total * months

    def quota(self, budget: int, months: int | None = None) -> int:
        """How many people a budget pays for: floor(budget / (monthly × months)), Pasal 6(2)."""
        if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
            raise ValueError("pagu harus bilangan bulat rupiah yang tidak negatif")
        return budget // self.annual_cost_per_person(months)


# --- loading -------------------------------------------------------------------------

#: Pydantic error types in the words of the legal division that edits policy files.
_ERROR_WORDS: dict[str, str] = {
    "missing": "wajib diisi",
    "extra_forbidden": "isian tidak dikenal (salah ketik?)",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat (bukan pecahan atau teks)",
    "int_from_float": "harus bilangan bulat (bukan pecahan)",
    "string_type": "harus teks",
    "string_pattern_mismatch": "bentuknya tidak sesuai",
    "string_too_short": "tidak boleh kosong",
    "too_short": "tidak boleh kosong",
    "date_from_datetime_parsing": "harus tanggal YYYY-MM-DD",
    "date_parsing": "harus tanggal YYYY-MM-DD",
    "date_type": "harus tanggal YYYY-MM-DD",
    "greater_than": "terlalu kecil",
    "greater_than_equal": "terlalu kecil",
    "less_than_equal": "terlalu besar",
    "literal_error": "nilainya tidak dikenal",
    "union_tag_invalid": "jenis (kind) tidak dikenal",
    "union_tag_not_found": "jenis (kind) wajib diisi",
    "list_type": "harus daftar",
    "dict_type": "harus pemetaan (kunci: nilai)",
    "model_type": "harus pemetaan (kunci: nilai)",
}


def _word(err: Any) -> str:
    """An Indonesian sentence for one pydantic error; our own validators already are."""
    if err["type"] == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    words = _ERROR_WORDS.get(err["type"])
    if words is None:
        return str(err["msg"])
    given = err.get("input")
    return f"{words} (tertulis: {given!r})" if isinstance(given, str | int | float) else words


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Walk the YAML node tree along a pydantic error location to find the 1-based line."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(key)), None)
            if match is None:
                # a discriminator tag (e.g. 'age') names no YAML key: stay on this node
                continue
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                break
            node = node.value[key]
        else:
            continue
        line = node.start_mark.line + 1
    return line


def policy_parse(text: str, *, source: str = "<policy>") -> Policy:
    """Parse and validate a policy from YAML text, reporting every problem with its line."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyError(
            source,
            [
                PolicyProblem(
                    code="policy.yaml",
                    line=mark.line + 1 if mark else None,
                    detail=f"YAML tidak dapat dibaca: {getattr(exc, 'problem', exc)}",
                )
            ],
        ) from None
    if not isinstance(data, dict):
        raise PolicyError(
            source, [PolicyProblem(code="policy.empty", detail="berkas kebijakan kosong")]
        )
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = [
            PolicyProblem(
                code="policy.field",
                location=".".join(str(p) for p in err["loc"]),
                line=_line_of(root, tuple(err["loc"])),
                detail=_word(err),
            )
            for err in exc.errors()
        ]
        raise PolicyError(source, problems) from None


def policy_load(path: Path) -> Policy:
    """Load a policy file from disk."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(
            str(path), [PolicyProblem(code="policy.not_found", detail="berkas tidak ditemukan")]
        ) from None
    return policy_parse(text, source=str(path))


def shipped_ids() -> list[str]:
    """Ids of the policy files shipped with Payung (src/payung/policies/*.yaml)."""
    folder = resources.files("payung") / "policies"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def policy_get(ref: str) -> Policy:
    """A shipped policy by id (``pandeglang-2025``) or a policy file by path."""
    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or path.exists():
        return policy_load(path)
    folder = resources.files("payung") / "policies"
    candidate = folder / f"{ref}.yaml"
    if not candidate.is_file():
        known = ", ".join(shipped_ids())
        raise PolicyError(
            ref,
            [
                PolicyProblem(
                    code="policy.unknown",
                    detail=f"kebijakan '{ref}' tidak dikenal; yang tersedia: {known}",
                )
            ],
        )
    return policy_parse(candidate.read_text(encoding="utf-8"), source=f"{ref}.yaml")
