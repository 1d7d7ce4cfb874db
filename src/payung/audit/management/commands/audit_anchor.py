"""``payung audit anchor [--out FILE]``: record an anchor entry and write the signed head.

Run it daily (cron) and hand the file, or its printout, to the Inspektorat: a later
``payung audit verify --anchor FILE`` proves the trail still holds that head unchanged. Without
``--out`` the anchor goes to standard output, ready to pipe to a printer or another machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from payung.audit.services import ChainBrokenError, audit_anchor_create


class Command(BaseCommand):
    help = "Menjangkarkan kepala jejak audit ke berkas bertanda tangan (untuk Inspektorat)."
    # Checking, anchoring and backing up the trail must work even while an unrelated part of
    # the configuration fails Django's system checks: that is when they are needed most.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, metavar="BERKAS")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path | None = options["out"]
        if out is not None and out.exists():
            self.stderr.write(
                _("payung: berkas %(path)s sudah ada; pilih nama lain.") % {"path": out}
            )
            raise SystemExit(2)
        if out is not None and not out.parent.is_dir():
            self.stderr.write(_("payung: folder %(path)s tidak ada.") % {"path": out.parent})
            raise SystemExit(2)
        try:
            anchor = audit_anchor_create()
        except ChainBrokenError as exc:
            self.stderr.write(self.style.ERROR(exc.message))
            self.stderr.write(_("Jangkar tidak dibuat: rantai yang rusak tidak dijangkarkan."))
            raise SystemExit(1) from None
        if out is None:
            self.stdout.write(anchor.text(), ending="")
            return
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(anchor.text())
        self.stdout.write(
            _(
                "Jangkar ditulis ke %(path)s: %(summary)s. Serahkan salinannya (berkas atau "
                "cetakan) kepada Inspektorat."
            )
            % {"path": out, "summary": anchor.summary}
        )
