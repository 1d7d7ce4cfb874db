from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring and evaluation for the team (Pasal 10 ayat (2) huruf e-h) and the semester report to the Regent (Pasal 12 ayat (3))."""

    name = "payung.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring dan evaluasi"
