"""What ``payung contributions bill`` and ``reconcile`` write (issue 11, Pasal 9).

An auditor or the bendahara runs them on a roster kept in Excel and on BPJS's invoice, for a
year of up to 100 000 participants (1.2 million participant-months), so the bill and the
reconciliation run as queries on DuckDB (``billing.bill_table``, ``reconcile.reconcile_table``)
over Arrow tables and are written from Arrow; the application bills its few thousand
participants with ``bill_compute`` and ``reconcile_compute``, the same rule in Python. Files are
byte-identical for the same input: explicit sort keys, no time stamps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from payung.domain.policy import Policy
from payung.engine.billing import bill_table, month_range
from payung.engine.contribution_files import (
    RosterRow,
    atomic_write,
    invoice_table,
    roster_read,
)
from payung.engine.readers import file_sha256
from payung.engine.reconcile import CATEGORIES, reconcile_table


def _month_text(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def _month_texts(months: pa.ChunkedArray | pa.Array) -> pa.Array:
    """``YYYY-MM`` for each date; formatted once per distinct month (a year has twelve, a
    bill a million lines)."""
    if isinstance(months, pa.ChunkedArray):
        months = months.combine_chunks()
    encoded = pc.dictionary_encode(months)
    return pc.take(pc.strftime(encoded.dictionary, "%Y-%m"), encoded.indices)


def _csv_write(path: Path, header: str, table: pa.Table) -> None:
    """UTF-8, ``,``, LF: machine-read like ``decisions.csv``; every cell is digits or a code
    (no name, no free text), so nothing needs quoting and nothing a spreadsheet could run as
    a formula. Through ``atomic_write`` (mode 0600: the files hold NIK and KPJ)."""

    def write(tmp: Path) -> None:
        with tmp.open("wb") as handle:
            handle.write((header + "\n").encode("utf-8"))
            pa_csv.write_csv(
                table,
                handle,
                write_options=pa_csv.WriteOptions(include_header=False, quoting_style="none"),
            )

    atomic_write(path, write)


def _json_write(path: Path, document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@dataclass(frozen=True)
class PolicyRef:
    """Which regulation priced the bill: shown in every summary (Pasal 9 ayat (2))."""

    policy: Policy
    sha256: str


def _policy_part(ref: PolicyRef) -> dict[str, str]:
    return {"id": ref.policy.id, "version": ref.policy.version, "sha256": ref.sha256}


def _period(first: date, last: date) -> dict[str, Any]:
    return {
        "from": _month_text(first),
        "to": _month_text(last),
        "months": len(month_range(first, last)),
    }


def _roster_part(path: Path, roster: list[RosterRow], people: int) -> dict[str, Any]:
    return {"file": path.name, "sha256": file_sha256(path), "rows": len(roster), "people": people}


def _roster_lines(roster: list[RosterRow], *, first: date, last: date, policy: Policy) -> pa.Table:
    """The roster's bill (``bill_table``, keyed by NIK) with each line's KPJ: ``nik``,
    ``kpj``, ``month``, ``jkk``, ``jkm``."""
    coverages = pa.table(
        {
            "key": pa.array([r.nik for r in roster], pa.string()),
            "start": pa.array([r.start for r in roster], pa.date32()),
            "end": pa.array([r.end for r in roster], pa.date32()),
        }
    )
    lines = bill_table(coverages, first=first, last=last, contribution=policy.contribution)
    kpj_of = {r.nik: r.kpj for r in roster}
    niks = pa.array(list(kpj_of), pa.string())
    kpjs = pa.array(list(kpj_of.values()), pa.string())
    kpj = pc.take(kpjs, pc.index_in(lines["key"], value_set=niks))
    return pa.table(
        {
            "nik": lines["key"],
            "kpj": kpj,
            "month": lines["month"],
            "jkk": lines["jkk"],
            "jkm": lines["jkm"],
        }
    )


def bill_files_write(
    *,
    roster_path: Path,
    first: date,
    last: date,
    policy: PolicyRef,
    out: Path,
    mapping: Path | None = None,
) -> dict[str, Any]:
    """``payung contributions bill``: ``bill.csv`` (one line per billed participant),
    ``bill_lines.csv`` (one per participant and month) and ``summary.json`` in ``out``;
    returns the summary. Byte-identical for the same input."""
    roster = roster_read(roster_path, mapping=mapping)
    lines = _roster_lines(roster, first=first, last=last, policy=policy.policy)
    total = pc.add(lines["jkk"], lines["jkm"])
    _csv_write(
        out / "bill_lines.csv",
        "nik,kpj,month,jkk,jkm,total",
        lines.set_column(2, "month", _month_texts(lines["month"])).append_column("total", total),
    )
    per_nik = (
        lines.group_by(["nik", "kpj"], use_threads=False)
        .aggregate([("month", "count"), ("jkk", "sum"), ("jkm", "sum")])
        .sort_by("nik")
    )
    _csv_write(
        out / "bill.csv",
        "nik,kpj,months,jkk,jkm,total",
        pa.table(
            {
                "nik": per_nik["nik"],
                "kpj": per_nik["kpj"],
                "months": per_nik["month_count"],
                "jkk": per_nik["jkk_sum"],
                "jkm": per_nik["jkm_sum"],
                "total": pc.add(per_nik["jkk_sum"], per_nik["jkm_sum"]),
            }
        ),
    )
    jkk = pc.sum(lines["jkk"]).as_py() or 0
    jkm = pc.sum(lines["jkm"]).as_py() or 0
    summary = {
        "kind": "bill",
        "policy": _policy_part(policy),
        "segment": "apbd",
        "period": _period(first, last),
        "roster": _roster_part(roster_path, roster, len({r.nik for r in roster})),
        "participants": per_nik.num_rows,
        "months": lines.num_rows,
        "totals": {"jkk": jkk, "jkm": jkm},
        "grand_total": jkk + jkm,
    }
    _json_write(out / "summary.json", summary)
    return summary


def reconciliation_files_write(
    *,
    roster_path: Path,
    invoice_path: Path,
    first: date,
    last: date,
    policy: PolicyRef,
    out: Path,
    mapping: Path | None = None,
    invoice_mapping: Path | None = None,
) -> dict[str, Any]:
    """``payung contributions reconcile``: ``reconciliation.csv`` (one line per (KPJ, month)
    on either side, ``reconcile_compute``'s rule) and ``summary.json`` (count and rupiah per
    category) in ``out``."""
    from payung.engine.backends import connect

    roster = roster_read(roster_path, mapping=mapping)
    invoice, invoice_lines = invoice_table(
        invoice_path,
        first=month_range(first, first)[0],
        last=month_range(last, last)[0],
        mapping=invoice_mapping,
    )
    lines = _roster_lines(roster, first=first, last=last, policy=policy.policy)
    with connect("duckdb") as backend:
        ours = pa.table(
            {
                "kpj": lines["kpj"],
                "month": lines["month"],
                "amount": pc.add(lines["jkk"], lines["jkm"]),
            }
        )
        rows = reconcile_table(ours, invoice, backend=backend)
    _csv_write(
        out / "reconciliation.csv",
        "kpj,month,category,payung_amount,bpjs_amount",
        rows.set_column(1, "month", _month_texts(rows["month"])),
    )
    per_category = {
        row["category"]: row
        for row in rows.group_by("category", use_threads=False)
        .aggregate([("kpj", "count"), ("payung_amount", "sum"), ("bpjs_amount", "sum")])
        .to_pylist()
    }
    categories = {
        c: {
            "count": per_category.get(c, {}).get("kpj_count", 0),
            "payung_amount": per_category.get(c, {}).get("payung_amount_sum", 0),
            "bpjs_amount": per_category.get(c, {}).get("bpjs_amount_sum", 0),
        }
        for c in CATEGORIES
    }
    summary = {
        "kind": "reconciliation",
        "policy": _policy_part(policy),
        "segment": "apbd",
        "period": _period(first, last),
        "roster": _roster_part(roster_path, roster, len({r.nik for r in roster})),
        "invoice": {
            "file": invoice_path.name,
            "sha256": file_sha256(invoice_path),
            "rows": invoice_lines,
        },
        "rows": rows.num_rows,
        "categories": categories,
        "totals": {
            "payung_amount": pc.sum(ours["amount"]).as_py() or 0,
            "bpjs_amount": pc.sum(invoice["amount"]).as_py() or 0,
        },
    }
    _json_write(out / "summary.json", summary)
    return summary
