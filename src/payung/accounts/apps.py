from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "payung.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan peran"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from payung.accounts.services import roles_sync

        # Groups and their permissions are data the code defines; keep them in step after
        # every migrate so a new permission reaches every role without a manual step.
        post_migrate.connect(lambda **kwargs: roles_sync(), sender=self, weak=False)
