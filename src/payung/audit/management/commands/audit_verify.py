"""``payung audit verify``: recompute the keyed chain, and check anchors and printed digests.

Exits 0 when everything holds and 1 when the chain is broken or an anchor or digest no longer
matches, so a cron job or a monitoring check can alert on tampering without reading the
message; 2 when an anchor file cannot be read at all (a mistake to fix, not tampering).
Every check runs even after a failure, so one run reports every problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from payung.audit.anchors import AnchorFormatError, anchor_parse
from payung.audit.selectors import (
    AnchorReport,
    audit_anchor_check,
    audit_chain_verify,
    audit_digest_check,
    digest_parse,
)


class Command(BaseCommand):
    help = (
        "Memeriksa rantai jejak audit dan, bila diberikan, berkas jangkar dan ringkasan "
        "cetak; keluar dengan kode 1 bila ada yang tidak cocok."
    )
    # Checking, anchoring and backing up the trail must work even while an unrelated part of
    # the configuration fails Django's system checks: that is when they are needed most.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchor", nargs="+", type=Path, default=[], metavar="BERKAS")
        parser.add_argument("--digest", action="append", default=[], metavar="JUMLAH:SIDIK")

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = [(path, self._anchor_read(path)) for path in options["anchor"]]
        digests = [(text, self._digest_read(text)) for text in options["digest"]]
        chain = audit_chain_verify()
        reports = [AnchorReport(chain.ok, chain.message)]
        reports += [audit_anchor_check(anchor=a, name=p.name) for p, a in anchors]
        reports += [audit_digest_check(count=n, short=h) for _t, (n, h) in digests]
        for report in reports:
            if report.ok:
                self.stdout.write(self.style.SUCCESS(report.message))
            else:
                self.stderr.write(self.style.ERROR(report.message))
        if not all(r.ok for r in reports):
            raise SystemExit(1)

    def _refuse(self, message: str) -> NoReturn:
        self.stderr.write(_("payung: %(message)s") % {"message": message})
        raise SystemExit(2)

    def _anchor_read(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self._refuse(_("berkas jangkar %(path)s tidak ditemukan.") % {"path": path})
        except (OSError, UnicodeDecodeError):
            self._refuse(_("berkas jangkar %(path)s tidak dapat dibaca.") % {"path": path})
        try:
            return anchor_parse(text=text)
        except AnchorFormatError:
            self._refuse(
                _("%(path)s bukan berkas jangkar Payung atau telah rusak.") % {"path": path}
            )

    def _digest_read(self, text: str) -> tuple[int, str]:
        parsed = digest_parse(text=text)
        if parsed is None:
            self._refuse(
                _(
                    "ringkasan '%(text)s' tidak sah; tulis JUMLAH:SIDIK seperti di halaman "
                    "audit, misalnya 1234:ab12cd34ef567890."
                )
                % {"text": text}
            )
        return parsed
