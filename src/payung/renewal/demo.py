"""The demo's next programme year (issue 12): 2027 created with carry-over of 2026's
participants, a new extract in which a few of them no longer qualify, screened with the
carried-over ranked first, proposed, and the no-longer-qualifying ended on 31 December.

Kept small so ``payung demo`` stays fast: the 2027 extract is 2026's participants as they
were imported plus a thousand new synthetic people (the same generator, another seed).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from payung.core.formatting import angka
from payung.i18n import _

#: New people in the 2027 extract besides 2026's participants.
NEW_ROWS = 600
#: 2026 participants whose decile the 2027 extract raises to 9 (Pasal 5 ayat (2) huruf d
#: fails) and who are missing from it (moved or died before the extract was drawn).
DECILE_RAISED = 3
ABSENT = 2


def _extract_write(*, next_year: Any, out: Path, seed: int) -> Path:
    """Last year's participants' rows as imported, a few changed or left out, then new
    people."""
    from payung.engine import CANONICAL, synth_write
    from payung.registry.models import Person
    from payung.renewal.selectors import previous_participants

    header = [name.upper() for name in CANONICAL]
    carried = list(
        previous_participants(programme_year=next_year)
        .order_by("rank")
        .values_list("person_id", flat=True)
    )
    persons = Person.objects.in_bulk(carried)
    rows = []
    for i, person_id in enumerate(carried):
        if DECILE_RAISED <= i < DECILE_RAISED + ABSENT:
            continue  # absent from the new extract
        row = {name.upper(): getattr(persons[person_id], name) or "" for name in CANONICAL}
        if i < DECILE_RAISED:
            row["DESIL"] = "9"
        rows.append(row)
    known = {"".join(ch for ch in r["NIK"] if ch.isdigit()) for r in rows}
    fresh = synth_write(rows=NEW_ROWS, seed=seed, out=out.with_name("dtsen-baru.csv"))
    with fresh.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if "".join(ch for ch in row.get("NIK", "") if ch.isdigit()) not in known:
                rows.append({name: row.get(name, "") for name in header})
    fresh.unlink()
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return out


def demo_renewal(
    *,
    year: Any,
    data_dir: Path,
    seed: int,
    say: Callable[[str], None],
    run_queue: Callable[[], None],
) -> dict[str, int]:
    """Create next year with carry-over, import and screen its extract, propose, and end
    last year's participants who no longer qualify on 31 December."""
    from django.core.files import File
    from django.db.models import Sum

    from payung.accounts.models import User
    from payung.core.models import JobStatus
    from payung.participants.services import proposal_create
    from payung.programmes.services import programme_year_create
    from payung.registry.services import dtsen_import_create
    from payung.renewal import selectors, services
    from payung.screening.services import screening_run_start

    operator = User.objects.get(username="dinsos.operator")
    kepesertaan = User.objects.get(username="disnaker.kepesertaan")
    y = year.year + 1
    pagu = year.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    next_year = programme_year_create(
        created_by=operator,
        year=y,
        policy_id=year.policy_id,
        as_of=date(y, 1, 1),
        coverage_months=12,
        budgets={"apbd": pagu},
        carry_over=True,
    )
    folder = data_dir / "lanjutan"
    folder.mkdir(parents=True, exist_ok=True)
    extract = _extract_write(
        next_year=next_year, out=folder / f"dtsen-pandeglang-{y}-sintetis.csv", seed=seed + y
    )
    with extract.open("rb") as fh:
        imp = dtsen_import_create(
            programme_year=next_year,
            uploaded_file=File(fh, name=extract.name),
            uploaded_by=operator,
        )
    run_queue()
    imp.refresh_from_db()
    if imp.status != JobStatus.DONE:
        raise RuntimeError(f"demo {y} import failed: {imp.error_message}")
    run = screening_run_start(programme_year=next_year, dtsen_import=imp, started_by=operator)
    run_queue()
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise RuntimeError(f"demo {y} screening failed: {run.error_message}")
    proposal = proposal_create(run=run, actor=operator, place="Pandeglang")
    overview = selectors.renewal_overview(programme_year=next_year)
    assert overview is not None
    ended = services.renewal_not_qualifying_end(programme_year=next_year, actor=kepesertaan)
    totals = {
        "lanjutan_tahun": y,
        "lanjutan_memenuhi": overview.qualifying,
        "lanjutan_diusulkan": overview.proposed,
        "lanjutan_diakhiri": ended,
        "lanjutan_calon_baru": proposal.candidates.filter(carried_from__isnull=True)
        .exclude(state="waitlisted")
        .count(),
    }
    say(
        _(
            "Tahun program {y} dibuat dengan lanjutan peserta {prev}: {ok} masih memenuhi syarat "
            "dan didahulukan, {ended} tidak lagi memenuhi syarat dan diakhiri 31 Desember "
            "{prev}, {new} calon baru diusulkan."
        ).format(
            y=y,
            prev=year.year,
            ok=angka(totals["lanjutan_memenuhi"]),
            ended=angka(ended),
            new=angka(totals["lanjutan_calon_baru"]),
        )
    )
    return totals
