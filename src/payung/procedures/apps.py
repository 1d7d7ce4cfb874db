from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    """SOPs generated from the workflow's own tables (Pekalongan minutes, item 5)."""

    name = "payung.procedures"
    label = "procedures"
    verbose_name = "Standar operasional prosedur"
