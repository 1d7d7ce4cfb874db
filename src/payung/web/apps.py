from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "payung.web"
    label = "web"
    verbose_name = "Payung"
