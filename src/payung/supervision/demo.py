"""The demo's employer supervision (issue 15): three employers, two visits (one per
half-year, Pasal 12 ayat (1)) and one sanction case walked along PP 86/2013's ladder up to
the regency's letter to DPMPTSP withholding services, with its documents built.

The case needs a year whose pinned policy applies the ladder: the Pekalongan year when the
demo made one (looked up at run time), else the demo's own year, where Pandeglang's policy
has the ladder off and the demo records the employers and visits only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

EMPLOYERS = (
    ("CV Sumber Rezeki Abadi", "Perdagangan eceran", 18),
    ("PT Tenun Makmur Sentosa", "Industri tekstil", 64),
    ("UD Tani Jaya", "Pertanian dan pengolahan hasil bumi", 9),
)


def _sanctions_year(fallback: Any) -> Any:
    """The newest year whose pinned policy applies the ladder, else ``fallback``."""
    from payung.programmes.models import ProgrammeYear
    from payung.programmes.selectors import programme_year_policy

    for year in ProgrammeYear.objects.order_by("-year", "-pk"):
        if programme_year_policy(programme_year=year).sanctions.enabled:
            return year
    return fallback


def demo_supervision(
    *, year: Any, say: Callable[[str], None], run_queue: Callable[[], None]
) -> dict[str, int]:
    from payung.accounts.models import User
    from payung.domain import wilayah
    from payung.domain.workdays import working_days_add
    from payung.supervision import services
    from payung.supervision.models import SanctionStep

    target = _sanctions_year(year)
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    disnaker, bpjs = users["disnaker.kepesertaan"], users["bpjs.petugas"]
    villages = wilayah.villages(target.region_code)
    y = target.year
    employers = []
    for i, (name, sector, workers) in enumerate(EMPLOYERS):
        village = villages[(i * 37) % len(villages)]
        employers.append(
            services.employer_create(
                actor=disnaker,
                name=name,
                nib=f"91200{y}{i:04d}"[:13],
                npwp="",
                address=f"Jl. Raya {wilayah.lookup(village.code[:6]).name} No. {i + 3}",
                village_code=village.code,
                sector=sector,
                workers=workers,
            )
        )
    first = services.supervision_report_record(
        programme_year=target,
        employer=employers[0],
        actor=disnaker,
        visited_on=date(y, 2, 10),
        inspector="Pengawas Ketenagakerjaan Demo",
        workers_found=18,
        workers_unregistered=11,
        findings="11 dari 18 pekerja belum didaftarkan ke BPJS Ketenagakerjaan; iuran 3 bulan "
        "belum dibayar.",
    )
    services.supervision_report_record(
        programme_year=target,
        employer=employers[1],
        actor=disnaker,
        visited_on=date(y, 8, 4),
        inspector="Pengawas Ketenagakerjaan Demo",
        workers_found=64,
        workers_unregistered=0,
        findings="Seluruh pekerja telah terdaftar dan iuran dibayar tepat waktu.",
    )
    out = {"pengawasan_pemberi_kerja": len(employers), "pengawasan_laporan": 2}
    if not services.sanctions_of(target).enabled:
        say(
            _(
                "Kebijakan {region} tidak menerapkan sanksi PP 86/2013: kasus sanksi tidak dibuat."
            ).format(region=target.region_name)
        )
        return out
    case = services.sanction_case_open(
        report=first,
        actor=disnaker,
        finding="11 pekerja belum didaftarkan ke BPJS Ketenagakerjaan",
        unpaid_contributions=4_950_000,
    )
    # Each step on the first day after the previous one's period ended (working days).
    when = date(y, 3, 2)
    for n, kind in enumerate(
        ("teguran_1", "teguran_2", "denda", "permintaan", "penghentian"), start=1
    ):
        actor = disnaker if kind == SanctionStep.Kind.WITHHOLD else bpjs
        step = services.sanction_step_record(
            case=case,
            actor=actor,
            kind=kind,
            letter_date=when,
            letter_number=f"B/{n:03d}/PGW/{y}",
        )
        when = working_days_add(start=step.deadline or when, days=1)
    run_queue()
    say(
        _(
            "Pengawasan {region}: 3 pemberi kerja, 2 laporan, 1 kasus sanksi sampai surat "
            "penghentian layanan kepada DPMPTSP."
        ).format(region=target.region_name)
    )
    out["pengawasan_kasus_sanksi"] = 1
    return out
