"""The demo's budget simulation (issue 14): the regency's whole synthetic DTSEN extract (the
demo's 50 000 people) screened under the 2027 programme year's pinned policy and as-of date,
simulated with that year's pagu growing 10 % a year, run by the team's member (tim.anggota)
through the service, and its JSON written to the demo's folder as ``payung simulate`` writes
it. (The 2027 year's own import holds only the carried-over participants and a few hundred
new people, which the pagu covers at once: not a planning question.)

Pasal 6 ayat (2) phases the cover by financial capacity: the figures say what covering
every eligible person in 2027 would cost and how many years the pagu takes to get there.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from payung.core.formatting import angka
from payung.domain.money import rupiah
from payung.i18n import _

#: The growth of the pagu the demo assumes (percent a year).
DEMO_GROWTH = Decimal(10)
#: The demo's synthetic extract of the whole regency (written by ``demo_build``).
EXTRACT_NAME = "dtsen-pandeglang-sintetis.csv"


def demo_simulation(*, year: Any, data_dir: Path, say: Callable[[str], None]) -> dict[str, int]:
    """Simulate the year after ``year`` (made by the renewal step) on the demo's extract with
    its own pagu; write ``data_dir/simulasi-<year>/simulation.json``. Nothing when that year
    or the extract does not exist."""
    from django.db.models import Sum

    from payung.accounts.models import User
    from payung.engine import file_sha256, read_extract, simulation_write
    from payung.planning.selectors import years_text
    from payung.planning.services import simulation_extract_create
    from payung.programmes.models import ProgrammeYear

    next_year = ProgrammeYear.objects.filter(
        region_code=year.region_code, year=year.year + 1
    ).first()
    extract = data_dir / EXTRACT_NAME
    if next_year is None or not extract.exists():
        return {}
    pagu = next_year.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    member = User.objects.get(username="tim.anggota")
    simulation = simulation_extract_create(
        programme_year=next_year,
        table=read_extract(extract),
        input_sha256=file_sha256(extract),
        pagu=pagu,
        growth=DEMO_GROWTH,
        months=next_year.coverage_months,
        created_by=member,
    )
    result = simulation.result
    path = simulation_write(result, data_dir / f"simulasi-{next_year.year}")
    say(
        _(
            "Simulasi anggaran {year} atas ekstrak DTSEN seluruh kabupaten ({rows} orang): "
            "{eligible} memenuhi syarat, pagu {pagu} mencakup "
            "{covered}; cakupan penuh butuh {full} per tahun; {years} dengan pagu tumbuh "
            "{growth} % per tahun ({path})."
        ).format(
            year=next_year.year,
            rows=angka(result["counts"]["rows"]),
            eligible=angka(result["eligible"]),
            pagu=rupiah(pagu),
            covered=angka(result["covered"]),
            full=rupiah(result["pagu_for_full_coverage"]),
            years=years_text(result),
            growth=result["growth_pct"],
            path=path,
        )
    )
    return {
        "simulasi_memenuhi_syarat": result["eligible"],
        "simulasi_tercakup": result["covered"],
    }
