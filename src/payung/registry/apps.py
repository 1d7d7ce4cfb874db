from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "payung.registry"
    label = "registry"
    verbose_name = "Pendataan"

    def ready(self) -> None:
        # The system check payung.E001 (policy files and year snapshots load).
        from payung.registry import checks  # noqa: F401
