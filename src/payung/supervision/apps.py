from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Employers, supervision reports (Pasal 12 ayat (1)) and the PP 86/2013 sanction ladder."""

    name = "payung.supervision"
    label = "supervision"
    verbose_name = "Pengawasan pemberi kerja"
