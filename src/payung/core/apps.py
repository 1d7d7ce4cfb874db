from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares (jobs, bulk loading, view tools, formatting, places, uploads).

    An app only so its template tags, partial templates and the job worker command are found;
    it has no tables of its own."""

    name = "payung.core"
    label = "core"
    verbose_name = "Payung (inti)"
