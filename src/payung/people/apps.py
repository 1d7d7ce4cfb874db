from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """One person across the stages: the person page, the export, the retention period."""

    name = "payung.people"
    label = "people"
    verbose_name = "Data per orang"

    def ready(self) -> None:
        # Earlier stages (the screening decision page) show where the person stands now
        # without importing this later app: it answers through core.lifecycle.
        from payung.core.lifecycle import final_state_register
        from payung.people.selectors import person_final_state

        final_state_register(lookup=person_final_state)
