"""The demo's semester report (issue 14): after the ends and replacements, the team's
secretary writes the recommendations of the first half-year of 2026 and the report to the
Regent is made (Pasal 12 ayat (3)); the background worker builds its PDF and DOCX."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

#: What the demo's secretary writes: plausible, about the demo's own kind of findings.
DEMO_RECOMMENDATIONS = (
    "Dinas Tenaga Kerja dan Transmigrasi mengusulkan peserta pengganti dari daftar tunggu "
    "setiap bulan, segera setelah kepesertaan berakhir, agar sisa pagu terpakai.\n\n"
    "BPKD membayar tagihan iuran paling lambat tanggal 15 setiap bulan; pembayaran sebagian "
    "disertai alasan dan tanggal pelunasan.\n\n"
    "Disdukcapil dan Dinas Sosial memutakhirkan data kematian dan pindah setiap bulan, dan "
    "BPJS Ketenagakerjaan menyampaikan berkas klaim setiap bulan untuk dicocokkan.\n\n"
    "Bapperida dan BPKD memperhitungkan biaya cakupan penuh dalam rancangan anggaran tahun "
    "berikutnya (Pasal 6 ayat (2))."
)


def demo_semester_report(*, year: Any, say: Callable[[str], None]) -> dict[str, int]:
    """Version 1 of the first half-year's report, written by the demo's team member."""
    from payung.accounts.models import User
    from payung.monitoring.services import semester_report_create

    secretary = User.objects.filter(username="tim.anggota").first()
    if secretary is None:
        return {}
    report = semester_report_create(
        programme_year=year, half=1, recommendations=DEMO_RECOMMENDATIONS, actor=secretary
    )
    say(
        _(
            "Laporan semester I {year} kepada Bupati dibuat (versi {version}); PDF dan DOCX dibuat "
            "oleh pekerja latar belakang."
        ).format(year=year.year, version=report.version)
    )
    return {"semester_report_version": report.version}
