"""What changes between two policies: rule by rule, and person by person on one extract.

A regency that edits its regulation (or the legal division asking "what if we take Desil I
to V") needs to see two things before it signs: which rules changed, with the article on
both sides, and who changes status because of it and under which rule. Both are computed
here without Django, so ``payung policy diff`` and the team's page in the application give
the same answer.

Rules are paired by id first; a rule left over on each side with the same kind (one of that
kind on each side) is paired too, so two regencies' "usia" and "5(2)b" are compared as the
same criterion with different articles rather than one removed and one added.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from payung.domain.policy import Policy, policy_funding_sources
from payung.i18n import _

if TYPE_CHECKING:
    import pyarrow as pa

    from payung.engine.backends import Backend

__all__ = [
    "CHANGES_HEADERS",
    "PolicyChange",
    "PolicyDiff",
    "StatusChange",
    "policy_diff",
    "policy_diff_changes_csv",
    "policy_diff_extract",
    "policy_diff_rules",
    "policy_diff_text",
    "policy_diff_write",
]

#: The columns of ``changes.csv``, one row per person whose status differs.
CHANGES_HEADERS: Final = ("row", "nik", "status_a", "status_b", "reasons_a", "reasons_b")

#: Status words as the team reads them (the decision file keeps the codes).
STATUS_WORDS: Final[dict[str, str]] = {
    "eligible": "memenuhi syarat",
    "selected": "terpilih",
    "waitlisted": "daftar tunggu",
    "ineligible": "tidak memenuhi syarat",
    "invalid": "data tidak sah",
}

_FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")

ChangeKind = Literal["added", "removed", "changed"]
_KIND_WORDS: Final[dict[str, str]] = {
    "added": "Ditambah",
    "removed": "Dihapus",
    "changed": "Diubah",
}


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """One difference between policy A and policy B, in words, with the articles of both."""

    kind: ChangeKind
    section: str
    item: str
    article_a: str
    article_b: str
    details: tuple[str, ...] = ()

    def describe(self) -> str:
        """One Indonesian line (plus indented details) as the CLI and the page print it."""
        articles = {
            "added": f"B: {self.article_b}",
            "removed": f"A: {self.article_a}",
            "changed": f"A: {self.article_a} | B: {self.article_b}",
        }[self.kind]
        head = f"{_(_KIND_WORDS[self.kind])} — {self.section} [{self.item}] ({articles})"
        return "\n".join([head, *(f"    {d}" for d in self.details)])


@dataclass(frozen=True, slots=True)
class StatusChange:
    """How many people move from one status to another, and the rule that moves them."""

    status_a: str
    status_b: str
    rule: str
    article: str
    count: int


@dataclass(frozen=True, slots=True)
class PolicyDiff:
    """The whole comparison: rule changes, and with an extract the people who move."""

    changes: list[PolicyChange]
    status_changes: list[StatusChange] = field(default_factory=list)
    moves: dict[tuple[str, str], int] = field(default_factory=dict)
    changed_rows: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    rows: int = 0


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def _params(rule: Any) -> dict[str, Any]:
    params = getattr(rule, "params", None)
    return params.model_dump() if params is not None else {}


def _pair(items_a: list[Any], items_b: list[Any]) -> list[tuple[Any | None, Any | None]]:
    """Pairs of (A, B) items: by id, then a single leftover of one kind on each side."""
    by_id_b = {item.id: item for item in items_b}
    pairs: list[tuple[Any | None, Any | None]] = []
    left_a: list[Any] = []
    used_b: set[str] = set()
    for item in items_a:
        if item.id in by_id_b:
            pairs.append((item, by_id_b[item.id]))
            used_b.add(item.id)
        else:
            left_a.append(item)
    left_b = [item for item in items_b if item.id not in used_b]
    for item in list(left_a):
        same_a = [x for x in left_a if x.kind == item.kind]
        same_b = [x for x in left_b if x.kind == item.kind]
        if len(same_a) == 1 and len(same_b) == 1:
            pairs.append((item, same_b[0]))
            left_a.remove(item)
            left_b.remove(same_b[0])
    pairs.extend((item, None) for item in left_a)
    pairs.extend((None, item) for item in left_b)
    return pairs


def _rule_changes(section: str, items_a: list[Any], items_b: list[Any]) -> list[PolicyChange]:
    changes: list[PolicyChange] = []
    for a, b in _pair(items_a, items_b):
        if a is None:
            params = [f"{k}: {_fmt(v)}" for k, v in _params(b).items()]
            details = (f"jenis {b.kind}: {b.sentence}", *params)
            changes.append(PolicyChange("added", section, b.id, "—", b.article, details))
            continue
        if b is None:
            details = (f"jenis {a.kind}: {a.sentence}",)
            changes.append(PolicyChange("removed", section, a.id, a.article, "—", details))
            continue
        details: list[str] = []
        if a.id != b.id:
            details.append(f"id: {a.id} → {b.id}")
        if a.kind != b.kind:
            details.append(f"jenis: {a.kind} → {b.kind}")
        pa_, pb_ = _params(a), _params(b)
        for key in dict.fromkeys([*pa_, *pb_]):
            if pa_.get(key) != pb_.get(key):
                details.append(f"{key}: {_fmt(pa_.get(key))} → {_fmt(pb_.get(key))}")
        if a.article != b.article:
            details.append(f"pasal: {a.article} → {b.article}")
        if " ".join(a.sentence.split()) != " ".join(b.sentence.split()):
            details.append(f"bunyi B: {' '.join(b.sentence.split())}")
        if details:
            item = a.id if a.id == b.id else f"{a.id} ↔ {b.id}"
            changes.append(
                PolicyChange("changed", section, item, a.article, b.article, tuple(details))
            )
    return changes


def _value_change(
    section: str, item: str, a: Any, b: Any, *, article_a: str = "", article_b: str = ""
) -> list[PolicyChange]:
    if a == b:
        return []
    return [
        PolicyChange(
            "changed",
            section,
            item,
            article_a or "—",
            article_b or "—",
            (f"{_fmt(a)} → {_fmt(b)}",),
        )
    ]


def _set_changes(section: str, a: list[str], b: list[str], *, item: str) -> list[PolicyChange]:
    added = [x for x in b if x not in a]
    removed = [x for x in a if x not in b]
    out: list[PolicyChange] = []
    if added:
        out.append(PolicyChange("added", section, item, "—", "—", tuple(added)))
    if removed:
        out.append(PolicyChange("removed", section, item, "—", "—", tuple(removed)))
    return out


def policy_diff_rules(a: Policy, b: Policy) -> list[PolicyChange]:
    """Every difference from A to B that changes who is covered, how or on what basis."""
    out: list[PolicyChange] = []
    out += _value_change("wilayah", "region", f"{a.region.name} ({a.region.code})",
                         f"{b.region.name} ({b.region.code})")  # fmt: skip
    out += _set_changes("dasar hukum", a.legal_bases, b.legal_bases, item="legal_bases")
    out += _rule_changes("kriteria", list(a.rules), list(b.rules))
    out += _rule_changes("prioritas", list(a.priorities), list(b.priorities))
    out += _value_change("peringkat", "ranking.order", a.ranking.order, b.ranking.order)
    out += _set_changes(
        "pekerjaan",
        sorted(a.occupations.normalized_terms),
        sorted(b.occupations.normalized_terms),
        item="occupations.terms",
    )
    for name in ("not_working", "regular_employment"):
        out += _set_changes(
            "pekerjaan",
            list(getattr(a.occupations, name)),
            list(getattr(b.occupations, name)),
            item=f"occupations.{name}",
        )
    rates_a = {(c.code, c.segment, c.valid_from, c.valid_to): c.monthly
               for c in a.contribution.components}  # fmt: skip
    rates_b = {(c.code, c.segment, c.valid_from, c.valid_to): c.monthly
               for c in b.contribution.components}  # fmt: skip
    for key in dict.fromkeys([*rates_a, *rates_b]):
        code, segment, _from, _to = key
        label = code if segment == "apbd" else f"{code} segmen {segment}"
        out += _value_change(
            "iuran",
            label,
            rates_a.get(key),
            rates_b.get(key),
            article_a=a.contribution.article,
            article_b=b.contribution.article,
        )
    out += _value_change("masa kepesertaan", "coverage_months", a.coverage_months,
                         b.coverage_months)  # fmt: skip
    sources_a = {s.code: s for s in policy_funding_sources(a)}
    sources_b = {s.code: s for s in policy_funding_sources(b)}
    for code in dict.fromkeys([*sources_a, *sources_b]):
        sa, sb = sources_a.get(code), sources_b.get(code)
        if sa is None and sb is not None:
            out.append(PolicyChange("added", "sumber dana", code, "—", sb.article or "—",
                                    (sb.name,)))  # fmt: skip
        elif sb is None and sa is not None:
            out.append(PolicyChange("removed", "sumber dana", code, sa.article or "—", "—",
                                    (sa.name,)))  # fmt: skip
        elif sa is not None and sb is not None and sa.name != sb.name:
            out += _value_change("sumber dana", code, sa.name, sb.name,
                                 article_a=sa.article, article_b=sb.article)  # fmt: skip
    decrees_a = {d.id: d for d in a.decrees}
    decrees_b = {d.id: d for d in b.decrees}
    for ident in dict.fromkeys([*decrees_a, *decrees_b]):
        da, db = decrees_a.get(ident), decrees_b.get(ident)
        if da is None and db is not None:
            out.append(PolicyChange("added", "keputusan", ident, "—", db.article, (db.issuer,)))
        elif db is None and da is not None:
            out.append(PolicyChange("removed", "keputusan", ident, da.article, "—", (da.issuer,)))
        elif da is not None and db is not None:
            fields = ("issuer", "signer_title", "article")
            details = tuple(
                f"{f}: {getattr(da, f)} → {getattr(db, f)}"
                for f in fields
                if getattr(da, f) != getattr(db, f)
            )
            if details:
                out.append(
                    PolicyChange("changed", "keputusan", ident, da.article, db.article, details)
                )
    sanctions_a, sanctions_b = a.sanctions.model_dump(), b.sanctions.model_dump()
    details = tuple(
        f"{key}: {_fmt(sanctions_a[key])} → {_fmt(sanctions_b[key])}"
        for key in sanctions_a
        if sanctions_a[key] != sanctions_b[key]
    )
    if details:
        out.append(
            PolicyChange(
                "changed",
                "sanksi",
                "sanctions",
                a.sanctions.article or a.sanctions.basis,
                b.sanctions.article or b.sanctions.basis,
                details,
            )
        )
    cycle_a, cycle_b = a.cycle.model_dump(), b.cycle.model_dump()
    for key in cycle_a:
        out += _value_change("siklus", f"cycle.{key}", cycle_a[key], cycle_b[key])
    return out


def _codes(text: str | None) -> list[str]:
    return [c for c in (text or "").split(";") if c]


def _article(policy: Policy, code: str) -> str:
    try:
        return policy.rule(code).article
    except KeyError:
        return code  # a data-quality code (nik.*): its own name


def policy_diff_extract(
    table: pa.Table, *, a: Policy, b: Policy, as_of: date, backend: Backend
) -> PolicyDiff:
    """Screen one extract under A and under B and count who moves, by rule.

    A person who becomes ineligible under B is counted under each rule of B they fail; one
    who becomes eligible under B under each rule of A they no longer have to fail; any other
    move (a data-quality status) under the reasons B gives. No budget is applied: the
    question is who qualifies, not who fits the pagu.
    """
    from payung.engine.screening import screen

    result_a = screen(table, policy=a, as_of=as_of, backend=backend).decisions
    result_b = screen(table, policy=b, as_of=as_of, backend=backend).decisions
    cols_a = result_a.select(["row", "nik", "status", "reasons"]).to_pydict()
    cols_b = result_b.select(["row", "status", "reasons"]).to_pydict()
    by_row_b = {
        row: (status, reasons)
        for row, status, reasons in zip(
            cols_b["row"], cols_b["status"], cols_b["reasons"], strict=True
        )
    }
    moves: Counter[tuple[str, str]] = Counter()
    by_rule: Counter[tuple[str, str, str, str]] = Counter()
    changed: list[tuple[int, str, str, str, str, str]] = []
    for row, nik, status_a, reasons_a in zip(
        cols_a["row"], cols_a["nik"], cols_a["status"], cols_a["reasons"], strict=True
    ):
        status_b, reasons_b = by_row_b[row]
        if status_a == status_b:
            continue
        moves[(status_a, status_b)] += 1
        if status_b == "ineligible":
            policy, codes = b, _codes(reasons_b)
        elif status_a == "ineligible":
            policy, codes = a, _codes(reasons_a)
        else:
            policy, codes = b, _codes(reasons_b) or _codes(reasons_a)
        for code in codes or ["—"]:
            by_rule[(status_a, status_b, code, _article(policy, code))] += 1
        changed.append((row, nik or "", status_a, status_b, reasons_a or "", reasons_b or ""))
    status_changes = [
        StatusChange(status_a=sa, status_b=sb, rule=rule, article=article, count=n)
        for (sa, sb, rule, article), n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return PolicyDiff(
        changes=policy_diff_rules(a, b),
        status_changes=status_changes,
        moves=dict(sorted(moves.items(), key=lambda kv: (-kv[1], kv[0]))),
        changed_rows=changed,
        rows=len(cols_a["row"]),
    )


def policy_diff(
    a: Policy,
    b: Policy,
    *,
    table: pa.Table | None = None,
    as_of: date | None = None,
    backend: Backend | None = None,
) -> PolicyDiff:
    """Rule differences, and with an extract (``table``, ``as_of``, ``backend``) who moves."""
    if table is None:
        return PolicyDiff(changes=policy_diff_rules(a, b))
    if as_of is None or backend is None:
        raise ValueError("as_of and backend are needed to screen an extract")
    return policy_diff_extract(table, a=a, b=b, as_of=as_of, backend=backend)


def _neutral(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def policy_diff_changes_csv(diff: PolicyDiff) -> bytes:
    """``changes.csv``: the rows whose status differs, as the house's CSV (UTF-8 with BOM,
    ``;``, formulas neutralised; NIK as text)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CHANGES_HEADERS)
    for row, nik, status_a, status_b, reasons_a, reasons_b in diff.changed_rows:
        writer.writerow([row, _neutral(nik), status_a, status_b, reasons_a, reasons_b])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def policy_diff_text(diff: PolicyDiff, *, a: Policy, b: Policy) -> str:
    """The whole comparison as the CLI prints it, in Indonesian."""
    lines = [
        _("Perbandingan kebijakan"),
        f"  A: {a.short_title} ({a.id}, versi {a.version})",
        f"  B: {b.short_title} ({b.id}, versi {b.version})",
        "",
    ]
    if diff.changes:
        lines.append(_("Perbedaan aturan ({n}):").format(n=len(diff.changes)))
        lines += [change.describe() for change in diff.changes]
    else:
        lines.append(_("Tidak ada perbedaan aturan."))
    if diff.rows:
        lines += ["", _("Perubahan status pada {rows} baris ekstrak:").format(rows=diff.rows)]
        if not diff.moves:
            lines.append(_("  Tidak ada yang berubah status."))
        for (sa, sb), n in diff.moves.items():
            lines.append(f"  {STATUS_WORDS.get(sa, sa)} → {STATUS_WORDS.get(sb, sb)}: {n}")
        if diff.status_changes:
            lines += ["", _("Menurut aturan (dari → ke, aturan, pasal, jumlah):")]
            lines += [
                f"  {STATUS_WORDS.get(c.status_a, c.status_a)} → "
                f"{STATUS_WORDS.get(c.status_b, c.status_b)} | {c.rule} | {c.article} | {c.count}"
                for c in diff.status_changes
            ]
    return "\n".join(lines)


def policy_diff_write(diff: PolicyDiff, out: Path) -> Path:
    """Write ``changes.csv`` into ``out`` (created if missing); returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "changes.csv"
    path.write_bytes(policy_diff_changes_csv(diff))
    return path
