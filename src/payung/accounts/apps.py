from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "payung.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan peran"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_migrate

        from payung.accounts import signals
        from payung.accounts.services import roles_sync

        # Groups and their permissions are data the code defines; keep them in step after
        # every migrate so a new permission reaches every role without a manual step. No
        # sender: post_migrate fires once per app, and the permissions of apps migrated after
        # this one (registry, screening, ...) exist only after their own post_migrate, so the
        # last call sees them all. roles_sync is idempotent and cheap.
        post_migrate.connect(
            lambda **kwargs: roles_sync(), weak=False, dispatch_uid="payung.roles_sync"
        )
        user_logged_in.connect(signals.user_login_record, dispatch_uid="payung.user_login")
        user_logged_in.connect(
            signals.session_touch_at_login, dispatch_uid="payung.session_touch_at_login"
        )
        user_login_failed.connect(
            signals.user_login_failed_record, dispatch_uid="payung.user_login_failed"
        )
