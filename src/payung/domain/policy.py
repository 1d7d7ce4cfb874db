"""A regency's regulation as a validated model, loaded from a versioned YAML policy file.

Why data and not code: every regency writes its own Perbup, and each differs in bounds,
occupations, priorities and rates. Keeping the rules in a file (one per regulation version)
lets a regency run Payung by writing YAML its legal division can read, while every decision
still names the article it applied. A broken file is refused on load with the file, the line
and the field, so nobody screens a population with a half-understood regulation.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import cached_property
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from payung.domain.rulekinds import (
    Strict,
    criterion_union,
    priority_union,
    rule_is_judged,
    rule_kind_get,
)


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


_Strict = Strict


class Region(_Strict):
    code: Annotated[str, Field(pattern=r"^\d{2}(\d{2})?$")]
    name: str


#: The items of ``rules:`` and ``priorities:``: one model per kind module in ``rulekinds``,
#: chosen by the ``kind`` the file writes (rebuilt by ``policy_model_refresh``).
Rule = criterion_union()
Priority = priority_union()


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
    """One contribution (JKK or JKM) at one rate for one segment, in force from ``valid_from``
    to ``valid_to`` inclusive (open-ended when empty), so a regulation's rate change can start
    mid-year by adding a component with the same code and segment and a later period.

    Rates are per segment because the state sets them per segment: PP 50/2025 halves the BPU
    contributions for a period but excludes participants paid from APBN or APBD, whose rate
    stays Pasal 9 ayat (2)'s Rp16.800. ``segment`` defaults to ``apbd``, the participants this
    regulation pays for, so a file written before segments existed keeps its meaning.
    """

    code: str
    name: str
    monthly: Annotated[int, Field(gt=0, strict=True)]
    segment: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] = "apbd"
    valid_from: date | None = None
    valid_to: date | None = None

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Contribution(_Strict):
    article: str
    components: Annotated[list[ContributionComponent], Field(min_length=1)]
    billing_period: str

    @model_validator(mode="after")
    def _periods_do_not_overlap(self) -> Contribution:
        # Per (code, segment): the APBD rate and a halved BPU rate of the same code run side
        # by side; only two rates of one code for one segment on one day are a contradiction.
        by_key: dict[tuple[str, str], list[ContributionComponent]] = {}
        for c in self.components:
            if c.valid_from and c.valid_to and c.valid_to < c.valid_from:
                raise ValueError(f"iuran {c.code}: valid_to sebelum valid_from")
            by_key.setdefault((c.code, c.segment), []).append(c)
        for (code, segment), items in by_key.items():
            items.sort(key=lambda c: c.valid_from or date.min)
            for before, after in pairwise(items):
                if (
                    before.valid_to is None
                    or after.valid_from is None
                    or after.valid_from <= before.valid_to
                ):
                    where = code if segment == "apbd" else f"{code} segmen {segment}"
                    raise ValueError(f"iuran {where}: periode tarif tumpang tindih")
        return self

    @property
    def segments(self) -> list[str]:
        """The segments the policy has rates for, sorted."""
        return sorted({c.segment for c in self.components})

    @property
    def dated(self) -> bool:
        """Whether any APBD rate changes over time (more than one period for a code).

        Existing callers (decrees, the pagu) mean the APBD segment; another segment's dated
        rates (a BPU discount) do not make the APBD rate ambiguous.
        """
        codes = [c.code for c in self.components if c.segment == "apbd"]
        return len(set(codes)) != len(codes)

    def rates_on(self, day: date, segment: str = "apbd") -> dict[str, int]:
        """Rupiah per code (``{"JKK": 10000, "JKM": 6800}``) in force on ``day`` for
        ``segment`` (Pasal 9 ayat (2)); a code with no rate in force that day is absent.

        Billing asks for the first day of each billed month: a month is charged the rate in
        force when it starts, so a rate change takes effect from the first whole month.
        """
        return {
            c.code: c.monthly for c in self.components if c.segment == segment and c.in_force(day)
        }

    def monthly_on(self, day: date, segment: str = "apbd") -> int:
        """Rupiah per participant for the month containing ``day`` (Pasal 9 ayat (2))."""
        return sum(self.rates_on(day, segment).values())

    @property
    def monthly_total(self) -> int:
        """Rupiah per participant per month (Pasal 9 ayat (2): JKK + JKM) for the APBD segment
        of a policy with one rate period; a dated policy must be asked for a day
        (``monthly_on``)."""
        if self.dated:
            raise ValueError("tarif iuran berubah dalam masa berlaku; sebutkan tanggalnya")
        return sum(c.monthly for c in self.components if c.segment == "apbd")


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


class Cycle(_Strict):
    """How a programme year runs after the decree and into the next (issue 12).

    These are a regency's choices where the regulation is silent or leaves room, so each is
    data with its provenance in the policy file's comments. The defaults are Pandeglang's.
    """

    #: Pasal 5 ayat (2) huruf b judges age "pada saat pendaftaran": turning 65 during the
    #: year ends nothing unless a regency decides otherwise; the rule applies again at the
    #: next year's screening.
    age_ends_cover: bool = False
    #: Carried-over participants come before new candidates in next year's ranking, so cover
    #: does not lapse (a lapse costs the heirs the full JKM benefit for 3 months).
    carry_over_first: bool = True
    #: Days the team has to answer an appeal (sanggahan), counted from its receipt.
    appeal_answer_days: Annotated[int, Field(ge=1, le=180)] = 14
    #: Where an appeal that makes a person eligible puts them: on the waiting list at their
    #: rank (never ahead of others), or straight into the next replacement round.
    appeal_eligible_to: Literal["waiting_list", "replacement_round"] = "waiting_list"


#: The agencies of design §1 and Pasal 10 ayat (3) whose names a policy may set.
AgencyCode = Literal[
    "dinsos", "disdukcapil", "disnakertrans", "bpkd", "bapperida", "inspektorat", "hukum", "bpjs"
]


class Sanctions(_Strict):
    """The administrative-sanction ladder of PP 86/2013 for employers who do not register
    their workers or do not pay (Pekalongan minutes item 4; Pandeglang: off).

    PP 86/2013 Pasal 6-9: BPJS issues at most two written warnings of at most 10 working days
    each, then a fine of 0.1 % per month (1 permille) of the unpaid contributions, payable
    within 30 days; if still unresolved, government withholds specific public services at
    BPJS's request, lifted on proof of payment and complete registration. The durations are
    data so that a change of the PP or a regency's stricter practice is a file edit.
    """

    enabled: bool = False
    #: Legal basis printed in letters.
    basis: str = "Peraturan Pemerintah Nomor 86 Tahun 2013"
    #: Article of the regency's own regulation that applies the ladder (empty when none).
    article: str = ""
    #: Written warnings BPJS issues before the fine (PP 86/2013 Pasal 6: at most two).
    warnings: Annotated[int, Field(ge=0, le=2, strict=True)] = 2
    #: Working days each warning gives (PP 86/2013 Pasal 6 ayat (2): at most 10).
    warning_working_days: Annotated[int, Field(ge=1, le=10, strict=True)] = 10
    #: Fine per month of the unpaid contributions, in permille (PP 86/2013 Pasal 7: 0,1 %).
    fine_permille_per_month: Annotated[int, Field(ge=0, le=1000, strict=True)] = 1
    #: Days the fine must be paid within (PP 86/2013 Pasal 7 ayat (2): 30 days).
    fine_max_days: Annotated[int, Field(ge=1, le=365, strict=True)] = 30
    #: Public services withheld at BPJS's request (PP 86/2013 Pasal 9).
    withheld_services: list[str] = [
        "perizinan terkait usaha",
        "izin dalam mengikuti tender proyek",
        "izin mempekerjakan tenaga kerja asing",
        "izin perusahaan penyedia jasa pekerja/buruh",
        "Izin Mendirikan Bangunan (IMB)/Persetujuan Bangunan Gedung",
    ]
    #: The regency office the withholding letter is addressed to.
    licensing_office: str = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP)"
    #: What lifts the withholding (PP 86/2013 Pasal 9 ayat (3) analogue: proof of payment and
    #: complete registration).
    lifted_on: list[str] = ["bukti pembayaran iuran", "bukti pendaftaran seluruh pekerja"]


class FundingSource(_Strict):
    """A kind of budget line the regency may fund the programme from.

    Pasal 13 (Pandeglang) and Pasal 14 ayat (3) (Pekalongan, as changed in facilitation:
    minutes item 2c) name the APBD and other lawful, non-binding sources; which other sources
    a regency names differs, so the year's budget lines follow this list.
    """

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,9}$")]
    name: Annotated[str, Field(min_length=1)]
    article: str = ""


#: Pandeglang's Pasal 13, the default when a file names no funding sources (files written
#: before issue 15 keep their meaning; the codes are BudgetLine's historical choices).
DEFAULT_FUNDING_SOURCES: tuple[FundingSource, ...] = (
    FundingSource(code="apbd", name="APBD Kabupaten", article="Pasal 13 huruf a"),
    FundingSource(
        code="lainnya", name="Sumber lain yang sah dan tidak mengikat", article="Pasal 13 huruf b"
    ),
)

#: Where a value in a policy file comes from: an article of the regulation itself, an item of
#: minutes (facilitation), another regulation (Kepmendagri, Permendagri, PP), or an assumption
#: the regency's legal division still has to confirm.
ProvenanceKind = Literal["pasal", "notulen", "peraturan", "asumsi"]


class Provenance(_Strict):
    """Where one value of the file comes from; ``asumsi`` needs a sentence why."""

    source: ProvenanceKind
    ref: str = ""
    why: str = ""

    @model_validator(mode="after")
    def _explained(self) -> Provenance:
        if self.source == "asumsi" and not self.why.strip():
            raise ValueError("asumsi harus disertai alasan (why)")
        if self.source != "asumsi" and not self.ref.strip():
            raise ValueError(f"sumber {self.source} harus menyebut rujukannya (ref)")
        return self

    def describe(self) -> str:
        if self.source == "asumsi":
            return f"asumsi: {self.why}"
        label = {"pasal": "", "notulen": "notulen ", "peraturan": ""}[self.source]
        text = f"{label}{self.ref}"
        return f"{text} ({self.why})" if self.why else text


class District(_Strict):
    code: Annotated[str, Field(pattern=r"^\d{6}$")]
    name: str


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
    cycle: Cycle = Cycle()
    funding_sources: list[FundingSource] = []
    #: The districts (kecamatan) of the region, from the Kepmendagri table (scaffolds).
    districts: list[District] = []
    sanctions: Sanctions = Sanctions()
    #: The regency's own names of the agencies that run the programme, where they differ
    #: from the usual ones (Pekalongan: Dinkop UKM dan Naker does Disnakertrans's work,
    #: minutes item 1). SOPs and other documents print these names.
    agencies: dict[AgencyCode, Annotated[str, Field(min_length=3)]] = {}
    #: Dotted path of a value (``region``, ``rules.5(2)b.params.max_age``, ``sanctions``)
    #: -> where it comes from; the most specific entry applies.
    provenance: dict[str, Provenance] = {}

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
        outside = [d.code for d in self.districts if not d.code.startswith(self.region.code)]
        if outside:
            raise ValueError(f"kecamatan di luar wilayah {self.region.code}: {', '.join(outside)}")
        for path in self.provenance:
            if not _path_exists(self, path):
                raise ValueError(f"provenance '{path}': tidak ada isian dengan jalur ini")
        rule_ids = {r.id for r in self.rules}
        for rule in self.rules:
            check = getattr(rule_kind_get(rule.kind), "check", None)
            problem = check(rule, rule_ids=rule_ids) if check is not None else None
            if problem:
                raise ValueError(problem)
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
        return [r for r in self.rules if rule_is_judged(r)]

    def annual_cost_per_person(self, months: int | None = None, *, year: int | None = None) -> int:
        """Rupiah one participant costs for the coverage months (Pasal 9 ayat (2)).

        With ``year``, the months are the last ``months`` of that year (coverage runs to the
        year's end) and each is charged the rate in force on its first day, so a rate change
        mid-year is honoured; without it, the policy must have one rate period.
        """
        if months is None:
            months = self.coverage_months
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
            raise ValueError("jumlah bulan kepesertaan harus 1 sampai 12")
        if year is None:
            return self.contribution.monthly_total * months
        return sum(
            self.contribution.monthly_on(date(year, month, 1)) for month in range(13 - months, 13)
        )

    def quota(self, budget: int, months: int | None = None, *, year: int | None = None) -> int:
        """How many people a budget pays for: floor(budget / yearly cost), Pasal 6(2)."""
        if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
            raise ValueError("pagu harus bilangan bulat rupiah yang tidak negatif")
        return budget // self.annual_cost_per_person(months, year=year)


def policy_model_refresh() -> None:
    """Rebuild ``Policy`` after a rule kind was registered or removed at run time.

    The rule unions are read from ``rulekinds.RULE_KINDS`` when this module is imported; a
    kind registered later (``rulekinds.rule_kind_register``) only becomes valid in a policy
    file once the model is rebuilt with the new unions.
    """
    global Rule, Priority
    Rule, Priority = criterion_union(), priority_union()
    Policy.model_fields["rules"].annotation = list[Rule]
    Policy.model_fields["priorities"].annotation = list[Priority]
    Policy.model_rebuild(force=True)


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


#: libyaml's safe loader when PyYAML was built with it: the same documents, read faster.
_FAST_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def policy_parse(text: str, *, source: str = "<policy>") -> Policy:
    """Parse and validate a policy from YAML text, reporting every problem with its line.

    Every process parses each programme year's pinned policy once, on a page's first view
    (pure-Python YAML took 0.38 s of it, issue 16), so the text is read with libyaml's
    loader when PyYAML has it; a text it refuses is read again with the Python loader,
    whose messages the problems quote, and the node tree that locates a problem's line is
    built only when there is a problem to locate."""
    try:
        try:
            data = yaml.load(text, Loader=_FAST_LOADER)  # a safe loader (libyaml or Python)
        except yaml.YAMLError:
            data = yaml.safe_load(text)  # raises again, with the message the problem quotes
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
        root = yaml.compose(text)
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
    except UnicodeDecodeError:
        # Found by the property tests (issue 17): a file saved as UTF-16 or Windows-1252 is
        # the author's to fix, not a crash.
        raise PolicyError(
            str(path),
            [PolicyProblem(code="policy.encoding", detail="berkas bukan teks UTF-8")],
        ) from None
    return policy_parse(text, source=str(path))


def shipped_ids() -> list[str]:
    """Ids of the policy files shipped with Payung (src/payung/policies/*.yaml)."""
    folder = resources.files("payung") / "policies"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def policy_text(ref: str) -> str:
    """The exact text of a shipped policy file by id (``pandeglang-2025``).

    A programme year stores this text when it is created (its snapshot): the file in the
    package may be edited or replaced later, the year keeps the regulation it started with.
    """
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
    return candidate.read_text(encoding="utf-8")


def policy_sha256(text: str) -> str:
    """SHA-256 of a policy file's text as stored (UTF-8): what a year's snapshot is named by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def policy_get(ref: str) -> Policy:
    """A shipped policy by id (``pandeglang-2025``) or a policy file by path."""
    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or path.exists():
        return policy_load(path)
    return policy_parse(policy_text(ref), source=f"{ref}.yaml")


# --- provenance and assumptions (issue 15) ----------------------------------------------


def policy_funding_sources(policy: Policy) -> list[FundingSource]:
    """The kinds of budget line a year under this policy may have (Pasal 13 / Pekalongan
    Pasal 14 ayat (3)); Pandeglang's two when the file names none."""
    return list(policy.funding_sources) or list(DEFAULT_FUNDING_SOURCES)


#: Top-level keys every value of which needs a source; ``id``, ``version`` and
#: ``provenance`` itself describe the file, not the regulation.
_SOURCED_KEYS: Final = (
    "title",
    "short_title",
    "region",
    "effective_date",
    "legal_bases",
    "rules",
    "occupations",
    "priorities",
    "ranking",
    "contribution",
    "coverage_months",
    "budget_article",
    "decrees",
    "cycle",
    "funding_sources",
    "districts",
    "sanctions",
)
#: Lists whose items are addressed by their ``id`` (or ``code``) in a provenance path.
_ITEM_LISTS: Final = {"rules": "id", "priorities": "id", "decrees": "id", "funding_sources": "code"}


def _path_exists(policy: Policy, path: str) -> bool:
    """Whether a provenance path names something in the policy (typos are errors)."""
    node: Any = policy
    parts = path.split(".")
    index = 0
    while index < len(parts):
        part = parts[index]
        if isinstance(node, list) and not any(isinstance(item, BaseModel) for item in node):
            # a list of texts (legal_bases): items by 0-based position
            if not part.isdigit() or int(part) >= len(node):
                return False
            node = node[int(part)]
        elif isinstance(node, list):
            first = node[0] if node else None
            key = "code" if hasattr(first, "code") and not hasattr(first, "id") else "id"
            match = next((item for item in node if getattr(item, key, None) == part), None)
            if match is None and key == "id":
                # rule ids may contain dots ("5.1"): try joining the following parts
                for end in range(index + 2, len(parts) + 1):
                    joined = ".".join(parts[index:end])
                    match = next((i for i in node if getattr(i, "id", None) == joined), None)
                    if match is not None:
                        index = end - 1
                        break
            if match is None:
                return False
            node = match
        elif isinstance(node, dict):
            if part not in node:
                return False
            node = node[part]
        elif isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                return False
            node = getattr(node, part)
        else:
            return False
        index += 1
    return True


def policy_provenance_problems(policy: Policy) -> list[str]:
    """Provenance paths that name nothing in the file (Indonesian, one per path)."""
    return [
        f"provenance '{path}': tidak ada isian dengan jalur ini"
        for path in policy.provenance
        if not _path_exists(policy, path)
    ]


def policy_provenance_of(policy: Policy, path: str) -> Provenance | None:
    """Where the value at ``path`` comes from: the most specific provenance entry covering it,
    else the article an item (rule, priority, decree, funding source) names itself."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        entry = policy.provenance.get(".".join(parts[:end]))
        if entry is not None:
            return entry
    if len(parts) >= 2 and parts[0] in _ITEM_LISTS:
        key = _ITEM_LISTS[parts[0]]
        rest = ".".join(parts[1:])
        for item in getattr(policy, parts[0]):
            ident = getattr(item, key)
            if (rest == ident or rest.startswith(f"{ident}.")) and getattr(item, "article", ""):
                return Provenance(source="pasal", ref=item.article)
    return None


def _value_paths(policy: Policy) -> list[str]:
    """The paths a policy's provenance must cover: each set top-level key, and each item of
    the lists whose items carry their own article."""
    paths: list[str] = []
    for key in _SOURCED_KEYS:
        value = getattr(policy, key)
        if key not in policy.model_fields_set and key not in policy.provenance:
            continue
        if key in _ITEM_LISTS and value:
            ident = _ITEM_LISTS[key]
            paths.extend(f"{key}.{getattr(item, ident)}" for item in value)
        else:
            paths.append(key)
    return paths


def policy_assumptions(policy: Policy) -> list[tuple[str, Provenance]]:
    """The values still resting on an assumption (``asumsi``), in file order: what a
    regency's legal division has to confirm before the regulation is applied as written."""
    return [(path, entry) for path, entry in policy.provenance.items() if entry.source == "asumsi"]


def policy_unsourced(policy: Policy) -> list[str]:
    """Paths of values with no provenance at all (no entry and no article of their own)."""
    return [p for p in _value_paths(policy) if policy_provenance_of(policy, p) is None]


#: The sections the screening and its decrees depend on: a berita acara or a participants
#: decree prints the assumptions in these, not those of the appeal cycle or sanctions.
SCREENING_SECTIONS: Final = frozenset(
    {
        "title",
        "short_title",
        "region",
        "effective_date",
        "legal_bases",
        "rules",
        "occupations",
        "priorities",
        "ranking",
        "contribution",
        "coverage_months",
        "budget_article",
        "decrees",
        "funding_sources",
    }
)


#: What each top-level part of a policy file is called in a document (assumption notes).
SECTION_LABELS: Final[dict[str, str]] = {
    "id": "Kode kebijakan",
    "version": "Versi",
    "title": "Judul peraturan",
    "short_title": "Judul singkat",
    "region": "Wilayah",
    "effective_date": "Tanggal berlaku",
    "legal_bases": "Dasar hukum",
    "rules": "Kriteria",
    "occupations": "Pekerjaan pekerja rentan",
    "priorities": "Prioritas",
    "ranking": "Urutan peringkat",
    "contribution": "Iuran",
    "coverage_months": "Lama kepesertaan",
    "budget_article": "Pasal penganggaran",
    "decrees": "Keputusan",
    "cycle": "Siklus tahunan dan sanggahan",
    "funding_sources": "Sumber dana",
    "districts": "Kecamatan",
    "sanctions": "Sanksi administratif",
    "agencies": "Nama perangkat daerah",
    "provenance": "Sumber ketentuan",
}


def policy_path_label(policy: Policy, path: str) -> str:
    """A provenance path in words for a document: the part of the policy and, for a rule,
    its article (``rules.usia`` -> "Kriteria Pasal 5 huruf b"), never the dotted path."""
    head, _dot, rest = path.partition(".")
    label = SECTION_LABELS.get(head, head)
    if head == "rules" and rest:
        rule_id = rest.split(".")[0]
        rule = next((r for r in policy.rules if r.id == rule_id), None)
        if rule is not None:
            return f"{label} {rule.article}"
    if head == "funding_sources" and rest:
        source = next((f for f in policy.funding_sources if f.code == rest.split(".")[0]), None)
        if source is not None:
            return f"{label} {source.name}"
    return label


def policy_assumption_lines(policy: Policy, *, sections: frozenset[str] | None = None) -> list[str]:
    """One Indonesian line per assumption ("part of the policy: why"), for documents that
    depend on the policy; ``sections`` keeps those under the given top-level keys. The part is
    named in words (``policy_path_label``): the reader is the legal division, not the file."""
    return [
        f"{policy_path_label(policy, path)}: {entry.why}"
        for path, entry in policy_assumptions(policy)
        if sections is None or path.split(".")[0] in sections
    ]
