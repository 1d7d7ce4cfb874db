from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares (jobs, bulk loading, view tools, formatting, places, uploads).

    An app only so its template tags, partial templates and the job worker command are found;
    it has no tables of its own."""

    name = "payung.core"
    label = "core"
    verbose_name = "Payung (inti)"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_figures_forget, weak=False, dispatch_uid="payung.figures_forget")


def _figures_forget(**_kwargs: object) -> None:
    """An upgrade runs ``migrate``: the figures the previous code kept for every process
    (``worklist_memo(shared=True)``, pickled files that outlive a restart) are dropped, so no
    process reads back a shape the new code no longer has."""
    from django.core.cache import caches

    from payung.core.worklist import SHARED_CACHE

    caches[SHARED_CACHE].clear()
