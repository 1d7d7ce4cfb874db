"""``payung restore FILE``: restore a backup into a new, empty database, then verify the trail.

The restore refuses to overwrite a database (it may hold newer data than the backup). The
audit chain is checked at once with the key in the environment, so whoever restores learns
straight away whether the copy is whole and whether they hold the right key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from payung.audit.backup import BackupError, database_restore
from payung.audit.selectors import audit_chain_verify
from payung.core.formatting import angka


class Command(BaseCommand):
    help = "Memulihkan cadangan ke basis data baru yang kosong, lalu memeriksa jejak audit."
    # Checking, anchoring and backing up the trail must work even while an unrelated part of
    # the configuration fails Django's system checks: that is when they are needed most.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, metavar="BERKAS")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = database_restore(source=options["source"])
        except BackupError as exc:
            self.stderr.write(_("payung: %(message)s") % {"message": exc.message})
            raise SystemExit(2) from None
        self.stdout.write(
            _("Cadangan dipulihkan ke %(path)s (%(entries)s entri audit).")
            % {"path": result.path, "entries": angka(result.entries)}
        )
        chain = audit_chain_verify()
        if not chain.ok:
            self.stderr.write(self.style.ERROR(chain.message))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(chain.message))
