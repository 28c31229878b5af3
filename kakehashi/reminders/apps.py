from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "kakehashi.reminders"
    label = "reminders"

    def ready(self) -> None:
        # Reminders name the person they are about; anonymising the person erases the name
        # here too, in the same transaction (privacy/effects.py).
        from kakehashi.privacy.effects import on_person_anonymised

        from .services import reminders_erase_person

        on_person_anonymised("reminders.person", reminders_erase_person)
