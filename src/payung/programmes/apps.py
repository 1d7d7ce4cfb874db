from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "payung.programmes"
    label = "programmes"
    verbose_name = "Tahun program"

    def ready(self) -> None:
        # The system check payung.E001 (policy files and year snapshots load).
        from payung.programmes import checks  # noqa: F401
