from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring and evaluation for the team (Pasal 10 ayat (2) huruf e-h) and the semester
    report to the Regent (Pasal 12 ayat (3))."""

    name = "payung.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring dan evaluasi"

    def ready(self) -> None:
        from payung.core.uploads import UploadKind, upload_kind_register

        # The signed semester report: a PDF scan, checked like a decree's signed scan.
        upload_kind_register(
            UploadKind(
                id="signed_report",
                label="Pindaian laporan semester yang ditandatangani",
                suffixes=(".pdf",),
                max_bytes=10 * 1024 * 1024,
                reader="payung.decrees.services.pdf_scan_check",
                reads="content",
            )
        )
