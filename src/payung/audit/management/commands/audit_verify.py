"""``payung manage audit_verify``: recompute the audit trail's hash chain (design §6).

Exits 0 when the chain is intact and 1 when it is broken, so a cron job or a monitoring
check can alert on tampering without reading the message.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from payung.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Memeriksa rantai hash jejak audit; keluar dengan kode 1 bila rantai rusak."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(report.message))
            return
        self.stderr.write(self.style.ERROR(report.message))
        raise SystemExit(1)
