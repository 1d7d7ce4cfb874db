from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "payung.verification"
    label = "verification"
    verbose_name = "Verifikasi dan validasi Disdukcapil"
