"""The demo's ends (issue 12): after March, BPJS's claims file and Disdukcapil's deaths and
moves arrive as files, are read, and a second operator kepesertaan applies them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files import File
from django.utils.translation import gettext as _


def demo_ends(*, year: Any, data_dir: Path, say: Callable[[str], None]) -> dict[str, int]:
    """One death from BPJS's claims file (a JKM claim paid), one from Disdukcapil's death
    data, one move out of the regency (Disdukcapil), and a JKK claim that ends nothing: each
    file uploaded by its agency and applied by the second operator kepesertaan (four eyes).

    The services run here directly (as the demo's other files do); the queued task finds the
    job done and leaves it.
    """
    from payung.accounts.models import User
    from payung.ends import services
    from payung.ends.files import CLAIM_COLUMNS, DUKCAPIL_COLUMNS
    from payung.ends.models import Claim, EndImport
    from payung.engine import csv_bytes
    from payung.participants.models import CandidateState

    users = {u.username: u for u in User.objects.all()}
    applier = users["disnaker.kepesertaan2"]
    y = year.year
    active = list(
        year.proposal.candidates.filter(state=CandidateState.ACTIVE)
        .exclude(kpj="")
        .order_by("rank")[:4]
    )
    if len(active) < 4:
        return {}
    jkm, dead, moved, injured = active
    folder = data_dir / "akhir-kepesertaan"
    folder.mkdir(exist_ok=True)
    claims = folder / f"klaim-bpjs-{y}-04.csv"
    claims.write_bytes(
        csv_bytes(
            CLAIM_COLUMNS,
            [
                [jkm.kpj, jkm.nik, "JKM", f"{y}-04-06", "Rp42.000.000", "DIBAYAR"],
                [injured.kpj, injured.nik, "JKK", f"{y}-04-09", "Rp1.250.000", "DIBAYAR"],
            ],
        )
    )
    dukcapil = folder / f"disdukcapil-meninggal-pindah-{y}-04.csv"
    dukcapil.write_bytes(
        csv_bytes(
            DUKCAPIL_COLUMNS,
            [
                [dead.nik, "MENINGGAL", f"14-04-{y}", f"3601-KM-1404{y}-0031", ""],
                [moved.nik, "PINDAH DOMISILI", f"20-04-{y}", "", "Pindah ke Kota Serang"],
            ],
        )
    )
    ended = {"meninggal": 0, "pindah": 0}
    claims_recorded = 0
    for path, kind, uploader in (
        (claims, EndImport.Kind.CLAIMS, users["bpjs.petugas"]),
        (dukcapil, EndImport.Kind.DUKCAPIL, users["dukcapil.verifikator"]),
    ):
        with path.open("rb") as fh:
            job = services.end_import_create(
                programme_year=year, kind=kind, uploaded=File(fh, name=path.name), actor=uploader
            )
        job.refresh_from_db()
        if job.status != "done":
            services.end_import_execute(end_import=job, today=date(y, 4, 30))
            job.refresh_from_db()
        if job.status != "done":
            raise RuntimeError(f"demo end import failed: {job.error_message}")
        result = services.end_import_apply(end_import=job, actor=applier)
        for code, n in result.ended.items():
            ended[str(code)] = ended.get(str(code), 0) + n
        claims_recorded += result.claims
    # The injured participant's claim ends nothing: recorded for monitoring only.
    jkk = Claim.objects.filter(end_import__programme_year=year, claim_type="JKK").count()
    double = _double_funding_confirm(year=year, actor=users["disnaker.kepesertaan"])
    say(
        _(
            "Akhir kepesertaan: {dead} meninggal, {moved} pindah, {double} dana ganda "
            "(Pasal 5 ayat (2) huruf f), {jkk} klaim JKK dicatat."
        ).format(dead=ended["meninggal"], moved=ended["pindah"], double=double, jkk=jkk)
    )
    return {
        "akhir_meninggal": ended["meninggal"],
        "akhir_pindah": ended["pindah"],
        "akhir_dana_ganda": double,
        "klaim_dicatat": claims_recorded,
    }


def _double_funding_confirm(*, year: Any, actor: Any) -> int:
    """The operator kepesertaan confirms one match of the province's list that the linkage
    step left open and whose person is now an active participant: the province pays their
    contributions too, so their cover ends (Pasal 5 ayat (2) huruf f, reason ``dana_ganda``)
    and the place goes to the next replacement round."""
    from payung.linkage.models import ListMatch
    from payung.linkage.services import list_match_decide
    from payung.participants.models import CandidateState
    from payung.registry.models import PairDecision

    active = set(
        year.proposal.candidates.filter(state=CandidateState.ACTIVE).values_list(
            "person_id", flat=True
        )
    )
    for match in ListMatch.objects.filter(
        other_list__programme_year=year, decision=PairDecision.PENDING
    ).order_by("-probability", "pk"):
        if match.person_id in active:
            list_match_decide(
                match=match,
                decision=PairDecision.CONFIRMED,
                note=_("Dikonfirmasi Dinas Sosial Provinsi Banten: iuran dibayar APBD provinsi."),
                actor=actor,
            )
            return 1
    return 0
