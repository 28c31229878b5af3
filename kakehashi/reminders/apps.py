from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "kakehashi.reminders"
    label = "reminders"
