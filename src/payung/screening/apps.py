from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "payung.screening"
    label = "screening"
    verbose_name = "Penyaringan"

    def ready(self) -> None:
        # A regency's decision list (50.000 rows took 9.9 s in one request) is exported in
        # the background past the threshold (core.export_kinds, issue 9).
        from payung.core.export_kinds import ExportKind, export_kind_register

        read = ("screening.view_screeningrun", "screening.view_person_decision")
        for kind_id, label, perms in (
            ("decisions", _("Ekspor keputusan penyaringan (NIK disamarkan)"), read),
            (
                "decisions_full_nik",
                _("Ekspor keputusan penyaringan dengan NIK lengkap"),
                (*read, "screening.export_personal_data"),
            ),
        ):
            export_kind_register(
                ExportKind(
                    id=kind_id,
                    label=label,
                    permissions=perms,
                    writer="payung.screening.exports.decisions_write",
                    audit_action="export_personal_data",
                )
            )
