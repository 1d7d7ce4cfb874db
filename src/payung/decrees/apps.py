from django.apps import AppConfig


class DecreesConfig(AppConfig):
    name = "payung.decrees"
    label = "decrees"
    verbose_name = "Keputusan dan tim"
