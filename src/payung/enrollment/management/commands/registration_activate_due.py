"""``payung manage registration_activate_due [--date YYYY-MM-DD]``: start the cover of every
registered participant whose cover start has come (Pasal 8 ayat (3), Pasal 9).

BPJS may give a cover start after the day its answer is applied; the participant stays
REGISTERED until then. Run daily (cron or a systemd timer, docs/registration.md); running it
twice on a day does nothing the second time.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from payung.enrollment.services import registration_activate_due


class Command(BaseCommand):
    help = "Mengaktifkan peserta terdaftar yang tanggal mulai kepesertaannya telah tiba."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", help="tanggal acuan YYYY-MM-DD (baku: hari ini, WIB)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Tanggal harus YYYY-MM-DD.") from None
        count = registration_activate_due(today=today)
        self.stdout.write(f"{count} peserta diaktifkan per {today.isoformat()}.")
