from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "payung.enrollment"
    label = "enrollment"
    verbose_name = "Pendaftaran peserta BPJS Ketenagakerjaan"
