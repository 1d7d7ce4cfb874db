from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "payung.participants"
    label = "participants"
    verbose_name = "Usulan dan penetapan calon peserta"
