from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "payung.enrollment"
    label = "enrollment"
    verbose_name = "Pendaftaran peserta BPJS Ketenagakerjaan"

    def ready(self) -> None:
        from payung.core.uploads import UploadKind, upload_kind_register

        # BPJS's answer to a registration batch (Pasal 8 ayat (3)); its row rules need the
        # batch and run in ``enrollment.exchange.FileExchange.answer`` (the campaign runs both).
        upload_kind_register(
            UploadKind(
                id="bpjs_registration_answer",
                label="Jawaban pendaftaran BPJS Ketenagakerjaan",
                suffixes=(".csv", ".txt", ".xlsx", ".xlsm", ".ods"),
                max_bytes=20 * 1024 * 1024,
                reader="payung.engine.exchange_files.read_text_table",
            )
        )
        # Participants the regency had before Payung (its roster, kept in Excel); the rules
        # that need the programme year run in ``enrollment.roster.roster_import``.
        upload_kind_register(
            UploadKind(
                id="roster",
                label="Data peserta lama",
                suffixes=(".csv", ".xlsx"),
                max_bytes=20 * 1024 * 1024,
                reader="payung.enrollment.roster.roster_file_read",
            )
        )
