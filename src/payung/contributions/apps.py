from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "payung.contributions"
    label = "contributions"
    verbose_name = "Iuran, pembayaran dan rekonsiliasi"
