from django.apps import AppConfig


class RenewalConfig(AppConfig):
    name = "payung.renewal"
    label = "renewal"
    verbose_name = "Tahun program berikutnya dan peserta lanjutan"
