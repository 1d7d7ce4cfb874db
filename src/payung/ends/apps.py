from django.apps import AppConfig


class EndsConfig(AppConfig):
    """Ends of participation (issue 12): by hand, from Disdukcapil's and BPJS's files."""

    name = "payung.ends"
    label = "ends"
    verbose_name = "Akhir kepesertaan"

    def ready(self) -> None:
        from payung.core.uploads import UploadKind, upload_kind_register

        for kind_id, label, reader in (
            ("dukcapil_ends", "Data kematian dan pindah Disdukcapil", "dukcapil_ends_read"),
            ("bpjs_claims", "Berkas klaim BPJS Ketenagakerjaan", "claims_read"),
        ):
            upload_kind_register(
                UploadKind(
                    id=kind_id,
                    label=label,
                    suffixes=(".csv", ".txt", ".xlsx", ".xlsm", ".ods"),
                    max_bytes=20 * 1024 * 1024,
                    # Matching rows to the year's participants needs the database and runs
                    # in ``ends.services.end_import_execute``.
                    reader=f"payung.ends.files.{reader}",
                )
            )
