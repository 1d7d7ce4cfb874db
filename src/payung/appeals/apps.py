from django.apps import AppConfig


class AppealsConfig(AppConfig):
    """Appeals (sanggahan) of refused people: corrected evidence, re-screening, the answer."""

    name = "payung.appeals"
    label = "appeals"
    verbose_name = "Sanggahan"
