from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """The budget simulator for the budget office and planning (Pasal 6 ayat (2): coverage
    phased by the regency's financial capacity)."""

    name = "payung.planning"
    label = "planning"
    verbose_name = "Perencanaan anggaran"
