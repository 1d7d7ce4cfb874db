"""The demo's second regency (issue 15): Kabupaten Pekalongan's programme year next to
Pandeglang's, with its own synthetic DTSEN extract for 33.26 screened under its policy.

It shows the promise that the regulation is data: the same application, a second policy
file (``pekalongan-2025``: the Permendagri definition of vulnerable worker, the provincial
grant as a budget line, sanctions on), and nothing else changed. It lives in ``screening``
because it imports and screens (the import is ``registry``'s, the run is this app's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.core.files import File
from django.utils.translation import gettext as _

#: The policy and the size of the demo's Pekalongan extract (seconds on the demo machine).
PEKALONGAN_POLICY = "pekalongan-2025"
PEKALONGAN_ROWS = 3000
#: Places paid from each funding source (Pekalongan Pasal 14 ayat (3), minutes item 2c).
PEKALONGAN_PLACES = {"apbd": 250, "bankeuprov": 50}


def demo_pekalongan(
    *,
    year_number: int,
    as_of: date,
    data_dir: Path,
    seed: int,
    say: Callable[[str], None],
    run_queue: Callable[[], None],
) -> dict[str, int]:
    """Create Pekalongan's year, import its synthetic extract and screen it through the
    real task queue; returns the figures the demo prints."""
    from payung.accounts.models import User
    from payung.core.formatting import angka
    from payung.core.models import JobStatus
    from payung.domain.policy import policy_get
    from payung.engine import synth_write
    from payung.programmes.services import programme_year_create
    from payung.registry.services import dtsen_import_create
    from payung.screening.services import screening_run_start

    operator = User.objects.get(username="dinsos.operator")
    policy = policy_get(PEKALONGAN_POLICY)
    cost = policy.annual_cost_per_person(12, year=year_number)
    year = programme_year_create(
        created_by=operator,
        year=year_number,
        policy_id=PEKALONGAN_POLICY,
        as_of=as_of,
        coverage_months=12,
        budgets={source: places * cost for source, places in PEKALONGAN_PLACES.items()},
    )
    extract = synth_write(
        rows=PEKALONGAN_ROWS,
        seed=seed + 33,
        out=data_dir / "dtsen-pekalongan-sintetis.csv",
        as_of=as_of,
        region=policy.region.code,
    )
    with extract.open("rb") as fh:
        imp = dtsen_import_create(
            programme_year=year, uploaded_file=File(fh, name=extract.name), uploaded_by=operator
        )
    run_queue()
    imp.refresh_from_db()
    if imp.status != JobStatus.DONE:
        raise RuntimeError(f"demo Pekalongan import failed: {imp.error_message}")
    run = screening_run_start(programme_year=year, dtsen_import=imp, started_by=operator)
    run_queue()
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise RuntimeError(f"demo Pekalongan screening failed: {run.error_message}")
    by_status = run.counts["by_status"]
    eligible = by_status["eligible"] + by_status["selected"] + by_status["waitlisted"]
    say(
        _(
            "Kabupaten Pekalongan {year}: {rows} baris disaring menurut {policy}; "
            "{eligible} memenuhi syarat, {selected} dalam pagu."
        ).format(
            year=year_number,
            rows=angka(PEKALONGAN_ROWS),
            policy=policy.short_title,
            eligible=angka(eligible),
            selected=angka(by_status["selected"]),
        )
    )
    return {
        "pekalongan_rows": PEKALONGAN_ROWS,
        "pekalongan_eligible": eligible,
        "pekalongan_selected": by_status["selected"],
        "pekalongan_year_pk": year.pk,
    }
