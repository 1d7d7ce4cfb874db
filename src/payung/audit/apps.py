from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "payung.audit"
    label = "audit"
    verbose_name = "Jejak audit"

    def ready(self) -> None:
        # A long trail (50.000 entries took 18 s in one request) is exported in the
        # background past the threshold (core.export_kinds, issue 9).
        from payung.core.export_kinds import ExportKind, export_kind_register

        export_kind_register(
            ExportKind(
                id="audit_entries",
                label=_("Ekspor jejak audit"),
                permissions=("audit.view_auditentry",),
                writer="payung.audit.exports.audit_entries_write",
                audit_action="audit_export",
            )
        )
