"""``payung backup --out FILE``: an online backup of the database (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from payung.audit.backup import BackupError, database_backup
from payung.core.formatting import angka


class Command(BaseCommand):
    help = "Mencadangkan basis data (SQLite: API backup daring; PostgreSQL: pg_dump -Fc)."
    # Checking, anchoring and backing up the trail must work even while an unrelated part of
    # the configuration fails Django's system checks: that is when they are needed most.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, metavar="BERKAS")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = database_backup(out=options["out"])
        except BackupError as exc:
            self.stderr.write(_("payung: %(message)s") % {"message": exc.message})
            raise SystemExit(2) from None
        self.stdout.write(
            _(
                "Cadangan ditulis ke %(path)s (%(size)s bita, %(entries)s entri audit), hanya "
                "dapat dibaca pemiliknya. Simpan kunci audit terpisah dari cadangan ini."
            )
            % {
                "path": result.path,
                "size": angka(result.size),
                "entries": angka(result.entries),
            }
        )
