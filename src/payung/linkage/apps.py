from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "payung.linkage"
    label = "linkage"
    verbose_name = "Daftar penerima iuran dari sumber dana lain"

    def ready(self) -> None:
        from payung.core.uploads import UploadKind, upload_kind_register

        # Another funder's list (Pasal 5 ayat (2) huruf f): the linkage engine's reader, so
        # the upload campaign feeds it malformed files like every other kind.
        upload_kind_register(
            UploadKind(
                id="other_list",
                label="Daftar penerima iuran dari sumber dana lain",
                suffixes=(".csv", ".txt", ".xlsx", ".xlsm", ".ods", ".parquet"),
                max_bytes=300 * 1024 * 1024,
                reader="payung.engine.linkage.lists.list_read",
            )
        )
