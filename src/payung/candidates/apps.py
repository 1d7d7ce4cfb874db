from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "payung.candidates"
    label = "candidates"
    verbose_name = "Usulan dan penetapan calon peserta"
