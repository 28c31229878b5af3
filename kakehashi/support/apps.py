from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "kakehashi.support"
    label = "support"
